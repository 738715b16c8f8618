"""The NaN/Inf scan: every tensor reachable from a frame that holds NaN or Inf, and the path to it.

Reached from the (name, value) roots: tensors and their ``.grad``; ``nn.Module``
parameters, buffers, tensor attributes and submodules at any depth, read from the
module's own dicts (``model.fc2.weight.grad``, ``model.layers.0.bias``); optimizer
state after everything else, so that a parameter is named by the path the scan already
reached it by (``opt.state[model.fc2.weight].exp_avg``), else by its position in
``param_groups`` order as in ``state_dict()`` (``opt.state[3].exp_avg``); the items of
builtin containers (``batch[1]``, ``logs['loss']``, ``d[#2]`` for a key that is neither
str nor int) and the instance attributes of other objects (``trainer.model``), down to
MAX_DEPTH such steps. Nothing runs user code: no ``__getattr__``, property or ``__iter__``.
A tensor reached twice is read once, under its first path. A value that fails to read (a nested
tensor has no sizes) is named in the cut, "unreadable", and the scan goes on with the rest.

A tensor read and found finite is remembered by identity (a weak reference: the cache
never keeps one alive) with its ``_version`` and storage facts; the next scan skips it
while they are unchanged. ``_version`` follows in-place ops (optimizer steps, ``+=``,
gradient accumulation) but not writes through ``.data`` or a NumPy view, which the
scan then misses until the tensor changes some other way.
"""

from __future__ import annotations

import collections
import itertools
import sys
import weakref
from typing import Any, Iterator

from .. import safe_text
from ..budget import Budget
from ..objects import attributes, containers, unreadable
from ..objects.tensor import is_tensor, torch_reads
from ..stack.namespace import Items
from ..structure import module_tree
from .tensor_check import checkable, device_facts, device_suspects, host_facts

Json = dict[str, Any]

MAX_TENSORS = 20_000
MAX_DEPTH = 2
ITEMS_MAX = 256
MODULE_DEPTH_MAX = 64
FINDINGS_MAX = 500
DEVICE_BATCH = 256
CACHE_MAX = 200_000
PEEK = 8
RETRIES = 3

# id(tensor) -> (weak reference, stamp) of tensors last read finite.
_finite: dict[int, tuple[Any, tuple]] = {}


def scan(items: Items, budget: Budget) -> Json:
    """The Scan of every tensor reachable from ``items`` (see protocol: Scan), within ``budget``."""
    torch = sys.modules.get("torch")
    if torch is None:
        return _result([], 0, 0, [], budget)
    with torch_reads():
        for _ in range(RETRIES - 1):
            try:
                return _Scan(torch, budget).run(items)
            except RuntimeError as err:
                # a live scan reads dicts the running cell may be growing; the retry is cheap,
                # since what the first try read finite is skipped
                if not unreadable.is_changing(err):
                    raise
        # the last try names a container still changing in its cut, and scans the rest
        return _Scan(torch, budget, last_try=True).run(items)


def _stamp(t: Any) -> tuple | None:
    """What must stay the same for a finite tensor to be skipped; None when it cannot be told."""
    try:
        return (t._version, t.data_ptr(), tuple(t.shape), t.stride(), t.dtype, t.device)
    except (RuntimeError, NotImplementedError, AttributeError):
        return None  # sparse and storage-less tensors have no data_ptr or strides


def known_finite(t: Any) -> bool:
    """Whether ``t`` was read finite and has not changed since."""
    entry = _finite.get(id(t))
    return entry is not None and entry[0]() is t and entry[1] == _stamp(t)


def _remember(t: Any, stamp: tuple | None) -> None:
    """Remember ``t`` as finite at ``stamp`` (taken before it was read: a write during the read
    then changes the stamp), or forget it when ``stamp`` is None."""
    if stamp is None:
        _finite.pop(id(t), None)
        return
    if len(_finite) >= CACHE_MAX:
        for key in [k for k, (ref, _) in _finite.items() if ref() is None]:
            del _finite[key]
        if len(_finite) >= CACHE_MAX:
            _finite.clear()
    try:
        _finite[id(t)] = (weakref.ref(t), stamp)
    except TypeError:
        pass  # a tensor type without weak references is read again each scan


class _Scan:
    """One scan: walks the roots, reads each tensor not known finite, collects findings."""

    def __init__(self, torch: Any, budget: Budget, last_try: bool = False) -> None:
        self.torch = torch
        self.budget = budget
        self.walk = _Walk(torch, budget, last_try)
        self.findings: list[tuple[int, Json]] = []
        self.read = self.skipped = 0
        # device tensors waiting for one batched sync: (order, path, tensor, stamp, data, repeat)
        self.queue: list[tuple[int, str, Any, Any, Any, int]] = []

    def run(self, items: Items) -> Json:
        for order, (path, t) in enumerate(self.walk.tensors(items)):
            if order >= MAX_TENSORS:
                self.walk.cut("count", f"stopped after {MAX_TENSORS} tensors, at {path}")
                break
            if self.budget.expired() or not self._guarded_visit(order, path, t):
                self.walk.cut("time", f"the time ran out at {path} after {self.read} tensors were read")
                break
        self._flush()
        found = [f for _, f in sorted(self.findings, key=lambda pair: pair[0])]
        if len(found) > FINDINGS_MAX:
            self.walk.cut("findings", f"only the first {FINDINGS_MAX} of {len(found)} findings are listed")
            found = found[:FINDINGS_MAX]
        return _result(found, self.read, self.skipped, self.walk.all_cuts(), self.budget)

    def _guarded_visit(self, order: int, path: str, t: Any) -> bool:
        """``_visit``, a tensor that fails to read noted by its path instead of failing the scan."""
        try:
            return self._visit(order, path, t)
        except Exception as err:
            self.walk.unreadable(path, err)
            return True

    def _visit(self, order: int, path: str, t: Any) -> bool:
        """Read one tensor (or queue it for its device's batch); False when the time ran out."""
        if known_finite(t):
            self.skipped += 1
            return True
        stamp = _stamp(t)
        data = checkable(self.torch, t)
        if data is None:
            self.read += 1
            return True
        if data[0].device.type != "cpu":
            self.queue.append((order, path, t, stamp, *data))
            if len(self.queue) >= DEVICE_BATCH:
                self._flush()
            return True
        facts = host_facts(self.torch, data[0], data[1], self.budget)
        if facts is None:
            return False
        self._record(order, path, t, stamp, facts)
        return True

    def _flush(self) -> None:
        """Read the queued device tensors: one sync per device for all, one more per bad tensor."""
        by_device: dict[Any, list] = {}
        for entry in self.queue:
            by_device.setdefault(entry[4].device, []).append(entry)
        self.queue = []
        for entries in by_device.values():
            try:
                suspects = device_suspects(self.torch, [e[4] for e in entries])
            except Exception:  # one tensor spoiled the batch: read each on its own
                suspects = [True] * len(entries)
            for (order, path, t, stamp, data, repeat), suspect in zip(entries, suspects):
                try:
                    facts = device_facts(self.torch, data, repeat) if suspect else (0, 0, None)
                    self._record(order, path, t, stamp, facts)
                except Exception as err:
                    self.walk.unreadable(path, err)

    def _record(self, order: int, path: str, t: Any, stamp: tuple | None, facts: tuple) -> None:
        self.read += 1
        nan, inf, first = facts
        _remember(t, stamp if nan == 0 and inf == 0 else None)
        if nan or inf:
            self.findings.append((order, {
                "path": path, "shape": list(t.shape), "dtype": str(t.dtype).removeprefix("torch."),
                "device": str(t.device), "nan": int(nan), "inf": int(inf), "first": first}))


def _result(findings: list[Json], read: int, skipped: int, cuts: list[str], budget: Budget) -> Json:
    return {"findings": findings, "tensors": read, "skipped": skipped, "truncated": bool(cuts),
            "cut": "; ".join(cuts) or None, "elapsed_ms": budget.elapsed_ms()}


class _Walk:
    """The reachability walk: yields (path, tensor) pairs, each tensor once, and notes where it cut."""

    def __init__(self, torch: Any, budget: Budget, last_try: bool = False) -> None:
        self.budget = budget
        self.last_try = last_try
        self.module_type = torch.nn.Module
        self.optimizer_type = torch.optim.Optimizer
        self.seen: set[int] = set()
        # holds everything ``seen`` names, so that no id is reused while the walk runs
        self.keep: list[Any] = []
        self.paths: dict[int, str] = {}
        self.optimizers: list[tuple[str, Any]] = []
        self.cuts: list[str] = []
        self._cut_kinds: set[str] = set()
        self.bad: list[str] = []

    def cut(self, kind: str, sentence: str) -> None:
        """Note a bound that stopped the walk; the first sentence of each kind is kept."""
        if kind not in self._cut_kinds:
            self._cut_kinds.add(kind)
            self.cuts.append(f"{kind}: {sentence}")

    def unreadable(self, path: str, err: BaseException) -> None:
        """Note a value that failed to read (or kept changing) by its path; the walk goes on."""
        self.bad.append(unreadable.note(path, err))

    def all_cuts(self) -> list[str]:
        """The cuts, and the values left out because they could not be read."""
        return self.cuts + ([f"unreadable: {unreadable.notes_text(self.bad)}"] if self.bad else [])

    def tensors(self, items: Items) -> Iterator[tuple[str, Any]]:
        for name, value in items:
            yield from self._value(str(name), value, 0)
        # optimizers last: their state is named by the paths their parameters were reached by
        for path, optimizer in self.optimizers:
            yield from self._guarded(path, self._optimizer(path, optimizer))

    def _guarded(self, path: str, walk: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
        """``walk``'s tensors; when it fails, the value at ``path`` is noted and the scan goes on."""
        try:
            yield from walk
        except Exception as err:
            # a container the cell changes fails the whole try, which is run again, but the last
            if unreadable.is_changing(err) and not self.last_try:
                raise
            self.unreadable(path, err)

    def _first_visit(self, value: Any) -> bool:
        if id(value) in self.seen:
            return False
        self.seen.add(id(value))
        self.keep.append(value)
        return True

    def _value(self, path: str, value: Any, depth: int) -> Iterator[tuple[str, Any]]:
        """The tensors reached from one value; one that fails to read is noted, not raised."""
        return self._guarded(path, self._reach(path, value, depth))

    def _reach(self, path: str, value: Any, depth: int) -> Iterator[tuple[str, Any]]:
        if is_tensor(value):
            yield from self._tensor(path, value)
            return
        kind = type(value)
        if issubclass(kind, self.module_type):
            if self._first_visit(value):
                yield from self._module(path, value, 0)
        elif issubclass(kind, self.optimizer_type):
            if self._first_visit(value):
                self.optimizers.append((path, value))
        elif not _openable(value):
            return
        elif depth >= MAX_DEPTH:
            self._note_depth(path, value)
        elif self._first_visit(value):
            yield from self._inside(path, value, depth + 1)

    def _tensor(self, path: str, t: Any) -> Iterator[tuple[str, Any]]:
        if not self._first_visit(t):
            return
        self.paths[id(t)] = path
        yield path, t
        # only leaves (and non-leaves that retain it) keep .grad; reading others makes torch warn
        if (t.is_leaf and t.requires_grad) or (not t.is_leaf and t.retains_grad):
            grad = t.grad
            if grad is not None:
                yield from self._tensor(f"{path}.grad", grad)

    def _module(self, path: str, module: Any, level: int) -> Iterator[tuple[str, Any]]:
        state = module_tree.state(module)
        for key in ("_parameters", "_buffers"):
            table = state.get(key)
            for name, t in dict.items(table) if isinstance(table, dict) else ():
                if is_tensor(t):
                    yield from self._tensor(f"{path}.{name}", t)
        for name, value in tuple(dict.items(state)):
            if type(name) is str and is_tensor(value):
                yield from self._tensor(f"{path}.{name}", value)
        for name, child in module_tree.child_items(state):
            if not issubclass(type(child), self.module_type) or not self._first_visit(child):
                continue
            if level >= MODULE_DEPTH_MAX:
                self.cut("depth", f"modules nested deeper than {MODULE_DEPTH_MAX} below {path}")
                continue
            yield from self._module(f"{path}.{name}", child, level + 1)

    def _optimizer(self, path: str, optimizer: Any) -> Iterator[tuple[str, Any]]:
        inst = attributes.instance_dict(optimizer) or {}
        groups = inst.get("param_groups")
        groups = list(groups) if type(groups) is list else []
        positions: dict[int, int] = {}
        for g, group in enumerate(groups):
            if not isinstance(group, dict):
                continue
            for key, value in dict.items(group):
                if key == "params" and type(value) is list:
                    for i, p in enumerate(value):
                        positions.setdefault(id(p), len(positions))
                        yield from self._value(f"{path}.param_groups[{g}]['params'][{i}]", p, MAX_DEPTH)
                elif is_tensor(value):
                    yield from self._tensor(f"{path}.param_groups[{g}][{key!r}]", value)
        state = inst.get("state")
        for param, entries in dict.items(state) if isinstance(state, dict) else ():
            label = self.paths.get(id(param), "")
            if not label or label.startswith(f"{path}.param_groups["):
                # reached only through this optimizer: its position says more than that path
                label = str(positions.get(id(param), "?"))
            named = dict.items(entries) if isinstance(entries, dict) else ()
            for index, (key, value) in enumerate(named):
                if is_tensor(value):
                    yield from self._tensor(f"{path}.state[{label}]{_key_step(key, index, True)}", value)

    def _inside(self, path: str, value: Any, depth: int) -> Iterator[tuple[str, Any]]:
        """The items of a container or the attributes of an object, at most ITEMS_MAX of them."""
        tensors = 0
        total = 0
        for index, (step, item) in enumerate(_steps(value, ITEMS_MAX + 1)):
            total = index + 1
            if index >= ITEMS_MAX:
                break
            if self.budget.expired():  # values without tensors are checked here, not per tensor
                self.cut("time", f"the time ran out at {path}{step}")
                return
            tensors += is_tensor(item)
            yield from self._value(path + step, item, depth)
        if total > ITEMS_MAX and tensors:
            self.cut("items", f"only the first {ITEMS_MAX} items of {path} were looked at")

    def _note_depth(self, path: str, value: Any) -> None:
        """A value below the depth bound: a cut worth saying only when it holds tensors or models."""
        for index, (step, item) in enumerate(_steps(value, PEEK + 1)):
            if index >= PEEK:
                return
            if is_tensor(item) or issubclass(type(item), (self.module_type, self.optimizer_type)):
                self.cut("depth", f"{path}{step} and what else lies {MAX_DEPTH + 1} steps from a "
                         "variable was not scanned")
                return


def _openable(value: Any) -> bool:
    """Containers and plain objects; classes, modules, functions and arrays are not walked into."""
    if containers.container_base(value) is not None:
        return True
    if issubclass(type(value), type) or attributes.is_function(value) or \
            safe_text.module_name(type(value)) == "builtins":
        return False
    return attributes.instance_dict(value) is not None or any(True for _ in attributes.slots(value))


def _steps(value: Any, limit: int) -> Iterator[tuple[str, Any]]:
    """(path step, child) of the first ``limit`` items of a container, or of an object's attributes.

    The items are copied in one step, in C: the running cell cannot resize the container while
    the walk goes through them."""
    if containers.container_base(value) is not None:
        looked = list(itertools.islice(containers.items(value), limit))
        if containers.is_mapping(value):
            for index, (key, item) in enumerate(looked):
                yield _key_step(key, index), item
        else:
            ordered = containers.container_base(value)[0] in (list, tuple, collections.deque)
            for index, item in enumerate(looked):
                yield (f"[{index}]" if ordered else f"[#{index}]"), item
        return
    for name, item in attributes.attributes(value):
        if type(name) is str:
            yield f".{name}", item


def _key_step(key: Any, index: int, as_attr: bool = False) -> str:
    """``['loss']`` / ``[3]`` for str and int keys (``.exp_avg`` ``as_attr``), else ``[#index]``."""
    if type(key) is str:
        return f".{key}" if as_attr and key.isidentifier() else f"[{key!r}]"
    if type(key) is int:
        return f"[{key}]"
    return f"[#{index}]"
