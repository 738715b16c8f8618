"""The tensor viewer's 2-D slice: a small strided window of a tensor or array, as float32 bytes
sent as base64 text in the reply's JSON (a binary comm message does not survive every relay: see
protocol: Slice).

Only the window is read and converted: a stride step per chosen axis keeps each side
at most ``max`` long, and every other dimension is fixed at its index, so a broadcast
tensor of 10^9 elements costs the same as a small one. Reads only: no in-place op, no
autograd graph, no subclass hooks. CPU tensors are read through a zero-copy NumPy view
(see ``tensor._numpy_view``); device tensors are sliced on the device and come back in
one small transfer, the slice's figures riding along in the same copy.
"""

from __future__ import annotations

import base64
import ctypes
import math
import sys
from typing import Any, Sequence

from ..objects.ndarray import array_kind, is_ndarray
from ..objects.tensor import _numpy_view, _own_dispatch, is_tensor, torch_reads

Json = dict[str, Any]


class NotViewable(Exception):
    """A value the viewer cannot show; the message says why and what to do instead."""


def value_shape(value: Any) -> list[int]:
    """The shape of a tensor or NumPy array; NotViewable for anything else."""
    if is_tensor(value):
        with torch_reads():
            return [int(n) for n in value.shape]
    if is_ndarray(value):
        return [int(n) for n in value.shape]
    raise NotViewable("the viewer shows torch tensors and NumPy arrays: pick one of those, "
                      "or a watch expression that gives one")


def check_readable(torch: Any, t: Any) -> None:
    """NotViewable for tensors whose elements cannot be read as they are."""
    if t.device.type == "meta":
        raise NotViewable("a meta tensor has a shape but no data: there is nothing to show")
    if t.layout != torch.strided:
        layout = str(t.layout).removeprefix("torch.")
        raise NotViewable(f"a {layout} tensor has no dense layout to slice: view "
                          "t.to_dense() as a watch expression instead")
    if t.is_quantized:
        raise NotViewable("a quantized tensor holds integer codes: view t.dequantize() "
                          "as a watch expression instead")
    dispatch = _own_dispatch(t)
    if dispatch is not None:
        raise NotViewable(f"tensor subclass {dispatch} runs its own code on every op: view a "
                          "plain tensor it holds instead")


def check_array(a: Any) -> None:
    """NotViewable for arrays without numbers (object, structured, text, dates)."""
    if array_kind(a.dtype) is None:
        raise NotViewable(f"a {a.dtype} array holds no numbers to show: view a numeric "
                          "field or a converted copy as a watch expression instead")


def wide_float(torch: Any, device: Any) -> Any:
    """The dtype figures are computed in: float64, or float32 on MPS, which has no float64."""
    return torch.float32 if device.type == "mps" else torch.float64


def steps(n: int, limit: int) -> int:
    """The stride that keeps ``ceil(n / step)`` at most ``limit``."""
    return max(1, math.ceil(n / limit))


def window(shape: Sequence[int], axes: Sequence[int], index: Sequence[int],
           limit: int) -> tuple[tuple, int, int]:
    """The basic index of the strided window, and the row and column steps."""
    axis_steps = {axis: steps(shape[axis], limit) for axis in axes}
    key = tuple(slice(None, None, axis_steps[d]) if d in axis_steps else index[d]
                for d in range(len(shape)))
    row_step = axis_steps[axes[0]] if len(axes) == 2 else 1
    col_step = axis_steps[axes[-1]] if axes else 1
    return key, row_step, col_step


def as_matrix(view: Any, axes: Sequence[int]) -> Any:
    """The window as rows x cols: rows along ``axes[0]`` when two axes are chosen."""
    if len(axes) == 2:
        return view.T if axes[0] > axes[1] else view
    return view.reshape(1, -1)


def slice_2d(value: Any, axes: Sequence[int], index: Sequence[int], limit: int) -> Json:
    """The Slice of a tensor or array (arguments already checked), its bytes as base64 ``values``."""
    if is_tensor(value):
        head, data, figures = _tensor_slice(value, axes, index, limit)
    else:
        head, data, figures = _array_slice(value, axes, index, limit)
    return {**head, "axes": list(axes), "index": list(index), **figures,
            "values": base64.b64encode(data).decode("ascii")}


def _array_slice(a: Any, axes: Sequence[int], index: Sequence[int], limit: int) -> tuple[Json, bytes, Json]:
    np = sys.modules["numpy"]
    check_array(a)
    head = {"shape": [int(n) for n in a.shape], "dtype": str(a.dtype), "device": "cpu"}
    data, figures = _numpy_window(np, a, axes, index, limit)
    return head, data, figures


def _tensor_slice(t: Any, axes: Sequence[int], index: Sequence[int], limit: int) -> tuple[Json, bytes, Json]:
    torch = sys.modules["torch"]
    with torch_reads():
        check_readable(torch, t)
        head = {"shape": [int(n) for n in t.shape], "dtype": str(t.dtype).removeprefix("torch."),
                "device": str(t.device)}
        array = _numpy_view(torch, t) if t.device.type == "cpu" else None
        if array is not None:
            data, figures = _numpy_window(sys.modules["numpy"], array, axes, index, limit)
        else:
            data, figures = _torch_window(torch, t, axes, index, limit)
    return head, data, figures


def _numpy_window(np: Any, a: Any, axes: Sequence[int], index: Sequence[int],
                  limit: int) -> tuple[bytes, Json]:
    """Bytes and figures of an array's window; only the window is copied."""
    key, row_step, col_step = window(a.shape, axes, index, limit)
    # view(np.ndarray): a matrix or masked array would reshape or mask the window
    m = as_matrix(a.view(np.ndarray)[key], axes)
    with np.errstate(all="ignore"):
        x = np.abs(m) if array_kind(m.dtype) == "complex" else m
        x = x.astype(np.float64)
        nan, inf = int(np.count_nonzero(np.isnan(x))), int(np.count_nonzero(np.isinf(x)))
        lo = hi = None
        if nan + inf < x.size:
            finite = x if nan + inf == 0 else x[np.isfinite(x)]
            lo, hi = float(finite.min()), float(finite.max())
        data = x.astype("<f4").tobytes()
    rows, cols = m.shape
    return data, _figures(rows, cols, row_step, col_step, nan, inf, lo, hi)


def _torch_window(torch: Any, t: Any, axes: Sequence[int], index: Sequence[int],
                  limit: int) -> tuple[bytes, Json]:
    """Bytes and figures of a tensor's window, reduced where it lives, copied once."""
    key, row_step, col_step = window(t.shape, axes, index, limit)
    m = as_matrix(t.detach()[key], axes)
    rows, cols = m.shape
    wide = wide_float(torch, t.device)
    x = (m.abs() if m.dtype.is_complex else m).to(wide)
    n = x.numel()
    if n == 0:
        return b"", _figures(rows, cols, row_step, col_step, 0, 0, None, None)
    finite = torch.isfinite(x)
    figures = torch.stack([
        torch.isnan(x).sum().to(wide),
        torch.isinf(x).sum().to(wide),
        torch.where(finite, x, math.inf).min(),
        torch.where(finite, x, -math.inf).max(),
    ])
    # one device-to-host copy: the float32 window, then the four figures' bytes as float32s
    packed = torch.cat([x.to(torch.float32).reshape(-1), figures.view(torch.float32)]).cpu()
    nan, inf, lo, hi = packed[n:].clone().view(wide).tolist()
    data = _little_endian(ctypes.string_at(packed.data_ptr(), n * 4))
    if nan + inf == n:
        lo = hi = None
    return data, _figures(rows, cols, row_step, col_step, int(nan), int(inf), lo, hi)


def _little_endian(data: bytes) -> bytes:
    """float32 bytes in the protocol's byte order."""
    if sys.byteorder == "little":
        return data
    import array

    values = array.array("f", data)
    values.byteswap()
    return values.tobytes()


def _figures(rows: int, cols: int, row_step: int, col_step: int, nan: int, inf: int,
             lo: float | None, hi: float | None) -> Json:
    return {"rows": int(rows), "cols": int(cols), "row_step": row_step, "col_step": col_step,
            "nan": nan, "inf": inf, "min": lo, "max": hi}
