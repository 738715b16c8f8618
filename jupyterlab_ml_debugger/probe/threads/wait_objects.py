"""Facts about ``threading`` and ``queue`` primitives, read without running user code.

The C lock types are read through their own C methods (``type(lock).__repr__(lock)`` for
an RLock's owner): they are the exact builtin types, so nothing of the user's runs.
Everything else comes from instance dicts.
"""

from __future__ import annotations

import _thread
import collections
import re
import sys
import threading
from typing import Any

from .. import safe_text
from .wait_source import MISSING, own_attribute

LOCK_TYPE = _thread.LockType
C_RLOCK_TYPE: Any = getattr(_thread, "RLock", None)
PY_RLOCK_TYPE: Any = getattr(threading, "_PyRLock", None)
_OWNER = re.compile(r"owner=(\d+) count=(\d+)")


def lock_kind(obj: Any) -> str | None:
    """"lock" for a plain Lock, "rlock" for an RLock (C or Python), None for anything else."""
    tp = type(obj)
    if tp is LOCK_TYPE:
        return "lock"
    if tp is C_RLOCK_TYPE or (PY_RLOCK_TYPE is not None and tp is PY_RLOCK_TYPE):
        return "rlock"
    return None


def is_condition(obj: Any) -> bool:
    """True for a ``threading.Condition`` (``issubclass`` on the type: no user ``__class__`` read)."""
    return issubclass(type(obj), threading.Condition)


def lock_of(obj: Any) -> Any:
    """The lock a ``with`` on ``obj`` takes: a Condition's own lock, else the object itself."""
    if is_condition(obj):
        inner = own_attribute(obj, "_lock")
        return obj if inner is MISSING else inner
    return obj


def rlock_owner(lock: Any) -> tuple[int | None, int]:
    """(owner thread id, recursion count) of a locked RLock; (None, 0) when it is free."""
    if type(lock) is C_RLOCK_TYPE:
        text = C_RLOCK_TYPE.__repr__(lock)
        found = _OWNER.search(text)
        if found is None or not text.startswith("<locked"):
            return None, 0
        return int(found.group(1)), int(found.group(2))
    owner, count = own_attribute(lock, "_owner"), own_attribute(lock, "_count")
    if type(owner) is not int:
        return None, 0
    return owner, count if type(count) is int else 1


def is_locked(lock: Any) -> bool:
    """Whether a Lock or RLock is held by some thread now."""
    if type(lock) is LOCK_TYPE:
        return LOCK_TYPE.locked(lock)
    return rlock_owner(lock)[0] is not None


def object_text(obj: Any) -> str:
    """``_thread.lock at 0x7f...``: the type and address, from the type's own slots."""
    return f"{safe_text.type_name(type(obj))} at {id(obj):#x}"


def short_name(obj: Any) -> str:
    """The type's bare name (``Queue``, ``RLock``) for labels and sentences."""
    tp = type(obj)
    if tp is LOCK_TYPE:
        return "Lock"
    if tp is C_RLOCK_TYPE or tp is PY_RLOCK_TYPE:
        return "RLock"
    return safe_text.short_type(tp)


def waiters(cond: Any) -> int | None:
    """How many threads wait on a Condition (its ``_waiters`` deque), None when unreadable."""
    found = own_attribute(cond, "_waiters")
    return len(found) if type(found) is collections.deque else None


def semaphore_detail(sem: Any) -> str | None:
    """``value 0, 2 waiting`` for a Semaphore."""
    value = own_attribute(sem, "_value")
    cond = own_attribute(sem, "_cond")
    count = waiters(cond) if cond is not MISSING else None
    parts = [f"value {value}" if type(value) is int else None, f"{count} waiting" if count is not None else None]
    return ", ".join(p for p in parts if p) or None


def queue_size(q: Any) -> tuple[int | None, int | None]:
    """(items, maxsize) of a ``queue.Queue``, read from its container and bound; None where unreadable."""
    items = own_attribute(q, "queue")
    size = len(items) if type(items) in (collections.deque, list) else None
    bound = own_attribute(q, "maxsize")
    return size, bound if type(bound) is int else None


def queue_detail(q: Any, putting: bool) -> str | None:
    """``empty (0 items)`` / ``full: 3 of 3 items`` / ``2 items, unbounded``."""
    size, bound = queue_size(q)
    if size is None:
        return None
    if bound is not None and bound > 0:
        state = "full: " if putting and size >= bound else "empty: " if size == 0 else ""
        return f"{state}{size} of {bound} items"
    return f"{'empty: ' if size == 0 else ''}{size} items, unbounded"


def event_detail(event: Any) -> str | None:
    """``not set`` / ``set`` from the Event's flag."""
    flag = own_attribute(event, "_flag")
    return None if type(flag) is not bool else "set" if flag else "not set"


def thread_ident(thread: Any) -> int | None:
    """A ``threading.Thread``'s id, from its instance dict."""
    found = own_attribute(thread, "_ident")
    return found if type(found) is int else None


def is_queue(obj: Any) -> bool:
    """True for a ``queue.Queue`` (or subclass) when the user has imported ``queue``."""
    module = sys.modules.get("queue")
    cls = getattr(module, "Queue", None) if module is not None else None
    return issubclass(type(cls), type) and issubclass(type(obj), cls)
