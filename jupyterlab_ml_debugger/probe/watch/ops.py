"""The ``watch`` op: the user's watch expressions in a scope, each a Row, their shape contracts checked."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..expressions import DEFAULT_EXPRESSION_BUDGET_MS, EXPRESSION_MAX
from ..requests import bad, evaluation_context, number, parse_scope
from . import rows

Json = dict[str, Any]

MAX_EXPRESSIONS = 50


def _watch(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    expressions = args.get("expressions")
    if not isinstance(expressions, list) or len(expressions) > MAX_EXPRESSIONS:
        raise bad(f"expressions must be a list of at most {MAX_EXPRESSIONS} strings")
    for expression in expressions:
        if not isinstance(expression, str) or len(expression) > EXPRESSION_MAX:
            raise bad(f"each expression must be a string of at most {EXPRESSION_MAX} characters")
    contracts = args.get("contracts", {})
    if not isinstance(contracts, dict) or len(contracts) > MAX_EXPRESSIONS or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= EXPRESSION_MAX
            for k, v in contracts.items()):
        raise bad(f"contracts must map expressions to contract strings, at most {MAX_EXPRESSIONS}")
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    expression_ms = number(args, "expression_budget_ms", DEFAULT_EXPRESSION_BUDGET_MS)
    context = evaluation_context(scope)
    return {"rows": rows.watch_rows(expressions, context, budget, expression_ms, contracts),
            "elapsed_ms": budget.elapsed_ms()}


OPS: dict[str, Callable[[Json], Json]] = {"watch": _watch}
