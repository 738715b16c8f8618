"""The Code Trace ops: ``trace`` fetches the rows breakpoint actions recorded since a seq, with each
breakpoint's hit count; ``clear_trace`` forgets the rows."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol
from ..breakpoints import actions
from ..requests import bad

Json = dict[str, Any]


def _count(args: Json, key: str, default: int, low: int) -> int:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise bad(f"{key} must be a whole number of at least {low}")
    return value


def trace(args: Json) -> Json:
    """``{"since"?: seq, "limit"?: int}`` -> ``{"rows", "next", "dropped", "counts"}``."""
    since = _count(args, "since", 0, 0)
    limit = min(_count(args, "limit", protocol.TRACE_FETCH_MAX, 1), protocol.TRACE_FETCH_MAX)
    rows, nxt, dropped = actions.buffer.since(since, limit)
    return {"rows": rows, "next": nxt, "dropped": dropped, "counts": actions.hit_counts()}


def clear_trace(args: Json) -> Json:
    """-> ``{"cleared": int, "next": seq}``; hit counts are kept."""
    return {"cleared": actions.buffer.clear(), "next": actions.buffer.next_seq}


OPS: dict[str, Callable[[Json], Json]] = {"trace": trace, "clear_trace": clear_trace}
