"""The distributions installed on ``sys.path``, read once per state of the path (reading them is slow)."""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.machinery
import os
import re
import sys
from dataclasses import dataclass

from .module_origin import norm, under


@dataclass(frozen=True)
class Installed:
    """One distribution's metadata as found in one directory of ``sys.path``."""

    name: str
    key: str
    version: str
    location: str


@dataclass(frozen=True)
class Snapshot:
    """Every distribution in ``sys.path`` order, and which ones provide each top-level module."""

    dists: tuple[Installed, ...]
    providers: dict[str, tuple[str, ...]]
    copies: dict[str, list[Installed]]

    def by_key(self, key: str) -> list[Installed]:
        """The copies of one distribution, the one imports use first."""
        return self.copies.get(key, [])


_cache: list[tuple[tuple, Snapshot]] = []


def dist_key(name: str) -> str:
    """A distribution name normalised as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _path_state() -> tuple:
    """``sys.path`` with each entry's modification time: installing or removing a package changes it."""
    state = []
    for entry in list(sys.path):
        try:
            state.append((entry, os.stat(entry or ".").st_mtime_ns))
        except (OSError, TypeError, ValueError):
            state.append((entry, None))
    return (os.getcwd(), tuple(state))


def _read_dists() -> tuple[Installed, ...]:
    """One record per distinct (distribution, directory); a path listed twice yields one."""
    found: dict[tuple[str, str], Installed] = {}
    for dist in metadata.distributions():
        try:
            name, version = dist.metadata["Name"], dist.version
            location = str(dist.locate_file(""))
        except Exception:  # a broken dist-info is a fact about that one package only
            continue
        if isinstance(name, str) and isinstance(version, str):
            record = Installed(name, dist_key(name), version, location)
            found.setdefault((record.key, norm(location)), record)
    return tuple(found.values())


def _read_providers() -> dict[str, tuple[str, ...]]:
    """Top-level module name -> keys of the distributions that ship it, deduplicated."""
    try:
        mapping = metadata.packages_distributions()
    except Exception:  # one unreadable RECORD must not hide every version
        return {}
    return {module: tuple(dict.fromkeys(dist_key(n) for n in names)) for module, names in mapping.items()}


def snapshot() -> Snapshot:
    """The installed distributions, re-read only when ``sys.path`` or a directory on it changed."""
    state = _path_state()
    if _cache and _cache[0][0] == state:
        return _cache[0][1]
    dists = _read_dists()
    copies: dict[str, list[Installed]] = {}
    for dist in dists:
        copies.setdefault(dist.key, []).append(dist)
    fresh = Snapshot(dists, _read_providers(), copies)
    _cache[:] = [(state, fresh)]
    return fresh


def providing(name: str, snap: Snapshot) -> list[Installed]:
    """Every installed copy of every distribution that ships the top-level module ``name``."""
    return [dist for key in snap.providers.get(name, ()) for dist in snap.by_key(key)]


def holding(path: str, dists: list[Installed]) -> Installed | None:
    """The distribution whose directory holds ``path``, if any."""
    where = norm(path)
    return next((d for d in dists if under(where, norm(d.location))), None)


def site_copy(name: str, dirs: list[str]) -> str | None:
    """An installed ``name`` package, module or extension in one of the site directories, else None."""
    suffixes = (".py", *importlib.machinery.EXTENSION_SUFFIXES)
    for directory in dirs:
        package = os.path.join(directory, name)
        if os.path.isdir(package):
            return package
        for suffix in suffixes:
            if os.path.isfile(package + suffix):
                return package + suffix
    return None
