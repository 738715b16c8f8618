"""The tensor viewer's histogram: the finite values of a whole tensor or array, binned.

Two passes over bounded chunks: the first finds the finite range and the NaN/Inf
counts, the second bins every finite value into ``bins`` equal bins over that range
(a value equal to the maximum goes in the last bin). Device tensors stay on their
device: range and counts are kept as device tensors and come back in one copy at the
end. A pass that would overrun the time budget is abandoned for a deterministic
strided sample, whose counts are scaled to the whole tensor and marked not exact.
Reads only, with no autograd graph; stride-0 (broadcast) dimensions are read once.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Iterator, Protocol

from ..budget import Budget
from ..objects.ndarray import NumpyBackend, _collapse_broadcast as _array_broadcast
from ..objects.ndarray import _memory_order as _array_order
from ..objects.ndarray import array_kind
from ..objects.reduction import grid_steps
from ..objects.tensor import (DEVICE_CHUNK, TorchBackend, _collapse_broadcast, _memory_order,
                              _numpy_view, is_tensor, torch_reads)
from .tensor_slice import check_array, check_readable, wide_float

Json = dict[str, Any]

# A NumPy chunk's temporaries (float64 copy, bin indices, masks) take about 30 bytes
# an element: 1M elements keep them near 30 MB.
CPU_CHUNK = 1 << 20
SAMPLE_SIZE = 1 << 20


class OutOfTime(Exception):
    """The budget ran out during an exact pass."""


class Bins(Protocol):
    """How one kind of array is chunked, scanned for its range, and binned."""

    view: Any

    def numel(self, view: Any) -> int: ...

    def chunks(self, view: Any) -> Iterator[Any]: ...

    def sample(self, view: Any, k: int) -> Any: ...

    def start(self) -> Any: ...

    def scan(self, state: Any, chunk: Any) -> Any: ...

    def range(self, state: Any) -> tuple[Any, Any]: ...

    def zeros(self, bins: int) -> Any: ...

    def bin(self, counts: Any, chunk: Any, lo: Any, span: Any, bins: int) -> Any: ...

    def finish(self, state: Any, lo: Any, span: Any, counts: Any) -> tuple:
        """(nan, nonfinite, lo, span, counts) as Python numbers: the one host sync."""


def histogram(value: Any, bins: int, budget: Budget) -> Json:
    """The Histogram of a tensor or NumPy array (already known to be one of them)."""
    if is_tensor(value):
        torch = sys.modules["torch"]
        with torch_reads():
            check_readable(torch, value)
            device = str(value.device)
            numel = int(value.numel())
            array = _numpy_view(torch, value) if value.device.type == "cpu" else None
            if array is None:
                data, repeat = _collapse_broadcast(value.detach())
                ops: Bins = TorchBins(torch, _memory_order(data))
            else:
                ops, repeat = _numpy_ops(array)
            figures = _binned(ops, bins, repeat, numel, budget)
    else:
        check_array(value)
        device, numel = "cpu", int(value.size)
        ops, repeat = _numpy_ops(value)
        figures = _binned(ops, bins, repeat, numel, budget)
    return {**figures, "numel": numel, "device": device, "elapsed_ms": budget.elapsed_ms()}


def _numpy_ops(a: Any) -> tuple[NumpyBins, int]:
    np = sys.modules["numpy"]
    data, repeat = _array_broadcast(np, a.view(np.ndarray))
    return NumpyBins(np, _array_order(np, data)), repeat


def _binned(ops: Bins, bins: int, repeat: int, numel: int, budget: Budget) -> Json:
    """Edges, counts and NaN/Inf counts, exact within the budget, else from a sample."""
    view, factor, exact = ops.view, repeat, True
    try:
        found = _passes(ops, view, bins, budget)
    except OutOfTime:
        view = ops.sample(view, SAMPLE_SIZE)
        found = _passes(ops, view, bins, None)
        sampled = ops.numel(view)
        factor, exact = (numel / sampled if sampled else 0), False
    nan, nonfinite, lo, span, counts = found
    finite = sum(counts)
    return {
        "edges": [lo + span * i / bins for i in range(bins + 1)] if finite else [],
        "counts": [_scaled(c, factor, exact) for c in counts] if finite else [],
        "nan": _scaled(nan, factor, exact),
        "inf": _scaled(nonfinite - nan, factor, exact),
        "exact": exact,
    }


def _scaled(count: float, factor: float, exact: bool) -> int:
    return int(count) * int(factor) if exact else round(count * factor)


def _passes(ops: Bins, view: Any, bins: int, budget: Budget | None) -> tuple:
    """(nan, nonfinite, lo, span, counts) over ``view``; OutOfTime when the budget expires."""
    chunks = list(ops.chunks(view))
    state = ops.start()
    for chunk in chunks:
        _check(budget)
        state = ops.scan(state, chunk)
    lo, span = ops.range(state)
    counts = ops.zeros(bins)
    for chunk in chunks:
        _check(budget)
        counts = ops.bin(counts, chunk, lo, span, bins)
    return ops.finish(state, lo, span, counts)


def _check(budget: Budget | None) -> None:
    if budget is not None and budget.expired():
        raise OutOfTime


def _span(lo: float, hi: float) -> tuple[float, float]:
    """The binned range: equal values get a range of one around them, as NumPy does."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0
    if hi > lo:
        return lo, hi - lo
    return lo - 0.5, 1.0


def _chunks(view: Any, size: int, numel: Any, split: Any) -> Iterator[Any]:
    """Views of at most ``size`` elements covering ``view`` (views, no copy)."""
    if numel(view) <= size:
        yield view
        return
    for part in split(view):
        yield from _chunks(part, size, numel, split)


class NumpyBins:
    """Chunks, range and binning of a NumPy array, in float64 on the host."""

    def __init__(self, np: Any, view: Any) -> None:
        self.np = np
        self.view = view
        self.kind = array_kind(view.dtype)
        self._split = NumpyBackend(np, self.kind or "float").split

    def numel(self, view: Any) -> int:
        return int(view.size)

    def chunks(self, view: Any) -> Iterator[Any]:
        return _chunks(view, CPU_CHUNK, self.numel, self._split)

    def sample(self, view: Any, k: int) -> Any:
        return view[tuple(slice(None, None, s) for s in grid_steps(view.shape, k))]

    def values(self, chunk: Any) -> Any:
        """The chunk as a flat float64 array (magnitudes for complex)."""
        np = self.np
        x = np.asarray(chunk).reshape(-1)
        return np.abs(x).astype(np.float64) if self.kind == "complex" else x.astype(np.float64)

    def start(self) -> list[float]:
        return [0, 0, math.inf, -math.inf]

    def scan(self, state: list[float], chunk: Any) -> list[float]:
        np = self.np
        with np.errstate(all="ignore"):
            x = self.values(chunk)
            finite = np.isfinite(x)
            count = int(np.count_nonzero(finite))
            nan = int(np.count_nonzero(np.isnan(x))) if count < x.size else 0
            lo, hi = state[2], state[3]
            if count:
                kept = x if count == x.size else x[finite]
                lo, hi = min(lo, float(kept.min())), max(hi, float(kept.max()))
        return [state[0] + nan, state[1] + x.size - count, lo, hi]

    def range(self, state: list[float]) -> tuple[float, float]:
        return _span(state[2], state[3])

    def zeros(self, bins: int) -> Any:
        return self.np.zeros(bins, dtype=self.np.int64)

    def bin(self, counts: Any, chunk: Any, lo: float, span: float, bins: int) -> Any:
        np = self.np
        with np.errstate(all="ignore"):
            x = self.values(chunk)
            x = x[np.isfinite(x)]
            index = np.floor((x - lo) * (bins / span))
            index = np.clip(index, 0, bins - 1).astype(np.intp)
        return counts + np.bincount(index, minlength=bins)

    def finish(self, state: list[float], lo: float, span: float, counts: Any) -> tuple:
        return state[0], state[1], lo, span, [int(c) for c in counts]


class TorchBins:
    """Chunks, range and binning of a tensor on its device, synced once in ``finish``."""

    def __init__(self, torch: Any, view: Any) -> None:
        self.torch = torch
        self.view = view
        self.device = view.device
        self.wide = wide_float(torch, view.device)
        self._split = TorchBackend(torch, view, deferred=True).split

    def numel(self, view: Any) -> int:
        return int(view.numel())

    def chunks(self, view: Any) -> Iterator[Any]:
        return _chunks(view, DEVICE_CHUNK, self.numel, self._split)

    def sample(self, view: Any, k: int) -> Any:
        return view[tuple(slice(None, None, s) for s in grid_steps(view.shape, k))]

    def values(self, chunk: Any) -> Any:
        """The chunk as a flat float64 tensor (float32 on MPS; magnitudes for complex)."""
        x = chunk.reshape(-1)
        return (x.abs() if x.dtype.is_complex else x).to(self.wide)

    def start(self) -> Any:
        # filled on the device: a tensor copied from the host would cost a sync
        state = self.torch.zeros(4, dtype=self.wide, device=self.device)
        state[2:3].fill_(math.inf)
        state[3:].fill_(-math.inf)
        return state

    def scan(self, state: Any, chunk: Any) -> Any:
        torch = self.torch
        x = self.values(chunk)
        finite = torch.isfinite(x)
        found = torch.stack([
            torch.isnan(x).sum().to(self.wide),
            (x.numel() - finite.sum()).to(self.wide),
            torch.where(finite, x, math.inf).min(),
            torch.where(finite, x, -math.inf).max(),
        ])
        counts = state[:2] + found[:2]
        return torch.cat([counts, torch.minimum(state[2:3], found[2:3]),
                          torch.maximum(state[3:], found[3:])])

    def range(self, state: Any) -> tuple[Any, Any]:
        """``_span`` on the device: no host sync between the passes."""
        torch = self.torch
        lo, hi = state[2], state[3]
        finite = torch.isfinite(lo) & torch.isfinite(hi)
        spread = finite & (hi > lo)
        start = torch.where(spread, lo, torch.where(finite, lo - 0.5, 0.0))
        return start, torch.where(spread, hi - lo, 1.0)

    def zeros(self, bins: int) -> Any:
        return self.torch.zeros(bins, dtype=self.wide, device=self.device)

    def bin(self, counts: Any, chunk: Any, lo: Any, span: Any, bins: int) -> Any:
        torch = self.torch
        x = self.values(chunk)
        position = ((x - lo) * (bins / span)).clamp_(0, bins)
        # histc over [0, bins] bins position p into floor(p) (p == bins into the last
        # bin) and ignores the -1 that stands in for NaN and Inf
        position = torch.where(torch.isfinite(x), position, -1.0)
        return counts + torch.histc(position, bins, 0, bins)

    def finish(self, state: Any, lo: Any, span: Any, counts: Any) -> tuple:
        torch = self.torch
        row = torch.cat([state[:2], lo.reshape(1), span.reshape(1), counts]).tolist()
        return row[0], row[1], row[2], row[3], [round(c) for c in row[4:]]
