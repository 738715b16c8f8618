"""Secrets in Variable Values (and Watch): the ``secrets`` op that sets the masking the frontend's
settings ask for, the ``reveal`` op that sends one masked value unmasked because the user asked
for it, and a repr masked by the same rules as its row."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..objects import paths
from ..objects.numbers import number_of
from ..objects.summarize import summarize
from ..requests import bad, number, parse_scope, resolve_path, resolve_target
from ..secrets import masking

Json = dict[str, Any]


def _secrets(args: Json) -> Json:
    """``{"on"?: bool, "names"?: [str]}`` -> the masking in force, ``{"on", "names"}``."""
    on = args.get("on", True)
    names = args.get("names")
    if type(on) is not bool:
        raise bad("on must be true or false")
    if names is not None and (type(names) is not list or len(names) > masking.NAMES_MAX or not all(
            type(n) is str and 0 < len(n) <= masking.PATTERN_MAX for n in names)):
        raise bad(f"names must be a list of at most {masking.NAMES_MAX} patterns, "
                  f"each of 1 to {masking.PATTERN_MAX} characters")
    return masking.configure(on, names)


def _reveal(args: Json) -> Json:
    """``{"scope", "target": Target, "budget_ms"?}`` -> ``{"row": Row}``, summarised unmasked."""
    scope = parse_scope(args.get("scope"))
    target = args.get("target")
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS))
    value = resolve_target(scope, target)  # checks the target: a path or an expression
    path = target.get("path", [])
    name = target["expression"] if "expression" in target else \
        paths.last_name(path, lambda steps: resolve_path(scope, steps))
    with masking.revealing():
        row = summarize(name, value, path, budget)
    if "expression" in target:
        row["number"] = _number(value)
    return {"row": row}


def _number(value: object) -> float | None:
    try:
        return number_of(value)
    except Exception:
        return None


def masked_repr(scope: Json, path: list[Json], value: object, text: str, cut: bool) -> str:
    """A repr's text (``cut`` short at its end) masked as its row is: whole when the value is text
    under a secret-looking name, else its key-shaped parts and the quoted values of secret names."""
    name = paths.last_name(path, lambda steps: resolve_path(scope, steps))
    return masking.named_text(name, value, text, cut)


OPS: dict[str, Callable[[Json], Json]] = {"secrets": _secrets, "reveal": _reveal}
