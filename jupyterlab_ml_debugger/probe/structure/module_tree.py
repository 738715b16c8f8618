"""The ModuleTree of a torch ``nn.Module``: every submodule, its own tensors and its counts.

The walk reads each module's instance dict (``_modules``, ``_parameters``, ``_buffers``,
hook dicts) directly: ``named_modules()``, ``__getattr__`` and ``__repr__`` may be
overridden by user classes, and a plain dict walk is also what keeps 1,000 modules
near the cost of ``str(model)`` (see ``bench/structure.py``).
"""

from __future__ import annotations

import sys
from typing import Any, Iterator

from .. import safe_text
from ..budget import Budget
from ..objects import unreadable
from ..objects.tensor import torch_reads
from ..protocol import MODULE_FIELDS
from . import shape_record

Json = dict[str, Any]

# Tensors listed per module and per kind; counts always cover all of them.
LIST_MAX = 1000
RETRIES = 3
HOOK_KINDS = (
    ("forward", "_forward_hooks"),
    ("forward_pre", "_forward_pre_hooks"),
    ("backward", "_backward_hooks"),
    ("backward_pre", "_backward_pre_hooks"),
    ("state_dict", "_state_dict_hooks"),
)

# Where the walk writes into a node; the other fields are only written when it is made.
PATH, DEPTH, TOTAL, TRAINABLE, SHARED = (
    MODULE_FIELDS.index(field) for field in ("path", "depth", "total", "trainable", "shared"))

# dtype and device names by object, kept across walks: the per-tensor loop reads them
# inline without a method call, and str() of one costs more than a tensor's whole read.
_DTYPE_NAMES: dict[Any, str] = {}
_DEVICE_NAMES: dict[Any, str] = {}

# object.__getattribute__ finds the builtin ``__dict__`` slot without running a
# class's own ``__getattribute__`` or ``__getattr__``.
_get = object.__getattribute__


def is_module(value: object) -> bool:
    """Whether ``value`` is an ``nn.Module`` (torch already imported by the user)."""
    torch = sys.modules.get("torch")
    return torch is not None and issubclass(type(value), torch.nn.Module)


def state(module: object) -> dict:
    """The module's instance dict, or an empty dict when it has none we can read."""
    try:
        found = _get(module, "__dict__")
    except AttributeError:
        return {}
    return found if type(found) is dict else {}


def _loose_state(module: object) -> tuple[dict, dict, dict, dict, bool]:
    """What the walk reads from a module, read with care: any piece may be missing."""
    st = state(module)
    tables = [st.get(key) for key in ("_parameters", "_buffers", "_modules")]
    params, buffers, children = (t if issubclass(type(t), dict) else {} for t in tables)
    return st, params, buffers, children, st.get("training") is True


def child_items(module_state: dict) -> tuple:
    """(name, child) pairs of ``_modules``, copied: the user's thread may be adding some."""
    children = module_state.get("_modules")
    return tuple(dict.items(children)) if issubclass(type(children), dict) and dict.__len__(children) else ()


def submodules(root: object) -> Iterator[object]:
    """Every module under ``root`` once, the root first."""
    torch = sys.modules["torch"]
    seen = {id(root)}
    stack = [root]
    while stack:
        module = stack.pop()
        yield module
        for _, child in reversed(child_items(state(module))):
            if id(child) not in seen and issubclass(type(child), torch.nn.Module):
                seen.add(id(child))
                stack.append(child)


def walk(root: object, max_nodes: int, budget: Budget) -> tuple[Json | None, str | None]:
    """The ModuleTree of ``root`` and a cut sentence when a bound stopped it (else None); no tree,
    and a cut that says so, when the user's thread kept changing the modules while they were read."""
    torch = sys.modules["torch"]
    with torch_reads():
        for _ in range(RETRIES):
            try:
                return _Walk(torch).run(root, max_nodes, budget)
            except RuntimeError as err:
                # the dicts are iterated in place, not copied (a copy costs a tenth of the
                # walk): the user's thread adding a module while we read is rare, so retry
                if not unreadable.is_changing(err):
                    raise
        return None, f"the model's modules were {unreadable.CHANGING}"


class _Walk:
    """One pre-order walk. The per-node and per-tensor work is inlined in ``_visit_all``
    because it sets the speed: under a microsecond a module and half of one a tensor."""

    def __init__(self, torch: Any) -> None:
        self.module_type = torch.nn.Module
        self.module_types: set[type] = set()
        # ModuleNode arrays in MODULE_FIELDS order; a node's TOTAL and TRAINABLE start as
        # the numel of the tensors seen only there, and become subtree sums in _totals
        self.nodes: list[list] = []
        self.parents: list[int] = []
        # tensor id -> the node it was first seen at; ``keep`` holds the tensors so
        # their ids stay unique for the whole walk
        self.seen: dict[int, int] = {}
        self.keep: list[Any] = []
        # tensor id -> [numel, trainable numel, node indices...] of tensors at two nodes
        self.shared: dict[int, list[int]] = {}
        self.first: dict[int, int] = {}
        self.refs: list[tuple[int, int]] = []
        self.classes: dict[type, str] = {}
        self.long_lists: list[str] = []
        self.bad: list[str] = []  # tensors that failed to read, left out of the lists and counts

    def run(self, root: object, max_nodes: int, budget: Budget) -> tuple[Json, str | None]:
        cut = self._visit_all(root, max_nodes, budget)
        self._link_refs()
        self._totals()
        root_node = self.nodes[0]
        tree = {"fields": list(MODULE_FIELDS), "modules": self.nodes,
                "params": root_node[TOTAL], "trainable": root_node[TRAINABLE],
                "param_tensors": len(self.seen),
                "shared": len({known for _, known in self.refs}),
                "recording": shape_record.is_recording(root)}
        if cut is None and self.long_lists:
            cut = (f"{self.long_lists[0]} lists its first {LIST_MAX} tensors of each kind "
                   "(its counts cover all of them)")
        if self.bad:
            bad = f"unreadable: {unreadable.notes_text(self.bad)}; left out of the lists and counts"
            cut = f"{cut}; {bad}" if cut else bad
        return tree, cut

    def _unreadable(self, path: str, name: str, err: Exception) -> None:
        self.bad.append(unreadable.note(f"{path}.{name}" if path else name, err))

    def _visit_all(self, root: object, max_nodes: int, budget: Budget) -> str | None:
        """Fill ``nodes`` in pre-order; a cut sentence when a bound stopped the walk."""
        nodes, parents, first, classes = self.nodes, self.parents, self.first, self.classes
        module_types, seen, keep, shared = self.module_types, self.seen, self.keep, self.shared
        dtypes, devnames = _DTYPE_NAMES, _DEVICE_NAMES
        recorded = shape_record.io_of if shape_record.any_recording() else None
        stack: list[tuple[object, str, int, int]] = [(root, "", 0, -1)]
        pop, push = stack.pop, stack.append
        while stack:
            module, path, depth, parent = pop()
            index = len(nodes)
            # perf_counter every 32 nodes (a check per node would cost a tenth of the walk),
            # from the second: the root is always listed
            if index >= max_nodes or (index & 31 == 1 and budget.expired()):
                return self._cut_text(path, max_nodes, budget)
            try:  # subscripts: .get calls would cost a tenth of the walk
                st = _get(module, "__dict__")
                params, buffers, children = st["_parameters"], st["_buffers"], st["_modules"]
                training = st["training"] is True
                hooked = (st["_forward_hooks"] or st["_forward_pre_hooks"] or st["_backward_hooks"]
                          or st["_backward_pre_hooks"] or st["_state_dict_hooks"])
            except (AttributeError, KeyError, TypeError):  # __init__ did not run, or another torch
                st, params, buffers, children, training = _loose_state(module)
                hooked = True
            listing: Any = ()
            own = unique = grad = 0
            device = None
            if params:  # inlined: a method call per module measured 3% slower
                listing = []
                for name, t in dict.items(params):
                    if t is None:
                        continue
                    try:  # free in the loop until it raises
                        shape, dtype = t.shape, t.dtype
                    except Exception as err:  # a nested tensor has no sizes
                        self._unreadable(path, name, err)
                        continue
                    # a tuple, and the torch.Size as is: both serialise as JSON lists
                    listing.append((name, shape, dtypes.get(dtype) or _dtype_name(dtype)))
                    # is_cpu first: reading .device makes an object, a tenth of a tensor's cost
                    dev = "cpu" if t.is_cpu else devnames.get(t.device) or _device_name(t.device)
                    if dev != device:
                        device = dev if device is None else "mixed"
                    n = shape.numel()  # half the cost of t.numel()
                    key = id(t)
                    at = seen.get(key)
                    if at is None:
                        seen[key] = index
                        keep.append(t)
                        own += n
                        unique += n
                        if t.requires_grad:
                            grad += n
                    elif at != index and index not in shared.get(key, ()):
                        self._share(key, n, n if t.requires_grad else 0, at, index)
                        own += n
                    # else: the same tensor under a second name of this module
                if len(listing) > LIST_MAX:
                    del listing[LIST_MAX:]
                    self.long_lists.append(path or "the root")
            if buffers:
                buffers, device = self._buffers(buffers, device, path)
            else:
                buffers = ()
            tp = type(module)
            nodes.append([path, depth, classes.get(tp) or self._class_name(tp), listing, buffers,
                          own, unique, grad, device, training, _hooks(st) if hooked else None,
                          None, None if recorded is None else recorded(module)])
            parents.append(parent)
            known = first.setdefault(id(module), index)
            if known != index:
                nodes[index][SHARED] = nodes[known][PATH]
                self.refs.append((index, known))
                continue
            if not children:
                continue
            prefix = path + "." if path else ""
            depth += 1
            for name, child in reversed(dict.items(children)):
                if type(child) in module_types or self._is_module(child):
                    push((child, prefix + name, depth, index))
        return None

    def _cut_text(self, path: str, max_nodes: int, budget: Budget) -> str:
        where = f"before {path or 'the root'} after {len(self.nodes)} modules"
        if len(self.nodes) >= max_nodes:
            why = f"the limit is {max_nodes} modules"
        else:
            why = f"the {budget.elapsed_ms():.0f} ms time budget ran out"
        return f"stopped {where}: {why}; counts cover the modules listed"

    def _is_module(self, child: object) -> bool:
        if issubclass(type(child), self.module_type):
            self.module_types.add(type(child))
            return True
        return False

    def _share(self, key: int, n: int, grad: int, first: int, index: int) -> None:
        """A tensor seen at a second node leaves the bottom-up sums for the shared ones."""
        entry = self.shared.get(key)
        if entry is None:
            self.shared[key] = entry = [n, grad, first]
            node = self.nodes[first]
            node[TOTAL] -= n
            node[TRAINABLE] -= grad
        entry.append(index)

    def _buffers(self, table: dict, device: str | None, path: str) -> tuple[list, str | None]:
        """``[[name, shape, dtype]]`` of the module's own buffers, and the device with them."""
        listing: list[tuple] = []
        dtypes, devnames = _DTYPE_NAMES, _DEVICE_NAMES
        for name, t in dict.items(table):
            if t is None:
                continue
            try:
                listing.append((name, t.shape, dtypes.get(t.dtype) or _dtype_name(t.dtype)))
            except Exception as err:  # a nested tensor has no sizes
                self._unreadable(path, name, err)
                continue
            dev = "cpu" if t.is_cpu else devnames.get(t.device) or _device_name(t.device)
            device = dev if device is None or device == dev else "mixed"
        if len(listing) > LIST_MAX:
            del listing[LIST_MAX:]
            self.long_lists.append(path or "the root")
        return listing, device

    def _class_name(self, tp: type) -> str:
        name = self.classes.get(tp)
        if name is None:
            self.classes[tp] = name = safe_text.short_type(tp)
        return name

    def _link_refs(self) -> None:
        """A module reached again stands for its whole first subtree in its ancestors' totals."""
        if not self.refs:
            return
        by_node: dict[int, list[Any]] = {}
        for t in self.keep:
            entry = self.shared.get(id(t))
            for index in entry[2:] if entry else (self.seen[id(t)],):
                by_node.setdefault(index, []).append(t)
        for ref, known in self.refs:
            for index in range(known, self._subtree_end(known)):
                for t in by_node.get(index, ()):
                    entry = self.shared.get(id(t))
                    if entry is None or ref not in entry[2:]:
                        n = t.numel()
                        self._share(id(t), n, n if t.requires_grad else 0, self.seen[id(t)], ref)

    def _subtree_end(self, start: int) -> int:
        depth = self.nodes[start][DEPTH]
        end = start + 1
        while end < len(self.nodes) and self.nodes[end][DEPTH] > depth:
            end += 1
        return end

    def _totals(self) -> None:
        """Subtree totals: unshared tensors summed bottom-up, shared ones once per ancestor."""
        nodes, parents = self.nodes, self.parents
        for index in range(len(nodes) - 1, 0, -1):
            node = nodes[index]
            total = node[TOTAL]
            if total:
                parent = nodes[parents[index]]
                parent[TOTAL] += total
                parent[TRAINABLE] += node[TRAINABLE]
        for n, grad, *where in self.shared.values():
            for index in self._ancestors(where):
                nodes[index][TOTAL] += n
                nodes[index][TRAINABLE] += grad

    def _ancestors(self, where: list[int]) -> set[int]:
        """The nodes in ``where`` and every node above them."""
        found: set[int] = set()
        for index in where:
            while index >= 0 and index not in found:
                found.add(index)
                index = self.parents[index]
        return found


def _dtype_name(dtype: Any) -> str:
    _DTYPE_NAMES[dtype] = name = str(dtype).removeprefix("torch.")
    return name


def _device_name(device: Any) -> str:
    _DEVICE_NAMES[device] = name = str(device)
    return name


def _hooks(module_state: dict) -> dict[str, int] | None:
    """Nonzero hook counts by kind, leaving out the shape recorder's own hook; None when none."""
    counts: dict[str, int] | None = None
    for kind, attr in HOOK_KINDS:
        table = module_state.get(attr)
        if not issubclass(type(table), dict) or not dict.__len__(table):
            continue
        n = sum(1 for hook in dict.values(table) if hook is not shape_record.record)
        if n:
            counts = counts or {}
            counts[kind] = n
    return counts
