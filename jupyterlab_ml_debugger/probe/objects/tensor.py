"""Torch tensor statistics: min/max/mean/std over finite elements, NaN/Inf counts.

Reads only: under ``torch.no_grad()``, never bumps ``_version``, never touches the
RNG (sampling is strided), never copies more than one chunk, never moves a device
tensor to the host (device chunks are reduced on the device and every scalar comes
back in one ``tolist``). ``std`` uses torch's default correction (n - 1).
Only used when the user imported torch: the module is taken from ``sys.modules``.
"""

from __future__ import annotations

import contextlib
import math
import sys
import types
from typing import Any, Iterator

from ..budget import Budget
from .reduction import Part, blank_stats, figures, grid_steps, reduce
from .subclass_reads import overrides_reads

CPU_CHUNK = 1 << 18
# A device chunk's temporaries (a float64 copy, a mask, centred values) take
# about 35 bytes an element. Measured on an H200 for 1e8 float32: 16M-element
# chunks took 7.5 ms and 550 MB of transient device memory, 1M took 56 ms and
# 35 MB, 4M took 16 ms and 138 MB: looking at a tensor must not push a nearly
# full GPU out of memory, nor cost a step.
DEVICE_CHUNK = 1 << 22
# When m2 = sum(x^2) - sum(x)^2/n keeps less than this fraction of sum(x^2), float
# rounding dominates it: recompute the chunk centred on its mean.
CANCELLATION = 1e-3


def is_tensor(value: object) -> bool:
    """Whether ``value`` is a torch tensor (torch already imported by the user), by its type:
    ``isinstance`` would read ``__class__`` through a user's ``__getattribute__``."""
    return is_tensor_type(type(value))


def is_tensor_type(tp: type) -> bool:
    """Whether ``tp`` is torch's Tensor or a subclass read as one, torch already imported by the user
    (a subclass that changes how its attributes are read is an object: see ``subclass_reads``)."""
    torch = sys.modules.get("torch")
    # A dict lookup: while a cell is still importing torch, the module has no Tensor yet.
    tensor = vars(torch).get("Tensor") if type(torch) is types.ModuleType else None
    return isinstance(tensor, type) and issubclass(tp, tensor) and (
        tp is tensor or not overrides_reads(tp, tensor, "torch"))


def tensor_stats(t: Any, budget: Budget, *, deferred: bool | None = None) -> dict:
    """Stats for ``t`` within ``budget``; ``deferred`` forces the one-sync device path."""
    torch = sys.modules["torch"]
    with plain_tensors(torch), torch.no_grad():
        stats = _base(torch, t)
        dispatch = _own_dispatch(t)
        if dispatch is not None:
            return {**stats, "note": f"tensor subclass {dispatch}: no stats"}
        if t.device.type == "meta":
            return {**stats, "note": "meta tensor: no data"}
        data, note = t, None
        if t.layout != torch.strided:
            data = t._values() if t.layout == torch.sparse_coo else t.values()
            note = f"sparse ({_layout(t)}): stats over {data.numel()} stored values"
        elif t.is_quantized:
            note = f"quantized ({_qscheme(t)}): stats over dequantized values"
        if data.numel() == 0:
            return {**stats, "note": note or "empty"}
        data, repeat = _collapse_broadcast(data)
        data = _memory_order(data)
        if deferred is None:
            deferred = data.device.type != "cpu"
        array = None if deferred else _numpy_view(torch, data)
        if array is not None:
            from .ndarray import NumpyBackend, array_kind, reduce_quietly

            np = sys.modules["numpy"]
            backend: Any = NumpyBackend(np, array_kind(array.dtype))
            reduced = reduce_quietly(np, backend, array, budget)
        else:
            backend = TorchBackend(torch, data, deferred)
            reduced = reduce(backend, data, budget)
        return {**stats, **figures(reduced, repeat, backend.kind, ddof=1, note=note)}


def _numpy_view(torch: Any, t: Any) -> Any:
    """A zero-copy NumPy view of a plain CPU tensor, or None when there is none.

    The probe runs on a subshell thread, and torch ops started from a second
    thread get their own OpenMP team, which fights the main thread's spinning
    team for the cores: a 1e8-element reduction took 310 ms that way, 95 ms
    through NumPy (single-threaded, no OpenMP) and 80 ms from the main thread."""
    np = sys.modules.get("numpy")
    if np is None or t.is_quantized or t.is_conj() or t.is_neg():
        return None
    if t.dtype not in _numpy_dtypes(torch):
        return None
    try:
        return t.detach().numpy()
    except (RuntimeError, TypeError):
        return None


def _numpy_dtypes(torch: Any) -> tuple:
    """Tensor dtypes NumPy reads as they are (bfloat16 is not among them)."""
    return (
        torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128,
        torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.bool,
    )


def tensor_nbytes(t: Any) -> int:
    """Bytes the tensor holds: its storage, so a broadcast view counts as small."""
    torch = sys.modules["torch"]
    with plain_tensors(torch):
        if t.device.type == "meta" or t.layout != torch.strided:
            return 0
        return min(t.numel() * t.element_size(), t.untyped_storage().nbytes())


def _base(torch: Any, t: Any) -> dict:
    """Shape, dtype, device and gradient facts, without reading a non-leaf's ``.grad``."""
    if t.requires_grad and not t.is_leaf:
        has_grad = bool(t.retains_grad) and t.grad is not None
    else:
        has_grad = t.grad is not None
    return blank_stats(
        list(t.shape), str(t.dtype).removeprefix("torch."), str(t.device), t.numel(),
        requires_grad=bool(t.requires_grad), has_grad=has_grad,
    )


def _collapse_broadcast(t: Any) -> tuple[Any, int]:
    """Narrow stride-0 dimensions to size 1: every remaining element repeats equally."""
    repeat = 1
    if t.is_quantized:
        return t, repeat
    for dim, (size, stride) in enumerate(zip(t.shape, t.stride())):
        if stride == 0 and size > 1:
            t = t.narrow(dim, 0, 1)
            repeat *= size
    return t, repeat


def _memory_order(t: Any) -> Any:
    """``t`` permuted so its strides decrease: the statistics ignore element order, and
    walking memory in order turns a transposed tensor back into a contiguous one."""
    if t.is_quantized or t.dim() < 2:
        return t
    order = sorted(range(t.dim()), key=lambda d: -t.stride(d))
    return t.permute(*order)


def _own_dispatch(t: Any) -> str | None:
    """The name of a subclass that reroutes tensor ops through Python, if any."""
    for cls in type(t).__mro__:
        if "__torch_dispatch__" in vars(cls):
            return None if cls.__module__.startswith("torch") else cls.__qualname__
    return None


def plain_tensors(torch: Any) -> Any:
    """Keep subclasses' ``__torch_function__`` (user code) out of our ops."""
    disable = getattr(torch._C, "DisableTorchFunctionSubclass", None)
    return disable() if disable is not None else contextlib.nullcontext()


@contextlib.contextmanager
def torch_reads() -> Iterator[None]:
    """No autograd and no subclass hooks while reading tensors, if torch is loaded."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    with plain_tensors(torch), torch.no_grad():
        yield


def tensor_head(t: Any) -> tuple[list[int], str]:
    """Shape and dtype name, read without subclass hooks."""
    with torch_reads():
        return list(t.shape), str(t.dtype).removeprefix("torch.")


def _layout(t: Any) -> str:
    return str(t.layout).removeprefix("torch.").removeprefix("sparse_")


def _qscheme(t: Any) -> str:
    return str(t.qscheme()).removeprefix("torch.")


def _kind(torch: Any, dtype: Any) -> str:
    if dtype == torch.bool:
        return "bool"
    if dtype.is_complex:
        return "complex"
    if dtype.is_floating_point:
        return "float"
    return "int"


class TorchBackend:
    """Splits, reduces and samples one tensor for :func:`.reduction.reduce`."""

    def __init__(self, torch: Any, t: Any, deferred: bool) -> None:
        self.torch = torch
        self.deferred = deferred
        self.quantized = bool(t.is_quantized)
        self.kind = "float" if self.quantized else _kind(torch, t.dtype)
        self.chunk = DEVICE_CHUNK if deferred else CPU_CHUNK
        self._buffers: dict[Any, Any] = {}

    def numel(self, view: Any) -> int:
        return view.numel()

    def split(self, view: Any) -> list[Any]:
        if view.is_contiguous() and not self.quantized:
            flat = view.view(-1)
            return [flat[i : i + self.chunk] for i in range(0, flat.numel(), self.chunk)]
        rows = view.shape[0]
        per_row = view.numel() // rows
        if per_row >= self.chunk:
            return [view[i] for i in range(rows)]
        step = self.chunk // per_row
        return [view[i : i + step] for i in range(0, rows, step)]

    def sample(self, view: Any, k: int) -> Any:
        steps = grid_steps(view.shape, k)
        return view[tuple(slice(None, None, s) for s in steps)]

    def full(self, view: Any) -> Any:
        x, counts = self._prepare(view)
        if self.deferred:
            return self._device_full(x, counts)
        part = self._cpu_full(x)
        if counts is not None:
            part = Part(part.n, counts[0], counts[1], part.mean, part.m2, part.lo, part.hi)
        return part

    def count(self, view: Any) -> Any:
        x, counts = self._prepare(view)
        if self.deferred:
            nan, nonfinite = counts if counts is not None else self._device_counts(x)
            return self._vector([x.numel(), nan, nonfinite, 0, 0, 0, 0])
        if counts is not None:
            return Part(x.numel(), *counts)
        if self.kind != "float" or math.isfinite(x.sum().item()):
            return Part(x.numel(), 0, 0)
        return Part(x.numel(), *self._cpu_counts(x))

    def resolve(self, records: list[Any]) -> list[Part]:
        if not self.deferred or not records:
            return records
        rows = self.torch.stack(records).tolist()
        return [_device_part(row) for row in rows]

    def _prepare(self, view: Any) -> tuple[Any, Any]:
        """A 1-D float (or int) tensor of at most one chunk, plus complex NaN/Inf counts."""
        torch = self.torch
        x = view.dequantize() if self.quantized else view
        x = x.reshape(-1)
        if self.kind == "complex":
            nan = torch.isnan(x).sum()
            nonfinite = x.numel() - torch.isfinite(x).sum()
            counts = (nan, nonfinite) if self.deferred else (nan.item(), nonfinite.item())
            return x.abs(), counts
        if self.kind == "bool" or x.dtype in (torch.float16, torch.bfloat16):
            return x.float(), None
        if x.dtype.is_floating_point and x.dtype not in (torch.float32, torch.float64):
            return x.float(), None
        return x, None

    def _buffer(self, x: Any) -> Any:
        """A scratch chunk of ``x``'s dtype, reused so that dirty chunks allocate nothing."""
        buf = self._buffers.get(x.dtype)
        if buf is None or buf.numel() < x.numel():
            buf = self.torch.empty(max(self.chunk, x.numel()), dtype=x.dtype)
            self._buffers[x.dtype] = buf
        return buf[: x.numel()]

    def _cpu_full(self, x: Any) -> Part:
        torch = self.torch
        n = x.numel()
        if self.kind == "int":
            lo, hi = _int_range(torch, x)
            mean, m2 = self._cpu_moments(x.double(), n)
            return Part(n, 0, 0, mean, m2, lo, hi)
        s = x.sum().item()
        if math.isfinite(s):
            lo, hi = torch.aminmax(x)
            mean, m2 = self._cpu_moments(x, n, s)
            return Part(n, 0, 0, mean, m2, lo.item(), hi.item())
        return self._cpu_dirty(x)

    def _cpu_dirty(self, x: Any) -> Part:
        """A chunk whose sum is not finite: count, then reduce with non-finites zeroed."""
        torch = self.torch
        n = x.numel()
        nan, nonfinite = self._cpu_counts(x)
        finite = n - nonfinite
        if finite == 0:
            return Part(n, nan, nonfinite)
        buf = self._buffer(x)
        inf = math.inf
        lo = torch.nan_to_num(x, nan=inf, posinf=inf, neginf=inf, out=buf).min().item()
        hi = torch.nan_to_num(x, nan=-inf, posinf=-inf, neginf=-inf, out=buf).max().item()
        z = torch.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0, out=buf)
        mean, m2 = self._cpu_moments(z, finite, src=x if nonfinite else None)
        return Part(n, nan, nonfinite, mean, m2, lo, hi)

    def _cpu_counts(self, x: Any) -> tuple[int, int]:
        """NaN and non-finite counts with float kernels (bool masks cost 5x more here)."""
        torch = self.torch
        buf = self._buffer(x)
        # clamp keeps NaN and maps every other value, Inf included, to 0
        torch.clamp(x, 0.0, 0.0, out=buf).nan_to_num_(nan=1.0)
        nan = int(buf.sum().item())
        # x * 0 is NaN exactly where x is NaN or Inf
        torch.mul(x, 0.0, out=buf).nan_to_num_(nan=1.0)
        return nan, int(buf.sum().item())

    def _cpu_moments(
        self, z: Any, finite: int, s: float | None = None, src: Any = None
    ) -> tuple[float, float]:
        """Mean and sum of squared deviations over the finite values of ``src``.

        ``z`` is ``src`` with its non-finite values zeroed (``src`` is None when none)."""
        torch = self.torch
        s = z.sum().item() if s is None else s
        q = torch.dot(z, z).item()
        if not (math.isfinite(s) and math.isfinite(q)) and z.dtype != torch.float64:
            # finite float32 values whose sum or squares overflow float32
            return self._cpu_moments(z.double(), finite, src=src)
        mean = s / finite
        m2 = q - s * mean
        if not math.isfinite(q) or m2 >= CANCELLATION * q:
            return mean, m2
        d = torch.sub(src if src is not None else z, mean, out=self._buffer(z))
        if src is not None:
            d.nan_to_num_(nan=0.0, posinf=0.0, neginf=0.0)
        ds = d.sum().item()
        return mean + ds / finite, max(0.0, torch.dot(d, d).item() - ds * ds / finite)

    def _device_counts(self, x: Any) -> tuple[Any, Any]:
        torch = self.torch
        if self.kind != "float":
            zero = torch.zeros((), device=x.device, dtype=torch.float64)
            return zero, zero
        return torch.isnan(x).sum(), x.numel() - torch.isfinite(x).sum()

    def _device_full(self, x: Any, counts: Any) -> Any:
        """Reduce a chunk on its device, two-pass, with no host sync."""
        torch = self.torch
        n = x.numel()
        nan, nonfinite = counts if counts is not None else self._device_counts(x)
        xd = x.double()
        mask = torch.isfinite(xd)
        finite = mask.sum()
        z = torch.where(mask, xd, 0.0)
        mean = z.sum() / finite.clamp(min=1)
        d = torch.where(mask, xd - mean, 0.0)
        m2 = torch.dot(d, d)
        lo = torch.where(mask, xd, math.inf).min()
        hi = torch.where(mask, xd, -math.inf).max()
        return self._vector([n, nan, nonfinite, mean, m2, lo, hi])

    def _vector(self, items: list[Any]) -> Any:
        torch = self.torch
        device = next((i.device for i in items if isinstance(i, torch.Tensor)), "cpu")
        # torch.full fills on the device: no host-to-device copy, so no extra sync
        return torch.stack([
            i.to(torch.float64) if isinstance(i, torch.Tensor)
            else torch.full((), float(i), dtype=torch.float64, device=device)
            for i in items
        ])


def _int_range(torch: Any, x: Any) -> tuple[int, int]:
    """Exact integer min and max (some unsigned dtypes lack ``aminmax`` kernels)."""
    try:
        lo, hi = torch.aminmax(x)
    except (NotImplementedError, RuntimeError):
        wide = x.double() if x.dtype == torch.uint64 else x.to(torch.int64)
        lo, hi = torch.aminmax(wide)
    return int(lo.item()), int(hi.item())


def _device_part(row: list[float]) -> Part:
    n, nan, nonfinite, mean, m2, lo, hi = row
    if n - nonfinite == 0:
        return Part(n, nan, nonfinite)
    return Part(n, nan, nonfinite, mean, m2, lo, hi)
