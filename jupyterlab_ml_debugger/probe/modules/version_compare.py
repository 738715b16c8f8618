"""Installed versions against requirement specifiers.

packaging's rules when it can be imported from site-packages, else a comparison of release segments.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from typing import Any

from .module_collection import namespace_of
from .module_origin import classify, current_roots

OPERATORS = ("===", "~=", "==", "!=", "<=", ">=", "<", ">")
_RELEASE = re.compile(r"\s*v?(\d+(?:\.\d+)*)(.*)$", re.IGNORECASE)

Spec = tuple[str, str]


@dataclass(frozen=True)
class Packaging:
    """The few classes of the ``packaging`` library used here."""

    Requirement: Any
    InvalidRequirement: Any
    Specifier: Any
    InvalidSpecifier: Any
    Version: Any
    InvalidVersion: Any
    Marker: Any


_found: list[Packaging | None] = []


def _installed_origin() -> str | None:
    """Where ``packaging`` is (or would be) imported from, without importing it."""
    loaded = sys.modules.get("packaging")
    if loaded is not None:
        origin = (namespace_of(loaded) or {}).get("__file__")
        return origin if type(origin) is str else None
    try:
        spec = importlib.util.find_spec("packaging")
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


def packaging() -> Packaging | None:
    """packaging's classes when it comes from site-packages; a local copy would be the user's code."""
    if _found:
        return _found[0]
    origin = _installed_origin()
    found = None
    if origin and classify(origin, "packaging", current_roots()) == "site":
        try:
            found = _load()
        except Exception:  # an old or broken packaging: the own comparison still works
            found = None
    _found.append(found)
    return found


def _load() -> Packaging:
    requirements = importlib.import_module("packaging.requirements")
    specifiers = importlib.import_module("packaging.specifiers")
    version = importlib.import_module("packaging.version")
    markers = importlib.import_module("packaging.markers")
    return Packaging(requirements.Requirement, requirements.InvalidRequirement, specifiers.Specifier,
                     specifiers.InvalidSpecifier, version.Version, version.InvalidVersion, markers.Marker)


def release(text: str) -> tuple[tuple[int, ...], str] | None:
    """A version's release segments without trailing zeros, and what follows them; None if it has none."""
    match = _RELEASE.match(text)
    if match is None:
        return None
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts), match.group(2).strip().lower()


def _padded(have: tuple[int, ...], size: int) -> tuple[int, ...]:
    return have + (0,) * (size - len(have))


def _own_one(version: str, op: str, target: str) -> bool | None:
    """One specifier by release segments only (pre/post/local parts ignored); None when not comparable."""
    if op == "===":
        return version.strip().lower() == target.strip().lower()
    wild = target.endswith(".*")
    have, want = release(version), release(target[:-2] if wild else target)
    if have is None or want is None:
        return None
    if wild and op in ("==", "!="):
        segments = tuple(int(p) for p in target[:-2].lstrip("vV").split(".") if p.isdigit())
        equal = _padded(have[0], len(segments))[: len(segments)] == segments
        return equal if op == "==" else not equal
    size = max(len(have[0]), len(want[0]))
    ours, theirs = _padded(have[0], size), _padded(want[0], size)
    if op == "~=":
        prefix = tuple(int(p) for p in target.lstrip("vV").split(".")[:-1] if p.isdigit())
        if not prefix:  # "~=2" is no valid specifier: claim nothing
            return None
        return ours >= theirs and ours[: len(prefix)] == prefix
    return {"==": ours == theirs, "!=": ours != theirs, ">=": ours >= theirs,
            "<=": ours <= theirs, ">": ours > theirs, "<": ours < theirs}.get(op)


def _packaging_one(version: Any, op: str, target: str, pk: Packaging) -> bool | None:
    try:
        specifier = pk.Specifier(op + target)
    except pk.InvalidSpecifier:
        return None
    return bool(specifier.contains(version, prereleases=True))


def satisfies(version: str, specs: tuple[Spec, ...], use_packaging: bool = True) -> bool | None:
    """Whether ``version`` meets every specifier; None when one cannot be compared (then nothing is claimed)."""
    pk = packaging() if use_packaging else None
    parsed = None
    if pk is not None:
        try:
            parsed = pk.Version(version)
        except pk.InvalidVersion:
            parsed = None
    results = [_packaging_one(parsed, op, target, pk) if parsed is not None else _own_one(version, op, target)
               for op, target in specs]
    if False in results:
        return False
    return None if None in results else True


def same_version(first: str, second: str, use_packaging: bool = True) -> bool:
    """Whether two version strings name one version (``1.0`` is ``1.0.0``; ``+cpu`` local parts count)."""
    pk = packaging() if use_packaging else None
    if pk is not None:
        try:
            return bool(pk.Version(first) == pk.Version(second))
        except pk.InvalidVersion:
            pass
    ours, theirs = release(first), release(second)
    if ours is None or theirs is None:
        return first.strip().lower() == second.strip().lower()
    return ours == theirs
