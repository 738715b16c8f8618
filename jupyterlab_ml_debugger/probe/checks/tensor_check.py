"""Finding NaN/Inf in tensors: the "check tensors" action, and the counts a scan reports.

The action looks at each local, one level into builtin lists, tuples and dicts, and at
the parameters (and their gradients) of ``nn.Module`` locals. A floating tensor is
tested by its sum first (one scalar to the host); only a non-finite sum, which an
overflow can also cause, is confirmed element-wise with ``isfinite``. The scan's counts
(:func:`host_facts`, :func:`device_facts`) test each piece of a tensor the same way.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import sys
from typing import Any, Callable, Iterator, Mapping, Optional

from ..budget import Budget
from ..objects import containers
from ..objects.tensor import DEVICE_CHUNK, _collapse_broadcast, _numpy_view, _own_dispatch, is_tensor, torch_reads
from ..stack.namespace import Items, visible_items

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
    elif issubclass(type(value), torch.nn.Module):
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
    # copied at once, in C: another thread cannot resize the container while it is walked
    looked = list(itertools.islice(containers.items(value), SUB_ITEMS_MAX))
    if containers.is_mapping(value):
        for key, item in looked:
            yield (repr(key) if type(key) in (str, int) else "…"), item
    else:
        for index, item in enumerate(looked):
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


# The counts a scan reports: NaN count, Inf count, and the index of the first bad element.
Facts = tuple[int, int, Optional[list[int]]]
# Elements per piece: a bad piece's masks cost a few bytes an element, so this bounds the
# memory a check takes (see DEVICE_CHUNK in tensor.py), and the budget is checked per piece.
CPU_PIECE = 1 << 20


def checkable(torch: Any, t: Any) -> tuple[Any, int] | None:
    """The data to check and how often each of its elements repeats in ``t`` (0: the stored values
    of a sparse tensor, which have no row-major positions), or None when ``t`` cannot hold NaN/Inf
    or has no data to read (integer, bool, meta, quantized, empty, a dispatch subclass)."""
    if not (t.is_floating_point() or t.is_complex()) or t.is_quantized:
        return None
    if t.device.type == "meta" or t.numel() == 0 or _own_dispatch(t) is not None:
        return None
    if t.layout != torch.strided:
        values = t._values() if t.layout == torch.sparse_coo else t.values()
        return (values, 0) if values.numel() else None
    return _collapse_broadcast(t)


def host_facts(torch: Any, data: Any, repeat: int, budget: Budget) -> Facts | None:
    """Facts of a CPU tensor from :func:`checkable`, through a zero-copy NumPy view where there is
    one (torch ops from the probe's thread fight the main thread's OpenMP team); None when
    ``budget`` ran out first."""
    array = _numpy_view(torch, data)
    lib, contiguous = (torch, _torch_contiguous) if array is None else (sys.modules["numpy"], _numpy_contiguous)
    source = data if array is None else array
    nan = nonfinite = 0
    first = None
    errstate = lib.errstate(all="ignore") if array is not None else contextlib.nullcontext()
    with errstate:
        for offset, piece in pieces(source, CPU_PIECE, contiguous):
            if budget.expired():
                return None
            found = _piece_facts(lib, piece)
            if found is not None:
                nan, nonfinite = nan + found[0], nonfinite + found[1]
                first = offset + found[2] if first is None else first
    return _facts(data, repeat, nan, nonfinite, first)


def _piece_facts(lib: Any, piece: Any) -> tuple[int, int, int] | None:
    """(NaN count, non-finite count, offset of the first) in a 1-D piece; None when all are finite."""
    if bool(lib.isfinite(piece.sum())):
        return None  # one pass and no mask for a clean piece, the common case
    bad = ~lib.isfinite(piece)
    nonfinite = int(lib.count_nonzero(bad))
    if nonfinite == 0:
        return None  # the sum overflowed, yet every element is finite
    nan = int(lib.count_nonzero(lib.isnan(piece)))
    return nan, nonfinite, int(lib.argmax(bad.view(lib.uint8)))


def device_suspects(torch: Any, datas: list[Any]) -> list[bool]:
    """Whether each device tensor's sum is not finite (all on one device): one host sync for all."""
    flags = torch.stack([~torch.isfinite(d.sum()) for d in datas])
    return [bool(f) for f in flags.tolist()]


def device_facts(torch: Any, data: Any, repeat: int) -> Facts:
    """Facts of a device tensor from :func:`checkable`, reduced on its device piece by piece
    (bounded memory) and brought to the host in one sync."""
    rows = []
    for offset, piece in pieces(data, DEVICE_CHUNK, _torch_contiguous):
        bad = ~torch.isfinite(piece)
        rows.append(torch.stack([
            torch.isnan(piece).sum(), bad.sum(), bad.any().long(),
            torch.argmax(bad.view(torch.uint8)) + offset,
        ]))
    nan = nonfinite = 0
    first = None
    for row_nan, row_bad, row_any, row_first in torch.stack(rows).tolist():
        nan, nonfinite = nan + row_nan, nonfinite + row_bad
        if first is None and row_any:
            first = row_first
    return _facts(data, repeat, nan, nonfinite, first)


def _facts(data: Any, repeat: int, nan: int, nonfinite: int, first: int | None) -> Facts:
    """Counts scaled to the broadcast tensor; ``first`` as an index into it (None for sparse values)."""
    scale = max(repeat, 1)  # sparse values (repeat 0) are each stored once
    index = unravel(first, list(data.shape)) if first is not None and repeat else None
    return nan * scale, (nonfinite - nan) * scale, index


def unravel(flat: int, shape: list[int]) -> list[int]:
    """The row-major index of element ``flat`` of a tensor of ``shape``."""
    index = []
    for size in reversed(shape):
        flat, rest = divmod(flat, size) if size else (flat, 0)
        index.append(rest)
    return index[::-1]


def pieces(x: Any, size: int, contiguous: Callable[[Any], bool]) -> Iterator[tuple[int, Any]]:
    """(row-major offset, 1-D piece) of a tensor or array, about ``size`` elements each,
    in row-major order; only a non-contiguous piece is copied, one at a time."""
    n = int(math.prod(x.shape))
    if x.ndim <= 1 or contiguous(x):
        flat = x.reshape(-1)
        for start in range(0, n, size):
            yield start, flat[start : start + size]
        return
    rows = x.shape[0]
    per_row = n // rows if rows else 0
    if per_row == 0:
        return
    if per_row >= size:
        for i in range(rows):
            for offset, piece in pieces(x[i], size, contiguous):
                yield i * per_row + offset, piece
        return
    step = size // per_row
    for i in range(0, rows, step):
        yield i * per_row, x[i : i + step].reshape(-1)


def _torch_contiguous(t: Any) -> bool:
    return bool(t.is_contiguous())


def _numpy_contiguous(a: Any) -> bool:
    return bool(a.flags.c_contiguous)
