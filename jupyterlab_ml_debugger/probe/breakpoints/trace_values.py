"""What a trace row says about a value: a number for sparklines, a one-line summary, log text.

Never calls a user ``__repr__``/``__str__``: text comes from the probe's own summaries.
"""

from __future__ import annotations

from typing import Any, Mapping

from .. import protocol, safe_text
from ..budget import Budget
from ..expressions import error_text
from ..objects.numbers import number_of
from ..objects.summarize import summarize
from ..objects.tensor import is_tensor
from ..secrets import masking
from .action_spec import LogPart

Json = dict[str, Any]


def summary_of(value: Any, budget_ms: float = protocol.ACTION_SUMMARY_BUDGET_MS, name: str = "") -> str:
    """The Variable Values one-liner for a recorded value, within a small budget (masked as its row
    would be, under ``name``)."""
    return summarize(name, value, [], Budget(budget_ms))["summary"]


def entry(value: Any, name: str = "") -> Json:
    """A trace row's ``values`` item for one value recorded by the expression ``name``."""
    return {"number": number_of(value), "summary": summary_of(value, name=name)}


def error_entry(err: BaseException) -> Json:
    """The ``values`` item for an expression that raised."""
    return {"number": None, "summary": error_text(err)}


def log_text(parts: tuple[LogPart, ...], frame_globals: Mapping, frame_locals: Mapping) -> str:
    """A log template rendered in the frame: each ``{expression}`` as its value's text, masked whole
    when it is text under a secret-looking expression."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        try:
            value = eval(part[1], frame_globals, frame_locals)  # noqa: S307
            out.append(masking.named_text(part[0], value, inline_text(value)))
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
