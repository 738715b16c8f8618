"""The thread states of the pattern book: Active Thread, Blocked Thread and Blocking Module.

A thread is "active" when it runs Python or native code on a CPU, "blocked" when it waits
on a lock, queue, join, I/O, a sleep or the debugger, and "unknown" when the signals do not
say. Signals, strongest first: the debugger's suspend loop under the thread's frames; a
wait the wait chain found (the lock or queue is named); the call the top frame stands at,
when it is one known to block (``time.sleep``, ``socket.recv``); the instruction the top
frame stands at (any other than a call means the thread was running Python when seen); the
thread's CPU share since the previous sample; the operating system's run state, read only
when the others leave it open. A thread waiting for the GIL is asleep to the operating
system though it runs Python, which is why the run state alone never makes a thread blocked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any, Callable

from ..stack import frames, last_error
from . import call_site, thread_cpu
from .thread_stacks import ThreadView
from .wait_chain import Waiting

Json = dict[str, Any]

STATES = ("active", "blocked", "unknown")
# A thread that used at least this share of a core since the previous sample was running.
ACTIVE_SHARE = 0.05
# The threading functions a thread starts in: its own code begins right above them.
_BOOTSTRAP = frozenset({"run", "_bootstrap_inner", "_bootstrap"})
_THREADING_FILE = frames.normalise_path(threading.__file__)


@dataclass(frozen=True)
class ThreadState:
    """A thread's state, what a blocked one waits on, and the module whose call holds the wait."""

    state: str
    blocked_on: str | None = None
    blocking_module: str | None = None

    def json(self) -> Json:
        """The state's keys of the protocol Thread."""
        return {"state": self.state, "blocked_on": self.blocked_on, "blocking_module": self.blocking_module}


UNKNOWN = ThreadState("unknown")
ACTIVE = ThreadState("active")


@dataclass(frozen=True)
class Signals:
    """What one look at a thread says about its state."""

    paused: bool = False  # in the debugger's suspend loop
    wait: str | None = None  # the wait chain's phrase, e.g. "waits for lock ready"
    call: str | None = None  # a call known to block, e.g. "sleeps in time.sleep"
    in_call: bool = False  # the top frame stands at a call: it may be inside C code
    share: float | None = None  # CPU share since the previous sample


def classify(signals: Signals, os_state: Callable[[], str | None]) -> str:
    """"active", "blocked" or "unknown"; ``os_state`` is called only when the other signals leave it open."""
    if signals.paused or signals.wait:
        return "blocked"
    busy = signals.share is not None and signals.share >= ACTIVE_SHARE
    if signals.call:
        # A thread that kept a core busy and is on one now spins through short waits.
        return "active" if busy and os_state() == "R" else "blocked"
    if not signals.in_call or busy:
        return "active"
    found = os_state()
    if found == "R":
        return "active"
    # Asleep with no CPU used: blocked in native code. Asleep without a share could be a
    # thread waiting for the GIL between two calls, except in uninterruptible I/O.
    return "blocked" if signals.share is not None or found == "D" else "unknown"


def describe(view: ThreadView, waiting: Waiting | None, share: float | None, names: dict[int, str]) -> ThreadState:
    """The ThreadState of one thread of the snapshot, from its stack, its wait and its CPU share."""
    if view.ident == threading.get_ident():  # the thread answering is busy answering
        return ACTIVE
    if not view.stack:
        return UNKNOWN
    top = view.stack[0]
    found = call_site.callee(top) if waiting is None and not view.paused else None
    signals = Signals(paused=view.paused, wait=wait_phrase(waiting, names) if waiting is not None else None,
                      call=call_site.blocking_phrase(found) if found is not None else None,
                      in_call=call_site.in_call(top), share=share)
    state = classify(signals, lambda: thread_cpu.os_state(view.native_id))
    if state != "blocked":
        return ThreadState(state)
    if view.paused:
        return ThreadState("blocked", "is paused by the debugger", "debugpy")
    # A wait with the user's frame on top is a ``with`` or ``acquire`` on a threading lock.
    callee_module = found.module if found is not None else "threading" if waiting is not None else None
    return ThreadState("blocked", signals.wait or signals.call or native_phrase(found, top),
                       blocking_module(view.stack, callee_module))


def wait_phrase(waiting: Waiting, names: dict[int, str]) -> str:
    """A short phrase for a wait the wait chain found: "waits for lock ready", "joins thread loader"."""
    label, kind = waiting.label, waiting.kind
    if kind in ("lock", "rlock"):
        if waiting.through:
            return f"waits to enter {waiting.through} {label}"
        return f"waits for {'lock' if kind == 'lock' else 'RLock'} {label}"
    if kind == "condition":
        return f"waits on Condition {label} for a notify"
    if kind == "semaphore":
        return f"waits for {waiting.noun} {label}"
    if kind == "queue-get":
        return f"waits on queue {label}"
    if kind == "queue-put":
        return f"waits for space in queue {label}"
    if kind == "event":
        return f"waits for Event {label} to be set"
    joined = names.get(waiting.owner) if waiting.owner is not None else None
    return f"joins thread {joined or label}"


def native_phrase(found: call_site.Callee | None, top: FrameType) -> str:
    """What a thread asleep in a call not known to block waits in."""
    if found is not None:
        return f"waits in native code: {found.name}"
    return f"waits in native code called from {top.f_code.co_name}"


def blocking_module(stack: list[FrameType], callee_module: str | None) -> str | None:
    """The module the thread's own code called into and waits in: the frame right above the
    innermost frame of the user's code (or of threading's bootstrap, for a thread started on a
    library function); the callee's module when the user's frame calls C code itself; the top
    frame's module for a thread with neither, such as the kernel's main loop."""
    edge = next((depth for depth, frame in enumerate(stack) if _is_edge(frame)), None)
    if edge is None:
        return module_name(stack[0])
    if edge == 0:
        return callee_module or module_name(stack[0])
    return module_name(stack[edge - 1])


def _is_edge(frame: FrameType) -> bool:
    """A frame of the user's code, or threading's bootstrap that runs a thread's target."""
    code = frame.f_code
    if code.co_name in _BOOTSTRAP and frames.normalise_path(code.co_filename) == _THREADING_FILE:
        return True
    return last_error.is_user_code(frame)


def module_name(frame: FrameType) -> str | None:
    """The frame's module name from its globals (``__main__`` for a cell); None when not a str."""
    found = frame.f_globals.get("__name__")
    return found if type(found) is str else None
