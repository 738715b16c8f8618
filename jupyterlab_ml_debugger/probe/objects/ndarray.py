"""NumPy array statistics: min/max/mean/std over finite elements, NaN/Inf counts.

Chunked and budgeted like ``tensor.py`` (see ``reduction.py``); copies at most one
chunk at a time, so a memory-mapped array is read once and never loaded whole.
``std`` uses NumPy's default ``ddof=0``. Only used when the user imported numpy.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from .. import safe_text
from ..budget import Budget
from .reduction import Part, blank_stats, figures, grid_steps, reduce
from .subclass_reads import overrides_reads

CHUNK = 1 << 18
CANCELLATION = 1e-3
FIELDS_MAX = 8


def is_ndarray(value: object) -> bool:
    """Whether ``value`` is a NumPy array read as one (numpy already imported by the user; a subclass
    that changes how its attributes are read is an object: see ``subclass_reads``)."""
    np = sys.modules.get("numpy")
    tp = type(value)
    return np is not None and issubclass(tp, np.ndarray) and (
        tp is np.ndarray or not overrides_reads(tp, np.ndarray, "numpy"))


def array_stats(a: Any, budget: Budget) -> dict:
    """Stats for ``a`` within ``budget``."""
    np = sys.modules["numpy"]
    stats = blank_stats(list(a.shape), str(a.dtype), "cpu", int(a.size))
    notes = _notes(np, a)
    kind = array_kind(a.dtype)
    if kind is None or a.size == 0:
        reason = "empty" if a.size == 0 else _no_stats_reason(np, a.dtype)
        return {**stats, "note": "; ".join([*notes, reason])}
    data, repeat = _collapse_broadcast(np, a.view(np.ndarray))
    data = _memory_order(np, data)
    reduced = reduce_quietly(np, NumpyBackend(np, kind), data, budget)
    return {**stats, **figures(reduced, repeat, kind, ddof=0, note="; ".join(notes) or None)}


def _notes(np: Any, a: Any) -> list[str]:
    if issubclass(type(a), np.memmap):
        name = a.filename
        name = str(name) if type(name) is str or safe_text.module_name(type(name)) == "pathlib" else "a file"
        return [f"memory-mapped from {safe_text.cap(name, 80)}"]
    if issubclass(type(a), np.ma.MaskedArray):
        return ["masked array: stats over the raw data, mask ignored"]
    return []


def _no_stats_reason(np: Any, dtype: Any) -> str:
    if dtype.names:
        fields = ", ".join(dtype.names[:FIELDS_MAX])
        more = ", …" if len(dtype.names) > FIELDS_MAX else ""
        return f"structured: fields {safe_text.cap(fields, 120)}{more}; no stats"
    if dtype == np.dtype(object):
        return "object array: no stats"
    return f"dtype {dtype}: no stats"


def reduce_quietly(np: Any, backend: "NumpyBackend", data: Any, budget: Budget) -> Any:
    """``reduce`` with NumPy's floating-point warnings off: NaN and Inf are what we
    count, and a warning raised on the probe's thread would land in the user's output."""
    with np.errstate(all="ignore"):
        return reduce(backend, data, budget)


def array_kind(dtype: Any) -> str | None:
    """The reduction kind of a NumPy dtype: bool, complex, float, int, or None."""
    np = sys.modules["numpy"]
    if dtype == np.bool_:
        return "bool"
    if np.issubdtype(dtype, np.complexfloating):
        return "complex"
    if np.issubdtype(dtype, np.floating):
        return "float"
    if np.issubdtype(dtype, np.integer):
        return "int"
    return None


def _collapse_broadcast(np: Any, a: Any) -> tuple[Any, int]:
    """Keep one index of each stride-0 dimension: every element repeats equally."""
    repeat, index = 1, []
    for size, stride in zip(a.shape, a.strides):
        if stride == 0 and size > 1:
            index.append(slice(0, 1))
            repeat *= size
        else:
            index.append(slice(None))
    return a[tuple(index)], repeat


def _memory_order(np: Any, a: Any) -> Any:
    """``a`` flipped and transposed so its strides are positive and decreasing."""
    if a.ndim == 0:
        return a
    a = a[tuple(slice(None, None, -1) if s < 0 else slice(None) for s in a.strides)]
    order = sorted(range(a.ndim), key=lambda d: -a.strides[d])
    return a.transpose(order)


class NumpyBackend:
    """Splits, reduces and samples one array for :func:`.reduction.reduce`."""

    chunk = CHUNK

    def __init__(self, np: Any, kind: str) -> None:
        self.np = np
        self.kind = kind
        self._buffers: dict[Any, Any] = {}

    def numel(self, view: Any) -> int:
        return int(view.size)

    def split(self, view: Any) -> list[Any]:
        if view.flags.c_contiguous:
            flat = view.reshape(-1)
            return [flat[i : i + self.chunk] for i in range(0, flat.size, self.chunk)]
        rows = view.shape[0]
        per_row = view.size // rows
        if per_row >= self.chunk:
            return [view[i] for i in range(rows)]
        step = self.chunk // per_row
        return [view[i : i + step] for i in range(0, rows, step)]

    def sample(self, view: Any, k: int) -> Any:
        return view[tuple(slice(None, None, s) for s in grid_steps(view.shape, k))]

    def resolve(self, records: list[Any]) -> list[Part]:
        return records

    def full(self, view: Any) -> Part:
        np = self.np
        x = np.ascontiguousarray(view).reshape(-1)
        n = int(x.size)
        if self.kind == "int":
            mean, m2 = self._moments(x.astype(np.float64), n)
            return Part(n, 0, 0, mean, m2, int(x.min()), int(x.max()))
        if self.kind == "complex":
            nan, nonfinite = self._counts(x)
            part = self._float_full(np.abs(x))
            return Part(n, nan, nonfinite, part.mean, part.m2, part.lo, part.hi)
        if self.kind == "bool" or x.dtype.itemsize < 4:
            x = x.astype(np.float32)
        elif x.dtype.itemsize > 8:
            x = x.astype(np.float64)
        return self._float_full(x)

    def count(self, view: Any) -> Part:
        np = self.np
        x = np.ascontiguousarray(view).reshape(-1)
        if self.kind in ("int", "bool"):
            return Part(int(x.size), 0, 0)
        if self.kind == "float" and math.isfinite(float(x.sum(dtype=np.float64))):
            return Part(int(x.size), 0, 0)
        return Part(int(x.size), *self._counts(x))

    def _float_full(self, x: Any) -> Part:
        np = self.np
        n = int(x.size)
        with np.errstate(all="ignore"):
            s = float(x.sum())
        if math.isfinite(s):
            mean, m2 = self._moments(x, n, s)
            return Part(n, 0, 0, mean, m2, float(x.min()), float(x.max()))
        nan, nonfinite = self._counts(x)
        finite = n - nonfinite
        if finite == 0:
            return Part(n, nan, nonfinite)
        mask = self._buffers[("mask", "finite")][: x.size]
        bad = np.flatnonzero(~mask)
        z = self._buffer(x)
        np.copyto(z, x)
        # stand-ins equal to a finite element leave min and max unchanged, at full speed
        z[bad] = x[int(np.argmax(mask))]
        lo, hi = float(z.min()), float(z.max())
        z[bad] = 0
        mean, m2 = self._moments(z, finite, bad=bad)
        return Part(n, nan, nonfinite, mean, m2, lo, hi)

    def _counts(self, x: Any) -> tuple[int, int]:
        """NaN and non-finite counts; leaves the finite mask in its buffer."""
        np = self.np
        nan = int(np.count_nonzero(self._mask(x, "nan")))
        return nan, int(x.size) - int(np.count_nonzero(self._mask(x, "finite")))

    def _mask(self, x: Any, which: str) -> Any:
        """``isnan``/``isfinite`` of ``x`` written into a reused boolean buffer."""
        np = self.np
        key = ("mask", which)
        buf = self._buffers.get(key)
        if buf is None or buf.size < x.size:
            buf = self._buffers[key] = np.empty(max(self.chunk, x.size), dtype=bool)
        out = buf[: x.size]
        return (np.isnan if which == "nan" else np.isfinite)(x, out=out)

    def _buffer(self, x: Any) -> Any:
        np = self.np
        buf = self._buffers.get(x.dtype)
        if buf is None or buf.size < x.size:
            buf = self._buffers[x.dtype] = np.empty(max(self.chunk, x.size), dtype=x.dtype)
        return buf[: x.size]

    def _moments(
        self, z: Any, finite: int, s: float | None = None, bad: Any = None
    ) -> tuple[float, float]:
        """Mean and sum of squared deviations; ``z`` has non-finites zeroed (at ``bad``)."""
        np = self.np
        with np.errstate(all="ignore"):
            s = float(z.sum()) if s is None else s
            q = float(np.dot(z, z))
            if not (math.isfinite(s) and math.isfinite(q)) and z.dtype != np.float64:
                return self._moments(z.astype(np.float64), finite, bad=bad)
            mean = s / finite
            m2 = q - s * mean
            if not math.isfinite(q) or m2 >= CANCELLATION * q:
                return mean, m2
            d = z - z.dtype.type(mean)
            if bad is not None:
                d[bad] = 0
            ds = float(d.sum())
            return mean + ds / finite, max(0.0, float(np.dot(d, d)) - ds * ds / finite)
