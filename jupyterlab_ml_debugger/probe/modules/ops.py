"""The ``modules`` op (Module Collection / Not My Version): loaded modules, and what is off about them.

Nothing here runs the user's code: modules are read through their ``__dict__``, and
``packaging`` is used only from site-packages. Reading the installed distributions is the
slow part; it is done once per state of ``sys.path`` (see ``installed_dists.snapshot``).
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from ..requests import bad
from . import installed_dists, module_collection, module_flags
from .module_origin import current_roots, site_dirs
from .requirements_file import RequirementsError, read_file

Json = dict[str, Any]
MODULES_MAX = 2000


def _requirements_path(args: Json) -> str | None:
    """The requirements file's absolute path (relative ones from the kernel's working directory), or None."""
    value = args.get("requirements")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise bad("requirements must be a non-empty string: a requirements file's path")
    return os.path.abspath(os.path.join(os.getcwd(), os.path.expanduser(value.strip())))


def _requirements(path: str, loaded: list[module_collection.Loaded],
                  snap: installed_dists.Snapshot) -> tuple[Json, list[Json]]:
    """The requirements summary and its flags; a file that cannot be read gives an error and no flags."""
    try:
        parsed = read_file(path)
    except RequirementsError as err:
        return {"path": path, "checked": 0, "error": str(err)}, []
    flags = module_flags.requirement_flags(parsed.requirements, loaded, snap, path)
    return {"path": path, "checked": len(parsed.requirements), "error": None}, flags


def modules(args: Json) -> Json:
    """Modules: every loaded top-level module (at most MODULES_MAX listed) and the flags on them."""
    path = _requirements_path(args)
    start = time.perf_counter()
    snap = installed_dists.snapshot()
    roots = current_roots()
    loaded = module_collection.collect(snap, roots, site_dirs())
    flags = module_flags.shadowed(loaded, snap, roots) + module_flags.installed_twice(snap) \
        + module_flags.stale_loaded(loaded, roots)
    requirements = None
    if path is not None:
        requirements, found = _requirements(path, loaded, snap)
        flags += found
    return {"modules": [m.row() for m in loaded[:MODULES_MAX]], "flags": flags, "requirements": requirements,
            "total": len(loaded), "truncated": len(loaded) > MODULES_MAX,
            "elapsed_ms": (time.perf_counter() - start) * 1000.0}


OPS: dict[str, Callable[[Json], Json]] = {"modules": modules}
