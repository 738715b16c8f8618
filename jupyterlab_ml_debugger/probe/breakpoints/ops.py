"""The Breakpoint Actions ops: ``set_actions`` registers every breakpoint's actions, ``validate``
checks an expression or log template as the user types it."""

from __future__ import annotations

from typing import Any, Callable

from ..requests import bad
from . import actions
from .action_spec import validate

Json = dict[str, Any]


def set_actions(args: Json) -> Json:
    """``{"breakpoints": [Spec]}`` -> ``{"ids": [str], "errors": {id: str}}``."""
    specs = args.get("breakpoints")
    if not isinstance(specs, list):
        raise bad("breakpoints must be a list of breakpoint specs")
    return actions.set_actions(specs)


def validate_op(args: Json) -> Json:
    """``{"expression": str, "mode"?: "eval" | "log"}`` -> Validation."""
    mode = args.get("mode", "eval")
    if mode not in ("eval", "log"):
        raise bad("mode must be eval or log")
    return validate(args.get("expression"), mode)


OPS: dict[str, Callable[[Json], Json]] = {"set_actions": set_actions, "validate": validate_op}
