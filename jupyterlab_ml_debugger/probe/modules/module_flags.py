"""Not My Version: local files hiding libraries, two versions of one library, and requirements not met."""

from __future__ import annotations

import os
from typing import Any

from .installed_dists import Installed, Snapshot, holding, providing
from .module_collection import Loaded
from .module_origin import Roots, shown
from .requirements_file import Requirement
from .version_compare import same_version, satisfies

Json = dict[str, Any]
KINDS = ("shadowed", "two-versions", "mismatch", "missing")


def flag(kind: str, module: str, message: str) -> Json:
    """The wire's ModuleFlag."""
    return {"kind": kind, "module": module, "message": message}


def shadowed(loaded: list[Loaded], snap: Snapshot, roots: Roots) -> list[Json]:
    """A module imported from a local file or folder while site-packages has one of that name."""
    found = []
    for module in loaded:
        if module.hides is None or module.path is None:
            continue
        dist = holding(module.hides, providing(module.name, snap))
        installed = f"{dist.name} {dist.version}" if dist is not None else module.name
        found.append(flag("shadowed", module.name,
                          f"{module.name} is imported from {shown(module.path, roots)}, which hides the "
                          f"installed {installed} at {module.hides}."))
    return found


def _copies_text(copies: list[Installed]) -> str:
    return " and ".join(f"{d.version} in {d.location}" for d in copies)


def installed_twice(snap: Snapshot) -> list[Json]:
    """A distribution found in two directories of ``sys.path`` with different versions."""
    found = []
    for key in dict.fromkeys(d.key for d in snap.dists):
        copies = snap.by_key(key)
        if len(copies) < 2 or all(same_version(c.version, copies[0].version) for c in copies[1:]):
            continue
        name = copies[0].name
        found.append(flag("two-versions", name,
                          f"{name} is installed twice on sys.path: {_copies_text(copies)}; "
                          f"imports use {copies[0].version}, the first."))
    return found


def stale_loaded(loaded: list[Loaded], roots: Roots) -> list[Json]:
    """A module whose ``__version__`` is not its distribution's: the files changed after the import."""
    found = []
    for module in loaded:
        dist, own = module.dist, module.own_version
        if dist is None or own is None or same_version(own, dist.version):
            continue
        where = shown(module.path, roots) if module.path else "memory"
        found.append(flag("two-versions", module.name,
                          f"{module.name} {own} is loaded from {where}, but {dist.name} {dist.version} is "
                          f"installed in {dist.location}: it changed after the import; restart the kernel "
                          f"to load {dist.version}."))
    return found


def _loaded_version(key: str, loaded: list[Loaded]) -> str | None:
    """The version of a loaded module of that distribution, its ``__version__`` first: the code that runs."""
    return next((m.own_version or m.dist.version for m in loaded if m.dist is not None and m.dist.key == key),
                None)


def requirement_flags(requirements: tuple[Requirement, ...], loaded: list[Loaded], snap: Snapshot,
                      path: str) -> list[Json]:
    """``missing`` for a requirement nothing installs, ``mismatch`` for a version outside it."""
    label = os.path.basename(path)
    found = []
    for req in requirements:
        copies = snap.by_key(req.key)
        if not copies:
            found.append(flag("missing", req.name, f"{req.name} is not installed, {label} asks for {req.text}."))
            continue
        installed = copies[0].version
        running = _loaded_version(req.key, loaded)
        version = running or installed
        if not req.specs or satisfies(version, req.specs) is not False:
            continue
        state = "loaded" if running and not same_version(running, installed) else "installed"
        found.append(flag("mismatch", req.name, f"{req.name} {version} is {state}, {label} asks for {req.text}."))
    return found
