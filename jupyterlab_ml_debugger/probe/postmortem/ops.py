"""The ``postmortem`` op: the last failed cell's exception chain and frames, read after the fact."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..protocol_live import POSTMORTEM_FRAMES_MAX
from ..requests import bad, number
from ..secrets import masking
from ..stack import last_error
from . import report

Json = dict[str, Any]


def _max_frames(args: Json) -> int:
    """``max_frames``: an integer from 1 to POSTMORTEM_FRAMES_MAX (that bound by default)."""
    value = args.get("max_frames", POSTMORTEM_FRAMES_MAX)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= POSTMORTEM_FRAMES_MAX:
        raise bad(f"max_frames must be an integer from 1 to {POSTMORTEM_FRAMES_MAX}")
    return value


def _postmortem(args: Json) -> Json:
    """Postmortem: ``{"error": {...} | None, "elapsed_ms"}``; None when no cell has failed."""
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value_ms = number(args, "value_budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS)
    error = report.postmortem(last_error.last_exception(), budget, value_ms, _max_frames(args))
    return {"error": error, "elapsed_ms": budget.elapsed_ms()}


# Exception messages and source lines can quote a value: masked as values are.
OPS: dict[str, Callable[[Json], Json]] = masking.masking({"postmortem": _postmortem})
