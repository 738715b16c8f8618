"""Wait Chain / Deadlock: what each blocked thread waits on, who holds it, and cycles of waits.

A thread blocked on a C lock has its own frame on top (``acquire`` is C code), stopped at
the ``with`` item or ``.acquire(`` call: the expression there names the lock. A thread in
``Condition.wait``, ``Semaphore.acquire``, ``Event.wait``, ``Thread.join`` or
``Queue.get/put`` has a threading.py or queue.py frame on top whose ``self`` is the object;
its caller's expression names it. Objects are compared by identity only.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Iterable

from ..budget import Budget
from ..stack import frames
from . import instruction_source, wait_objects, wait_source
from .wait_source import MISSING

Json = dict[str, Any]

# Frames walked per thread when looking for the ``with`` blocks it is inside.
HOLDER_FRAMES_MAX = 200
_HOLDER_KINDS = ("lock", "rlock", "semaphore")
# Kinds whose owner is a thread the waiter cannot go on without: the edges of a deadlock.
_EDGE_KINDS = ("lock", "rlock", "join")


@dataclass
class Waiting:
    """One blocked thread's wait, before it is written as a protocol Wait."""

    ident: int
    kind: str
    label: str
    target: Any  # the object waited on; for a lock wait, the lock itself
    noun: str  # "Lock", "RLock", "Queue", ...
    owner: int | None = None
    owner_known: bool = True
    holders: list[int] = field(default_factory=list)
    detail: str | None = None
    through: str | None = None  # "Condition" when a ``with cond:`` waits on the condition's lock


def _library_file(module_name: str) -> str | None:
    """The normalised source path of an imported stdlib module, to compare with frame paths."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None) if module is not None else None
    return frames.normalise_path(path) if type(path) is str else None


def _in_library(frame: FrameType, files: tuple[str | None, ...]) -> bool:
    return frames.normalise_path(frame.f_code.co_filename) in files


def _self_of(frame: FrameType) -> Any:
    """The frame's ``self`` local, read from its locals dict (MISSING when it has none)."""
    return wait_source.frame_locals(frame).get("self", MISSING)


def _library_wait(frame: FrameType) -> tuple[str, Any] | None:
    """(kind, object) for a threading/queue frame that blocks, from its function and ``self``."""
    name, obj = frame.f_code.co_name, _self_of(frame)
    if obj is MISSING:
        return None
    tp = type(obj)
    if wait_objects.is_queue(obj) and name in ("get", "put"):
        return f"queue-{name}", obj
    if wait_objects.is_condition(obj):
        kind = {"wait": "condition", "wait_for": "condition", "__enter__": "enter"}.get(name)
        return (kind, obj) if kind else None
    if issubclass(tp, threading.Semaphore) and name == "acquire":
        return "semaphore", obj
    if issubclass(tp, threading.Event) and name == "wait":
        return "event", obj
    if issubclass(tp, threading.Thread) and name in ("join", "_wait_for_tstate_lock"):
        return "join", obj
    if wait_objects.lock_kind(obj) == "rlock" and name == "acquire":
        return "rlock", obj
    return None


def _label(caller: FrameType | None, obj: Any) -> str:
    """How the caller's current expression names ``obj``, else the object's type name."""
    if caller is not None:
        for expr in instruction_source.exprs_at(caller):
            if wait_source.resolve(expr, caller) is obj:
                return expr.text
    return wait_objects.short_name(obj)


def thread_wait(ident: int, stack: list[FrameType]) -> Waiting | None:
    """What one thread waits on, its stack innermost first; None when it waits on none of the
    threading and queue primitives, or when the source that names one is not known."""
    if not stack:
        return None
    files = (_library_file("threading"), _library_file("queue"))
    depth = 0
    while depth < len(stack) and _in_library(stack[depth], files):
        depth += 1
    found = [(d, w) for d, w in ((d, _library_wait(stack[d])) for d in range(depth)) if w is not None]
    if found:
        # The outermost call says what the caller asked for (Queue.get, not the Condition below it).
        level, (kind, obj) = found[-1]
        caller = stack[level + 1] if level + 1 < len(stack) else None
        return _library_waiting(ident, kind, obj, _label(caller, obj))
    return _lock_wait(ident, stack[0])


def _lock_wait(ident: int, top: FrameType) -> Waiting | None:
    """A thread whose own frame is on top: blocked in a C ``acquire`` when its current
    ``with`` item or ``.acquire(`` names a held lock."""
    for expr in instruction_source.exprs_at(top):
        obj = wait_source.resolve(expr, top)
        if obj is MISSING:
            continue
        lock = wait_objects.lock_of(obj)
        if wait_objects.lock_kind(lock) is None:
            continue
        through = "Condition" if lock is not obj else None
        return _waiting_for_lock(ident, lock, expr.text, through)
    return None


def _waiting_for_lock(ident: int, lock: Any, label: str, through: str | None) -> Waiting | None:
    """The wait on a held Lock or RLock; None when it is free or already this thread's."""
    kind = wait_objects.lock_kind(lock)
    if kind is None or not wait_objects.is_locked(lock):
        return None
    waiting = Waiting(ident, kind, label, lock, wait_objects.short_name(lock), through=through)
    if kind == "rlock":
        owner, count = wait_objects.rlock_owner(lock)
        if owner == ident:
            return None
        waiting.owner, waiting.detail = owner, f"count {count}"
    else:
        waiting.owner_known = False
    return waiting


def _library_waiting(ident: int, kind: str, obj: Any, label: str) -> Waiting | None:
    """The wait for a blocking threading/queue call on ``obj``."""
    noun = wait_objects.short_name(obj)
    if kind in ("enter", "rlock"):
        lock = wait_objects.lock_of(obj)
        return _waiting_for_lock(ident, lock, label, noun if lock is not obj else None)
    if kind == "condition":
        count = wait_objects.waiters(obj)
        return Waiting(ident, kind, label, obj, noun, detail=f"{count} waiting" if count is not None else None)
    if kind == "semaphore":
        return Waiting(ident, kind, label, obj, noun, detail=wait_objects.semaphore_detail(obj))
    if kind.startswith("queue-"):
        return Waiting(ident, kind, label, obj, noun, detail=wait_objects.queue_detail(obj, kind == "queue-put"))
    if kind == "event":
        return Waiting(ident, kind, label, obj, noun, detail=wait_objects.event_detail(obj))
    return Waiting(ident, "join", label, obj, noun, owner=wait_objects.thread_ident(obj))


def find_holders(waits: Iterable[Waiting], stacks: dict[int, list[FrameType]], budget: Budget) -> bool:
    """Fill each lock and semaphore wait's holders from the ``with`` blocks on every stack.

    A plain Lock's single holder becomes its owner. Returns True when the budget cut the search.
    """
    targets = {id(w.target): w for w in waits if w.kind in _HOLDER_KINDS}
    if not targets:
        return False
    for ident, stack in stacks.items():
        if budget.expired():
            return True
        for frame in stack[:HOLDER_FRAMES_MAX]:
            for obj in _held_objects(frame):
                waiting = targets.get(id(obj))
                if waiting is not None and waiting.target is obj and ident not in waiting.holders:
                    waiting.holders.append(ident)
    for waiting in targets.values():
        if waiting.kind == "lock" and len(waiting.holders) == 1:
            waiting.owner, waiting.owner_known = waiting.holders[0], True
    return False


def _held_objects(frame: FrameType) -> Iterable[Any]:
    """The locks (or other managers) this frame is inside a ``with`` on, right now."""
    if not _has_with(frame.f_code):
        return ()
    index = wait_source.index_of(frame)
    if index is None:
        return ()
    found = []
    for expr in wait_source.held_exprs(frame, index):
        obj = wait_source.resolve(expr, frame)
        if obj is not MISSING:
            found.append(wait_objects.lock_of(obj))
    return found


_WITH_CODES: dict[Any, bool] = {}


def _has_with(code: Any) -> bool:
    """Whether a code object has a ``with`` at all: most frames are skipped without their source."""
    found = _WITH_CODES.get(code)
    if found is None:
        raw = code.co_code
        found = any(raw[i] in wait_source.WITH_OPS for i in range(0, len(raw), 2))
        if len(_WITH_CODES) > 10_000:
            _WITH_CODES.clear()
        _WITH_CODES[code] = found
    return found


def wait_json(waiting: Waiting, names: dict[int, str]) -> Json:
    """The protocol Wait, with its one-sentence text."""
    owner_name = names.get(waiting.owner, f"thread {waiting.owner}") if waiting.owner is not None else None
    return {"kind": waiting.kind, "label": waiting.label, "object": wait_objects.object_text(waiting.target),
            "owner": waiting.owner, "owner_name": owner_name, "owner_known": waiting.owner_known,
            "holders": list(waiting.holders), "detail": waiting.detail,
            "text": wait_text(waiting, owner_name)}


def wait_text(waiting: Waiting, owner_name: str | None) -> str:
    """One sentence: what the thread waits for, on which object, held by whom."""
    what = f"{waiting.noun} {waiting.label}" if waiting.noun != waiting.label else waiting.label
    detail = f" ({waiting.detail})" if waiting.detail else ""
    if waiting.kind in ("lock", "rlock"):
        extra = f", {waiting.detail}" if waiting.detail else ""
        head = f"Waits to enter {waiting.through} {waiting.label} (its {waiting.noun}{extra})" \
            if waiting.through else f"Waits for {what}{detail}"
        if not waiting.owner_known:
            return f"{head}, owner unknown: a Lock records no owner and no frame shows it held."
        return f"{head}, held by {owner_name}." if owner_name else f"{head}."
    if waiting.kind == "condition":
        return f"Waits on {what} for a notify{detail}."
    if waiting.kind == "semaphore":
        return f"Waits for {what}{detail}."
    if waiting.kind == "queue-get":
        return f"Waits for an item from {what}{detail}."
    if waiting.kind == "queue-put":
        return f"Waits for space in {what}{detail}."
    if waiting.kind == "event":
        return f"Waits for {what} to be set{detail}."
    return f"Waits for thread {owner_name or waiting.label} to finish (join on {waiting.label})."


def find_cycles(edges: dict[int, int]) -> list[list[int]]:
    """Every cycle of a graph where each node has at most one edge out, each listed once."""
    cycles: list[list[int]] = []
    done: set[int] = set()
    for start in edges:
        path: list[int] = []
        on_path: dict[int, int] = {}
        node: int | None = start
        while node is not None and node not in done and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = edges.get(node)
        if node is not None and node in on_path:
            cycles.append(path[on_path[node]:])
        done.update(path)
    return cycles


def deadlocks(waits: dict[int, Waiting], names: dict[int, str], main: int | None) -> list[Json]:
    """The protocol Deadlocks: cycles of waits whose holders are known, the main thread first in its cycle."""
    edges = {w.ident: w.owner for w in waits.values()
             if w.kind in _EDGE_KINDS and w.owner_known and w.owner is not None}
    found = []
    for cycle in find_cycles(edges):
        if main in cycle:
            at = cycle.index(main)
            cycle = cycle[at:] + cycle[:at]
        links = [{"thread": t, "name": names.get(t, f"thread {t}"), "waits_for": waits[t].label,
                  "held_by": edges[t]} for t in cycle]
        steps = "; ".join(_link_text(link, waits[link["thread"]].kind, names) for link in links)
        found.append({"cycle": links, "main": main in cycle, "text": f"Deadlock: {steps}."})
    return found


def _link_text(link: Json, kind: str, names: dict[int, str]) -> str:
    """One step of a deadlock sentence: ``worker waits for cs1 held by MainThread``."""
    holder = names.get(link["held_by"], f"thread {link['held_by']}")
    if kind == "join":
        return f"{link['name']} waits for {holder} to finish"
    return f"{link['name']} waits for {link['waits_for']} held by {holder}"
