"""What grows (Memory Leak / Handle Leak): object counts by type, and the lengths of the user's containers.

Two walks compared give the types and the containers that grew between them. Both
are bounded by a Budget and say what the bound left out. Container lengths are read
through the builtin base's own ``__len__`` (``list.__len__(v)``), never a subclass's,
and only builtin lists, dicts, sets and deques count: no user code runs.
"""

from __future__ import annotations

import collections
import gc
import itertools
from dataclasses import dataclass
from typing import Any, Iterable

from .. import safe_text
from ..budget import Budget
from ..objects import attributes, containers

TOP = 5
# Elements, items or attributes looked at one level below each global.
LOOK_MAX = 256
_CHUNK = 20_000
_GROWABLE = (list, dict, set, collections.deque)
# The walks' own objects are not the user's leak.
_OWN_MODULE = __name__.rsplit(".", 2)[0] + "."  # the whole probe: this module is probe.counters.growth_walk


@dataclass(frozen=True)
class Walk:
    """Object counts by type name (None when the bound stopped the count) and container lengths by path."""

    types: dict[str, int] | None
    lengths: dict[str, int]
    cut: str | None


def type_counts(budget: Budget) -> tuple[dict[str, int] | None, str | None]:
    """Live objects the collector tracks, counted by type name; None and why when the budget ran out.

    Only container-like objects are tracked (lists, dicts, instances), not bytes or numbers.
    """
    found = gc.get_objects()
    total = len(found)
    by_type: collections.Counter = collections.Counter()
    for start in range(0, total, _CHUNK):
        if budget.expired():
            return None, f"the object count stopped after {start:,} of {total:,} objects"
        by_type.update(map(type, found[start:start + _CHUNK]))
    del found
    names: dict[str, int] = {}
    for tp, count in by_type.items():
        name = safe_text.type_name(tp)
        names[name] = names.get(name, 0) + count
    return names, None


def growable_length(value: object) -> int | None:
    """The length of a builtin list, dict, set or deque (or subclass), read by the builtin; else None."""
    base = containers.container_base(value)
    if base is None or not issubclass(base[0], _GROWABLE):
        return None
    return base[1](value)


def _below(name: str, value: object) -> Iterable[tuple[str, Any]]:
    """(path, value) one level below a global: a dict's items, a list's elements, an object's attributes."""
    base = containers.container_base(value)
    if base is not None:
        if issubclass(base[0], (set, frozenset)):
            return []
        # list() of an islice runs in C, so a cell appending meanwhile cannot break the walk.
        looked = list(itertools.islice(containers.items(value), LOOK_MAX))
        if containers.is_mapping(value):
            return [(f"{name}[{text}]", item) for key, item in looked
                    if (text := safe_text.builtin_text(key, 40)) is not None]
        return [(f"{name}[{index}]", item) for index, item in enumerate(looked)]
    # type() rather than isinstance(): isinstance may read a user-defined __class__.
    if issubclass(type(value), (type, *attributes.FUNCTION_TYPES)):
        return []
    own = attributes.instance_dict(value) or {}
    return [(f"{name}.{key}", item) for key, item in itertools.islice(dict(own).items(), LOOK_MAX)
            if type(key) is str]


def container_lengths(items: Iterable[tuple[str, Any]], budget: Budget) -> tuple[dict[str, int], str | None]:
    """Lengths of growable containers among the globals and one level below, by path."""
    lengths: dict[str, int] = {}
    looked = 0
    for name, value in items:
        if budget.expired():
            return lengths, f"the container walk stopped after {looked} globals"
        looked += 1
        try:
            length = growable_length(value)
            if length is not None:
                lengths[name] = length
            for path, item in _below(name, value):
                inner = growable_length(item)
                if inner is not None:
                    lengths[path] = inner
        except RuntimeError:  # changed size while read: the next walk sees it
            continue
    return lengths, None


def take(items: Iterable[tuple[str, Any]], budget: Budget) -> Walk:
    """Walk the containers first (the user's own names say most), then count objects with what is left."""
    lengths, cut = container_lengths(items, budget)
    types, type_cut = type_counts(budget) if cut is None else (None, None)
    if cut is None and type_cut is not None:
        cut = type_cut
    return Walk(types, lengths, cut)


def grown_types(before: Walk, after: Walk) -> list[dict[str, Any]]:
    """The TOP types whose object count grew most between two complete counts."""
    if before.types is None or after.types is None:
        return []
    grown = [{"type": name, "count": count, "delta": count - before.types.get(name, 0)}
             for name, count in after.types.items() if not name.startswith(_OWN_MODULE)]
    return _top([g for g in grown if g["delta"] > 0])


def grown_containers(before: Walk, after: Walk) -> list[dict[str, Any]]:
    """The TOP containers whose length grew most by path; one made since the first walk grew from 0."""
    grown = [{"path": path, "length": length, "delta": length - before.lengths.get(path, 0)}
             for path, length in after.lengths.items()]
    return _top([g for g in grown if g["delta"] > 0])


def _top(grown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(grown, key=lambda g: -g["delta"])[:TOP]
