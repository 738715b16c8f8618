"""Where a module's file lies: builtin, stdlib, site (installed), local (the user's own) or other."""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from dataclasses import dataclass

ORIGINS = ("builtin", "stdlib", "site", "local", "other")
_SITE_PARTS = ("site-packages", "dist-packages")


@dataclass(frozen=True)
class Roots:
    """The directories a path is classified against, absolute and normalised."""

    cwd: str
    site: tuple[str, ...]
    stdlib: tuple[str, ...]
    path: tuple[str, ...]


def norm(path: str) -> str:
    """An absolute, case-normalised path without following links (no file-system calls)."""
    return os.path.normcase(os.path.abspath(path))


def under(path: str, root: str) -> bool:
    """Whether the normalised ``path`` is ``root`` or inside it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def is_site_path(path: str) -> bool:
    """Whether a path has a site-packages (or Debian dist-packages) component."""
    return any(part in _SITE_PARTS for part in path.split(os.sep))


def _both(paths: list[str]) -> tuple[str, ...]:
    """Each path as given and with links resolved, deduplicated, longest first."""
    found = {norm(p) for p in paths if p} | {norm(os.path.realpath(p)) for p in paths if p}
    return tuple(sorted(found, key=len, reverse=True))


def site_dirs() -> list[str]:
    """Where installed distributions live: sysconfig's purelib/platlib, site's dirs, site-like sys.path entries."""
    paths = sysconfig.get_paths()
    found = [paths.get("purelib", ""), paths.get("platlib", "")]
    try:
        found += site.getsitepackages()
    except AttributeError:  # an old virtualenv's site module lacks it
        pass
    if site.ENABLE_USER_SITE and site.USER_SITE:
        found.append(site.USER_SITE)
    found += [p for p in sys.path if isinstance(p, str) and is_site_path(p)]
    return list(dict.fromkeys(p for p in found if p))


def current_roots() -> Roots:
    """The roots for this process now: its working directory, site, stdlib and sys.path dirs."""
    cwd = os.getcwd()
    key = (cwd, tuple(p for p in sys.path if isinstance(p, str)))
    # Resolving links costs a file-system call per root; the same directories give the same roots.
    if _roots_for and _roots_for[0][0] == key:
        return _roots_for[0][1]
    roots = _roots(cwd)
    _roots_for[:] = [(key, roots)]
    return roots


_roots_for: list[tuple[tuple[str, tuple[str, ...]], Roots]] = []


def _roots(cwd: str) -> Roots:
    paths = sysconfig.get_paths()
    zipped = "python%d%d.zip" % sys.version_info[:2]
    stdlib = [paths.get("stdlib", ""), paths.get("platstdlib", "")]
    stdlib += [p for p in sys.path if isinstance(p, str) and p.endswith(zipped)]
    entries = [p or cwd for p in sys.path if isinstance(p, str)]
    return Roots(norm(cwd), _both(site_dirs()), _both(stdlib), _both(entries))


def classify(path: str | None, name: str, roots: Roots) -> str:
    """The origin of a module from its file path; site before stdlib, as a venv nests one in the other."""
    if name in sys.builtin_module_names or not path or path in ("built-in", "frozen"):
        return "builtin"
    if not os.path.isabs(path):
        return "other"
    where = norm(path)
    if is_site_path(where) or any(under(where, r) for r in roots.site):
        return "site"
    if any(under(where, r) for r in roots.stdlib):
        return "stdlib"
    if under(where, roots.cwd) or any(under(where, r) for r in roots.path):
        return "local"
    return "other"


def shown(path: str, roots: Roots) -> str:
    """A path as the user knows it: ``./name.py`` under the working directory, else absolute."""
    where = norm(path)
    if under(where, roots.cwd) and where != roots.cwd:
        return "./" + os.path.relpath(where, roots.cwd).replace(os.sep, "/")
    return path
