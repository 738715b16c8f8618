"""The protocol ops of breakpoint actions: argument checks around :mod:`.actions`."""

from __future__ import annotations

from typing import Any

from . import actions, breakpoint_hook, protocol
from .action_spec import validate

Json = dict[str, Any]


def _bad(message: str) -> Exception:
    # Imported here because api imports this module to register the ops.
    from .api import ProbeError

    return ProbeError("bad-request", message)


def _count(args: Json, key: str, default: int, low: int) -> int:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad(f"{key} must be a whole number of at least {low}")
    return value


def set_actions(args: Json) -> Json:
    """``{"breakpoints": [Spec]}`` -> ``{"ids": [str], "errors": {id: str}}``."""
    specs = args.get("breakpoints")
    if not isinstance(specs, list):
        raise _bad("breakpoints must be a list of breakpoint specs")
    return actions.set_actions(specs)


def validate_op(args: Json) -> Json:
    """``{"expression": str, "mode"?: "eval" | "log"}`` -> Validation."""
    mode = args.get("mode", "eval")
    if mode not in ("eval", "log"):
        raise _bad("mode must be eval or log")
    return validate(args.get("expression"), mode)


def trace(args: Json) -> Json:
    """``{"since"?: seq, "limit"?: int}`` -> ``{"rows", "next", "dropped", "counts"}``."""
    since = _count(args, "since", 0, 0)
    limit = min(_count(args, "limit", protocol.TRACE_FETCH_MAX, 1), protocol.TRACE_FETCH_MAX)
    rows, nxt, dropped = actions.buffer.since(since, limit)
    return {"rows": rows, "next": nxt, "dropped": dropped, "counts": actions.hit_counts()}


def clear_trace(args: Json) -> Json:
    """-> ``{"cleared": int, "next": seq}``; hit counts are kept."""
    return {"cleared": actions.buffer.clear(), "next": actions.buffer.next_seq}


def breakpoint_hook_op(args: Json) -> Json:
    """``{"on": bool}`` -> ``{"on": bool, "attached": bool}``: whether ``breakpoint()`` reaches debugpy."""
    on = args.get("on")
    if not isinstance(on, bool):
        raise _bad("on must be true or false")
    if on:
        breakpoint_hook.install_breakpointhook()
    else:
        breakpoint_hook.uninstall_breakpointhook()
    return breakpoint_hook.status()


OPS = {
    "set_actions": set_actions,
    "validate": validate_op,
    "trace": trace,
    "clear_trace": clear_trace,
    "breakpoint_hook": breakpoint_hook_op,
}
