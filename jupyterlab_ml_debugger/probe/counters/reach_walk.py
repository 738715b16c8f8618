"""The user's reach: every growable container a few steps from the user's names, by path.

Where a leak hides in a notebook: a global, a class attribute of a class the user
defined (``Processes._procinfo``), an attribute or closure cell a few levels down, a
local of the running cell's functions (``train.<locals>.threads``), a global of the
user's own modules, an unbounded ``functools.lru_cache``. The walk goes breadth first,
so a cut by the budget leaves out the deepest paths, and it says where it stopped.

Nothing of the user's runs: lengths are read through the builtin base (``dict.__len__``),
attributes from instance and class dicts through ``type``'s own slots, closures through
the function type's own descriptors, and an object is looked at once however many paths
lead to it. The probe's own modules and objects are never walked.
"""

from __future__ import annotations

import collections
import functools
import itertools
import sys
import time
import types
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .. import ownership, safe_text
from ..budget import Budget
from ..modules import module_origin
from ..objects import attributes, containers, unreadable
from ..objects.tensor import is_tensor_type
from ..stack import frames, namespace

# Steps below a root: Processes (0) ._procinfo (1); model (0) .encoder (1) ._forward_hooks (2).
DEPTH_MAX = 3
# Elements, items or attributes looked into below each object (lengths are read for all).
LOOK_MAX = 256
# The budget is read once every this many objects.
_CHECK_EVERY = 64
KEY_TEXT_MAX = 40
_GROWABLE = (list, dict, set, collections.deque)
_func_closure = types.FunctionType.__dict__["__closure__"].__get__
_func_code = types.FunctionType.__dict__["__code__"].__get__
_func_module = types.FunctionType.__dict__["__module__"].__get__
_lru_wrapper = getattr(functools, "_lru_cache_wrapper", None)
_module_dict = types.ModuleType.__dict__["__dict__"].__get__


# A container at a path: (its identity (a path rebound to a new object starts over), its
# length, what it is (``dict``, ``list``, ``lru_cache``), its newest element's type). A plain
# tuple of numbers and strings, which the collector stops tracking at once: thousands of them
# a sample would otherwise be promoted and cost a full collection every few samples.
Seen = tuple[int, int, str, "str | None"]
IDENT, LENGTH, KIND, NEWEST = range(4)


@dataclass(frozen=True)
class Reach:
    """The containers found, by path; ``cut`` says where the budget stopped the walk."""

    containers: dict[str, Seen]
    looked: int
    cut: str | None
    elapsed_ms: float


# A module's verdict by its name in sys.modules: (the module's identity, whether it is the
# user's). Judging means normalising its path against every root, about 5 µs a module: with
# torch imported, 10 ms a sample for the same answers. No reference to a module is kept; a
# module put in its name's place (a re-import after ``del sys.modules[name]``) is judged anew.
_verdicts: dict[str, tuple[int, bool]] = {}
_verdict_roots: list[module_origin.Roots] = []


def _judge(name: str, own: dict[str, Any], roots: module_origin.Roots) -> bool:
    """Whether a module, by its name and dict, is of the user's own files (not the probe's)."""
    # The whole package is ours (the probe, its aliases, the tests that play the user here), and
    # so are its debugpy plugins.
    if any(type(n) is str and (n.split(".", 1)[0] == ownership.PACKAGE or ownership.is_probe_module(n))
           for n in (name, own.get("__name__"))):
        return False
    path = own.get("__file__")
    return type(path) is str and module_origin.classify(path, name, roots) == "local"


# sys.modules as last looked at (its names, and the identity of each name's module, in order)
# with the names found to be the user's. A training loop imports nothing, so most looks find it
# unchanged: two copies made in C and a comparison, 0.3-0.5 ms in a kernel with torch imported,
# where looking up every module's verdict took 1.3-2.5 ms of the sample, all of it holding the GIL.
_last_look: list[tuple[tuple[str, ...], tuple[int, ...], module_origin.Roots, tuple[str, ...]]] = []


def user_modules() -> list[tuple[str, types.ModuleType]]:
    """The imported modules of the user's own files (not the probe's), by name."""
    roots = module_origin.current_roots()
    modules = dict(sys.modules)  # one copy in C: a thread importing meanwhile cannot break the look
    names, idents = tuple(modules), tuple(map(id, modules.values()))
    if _last_look and _last_look[0][:3] == (names, idents, roots):
        return [(name, module) for name in _last_look[0][3]
                if type(module := modules[name]) is types.ModuleType]
    if _verdict_roots != [roots]:  # the working directory or sys.path moved: judge anew
        _verdicts.clear()
        _verdict_roots[:] = [roots]
    found = []
    for name, module in modules.items():
        if type(module) is not types.ModuleType or name == "__main__":
            continue
        verdict = _verdicts.get(name)
        if verdict is None or verdict[0] != id(module):
            verdict = _verdicts[name] = (id(module), _judge(name, _module_dict(module), roots))
        if verdict[1]:
            found.append((name, module))
    _last_look[:] = [(names, idents, roots, tuple(name for name, _ in found))]
    return found


def running_locals() -> list[tuple[str, Any]]:
    """The locals of the running cell's functions, as ``train.<locals>.threads``."""
    found: list[tuple[str, Any]] = []
    for _, frame in frames.running_frames():
        code = frame.f_code
        if code.co_name != "<module>":  # a cell's own level: its locals are the globals
            found += [(f"{code.co_name}.<locals>.{key}", value) for key, value in namespace.frame_items(frame)]
    return found


# How a type is walked, decided once per type and walk.
_LEAF, _CONTAINER, _MODULE, _CLASS, _FUNCTION, _LRU, _INSTANCE = range(7)
# (how, the builtin container base or the instance __dict__ slot, defined by the user)
Plan = tuple[int, Any, bool]


def _plan(tp: type, local: frozenset[str]) -> Plan:
    """How objects of ``tp`` are walked: read as a container, looked into, or left as a leaf."""
    if tp is types.ModuleType:
        return _MODULE, None, False
    if _lru_wrapper is not None and tp is _lru_wrapper:
        return _LRU, None, False
    base = containers.container_base_of(tp)
    if base is not None:
        return _CONTAINER, base, False
    if issubclass(tp, type):
        return _CLASS, None, False
    if tp is types.FunctionType:
        return _FUNCTION, None, False
    module = _type_module(tp)
    if issubclass(tp, attributes.FUNCTION_TYPES) or ownership.is_probe_module(module) or is_tensor_type(tp):
        return _LEAF, None, False
    slot = attributes.instance_dict_slot(tp)
    if slot is None:  # numbers, strings, arrays: nothing below to grow
        return _LEAF, None, False
    return _INSTANCE, slot, _is_users(module, local)


def _grows(value: Any, plan: Plan, names: dict[type, str]) -> tuple[int, str, str | None] | None:
    """(length, kind, newest element's type) of a growable builtin container or an lru_cache."""
    if plan[0] == _LRU:
        return _lru_wrapper.cache_info(value).currsize, "lru_cache", None
    base = plan[1]
    if plan[0] != _CONTAINER or not issubclass(base[0], _GROWABLE):
        return None
    length = base[1](value)
    newest = _newest(value, base[0], length)
    return length, _name(base[0], names), None if newest is None else _name(newest, names)


def _name(tp: type, names: dict[type, str]) -> str:
    """A type's name, found once per walk."""
    found = names.get(tp)
    if found is None:
        found = names[tp] = safe_text.type_name(tp)
    return found


def _newest(value: Any, base: type, length: int) -> type | None:
    """The type of the element added last (a dict's last value, a list's or deque's last)."""
    if not length:
        return None
    if issubclass(base, dict):
        return type(next(reversed(dict.values(value)), None))
    if issubclass(base, (list, collections.deque)):
        return type(base.__getitem__(value, -1))
    return None


def _type_module(tp: type) -> object:
    """The module a class was defined in, from its own dict (a metaclass never runs)."""
    return next(attributes.mro_dicts(tp)).get("__module__")


def _is_users(module: object, local: frozenset[str]) -> bool:
    return type(module) is str and (module == "__main__" or module in local)


Child = tuple[str, str, Any]  # (the parent's path, this step's suffix, the value)

# Builtin scalars and strings hold nothing that grows: left out of the next level at once rather
# than given a path each (most of what a namespace of records holds).
_SCALARS = containers.PLAIN_TYPE_NAMES


def _below(path: str, value: Any, plan: Plan, local: frozenset[str]) -> Iterator[Child]:
    """One step below: items, attributes, class attributes, closure cells, module globals."""
    how = plan[0]
    if how == _CONTAINER:
        base = plan[1]
        assert base is not None
        if issubclass(base[0], (set, frozenset)):
            return
        # list() of an islice runs in C, so a cell appending meanwhile cannot break the walk.
        looked = list(itertools.islice(containers.items(value), LOOK_MAX))
        if issubclass(base[0], dict):
            for key, item in looked:
                if id(type(item)) in _SCALARS:
                    continue
                text = safe_text.builtin_text(key, KEY_TEXT_MAX)
                if text is not None:
                    yield path, f"[{text}]", item
        else:
            yield from ((path, f"[{index}]", item) for index, item in enumerate(looked)
                        if id(type(item)) not in _SCALARS)
    elif how == _MODULE:  # a user's module: its own globals, not its imports or dunders
        yield from ((path, f".{k}", v) for k, v in dict(_module_dict(value)).items()
                    if type(k) is str and not k.startswith("__") and type(v) is not types.ModuleType)
    elif how == _CLASS:
        if _is_users(_type_module(value), local):
            own = attributes.instance_dict(value) or {}
            yield from ((path, f".{k}", v) for k, v in own.items() if type(k) is str and not k.startswith("__"))
    elif how == _FUNCTION:
        if _is_users(_func_module(value), local):
            yield from _closure(path, value)
    elif how == _INSTANCE:
        own = plan[1].__get__(value, type(value))
        if type(own) is dict and own:
            yield from ((path, f".{k}", v) for k, v in itertools.islice(dict(own).items(), LOOK_MAX)
                        if type(k) is str and id(type(v)) not in _SCALARS)
        if plan[2]:  # the class attributes of the user's instances
            tp = type(value)
            yield "", safe_text.short_type(tp), tp


def _closure(path: str, function: types.FunctionType) -> Iterator[Child]:
    """The cells a user function closes over, by their variable names."""
    cells = _func_closure(function) or ()
    for name, cell in zip(_func_code(function).co_freevars, cells):
        try:
            yield path, f".__closure__.{name}", cell.cell_contents
        except ValueError:  # a cell not yet bound
            continue


def walk(start: Iterable[tuple[str, Any]], budget: Budget, local: frozenset[str] = frozenset()) -> Reach:
    """Every growable container within DEPTH_MAX steps of ``start``, breadth first, until the budget ends.

    ``local``: the user's module names, whose classes and functions are looked into like a cell's.
    """
    began = time.perf_counter()
    found: dict[str, Seen] = {}
    seen: set[int] = set()
    plans: dict[type, Plan] = {}
    names: dict[type, str] = {}
    # The next level in three lists rather than a tuple per child: the walk then leaves the
    # garbage collector no new objects to promote, which would cost a full collection (tens
    # of milliseconds in a large kernel) every few samples.
    start = list(start)
    prefixes: list[str] = [""] * len(start)
    steps: list[str] = [name for name, _ in start]
    values: list[Any] = [value for _, value in start]
    del start
    looked = 0
    cut = None
    bad: list[str] = []  # objects that failed to read: noted by path, the walk goes on
    for depth in range(DEPTH_MAX + 1):
        deeper_prefixes: list[str] = []
        deeper_steps: list[str] = []
        deeper_values: list[Any] = []
        for prefix, step, value in zip(prefixes, steps, values):
            tp = type(value)
            plan = plans.get(tp)
            if plan is None:
                try:
                    plan = plans[tp] = _plan(tp, local)
                except Exception as err:
                    bad.append(unreadable.note(prefix + step, err))
                    plan = plans[tp] = (_LEAF, None, False)
            if plan[0] == _LEAF or id(value) in seen:
                continue
            seen.add(id(value))
            looked += 1
            if looked % _CHECK_EVERY == 1 and budget.expired():
                cut = f"the container walk stopped at depth {depth} after {looked:,} objects"
                break
            path = prefix + step
            try:
                grows = _grows(value, plan, names)
                if grows is not None:
                    found[path] = (id(value), *grows)
                if depth < DEPTH_MAX:
                    for child_prefix, child_step, child in _below(path, value, plan, local):
                        deeper_prefixes.append(child_prefix)
                        deeper_steps.append(child_step)
                        deeper_values.append(child)
            except ReferenceError:  # a dead proxy
                continue
            except Exception as err:  # changed size while read: the next walk; anything else is said
                if not unreadable.is_changing(err):
                    bad.append(unreadable.note(path, err))
                continue
        if cut is not None or not deeper_values:
            break
        prefixes, steps, values = deeper_prefixes, deeper_steps, deeper_values
    if bad:
        cut = "; ".join(c for c in (cut, f"unreadable: {unreadable.notes_text(bad)}") if c)
    return Reach(found, looked, cut, (time.perf_counter() - began) * 1000.0)

def take(budget: Budget) -> Reach:
    """Walk from the user's roots: the running cell's locals, the globals, the user's modules."""
    modules = user_modules()
    start = running_locals() + namespace.global_items() + list(modules)
    return walk(start, budget, frozenset(name for name, _ in modules))
