"""Where the instances of a growing type come from, in words the user knows.

A thread is named by the function it runs (``worker``, defined in In [3]); any other
object by the line that allocated it when tracemalloc traces (the user's own frame
nearest to the allocation), and otherwise by the growing container that holds
objects of its type. Interpreter internals (``cell``, ``frame``, ``list`` without a
path, ``_contextvars.Context``) say nothing about a leak and are left out of the hint.
"""

from __future__ import annotations

import gc
import threading
import tracemalloc
import types
from typing import Any, Iterable

from .. import safe_text
from ..budget import Budget
from ..objects import attributes
from ..stack import frames

# Types every Python program makes by the thousand: a growing count of them names nothing.
INTERNAL_MODULES = frozenset({"builtins", "_contextvars", "_abc", "_thread", "weakref", "types"})
# The bases of the objects each handle counter counts, by name so nothing is imported.
HANDLE_BASES = {"threading.Thread": "thread", "_io._IOBase": "file", "socket.socket": "file",
                "subprocess.Popen": "process", "multiprocessing.process.BaseProcess": "process"}
# Instances looked at per grown type for where they come from.
SAMPLES = 3
_CHUNK = 20_000
_func_code = types.FunctionType.__dict__["__code__"].__get__
_func_qualname = types.FunctionType.__dict__["__qualname__"].__get__
_type_mro = type.__dict__["__mro__"].__get__


def is_internal(tp: type) -> bool:
    """Whether a type is the interpreter's own bookkeeping rather than something a user makes."""
    module = next(attributes.mro_dicts(tp)).get("__module__")
    return type(module) is not str or module in INTERNAL_MODULES


def handle_kind(tp: type) -> str | None:
    """"thread", "file" or "process" for a type whose instances hold one; read from its MRO, no hook runs."""
    for base in _type_mro(tp):
        kind = HANDLE_BASES.get(safe_text.type_name(base))
        if kind is not None:
            return kind
    return None


def code_place(code: types.CodeType) -> str:
    """``In [3], line 2`` for a cell, ``helpers.py, line 10`` for a file."""
    label = frames.cell_label(code.co_filename)
    if label is None:
        label = code.co_filename.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{label}, line {code.co_firstlineno}"


def thread_site(thread: Any) -> str | None:
    """``each runs `worker`, defined at In [3], line 2``: the target read from the instance dict."""
    own = attributes.instance_dict(thread) or {}
    target = own.get("_target")
    if type(target) is types.FunctionType:
        return f"each runs `{_func_qualname(target)}`, defined at {code_place(_func_code(target))}"
    if target is None:
        return f"each runs `{safe_text.short_type(type(thread))}.run`"
    return f"each runs a `{safe_text.type_name(type(target))}`"


def allocation_site(obj: object) -> str | None:
    """``created at In [4], line 7``: the user's frame nearest the allocation, when tracemalloc traces."""
    if not tracemalloc.is_tracing():
        return None
    trace = tracemalloc.get_object_traceback(obj)
    if trace is None:
        return None
    for frame in reversed(list(trace)):  # most recent call last
        if frames.is_cell_file(frame.filename):
            label = frames.cell_label(frame.filename) or "a cell"
            return f"created at {label}, line {frame.lineno}"
    last = trace[0] if len(trace) else None
    return f"created at {last.filename}, line {last.lineno}" if last is not None else None


def instances(wanted: set[str], budget: Budget) -> dict[str, list[Any]]:
    """A few live instances of each wanted type name, newest generation first, while the budget lasts."""
    found: dict[str, list[Any]] = {}
    names: dict[type, str | None] = {}
    objects = gc.get_objects()  # youngest generation first: the newest instances come first
    for start in range(0, len(objects), _CHUNK):
        if budget.expired():
            break
        for obj in objects[start:start + _CHUNK]:
            tp = type(obj)
            if tp not in names:
                text = safe_text.type_name(tp)
                names[tp] = text if text in wanted else None
            name = names[tp]
            if name is not None and len(found.setdefault(name, [])) < SAMPLES:
                found[name].append(obj)
    del objects
    return found


def site(name: str, samples: Iterable[Any], held_in: dict[str, str]) -> str | None:
    """Where instances of ``name`` come from, or None when nothing says it."""
    for obj in samples:
        # type() rather than isinstance(): isinstance may read a user-defined __class__.
        if issubclass(type(obj), threading.Thread):
            return thread_site(obj)
        place = allocation_site(obj)
        if place is not None:
            return place
    holder = next((path for path, newest in held_in.items() if newest == name), None)
    return f"held in `{holder}`" if holder is not None else None
