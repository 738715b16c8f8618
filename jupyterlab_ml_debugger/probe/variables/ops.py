"""The Variable Values ops: ``values`` of a scope (a stopped frame, the running cell, the
notebook), a row's ``children``, and its ``repr`` on request."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol, safe_text
from ..budget import Budget
from ..objects import summarize
from ..requests import ProbeError, bad, number, parse_path, parse_scope, resolve_path, stopped_frame
from ..stack import frames, namespace
from . import children as children_mod
from . import reveal, scopes

Json = dict[str, Any]


def _values(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value_ms = number(args, "value_budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS)
    if args.get("group") not in (None, "scope"):
        raise bad('group must be "scope" when given')
    grouped = args.get("group") == "scope"
    if scope["kind"] == "live":
        return _live(budget, value_ms, grouped)
    if scope["kind"] == "frame":
        thread, frame = stopped_frame(scope)
        described = {"kind": "frame", "thread": thread, "frame": frames.frame_ref(frame)}
        if grouped:
            rows, truncated = scopes.frame_rows(frame, budget, value_ms, protocol.MAX_ROWS)
        else:
            rows, truncated = summarize.summarize_items(namespace.frame_items(frame), [], budget, value_ms)
    else:
        described = {"kind": "globals", "thread": None, "frame": None}
        rows, truncated = _global_rows(budget, value_ms, grouped)
    elapsed = budget.elapsed_ms()
    return {"scope": described, "rows": rows, "truncated": truncated, "elapsed_ms": elapsed}


def _global_rows(budget: Budget, value_ms: float, grouped: bool) -> tuple[list[Json], bool]:
    """The user namespace's rows; grouped, each is a global that may hide a builtin."""
    if not grouped:
        return summarize.summarize_items(namespace.global_items(), [], budget, value_ms)
    scoped = [(n, v, "global") for n, v in namespace.global_items()]
    return scopes.scoped_rows(scoped, [], budget, value_ms, frozenset())


def _live(budget: Budget, value_ms: float, grouped: bool = False) -> Json:
    """The running cell's frames first (what the user is waiting on), then globals.

    A module-level frame's locals are the globals: its rows stay empty rather than repeat them.
    """
    running = frames.running_frames()
    frame_rows, truncated = [], False
    for index, (thread, frame) in enumerate(running):
        rows, cut = [], False
        if frame.f_locals is not frame.f_globals:
            prefix = [{"kind": "frame", "index": index}]
            if grouped:
                seen = scopes.global_names(frame.f_globals)
                rows, cut = scopes.scoped_rows(scopes.local_scoped(frame), prefix, budget, value_ms, seen)
            else:
                rows, cut = summarize.summarize_items(namespace.frame_items(frame), prefix, budget, value_ms)
        frame_rows.append({"thread": thread, **frames.frame_ref(frame), "rows": rows})
        truncated = truncated or cut
    rows, cut = _global_rows(budget, value_ms, grouped)
    return {"running": bool(running), "rows": rows, "frames": frame_rows,
            "truncated": truncated or cut, "elapsed_ms": budget.elapsed_ms()}


def _children(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    path = parse_path(args.get("path"))
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value = resolve_path(scope, path)
    rows, truncated = children_mod.children(value, path, budget)
    return {"rows": rows, "truncated": truncated, "elapsed_ms": budget.elapsed_ms()}


def _repr(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    path = parse_path(args.get("path"))
    timeout_ms = number(args, "timeout_ms", protocol.DEFAULT_REPR_TIMEOUT_MS)
    value = resolve_path(scope, path)
    try:
        text, truncated = safe_text.user_repr(value, timeout_ms)
    except TimeoutError as err:
        raise ProbeError("timeout", str(err) or f"repr did not return within {timeout_ms:g} ms") from err
    if args.get("reveal") is not True:  # true only for a row the user revealed
        text = reveal.masked_repr(scope, path, value, text, truncated)
    return {"text": text, "truncated": truncated}


OPS: dict[str, Callable[[Json], Json]] = {"values": _values, "children": _children, "repr": _repr,
                                          **reveal.OPS}
