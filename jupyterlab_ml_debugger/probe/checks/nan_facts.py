"""Finiteness tests and TensorFacts for the origin watch, cheap enough to run in every hook.

A floating tensor is tested by one reduction: its sum is non-finite iff an element is
NaN/Inf or the finite sum overflowed, which ``isfinite`` then settles. Integer, bool,
sparse and meta tensors cannot hold NaN/Inf (or cannot be read) and are skipped.
"""

from __future__ import annotations

import math
from typing import Any

from ..objects.tensor import plain_tensors

Json = dict[str, Any]

# Tuples, lists and dict values are searched this deep for tensors; None adds none.
NEST_MAX = 3
TENSORS_MAX = 64

# Tensors of at least ROWS_FROM elements (a multiple of ROWS) are summed as ROWS rows.
ROWS, ROWS_FROM = 8, 1 << 20


def tensors_in(torch: Any, value: Any, out: list | None = None, depth: int = 0) -> list:
    """The tensors in a module's inputs or output (tuples, lists, dict values), in order."""
    out = [] if out is None else out
    if issubclass(type(value), torch.Tensor):
        out.append(value)
    elif depth < NEST_MAX and len(out) < TENSORS_MAX:
        if type(value) in (tuple, list):
            for item in value:
                tensors_in(torch, item, out, depth + 1)
        elif type(value) is dict:
            for item in dict.values(value):
                tensors_in(torch, item, out, depth + 1)
    return out


def checkable(torch: Any, t: Any) -> bool:
    """Whether ``t`` can hold NaN/Inf and can be read here (floating or complex, strided, not meta)."""
    return (t.is_floating_point() or t.is_complex()) and t.layout is torch.strided \
        and not t.is_meta


def is_finite(torch: Any, t: Any) -> bool:
    """Every element finite, by one sum (a host read of one scalar) and ``isfinite`` only if needed."""
    if type(t) is torch.Tensor and t.is_floating_point() and t.layout is torch.strided and not t.is_meta:
        # the common case, run in every hook: detach rather than a no_grad context per call
        numel = t.numel()
        if numel >= ROWS_FROM and numel % ROWS == 0 and t.is_contiguous():
            # a large tensor fresh from a kernel is summed faster as rows, read back together
            if all(map(math.isfinite, t.detach().view(ROWS, -1).sum(1).tolist())):
                return True
        elif math.isfinite(t.detach().sum().item()):
            return True
        return bool(torch.isfinite(t).all().item())
    if not checkable(torch, t):
        return True
    if type(t) is not torch.Tensor and type(t) is not torch.nn.Parameter:
        with plain_tensors(torch):  # a subclass's __torch_function__ is user code
            return _sum_finite(torch, t)
    return _sum_finite(torch, t)


def _sum_finite(torch: Any, t: Any) -> bool:
    with torch.no_grad():
        if math.isfinite(abs(t.sum().item())):
            return True
        return bool(torch.isfinite(t).all().item())


def device_flag(torch: Any, t: Any) -> Any:
    """A 0-dim bool on ``t``'s device, True when the sum is finite; read later with others."""
    with torch.no_grad():
        return torch.isfinite(t.sum())


def all_finite(torch: Any, tensors: list) -> bool:
    """Whether every tensor in the list is finite."""
    return all(is_finite(torch, t) for t in tensors)


def facts(torch: Any, name: str, t: Any) -> Json:
    """TensorFacts of one tensor: shape, dtype, device, NaN/Inf counts and finite min/max."""
    row: Json = {"name": name, "shape": list(t.shape), "dtype": str(t.dtype).removeprefix("torch."),
                 "device": str(t.device), "nan": 0, "inf": 0, "min": None, "max": None}
    if t.layout is not torch.strided or t.is_meta:
        return row
    with torch.no_grad(), plain_tensors(torch):
        x = t.detach()
        if x.dtype is torch.bool:
            x = x.to(torch.uint8)
        if x.is_complex():
            x = torch.view_as_real(x)
        if x.is_floating_point():
            row["nan"] = int(torch.isnan(x).sum().item())
            row["inf"] = int(torch.isinf(x).sum().item())
            x = x[torch.isfinite(x)]
        if x.numel():
            low, high = torch.aminmax(x.flatten())
            row["min"], row["max"] = float(low.item()), float(high.item())
    return row


def tensor_list_facts(torch: Any, prefix: str, tensors: list) -> list[Json]:
    """TensorFacts named ``prefix[i]`` (just ``prefix`` for a single tensor)."""
    if len(tensors) == 1:
        return [facts(torch, prefix, tensors[0])]
    return [facts(torch, f"{prefix}[{i}]", t) for i, t in enumerate(tensors)]


def weight_facts(torch: Any, module: Any, grads: bool = False) -> list[Json]:
    """TensorFacts of a module's own parameters (or of their gradients, named ``.grad``)."""
    params = vars(module).get("_parameters") or {}
    rows = []
    for name, param in params.items():
        if param is None:
            continue
        if grads:
            if param.grad is not None:
                rows.append(facts(torch, f"{name}.grad", param.grad))
        else:
            rows.append(facts(torch, name, param))
    return rows
