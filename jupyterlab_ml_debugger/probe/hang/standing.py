"""How long the main thread has stood where it is: each frame's first-seen time, kept between looks.

A look sees the stack innermost first. Walking it from the running cell's own frame inwards,
a frame counts as the same as at the previous look when it is the same object at the same
instruction; the first frame that is new or has moved, and every frame it called, start
their time afresh. Frame ids are reused as soon as a call returns, so identity is checked
by a mark on the frame object itself: its ``f_trace`` slot, set to a function that
returns None where it was empty. A new call gets a new frame object, whose slot is empty.
The slot is read only while a trace function traces the thread, so no frame is marked while
the debugger is on (debugpy's frame-evaluation mode skips a breakpoint in a frame whose slot
is set) or ``threading.settrace`` traces every thread; then, and for a slot a tracer set,
frames are compared by id, code and instruction alone. No frame is kept alive by a look.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any


def _seen(frame: Any, event: Any, arg: Any) -> None:
    """The mark: a trace function that asks for no more tracing of its frame."""
    return None


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


_class_dict = type.__dict__["__dict__"].__get__


def tracer_present() -> bool:
    """Whether a trace function may read frames' slots: debugpy's debugger is on, or
    ``threading.settrace`` set one for every thread."""
    if getattr(threading, "_trace_hook", None) is not None:
        return True
    constants = sys.modules.get("_pydevd_bundle.pydevd_constants")
    holder = getattr(constants, "GlobalDebuggerHolder", None) if constants is not None else None
    return type(holder) is type and _class_dict(holder).get("global_dbg") is not None


def same_object(frame: FrameType, marking: bool) -> bool:
    """Whether the frame is an object an earlier look saw (its mark is there); when looks do not
    mark, or a tracer's function holds the slot, its id, code and instruction are all there is."""
    trace = frame.f_trace
    return trace is _seen or trace is not None or not marking


def mark(frame: FrameType) -> None:
    """Mark the frame as seen, where no tracer uses its slot."""
    if frame.f_trace is None:
        frame.f_trace = _seen


class Standing:
    """The first-seen times of the main thread's frames, from one look to the next."""

    def __init__(self) -> None:
        self._seen: dict[int, Seen] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Drop every first-seen time: the thread runs no cell."""
        with self._lock:
            self._seen = {}

    def look(self, stack: list[FrameType], now: float, cpu: float | None, marking: bool = True) -> Stand:
        """Record one look at a non-empty stack (innermost first, the cell's frame last);
        ``marking`` False where a tracer may read the frames' slots."""
        with self._lock:
            before = self._seen
            seen: dict[int, Seen] = {}
            still: Seen | None = None
            moved = False
            for frame in reversed(stack):
                code, lasti = id(frame.f_code), frame.f_lasti
                found = before.get(id(frame))
                if not moved and found is not None and found.code == code and found.lasti == lasti \
                        and same_object(frame, marking):
                    still = found
                else:
                    moved = True
                    found = Seen(now, cpu, code, lasti)
                seen[id(frame)] = found
                if marking:
                    mark(frame)
            self._seen = seen
            return Stand(seen[id(stack[0])], still, not moved)
