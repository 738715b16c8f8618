"""The "check tensors" action: find a tensor holding NaN/Inf among a frame's locals.

Looks at each local, one level into builtin lists, tuples and dicts, and at the
parameters (and their gradients) of ``nn.Module`` locals. A floating tensor is
tested by its sum first (one scalar to the host); only a non-finite sum, which an
overflow can also cause, is confirmed element-wise with ``isfinite``.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Iterator, Mapping

from . import containers
from .namespace import Items, visible_items
from .tensor import is_tensor, torch_reads

MAX_TENSORS = 2000
SUB_ITEMS_MAX = 64


def first_nonfinite(frame_globals: Mapping[str, Any], frame_locals: Mapping[str, Any]) -> str | None:
    """The name (``w``, ``batch[1]``, ``model.fc.weight.grad``) of the first tensor with NaN/Inf, or None.

    At module level the locals are the user namespace: IPython's own names are left out."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    with torch_reads():
        items = visible_items(frame_locals) if frame_locals is frame_globals else list(frame_locals.items())
        for count, (name, t) in enumerate(reachable_tensors(torch, items)):
            if count >= MAX_TENSORS:
                return None
            if not is_finite(torch, t):
                return name
    return None


def reachable_tensors(torch: Any, items: Items) -> Iterator[tuple[str, Any]]:
    """(name, tensor) for every tensor the check covers, in the order of the (name, value) items."""
    for name, value in items:
        yield from _tensors_in(torch, str(name), value, depth=1)


def _tensors_in(torch: Any, name: str, value: Any, depth: int) -> Iterator[tuple[str, Any]]:
    if is_tensor(value):
        yield name, value
        if _is_leaf_with_grad(value) and value.grad is not None:
            yield f"{name}.grad", value.grad
    elif isinstance(value, torch.nn.Module):
        for pname, param in torch.nn.Module.named_parameters(value):
            yield f"{name}.{pname}", param
            if param.grad is not None:
                yield f"{name}.{pname}.grad", param.grad
    elif depth > 0 and containers.container_base(value) is not None:
        for index, item in enumerate(_sub_items(value)):
            if index >= SUB_ITEMS_MAX:
                return
            label, sub = item
            yield from _tensors_in(torch, f"{name}[{label}]", sub, depth - 1)


def _is_leaf_with_grad(t: Any) -> bool:
    """Only leaves keep ``.grad``; reading it on a non-leaf makes torch warn."""
    return bool(t.is_leaf and t.requires_grad)


def _sub_items(value: Any) -> Iterator[tuple[str, Any]]:
    if containers.is_mapping(value):
        for key, item in containers.items(value):
            yield (repr(key) if type(key) in (str, int) else "…"), item
    else:
        for index, item in enumerate(containers.items(value)):
            yield str(index), item


def is_finite(torch: Any, t: Any) -> bool:
    """Whether every element of ``t`` is finite (integer and bool tensors always are)."""
    if not (t.is_floating_point() or t.is_complex()) or t.layout != torch.strided:
        return True
    if t.device.type == "meta" or t.numel() == 0:
        return True
    total = t.sum().abs().item()
    if math.isfinite(total):
        return True
    return bool(torch.isfinite(t).all().item())
