"""The loaded top-level modules with version, file, origin and distribution, read from their ``__dict__`` only.

No attribute of a module object is read with ``getattr``: a module-level ``__getattr__``
(lazy loaders define one) is the user's code, and this runs beside their cell.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from dataclasses import dataclass
from typing import Any

from ..ownership import is_probe_file, is_probe_module
from ..safe_text import short_type
from .installed_dists import Installed, Snapshot, holding, providing, site_copy
from .module_origin import Roots, classify

Json = dict[str, Any]

_module_dict = types.ModuleType.__dict__["__dict__"].__get__


@dataclass(frozen=True)
class Loaded:
    """One top-level module as found: ``hides`` is the installed copy a local file shadows."""

    name: str
    path: str | None
    origin: str
    own_version: str | None
    dist: Installed | None
    hides: str | None

    @property
    def version(self) -> str | None:
        """The distribution's version; the module's own ``__version__`` when no distribution ships it."""
        return self.dist.version if self.dist is not None else self.own_version

    def row(self) -> Json:
        """The wire's LoadedModule."""
        return {"name": self.name, "version": self.version, "path": self.path, "origin": self.origin,
                "distribution": self.dist.name if self.dist is not None else None}


def text(value: object) -> str | None:
    """A plain copy of a string (subclasses included, their methods not called); None otherwise."""
    return str.__str__(value) if issubclass(type(value), str) else None


def namespace_of(module: object) -> dict | None:
    """A module's own ``__dict__`` through ModuleType's slot, so no override of it runs; None for non-modules."""
    if not issubclass(type(module), types.ModuleType):
        return None
    namespace = _module_dict(module)
    return namespace if type(namespace) is dict else None


def _package_dir(locations: object) -> str | None:
    """The first directory of a (namespace) package's search path."""
    if type(locations) is list:
        first = locations[0] if locations else None
        return text(first)
    if short_type(type(locations)) == "_NamespacePath":
        try:
            return next((text(p) for p in list(locations)), None)  # type: ignore[call-overload]
        except Exception:  # the import system could not recompute it: no path, then
            return None
    return None


def module_path(namespace: dict) -> str | None:
    """``__file__``, else the spec's origin, else a namespace package's first directory."""
    path = text(namespace.get("__file__"))
    if path:
        return path
    spec = namespace.get("__spec__")
    if type(spec) is importlib.machinery.ModuleSpec:
        origin = text(spec.origin)
        if origin and origin not in ("built-in", "frozen", "namespace"):
            return origin
        return _package_dir(spec.submodule_search_locations)
    return _package_dir(namespace.get("__path__"))


def top_level() -> list[tuple[str, object]]:
    """``sys.modules``' top-level entries (no dot, not None), sorted by name.

    The dict is copied in one step: the user's cell may be importing on another thread.
    """
    entries = list(sys.modules.items())
    return sorted((name, module) for name, module in entries
                  if type(name) is str and "." not in name and module is not None)


def _distribution(name: str, path: str | None, origin: str, hides: str | None, snap: Snapshot) -> Installed | None:
    """The installed distribution the loaded code came from; none for a local file hiding it."""
    copies = providing(name, snap)
    if not copies or hides is not None:
        return None
    if path is not None:
        found = holding(path, copies)
        if found is not None:
            return found
    # Editable installs and vendored layouts live outside the dist-info's directory; the
    # standard library never comes from a distribution, whatever a backport names itself.
    return copies[0] if origin in ("site", "local", "other") else None


def loaded_module(name: str, module: object, snap: Snapshot, roots: Roots, sites: list[str]) -> Loaded:
    """What is known of one loaded module, read from its ``__dict__`` only."""
    namespace = namespace_of(module)
    if namespace is None:
        return Loaded(name, None, "other", None, None, None)
    path = module_path(namespace)
    origin = classify(path, name, roots)
    hides = site_copy(name, sites) if origin == "local" else None
    dist = _distribution(name, path, origin, hides, snap)
    return Loaded(name, path, origin, text(namespace.get("__version__")), dist, hides)


def collect(snap: Snapshot, roots: Roots, sites: list[str]) -> list[Loaded]:
    """Every loaded top-level module but the probe's own (by name or by file), sorted by name."""
    found = [loaded_module(name, module, snap, roots, sites) for name, module in top_level()
             if not is_probe_module(name)]
    return [m for m in found if m.path is None or not is_probe_file(m.path)]
