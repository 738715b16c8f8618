"""What grows (Memory Leak / Handle Leak): object counts by type, and the lengths of the user's containers.

Two walks compared give the types and the containers that grew between them. The
lengths come from the sample's walk of the user's reach (``reach_walk``); the count of
objects by type is bounded by a Budget and says what the bound left out. No user code runs.
"""

from __future__ import annotations

import collections
import gc
import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import safe_text
from ..budget import Budget
from . import creation_sites, reach_walk

TOP = 5
_CHUNK = 20_000
# The walks' own objects are not the user's leak.
_OWN_MODULE = __name__.rsplit(".", 2)[0] + "."  # the whole probe: this module is probe.counters.growth_walk


@dataclass(frozen=True)
class Walk:
    """Object counts by type name (None when the bound stopped the count) and container lengths by path."""

    types: dict[str, int] | None
    lengths: dict[str, int]
    cut: str | None
    newest: dict[str, str | None] = dataclasses.field(default_factory=dict)  # last element's type, by path
    handles: dict[str, str] = dataclasses.field(default_factory=dict)  # "thread"/"file"/"process", by type


def type_counts(budget: Budget) -> tuple[dict[str, int] | None, str | None]:
    """Live objects by type name, without the handle kinds; see ``counted``."""
    counts = counted(budget)
    return counts[0], counts[2]


def counted(budget: Budget) -> tuple[dict[str, int] | None, dict[str, str], str | None]:
    """Live objects the collector tracks, counted by type name; None and why when the budget ran out.

    Only container-like objects are tracked (lists, dicts, instances), not bytes or numbers;
    the interpreter's own types (``cell``, ``frame``, ``list``) are left out: their counts name no leak.
    """
    found = gc.get_objects()
    total = len(found)
    by_type: collections.Counter = collections.Counter()
    for start in range(0, total, _CHUNK):
        if budget.expired():
            return None, {}, f"the object count stopped after {start:,} of {total:,} objects"
        by_type.update(map(type, found[start:start + _CHUNK]))
    del found
    names: dict[str, int] = {}
    handles: dict[str, str] = {}
    for tp, count in by_type.items():
        if creation_sites.is_internal(tp):
            continue
        name = safe_text.type_name(tp)
        names[name] = names.get(name, 0) + count
        kind = creation_sites.handle_kind(tp)
        if kind is not None:
            handles[name] = kind
    return names, handles, None


def take(reach: reach_walk.Reach, budget: Budget) -> Walk:
    """This sample's container lengths (the user's own names say most), and object counts by type."""
    lengths = {path: seen[reach_walk.LENGTH] for path, seen in reach.containers.items()}
    types, handles, type_cut = counted(budget)
    newest = {path: seen[reach_walk.NEWEST] for path, seen in reach.containers.items()}
    return Walk(types, lengths, reach.cut or type_cut, newest, handles)


def with_sites(types: list[dict[str, Any]], containers: list[dict[str, Any]], walk: Walk,
               budget: Budget) -> list[dict[str, Any]]:
    """Each grown type with ``where``: what its instances run or where they are made or held."""
    if not types:
        return types
    found = creation_sites.instances({t["type"] for t in types}, budget)
    held_in = {c["path"]: walk.newest.get(c["path"]) for c in containers}
    return [{**t, "where": _site(t["type"], found.get(t["type"], []), held_in)} for t in types]


def _site(name: str, samples: list[Any], held_in: dict[str, str | None]) -> str | None:
    """Where a type's instances come from; None when one of them fails to say (the others still count)."""
    try:
        return creation_sites.site(name, samples, held_in)
    except Exception:
        return None


def grown_types(before: Walk, after: Walk) -> list[dict[str, Any]]:
    """The TOP types whose object count grew most between two complete counts."""
    if before.types is None or after.types is None:
        return []
    grown = [{"type": name, "count": count, "delta": count - before.types.get(name, 0),
              "handle": after.handles.get(name)}
             for name, count in after.types.items() if not name.startswith(_OWN_MODULE)]
    return _top([g for g in grown if g["delta"] > 0])


def grown_containers(before: Walk, after: Walk) -> list[dict[str, Any]]:
    """The TOP containers whose length grew most by path; one made since the first walk grew from 0."""
    grown = [{"path": path, "length": length, "delta": length - before.lengths.get(path, 0)}
             for path, length in after.lengths.items()]
    return _top([g for g in grown if g["delta"] > 0])


def _top(grown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(grown, key=lambda g: -g["delta"])[:TOP]
