"""How long the main thread has stood where it is: each frame's first-seen time, kept between looks.

A look sees the stack innermost first. Walking it from the running cell's own frame inwards,
a frame counts as the same as at the previous look when it is the same object at the same
instruction; the first frame that is new or has moved, and every frame it called, start
their time afresh. A frame is known by its id, code and instruction alone: a look neither
keeps a frame alive nor writes to it (a mark in its trace slot would turn off a tracer the
user or the debugger starts later for that frame). So a call that returns and is made again
at the same place, at the same address, reads as one stand: a loop that waits at one line
call after call, which is what a stuck loop looks like too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import FrameType


@dataclass(frozen=True)
class Seen:
    """When a frame was first seen at its instruction, and the thread's CPU seconds then."""

    first: float
    cpu: float | None
    code: int
    lasti: int


@dataclass(frozen=True)
class Stand:
    """One look's verdict: the innermost frame that stood still since an earlier look (``still``,
    None when even the cell's frame is new), and the top frame's own first sighting."""

    top: Seen
    still: Seen | None
    whole: bool  # every frame of the stack, the top included, stood still


class Standing:
    """The first-seen times of the main thread's frames, from one look to the next."""

    def __init__(self) -> None:
        self._seen: dict[int, Seen] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Drop every first-seen time: the thread runs no cell."""
        with self._lock:
            self._seen = {}

    def look(self, stack: list[FrameType], now: float, cpu: float | None) -> Stand:
        """Record one look at a non-empty stack (innermost first, the cell's frame last)."""
        with self._lock:
            before = self._seen
            seen: dict[int, Seen] = {}
            still: Seen | None = None
            moved = False
            for frame in reversed(stack):
                code, lasti = id(frame.f_code), frame.f_lasti
                found = before.get(id(frame))
                if not moved and found is not None and found.code == code and found.lasti == lasti:
                    still = found
                else:
                    moved = True
                    found = Seen(now, cpu, code, lasti)
                seen[id(frame)] = found
            self._seen = seen
            return Stand(seen[id(stack[0])], still, not moved)
