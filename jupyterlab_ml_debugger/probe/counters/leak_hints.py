"""Counters that only grow (Memory Leak / Handle Leak), and what grows with them.

A counter is flagged when, over its last MIN_SAMPLES samples or more, it never fell
and grew past a threshold, and it is still growing. Only then (or once, when a counter
first looks suspicious, to have something to compare with) does the probe walk the
objects and the user's containers: that walk is bounded to SEARCH_MS and, while a
counter stays flagged, repeated at most every SEARCH_EVERY_S seconds, so a plain
sample stays cheap.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Sequence

from ..budget import Budget
from . import growth_walk, reach_walk
from .readings import Reading

MIN_SAMPLES = 8
SUSPECT_SAMPLES = 4
MIB = 1 << 20
MEMORY_SHARE = 0.10
MEMORY_BYTES = 16 * MIB
HANDLES = 8
# The allocator hands a few pages back between samples even while a leak grows.
JITTER_BYTES = 1 * MIB
SEARCH_MS = 200.0
SEARCH_EVERY_S = 5.0

_HANDLE_COUNTERS = ("fds", "threads", "children")
# The kind of object each handle counter counts (creation_sites.HANDLE_BASES).
_HANDLE_KINDS = {"fds": "file", "threads": "thread", "children": "process"}
_MEMORY_COUNTERS = ("rss", "py_heap")

Json = dict[str, Any]


@dataclass(frozen=True)
class Rise:
    """The trailing run of samples over which a counter never fell."""

    samples: int
    first: float
    last: float
    recent: float  # the value MIN_SAMPLES samples back (the run's first when shorter)
    peak_before: float | None = None  # the highest value before the run, in the history kept

    @property
    def growth(self) -> float:
        """How much the counter grew over the run."""
        return self.last - self.first


def leak_kind(counter_id: str) -> str | None:
    """"memory-leak" for memory counters, "handle-leak" for handle counts, None for the rest."""
    if counter_id in _MEMORY_COUNTERS or counter_id.startswith("cuda_"):
        return "memory-leak"
    if counter_id in _HANDLE_COUNTERS:
        return "handle-leak"
    return None


def rising_run(history: Sequence[float | None], jitter: float = 0.0) -> Rise | None:
    """The run of samples up to the last one over which the value never fell by more than ``jitter``."""
    if not history or history[-1] is None:
        return None
    start = len(history) - 1
    while start > 0:
        before, after = history[start - 1], history[start]
        if before is None or after < before - jitter:  # type: ignore[operator]
            break
        start -= 1
    run = history[start:]
    recent = run[-MIN_SAMPLES] if len(run) >= MIN_SAMPLES else run[0]
    before = [v for v in history[:start] if v is not None]
    return Rise(len(run), float(run[0]), float(run[-1]), float(recent),  # type: ignore[arg-type]
                float(max(before)) if before else None)


def _grew_enough(kind: str, rise: Rise, scale: float) -> bool:
    """Past the threshold (``scale`` 0.5 for suspicion): memory by 10% and 16 MiB, handles by 8."""
    if kind == "memory-leak":
        return rise.growth > MEMORY_SHARE * scale * rise.first and rise.growth > MEMORY_BYTES * scale
    return rise.growth >= HANDLES * scale


def is_leak(counter_id: str, rise: Rise) -> bool:
    """Never fell over MIN_SAMPLES samples or more, grew past the threshold, and still grows.

    Still growing: a counter that rose while warming up and then stayed flat is not a leak.
    """
    kind = leak_kind(counter_id)
    return (kind is not None and rise.samples >= MIN_SAMPLES and _grew_enough(kind, rise, 1.0)
            and rise.last > rise.recent)


def is_suspect(counter_id: str, rise: Rise) -> bool:
    """Half a leak: worth a first walk to compare the next ones with.

    A handle count must also pass every value before its rise: a DataLoader passes each batch
    from its workers as file descriptors, so open files climb and fall by the batches in
    flight, and each climb past half the threshold cost a walk of every object (40 ms and
    more, holding the GIL): about once a second when sampled 20 times a second. A leak keeps
    passing its own highs."""
    kind = leak_kind(counter_id)
    if kind == "handle-leak" and rise.peak_before is not None and rise.last <= rise.peak_before:
        return False
    return kind is not None and rise.samples >= SUSPECT_SAMPLES and _grew_enough(kind, rise, 0.5)


def amount(value: float, unit: str) -> str:
    """``180 MiB``, ``1.5 GiB``, ``by 24``: how a growth reads in a sentence."""
    if unit != "bytes":
        return f"by {value:,.0f}"
    if value >= 1024 * MIB:
        return f"{value / (1024 * MIB):,.1f} GiB"
    return f"{value / MIB:,.0f} MiB"


def message(reading: Reading, rise: Rise, containers: list[Json], types: list[Json]) -> str:
    """One sentence: what grew, by how much, over how many samples, and what grows most."""
    label = reading.label[:1].upper() + reading.label[1:]
    head = f"{label} grew {amount(rise.growth, reading.unit)} over the last {rise.samples} samples without falling"
    # A handle is an object (a Thread, a file): its type says more than the list that holds it.
    if types and (leak_kind(reading.id) == "handle-leak" or not containers):
        top = types[0]
        where = f" ({top['where']})" if top.get("where") else ""
        return f"{head}; `{top['type']}` objects grew by {top['delta']:,}{where}."
    if containers:
        top = containers[0]
        items = "item" if top["delta"] == 1 else "items"
        return f"{head}; `{top['path']}` grew by {top['delta']:,} {items}."
    return f"{head}."


class GrowthSearch:
    """The last walk and the last answer to "what grows", kept between samples."""

    def __init__(self, search_ms: float = SEARCH_MS, every_s: float = SEARCH_EVERY_S) -> None:
        self.search_ms = search_ms
        self.every_s = every_s
        self.walk: growth_walk.Walk | None = None
        self.answer: tuple[list[Json], list[Json], str | None] = ([], [], None)
        self.answered_at: float | None = None
        self.flagged: frozenset[str] = frozenset()
        self.lock = threading.Lock()

    def update(self, suspect: bool, flagged: frozenset[str],
               reach: reach_walk.Reach) -> tuple[list[Json], list[Json], str | None]:
        """(types, containers, cut) for the flags of this sample; walks only when due."""
        with self.lock:
            now = time.monotonic()
            if not suspect and not flagged:
                self.walk, self.answer, self.answered_at, self.flagged = None, ([], [], None), None, frozenset()
            elif self.walk is None:
                # Every new suspicion gets its own baseline, however recent the last walk: a
                # container emptied and filled again must be compared with its new start.
                self.walk = self._take(reach)
            elif flagged and self._due(flagged, now):
                self._compare(self._take(reach), now)
                self.flagged = flagged
            return self.answer if flagged else ([], [], None)

    def _due(self, flagged: frozenset[str], now: float) -> bool:
        """No answer yet, a counter newly flagged, or the last answer is SEARCH_EVERY_S old."""
        if self.answered_at is None or not flagged <= self.flagged:
            return True
        return now - self.answered_at >= self.every_s

    def _take(self, reach: reach_walk.Reach) -> growth_walk.Walk:
        return growth_walk.take(reach, Budget(self.search_ms))

    def _compare(self, new: growth_walk.Walk, now: float) -> None:
        old = self.walk
        assert old is not None
        cut = new.cut or old.cut
        containers = growth_walk.grown_containers(old, new)
        types = growth_walk.with_sites(growth_walk.grown_types(old, new), containers, new, Budget(self.search_ms))
        self.answer = (types, containers, f"{cut} (the {self.search_ms:g} ms bound)" if cut else None)
        self.answered_at = now
        # A count the bound stopped compares nothing: keep the last complete one.
        types = new.types if new.types is not None else old.types
        self.walk = growth_walk.Walk(types, new.lengths, new.cut)


SEARCH = GrowthSearch()


def leak_flags(readings: list[Reading], histories: dict[str, list[float | None]],
               reach: reach_walk.Reach, search: GrowthSearch = SEARCH) -> list[Json]:
    """LeakFlags for the counters that only grew, with what grows most."""
    rises = {}
    for reading in readings:
        jitter = JITTER_BYTES if reading.unit == "bytes" else 0.0
        rise = rising_run(histories.get(reading.id, []), jitter)
        if rise is not None:
            rises[reading.id] = rise
    flagged = [r for r in readings if r.id in rises and is_leak(r.id, rises[r.id])]
    suspect = any(is_suspect(key, rise) for key, rise in rises.items())
    types, containers, cut = search.update(suspect, frozenset(r.id for r in flagged), reach)
    found = []
    for r in flagged:
        ranked = handles_first(types, _HANDLE_KINDS.get(r.id))
        found.append({"counter": r.id, "kind": leak_kind(r.id), "message": message(r, rises[r.id], containers, ranked),
                      "growth": rises[r.id].growth, "samples": rises[r.id].samples,
                      "types": ranked, "containers": containers, "cut": cut})
    return found


def handles_first(types: list[Json], kind: str | None) -> list[Json]:
    """The grown types with those that hold the counter's kind of handle first (a leak of
    threads is ``threading.Thread`` before the locks each thread makes)."""
    if kind is None:
        return types
    return sorted(types, key=lambda t: t.get("handle") != kind)
