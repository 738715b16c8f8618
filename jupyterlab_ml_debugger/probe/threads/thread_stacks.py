"""Stack Trace Collection: every thread's stack at once, each thread named and sorted by kind.

Threads come from ``sys._current_frames()`` (every thread running Python now), named from
the threading module's table of threads; a thread that exits between the two is simply not
listed. debugpy replaces ``threading.enumerate`` with one that hides the kernel's threads
(they are marked as the debugger's own), so the table is read directly.
Thread attributes are read from instance dicts (a Thread subclass may override ``name``).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

from .. import protocol
from ..budget import Budget
from ..objects import summarize
from ..ownership import is_probe_frame, is_probe_module
from ..stack import frames, last_error, namespace
from .wait_source import code_line, own_attribute

Json = dict[str, Any]

KINDS = ("main", "user", "kernel", "debugger", "probe")
# The packages whose threads are the kernel's own, by their class or their entry function.
_KERNEL_PACKAGES = ("ipykernel", "IPython", "jupyter_client", "zmq", "tornado", "comm")
_DEBUGGER_PACKAGES = ("debugpy", "pydevd", "_pydevd_bundle", "_pydevd_frame_eval", "_pydev_bundle",
                      "_pydev_runfiles", "pydevd_plugins")
_module_of = type.__dict__["__module__"].__get__
# pydevd's functions that hold a thread it stopped (a breakpoint, a step, a pause).
_SUSPEND_FUNCTIONS = frozenset({"do_wait_suspend", "_do_wait_suspend"})
# How deep below the top the suspend loop is looked for: under it only its own waits.
SUSPEND_DEPTH_MAX = 16


@dataclass
class ThreadView:
    """One thread as seen now: who it is and its stack, innermost first."""

    ident: int
    native_id: int | None
    name: str
    daemon: bool | None
    kind: str
    stack: list[FrameType]
    paused: bool = False  # held in the debugger's suspend loop, whose frames were cut from the stack


def snapshot() -> list[ThreadView]:
    """Every thread running Python now: the main thread, then user threads, then the kernel's,
    the debugger's and the answering one; in start order within a kind."""
    current = sys._current_frames()
    known = {ident: t for t in all_threads() if (ident := _field(t, "_ident", int)) is not None}
    order = {ident: n for n, ident in enumerate(known)}
    main, me = threading.main_thread().ident, threading.get_ident()
    views = [_view(ident, top, known.get(ident), main, me) for ident, top in current.items()]
    views.sort(key=lambda v: (KINDS.index(v.kind), order.get(v.ident, len(order))))
    return views


def all_threads() -> list[Any]:
    """Every started ``threading.Thread``, those debugpy hides from ``enumerate`` included."""
    active = getattr(threading, "_active", None)
    # Copying a dict is one step under the GIL: no lock needed against threads starting.
    return list(dict(active).values()) if type(active) is dict else threading.enumerate()


def _field(thread: Any, name: str, tp: type) -> Any:
    """A Thread's private field from its instance dict, when it has the expected type."""
    found = own_attribute(thread, name)
    return found if type(found) is tp else None


def _view(ident: int, top: FrameType, thread: Any, main: int | None, me: int) -> ThreadView:
    stack = frames.stack_of(top)
    name = _field(thread, "_name", str) if thread is not None else None
    kind = thread_kind(ident, thread, name or "", stack, main, me)
    paused = False
    if kind != "debugger":
        # A thread stopped by debugpy sits in its suspend loop: show the user's frames from their top.
        start, paused = _below_debugger(stack)
        stack = stack[start:]
    # The probe's frames are its own business: a hook of it on the user's thread, or the
    # answer itself when a notebook asks in-process from the main thread.
    stack = [f for f in stack if not is_probe_frame(f)]
    return ThreadView(ident, _field(thread, "_native_id", int) if thread is not None else None,
                      name or f"thread {ident}", _field(thread, "_daemonic", bool) if thread is not None else None,
                      kind, stack, paused)


def _below_debugger(stack: list[FrameType]) -> tuple[int, bool]:
    """Where the thread's own frames start below debugpy's on top of them, and whether its
    suspend loop holds the thread (that loop waits in threading's ``Event.wait``, on top)."""
    suspend = next((depth for depth, frame in enumerate(stack[:SUSPEND_DEPTH_MAX])
                    if frame.f_code.co_name in _SUSPEND_FUNCTIONS and frames.is_debugger_frame(frame)), None)
    start = suspend or 0
    while start < len(stack) - 1 and frames.is_debugger_frame(stack[start]):
        start += 1
    return start, suspend is not None


def _in_packages(module: Any, packages: tuple[str, ...]) -> bool:
    """Whether a module name is one of the packages or below one."""
    return type(module) is str and any(module == p or module.startswith(p + ".") for p in packages)


def entry_module(stack: list[FrameType]) -> str:
    """The module of the function the thread was started with, below threading's bootstrap and
    the wrapper debugpy starts every thread through; "" when that function is not Python."""
    threading_file = frames.normalise_path(threading.__file__)
    for frame in reversed(stack):
        if not frames.is_debugger_frame(frame) and frames.normalise_path(frame.f_code.co_filename) != threading_file:
            found = frame.f_globals.get("__name__")
            return found if type(found) is str else ""
    return ""


def thread_kind(ident: int, thread: Any, name: str, stack: list[FrameType], main: int | None, me: int) -> str:
    """main, probe (the thread answering, and those the probe started), debugger (debugpy's),
    kernel (ipykernel's and IPython's own: control, IOPub, heartbeat, other subshells), else user."""
    if ident == main:
        return "main"
    entry = entry_module(stack)
    if ident == me or is_probe_module(entry):
        return "probe"
    cls_module = _module_of(type(thread)) if thread is not None else None
    if name.startswith("pydevd.") or _in_packages(cls_module, _DEBUGGER_PACKAGES) \
            or _in_packages(entry, _DEBUGGER_PACKAGES):
        return "debugger"
    if _in_packages(cls_module, _KERNEL_PACKAGES) or _in_packages(entry, _KERNEL_PACKAGES):
        return "kernel"
    return "user"


def frame_json(frame: FrameType, rows: list[Json], user: bool) -> Json:
    """The protocol ThreadFrame: where the frame is, whether it is the user's code, its source line."""
    code = frame.f_code
    return {"path": code.co_filename, "name": code.co_name, "line": frame.f_lineno or 0,
            "user": user, "code": code_line(frame, protocol.SUMMARY_MAX), "rows": rows}


def frame_rows(frame: FrameType, budget: Budget, value_ms: float) -> tuple[list[Json], bool]:
    """Summaries of the frame's locals within the shared budget; a module-level frame's
    locals are the globals, left out as the live view leaves them."""
    if budget.expired():
        return [], True
    if frame.f_locals is frame.f_globals:
        return [], False
    return summarize.summarize_items(namespace.frame_items(frame), [], budget, value_ms)


def stack_json(view: ThreadView, max_frames: int, rows: bool, budget: Budget,
               value_ms: float) -> tuple[list[Json], bool]:
    """The thread's first ``max_frames`` frames, with local rows when asked: only for the user's
    own frames of the main and user threads, since library, kernel and debugger locals would cost
    every live poll for values nobody reads there."""
    found, cut = [], False
    for frame in view.stack[:max_frames]:
        frame_cut = False
        local_rows: list[Json] = []
        user = last_error.is_user_code(frame)
        if rows and user and view.kind in ("main", "user"):
            local_rows, frame_cut = frame_rows(frame, budget, value_ms)
        found.append(frame_json(frame, local_rows, user))
        cut = cut or frame_cut
    return found, cut


def names_of(views: list[ThreadView]) -> dict[int, str]:
    """Thread id -> name, for every thread of the snapshot."""
    return {v.ident: v.name for v in views}

