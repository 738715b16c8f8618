"""The ``postmortem`` op: the last failed cell's exception chain and frames, read after the fact."""

from __future__ import annotations

from typing import Any, Callable

from . import last_error, postmortem, protocol
from .budget import Budget
from .protocol_live import POSTMORTEM_FRAMES_MAX

Json = dict[str, Any]


def _max_frames(args: Json) -> int:
    """``max_frames``: an integer from 1 to POSTMORTEM_FRAMES_MAX (that bound by default)."""
    # Imported here because api imports this module to register the op.
    from .api import _bad

    value = args.get("max_frames", POSTMORTEM_FRAMES_MAX)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= POSTMORTEM_FRAMES_MAX:
        raise _bad(f"max_frames must be an integer from 1 to {POSTMORTEM_FRAMES_MAX}")
    return value


def _postmortem(args: Json) -> Json:
    """Postmortem: ``{"error": {...} | None, "elapsed_ms"}``; None when no cell has failed."""
    # Imported here because api imports this module to register the op.
    from .api import _number

    budget = Budget(_number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value_ms = _number(args, "value_budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS)
    error = postmortem.postmortem(last_error.last_exception(), budget, value_ms, _max_frames(args))
    return {"error": error, "elapsed_ms": budget.elapsed_ms()}


OPS: dict[str, Callable[[Json], Json]] = {"postmortem": _postmortem}
