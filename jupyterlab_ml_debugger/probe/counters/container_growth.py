"""Containers that only grow (Memory Leak), whatever the process memory does.

A leak of a hundred bytes a step never moves resident memory past a threshold in an
afternoon, but the dict it lives in grows on every sample. Each sample's walk gives the
length of every container in the user's reach by path; a container is flagged when,
since it was first seen at that path, it never shrank, it was seen in at least
MIN_SAMPLES samples, it grew at least GROWTH_STEPS times, and it is still growing (it grew
in the later half of its last MIN_SAMPLES samples: a loss history that stopped with its
loop is not a leak). A
container that shrank once (a per-epoch list cleared each epoch, a bounded cache that
evicts) is bounded and never flagged while the same object stays at that path.

Only numbers are kept between samples, never a reference to a user object.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .reach_walk import Reach

MIN_SAMPLES = 20
GROWTH_STEPS = 3
TOP = 5
# Paths followed at once: a namespace of huge dicts of dicts must not grow the probe.
TRACKS_MAX = 5_000

Json = dict[str, Any]


@dataclass
class Track:
    """One container at one path since it was first seen there."""

    ident: int
    kind: str
    first_time: float
    first_length: int
    length: int
    samples: int = 1
    steps: int = 0               # samples in which it grew
    shrank: bool = False
    recent: list[int] = field(default_factory=list)  # the last MIN_SAMPLES lengths
    newest: str | None = None

    def add(self, length: int, newest: str | None) -> None:
        """One more sample of the same object."""
        if length < self.length:
            self.shrank = True
        elif length > self.length:
            self.steps += 1
        self.length = length
        self.samples += 1
        self.newest = newest
        self.recent.append(length)
        del self.recent[:-MIN_SAMPLES]

    def growing(self) -> bool:
        """Never shrank, seen long enough, grew in several steps, and grew in the later half of the last samples."""
        return (not self.shrank and self.samples >= MIN_SAMPLES and self.steps >= GROWTH_STEPS
                and self.recent[-1] > self.recent[len(self.recent) // 2])


class ContainerGrowth:
    """The tracks of every container path, updated from one walk per sample."""

    def __init__(self) -> None:
        self.tracks: dict[str, Track] = {}
        self.lock = threading.Lock()

    def record(self, when: float, reach: Reach) -> list[Json]:
        """Add one walk and return the LeakFlags of the containers that only grow."""
        with self.lock:
            for path, (ident, length, kind, newest) in reach.containers.items():
                track = self.tracks.get(path)
                if track is None or track.ident != ident or track.kind != kind:
                    if track is None and len(self.tracks) >= TRACKS_MAX:
                        continue
                    self.tracks[path] = Track(ident, kind, when, length, length, recent=[length], newest=newest)
                else:
                    track.add(length, newest)
            if reach.cut is None:  # a complete walk that missed a path: that container is gone
                for path in [p for p in self.tracks if p not in reach.containers]:
                    del self.tracks[path]
            growing = sorted(((p, t) for p, t in self.tracks.items() if t.growing()),
                             key=lambda pair: -(pair[1].length - pair[1].first_length))
            return [flag(path, track, when, reach.cut) for path, track in growing[:TOP]]

    def newest_types(self) -> dict[str, str]:
        """The type of what was added last to each growing container, by path."""
        with self.lock:
            return {p: t.newest for p, t in self.tracks.items() if t.newest and t.growing()}


def flag(path: str, track: Track, now: float, cut: str | None) -> Json:
    """The LeakFlag of one container: ``Processes._procinfo`` grew by 31 entries in 60 s (never shrank)."""
    delta = track.length - track.first_length
    unit = ("entry" if delta == 1 else "entries") if track.kind in ("dict", "lru_cache", "collections.OrderedDict") \
        else ("item" if delta == 1 else "items")
    where = f"`{path}`" + (" (an lru_cache without maxsize)" if track.kind == "lru_cache" else "")
    message = f"{where} grew by {delta:,} {unit} in {seconds_text(now - track.first_time)} (never shrank)."
    return {"counter": None, "kind": "container-leak", "message": message, "growth": float(delta),
            "samples": track.samples, "types": [],
            "containers": [{"path": path, "length": track.length, "delta": delta}],
            "cut": cut}


def seconds_text(seconds: float) -> str:
    """``45 s``, ``12 min``, ``2.5 h``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


GROWTH = ContainerGrowth()
