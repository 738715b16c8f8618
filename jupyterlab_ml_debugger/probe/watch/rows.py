"""Watch expressions: evaluate the user's expressions in a scope and summarise each as a Row.

Evaluation runs the user's code, so each expression gets its own deadline and runs in a
daemon thread that debugpy never traces: one that hangs costs a thread, not the probe.
Nothing is assigned into the user's namespace: ``:=`` is refused at compile time and the
locals (and, for the globals scope, the namespace) are evaluated in a copy. A bare name (the
commonest watch, ``loss``) is looked up in those dicts directly: no code of the user's can run
there, and a thread per poll would cost the running cell a GIL hand-over each time.
"""

from __future__ import annotations

import builtins
import keyword
from typing import Any, Mapping

from .. import protocol
from ..budget import Budget
from ..expressions import ExpressionTimeout, compile_expression, error_text, run_with_deadline
from ..objects.numbers import number_of
from ..objects.summarize import make_row, summarize
from . import shape_contract

Json = dict[str, Any]

_MISSING = object()


def plain_name_value(expression: str, context: tuple[Mapping[str, Any], dict[str, Any]]) -> Any:
    """``(value,)`` for a bare name, looked up where ``eval`` would look; ``_MISSING`` when it is
    bound nowhere; None when the expression is not a bare name or the globals are not a dict."""
    name = expression.strip()
    if not name.isidentifier() or keyword.iskeyword(name) or type(context[0]) is not dict:
        return None
    for scope in (context[1], context[0], builtins.__dict__):
        value = dict.get(scope, name, _MISSING)
        if value is not _MISSING:
            return (value,)
    return _MISSING


def error_row(expression: str, message: str) -> Json:
    """The Row of an expression that could not be evaluated, with its ``number`` left out."""
    return {**make_row(expression, "error", "error", message, [], error=message), "number": None}


def watch_row(expression: str, context: tuple[Mapping[str, Any], dict[str, Any]], budget: Budget,
              expression_ms: float) -> Json:
    """The Row of one watch expression, with ``number`` for sparklines; never raises."""
    try:
        code = compile_expression(expression, "watch")
    except SyntaxError as err:
        return error_row(expression, f"does not compile: {err.msg}")
    if budget.expired():
        return error_row(expression, "not evaluated: the request's time budget ran out")
    found = plain_name_value(expression, context)
    if found is _MISSING:
        return error_row(expression, error_text(NameError(f"name {expression.strip()!r} is not defined")))
    try:
        value = found[0] if found is not None else \
            run_with_deadline(code, context[0], context[1], min(expression_ms, budget.remaining_ms()))
    except ExpressionTimeout as err:
        return error_row(expression, str(err))
    except BaseException as err:
        return error_row(expression, error_text(err))
    row = summarize(expression, value, [], budget.child(protocol.DEFAULT_VALUE_BUDGET_MS))
    try:
        row["number"] = number_of(value)
    except Exception:
        row["number"] = None
    return row


def watch_rows(expressions: list[str], context: tuple[Mapping[str, Any], dict[str, Any]], budget: Budget,
               expression_ms: float, contracts: Mapping[str, str] | None = None) -> list[Json]:
    """One Row per expression, in order; one whose expression has a shape contract gets its ``contract``."""
    rows = [watch_row(expression, context, budget, expression_ms) for expression in expressions]
    if contracts:
        for row, result in zip(rows, shape_contract.contract_results(expressions, rows, contracts)):
            if result is not None:
                row["contract"] = result
    return rows
