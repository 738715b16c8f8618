"""The ``data_defects`` protocol op: its arguments checked, its dataset (and other) resolved."""

from __future__ import annotations

from typing import Any, Callable

from .budget import Budget
from .data_defects import DATA_BUDGET_MS, DataError, data_defects

Json = dict[str, Any]


def _bad(message: str) -> Exception:
    # Imported here because api imports this module to register the op.
    from .api import ProbeError

    return ProbeError("bad-request", message)


def _budget_ms(args: Json) -> float:
    value = args.get("budget_ms", DATA_BUDGET_MS)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _bad("budget_ms must be a positive number")
    return float(value)


def data_defects_op(args: Json) -> Json:
    """``{"scope", "target", "label"?, "other"?, "budget_ms"?}`` -> DataDefects."""
    from .api import parse_scope, resolve_target

    label = args.get("label")
    if label is not None and not isinstance(label, str):
        raise _bad("label must be a column name (a string)")
    budget = Budget(_budget_ms(args))
    scope = parse_scope(args.get("scope"))
    value = resolve_target(scope, args.get("target"))
    other = resolve_target(scope, args["other"]) if args.get("other") is not None else None
    try:
        return data_defects(value, label, other, budget)
    except DataError as err:
        raise _bad(str(err)) from err


OPS: dict[str, Callable[[Json], Json]] = {
    "data_defects": data_defects_op,
}
