"""Fingerprints for "stop when changed": small, comparable, and never a copy of the value.

A tensor or array gives its shape, dtype, sum and a few strided elements (one small
host transfer for a device tensor); a string or bytes its length and hash; anything
else its type and the bounded one-line summary, which never runs user code.
"""

from __future__ import annotations

import sys
from typing import Any

from .. import safe_text
from ..budget import Budget
from ..objects.ndarray import is_ndarray
from ..objects.tensor import is_tensor, torch_reads

SAMPLES = 8
SUMMARY_BUDGET_MS = 20.0

Fingerprint = tuple


def fingerprint(value: Any) -> Fingerprint:
    """A tuple that differs when the value's shape, dtype or (sampled) contents differ."""
    if is_tensor(value):
        return _tensor(value)
    if is_ndarray(value):
        return _array(value)
    tp = type(value)
    if tp in (str, bytes):
        return (tp.__name__, len(value), hash(value))
    text = safe_text.builtin_text(value)
    if text is None:
        from ..objects.summarize import summarize  # summarize imports much of the probe: only when needed

        text = summarize("", value, [], Budget(SUMMARY_BUDGET_MS))["summary"]
    return (safe_text.type_name(tp), text)


def describe_change(before: Fingerprint | None, after: Fingerprint) -> str:
    """What differs, in a few words: "shape [2, 3] -> [4, 3]", or "value changed"."""
    if before is None or before[0] != after[0]:
        return "type changed" if before is not None else "first value"
    if before[0] in ("tensor", "ndarray"):
        for index, what in ((1, "shape"), (2, "dtype")):
            if before[index] != after[index]:
                return f"{what} {_dims(before[index])} -> {_dims(after[index])}"
    return "value changed"


def _tensor(t: Any) -> Fingerprint:
    torch = sys.modules["torch"]
    with torch_reads():
        shape, dtype = tuple(t.shape), str(t.dtype).removeprefix("torch.")
        if t.layout != torch.strided or t.device.type == "meta" or t.numel() == 0:
            return ("tensor", shape, dtype, str(t.device))
        total = t.sum()
        picks = [t[_unravel(i, shape)].to(total.dtype) for i in _positions(t.numel())]
        # One transfer of SAMPLES + 1 scalars, whatever the tensor's size or device.
        figures = torch.stack([total, *picks]).tolist()
    return ("tensor", shape, dtype, str(t.device), *map(_token, figures))


def _array(a: Any) -> Fingerprint:
    np = sys.modules["numpy"]
    shape, dtype = tuple(a.shape), str(a.dtype)
    if a.size == 0 or a.dtype.kind not in "biufc":
        return ("ndarray", shape, dtype, a.size)
    with np.errstate(all="ignore"):
        total = a.sum()
    picks = [a.flat[i] for i in _positions(a.size)]
    return ("ndarray", shape, dtype, *(_token(x.item()) for x in (total, *picks)))


def _positions(n: int) -> list[int]:
    """SAMPLES evenly strided flat indices (deterministic: no RNG), always the first and last."""
    if n <= SAMPLES:
        return list(range(n))
    return [i * (n - 1) // (SAMPLES - 1) for i in range(SAMPLES)]


def _unravel(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    index = []
    for size in reversed(shape):
        flat, rest = divmod(flat, size)
        index.append(rest)
    return tuple(reversed(index))


def _token(x: Any) -> str:
    """Floats as text, so that NaN equals NaN and a NaN tensor is not 'changed' on every hit."""
    return repr(x)


def _dims(value: Any) -> str:
    return f"[{', '.join(map(str, value))}]" if isinstance(value, tuple) else str(value)
