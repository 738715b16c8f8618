"""What a trace row says about a value: a number for sparklines, a one-line summary, log text.

Never calls a user ``__repr__``/``__str__``: text comes from the probe's own summaries.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Mapping

from . import last_error, protocol, safe_text
from .action_spec import LogPart
from .budget import Budget
from .summarize import summarize
from .tensor import is_tensor, torch_reads

Json = dict[str, Any]


def number_of(value: Any) -> float | None:
    """A finite float for a real Python/NumPy scalar or a one-element tensor; else None."""
    tp = type(value)
    if tp in (int, float, bool):
        return _finite(value)
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.generic):
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


def summary_of(value: Any, budget_ms: float = protocol.ACTION_SUMMARY_BUDGET_MS) -> str:
    """The Variable Values one-liner for a recorded value, within a small budget."""
    return summarize("", value, [], Budget(budget_ms))["summary"]


def entry(value: Any) -> Json:
    """A trace row's ``values`` item for one recorded value."""
    return {"number": number_of(value), "summary": summary_of(value)}


def error_entry(err: BaseException) -> Json:
    """The ``values`` item for an expression that raised."""
    return {"number": None, "summary": error_text(err)}


def error_text(err: BaseException) -> str:
    """``NameError: name 'x' is not defined``, bounded; never fails."""
    try:
        message = str(err)
    except Exception:
        message = "(message unavailable)"
    name = last_error.exception_type_name(type(err))
    return safe_text.cap(f"{name}: {message}" if message else name, protocol.SUMMARY_MAX)


def log_text(parts: tuple[LogPart, ...], frame_globals: Mapping, frame_locals: Mapping) -> str:
    """A log template rendered in the frame: each ``{expression}`` as its value's text."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        try:
            out.append(inline_text(eval(part[1], frame_globals, frame_locals)))  # noqa: S307
        except Exception as err:
            out.append(f"<{error_text(err)}>")
    return safe_text.cap("".join(out), protocol.LOG_MAX)


def inline_text(value: Any) -> str:
    """How a value reads inside a log line: strings as they are, numbers bare, others summarised."""
    if type(value) is str:
        return safe_text.cap(value, protocol.SUMMARY_MAX)
    number = number_of(value)
    if number is not None and not is_tensor(value):
        return safe_text.builtin_text(value.item() if hasattr(value, "dtype") else value) or str(number)
    if number is not None:
        return f"{number:.6g}"
    return safe_text.builtin_text(value) or summary_of(value)
