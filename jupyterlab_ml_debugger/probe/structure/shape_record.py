"""Passive shape recording: forward hooks that remember each module's input and output shapes.

The hooks run inside the user's forward pass, so they keep only lists of ints and
type names (never a tensor), never raise, and never return a value (a forward hook
that returns one replaces the module's output).
"""

from __future__ import annotations

import sys
import weakref
from typing import Any, Iterable

from .. import safe_text

Json = dict[str, Any]

# Entries kept per side; nested tuples, lists and dicts are flattened in order.
IO_MAX = 16
NEST_MAX = 3
MORE = "…"

_shapes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_handles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_roots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def record(module: Any, inputs: Any, output: Any) -> None:
    """The forward hook: store the shapes of this call's inputs and output."""
    try:
        _shapes[module] = {"in": shapes(inputs), "out": shapes(output)}
    except Exception:  # a failure here must never reach the user's forward
        pass


def shapes(value: Any) -> list:
    """Shapes of the tensors in ``value`` (type names for anything else); MORE after IO_MAX."""
    out: list = []
    _flatten(value, out, 0)
    return out


def _flatten(value: Any, out: list, depth: int) -> None:
    if len(out) >= IO_MAX:
        if len(out) == IO_MAX:
            out.append(MORE)
        return
    tp = type(value)
    torch = sys.modules.get("torch")
    if torch is not None and issubclass(tp, torch.Tensor):
        out.append(_shape(torch, value, tp))
    elif depth < NEST_MAX and issubclass(tp, (tuple, list)):
        items = tuple.__iter__(value) if issubclass(tp, tuple) else list.__iter__(value)
        for item in items:
            _flatten(item, out, depth + 1)
    elif depth < NEST_MAX and issubclass(tp, dict):
        for item in dict.values(value):
            _flatten(item, out, depth + 1)
    else:
        out.append(safe_text.short_type(tp))


def _shape(torch: Any, t: Any, tp: type) -> list[int]:
    if tp is torch.Tensor or tp is torch.nn.Parameter:
        return list(t.shape)
    # a subclass's __torch_function__ is user code: read its shape as a plain tensor
    with torch._C.DisableTorchFunctionSubclass():
        return list(t.shape)


def start(root: Any, modules: Iterable[Any]) -> int:
    """Hook every module not hooked yet; the number of modules under ``root`` now recording."""
    torch = sys.modules["torch"]
    refs = []
    for module in modules:
        if module not in _handles:
            _handles[module] = torch.nn.Module.register_forward_hook(module, record)
        refs.append(weakref.ref(module))
    _roots[root] = refs
    return len(refs)


def stop(root: Any, modules: Iterable[Any]) -> int:
    """Remove the hooks of ``modules`` and of those ``root`` hooked before; how many were removed."""
    remembered = [ref() for ref in _roots.pop(root, [])]
    removed = 0
    for module in [*modules, *remembered]:
        handle = _handles.pop(module, None) if module is not None else None
        if handle is not None:
            handle.remove()
            _shapes.pop(module, None)
            removed += 1
    return removed


def is_recording(module: Any) -> bool:
    """Whether ``module`` carries the recorder's hook."""
    try:
        return module in _handles
    except TypeError:  # a module class that made itself unhashable
        return False


def any_recording() -> bool:
    """Whether any module is recording (lets a walk skip the lookups)."""
    return len(_handles) > 0


def io_of(module: Any) -> Json | None:
    """``{"in": [...], "out": [...]}`` of the module's last recorded forward, else None."""
    try:
        return _shapes.get(module)
    except TypeError:
        return None
