"""The number a value plots as in a sparkline: a real scalar or a one-element tensor, read once."""

from __future__ import annotations

import math
import sys
from typing import Any

from .tensor import is_tensor, torch_reads


def number_of(value: Any) -> float | None:
    """A finite float for a real Python/NumPy scalar or a one-element tensor; else None."""
    tp = type(value)
    if tp in (int, float, bool):
        return _finite(value)
    np = sys.modules.get("numpy")
    if np is not None and issubclass(tp, np.generic):
        return _finite(value.item()) if value.dtype.kind in "biuf" else None
    if is_tensor(value):
        return _tensor_number(value)
    return None


def _tensor_number(t: Any) -> float | None:
    with torch_reads():
        if t.numel() != 1 or t.is_complex() or t.device.type == "meta" or t.layout != _strided():
            return None
        return _finite(t.item())  # one scalar to the host, never more


def _strided() -> Any:
    return sys.modules["torch"].strided


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (OverflowError, TypeError, ValueError):
        return None
    # JSON has no NaN/Inf: the summary still says "nan" where the number is left out.
    return f if math.isfinite(f) else None
