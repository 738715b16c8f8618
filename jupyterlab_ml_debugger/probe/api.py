"""Answer one protocol request: parse it, dispatch it by op, and wrap the result or error in a reply."""

from __future__ import annotations

import os
import sys
import threading
import traceback
from types import FrameType
from typing import Any, Callable, Mapping

from . import action_ops, data_ops, error_ops, nan_ops, scan_ops, structure_ops, viewer_ops
from . import counter_ops, module_ops, postmortem_ops, thread_ops
from . import children as children_mod
from . import frames, namespace, protocol, safe_text, scopes, summarize, watch
from .action_spec import compile_expression
from .budget import Budget
from .trace_values import error_text

Json = dict[str, Any]

FEATURES = ("values", "children", "repr", "live", "actions", "trace", "watch", "structure", "viewer", "checks",
            "threads", "counters", "postmortem", "modules")


# An op whose result holds binary buffers returns them under this key; handle() moves
# them beside the reply, and only the comm can send them (see protocol: Slice).
BUFFERS_KEY = "__buffers__"


class ProbeError(Exception):
    """A failure the reply reports with one of ``protocol.ERROR_KINDS``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _bad(message: str) -> ProbeError:
    return ProbeError("bad-request", message)


def hello() -> Json:
    """Who answers: protocol and package version, thread kind, pid, features."""
    from .. import __version__

    on_main = threading.current_thread() is threading.main_thread()
    return {
        "protocol": protocol.PROTOCOL_VERSION,
        "version": __version__,
        "thread": "main" if on_main else "subshell",
        "pid": os.getpid(),
        "features": list(FEATURES),
        "loaded": _how_loaded(),
    }


def _how_loaded() -> str:
    """"embedded" when the frontend's copy was served from memory, else "installed"."""
    origin = getattr(sys.modules[__name__].__spec__, "origin", None) or ""
    return "embedded" if origin.startswith("<") else "installed"


def _number(args: Mapping[str, Any], key: str, default: float) -> float:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _bad(f"{key} must be a positive number")
    return float(value)


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(f"{what} must be an integer")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _bad(f"{what} must be a string")
    return value


def _frame_ref(ref: Any) -> Json:
    if not isinstance(ref, dict):
        raise _bad("each frame must be an object with path, name and line")
    return {"path": _str(ref.get("path"), "frame path"), "name": _str(ref.get("name"), "frame name"),
            "line": _int(ref.get("line"), "frame line")}


def parse_scope(scope: Any) -> Json:
    """Validate a Scope; frame scopes get their FrameRefs checked and the index bounded."""
    if not isinstance(scope, dict) or scope.get("kind") not in ("frame", "globals", "live"):
        raise _bad("scope must be an object whose kind is frame, globals or live")
    if scope["kind"] != "frame":
        return {"kind": scope["kind"]}
    refs = scope.get("frames")
    if not isinstance(refs, list) or not refs:
        raise _bad("a frame scope needs a non-empty frames list")
    index = _int(scope.get("index"), "scope index")
    if not 0 <= index < len(refs):
        raise _bad(f"scope index {index} is outside the {len(refs)} frames")
    return {"kind": "frame", "frames": [_frame_ref(r) for r in refs], "index": index}


def parse_path(path: Any) -> list[Json]:
    """Validate a list of PathSteps (at least one)."""
    if not isinstance(path, list) or not path:
        raise _bad("path must be a non-empty list of steps")
    for step in path:
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind in ("name", "global", "attr"):
            _str(step.get("name"), f"a {kind} step's name")
        elif kind in ("frame", "index", "key"):
            _int(step.get("index"), f"a {kind} step's index")
        else:
            raise _bad("each path step must have kind name, global, frame, attr, index or key")
    return path


def stopped_frame(scope: Json) -> tuple[str, FrameType]:
    """The live frame a frame scope selects; ``no-frame`` when it has gone."""
    try:
        return frames.find_stopped(scope["frames"], scope["index"])
    except LookupError as err:
        raise ProbeError("no-frame", str(err)) from err


def _first_items(scope: Json, path: list[Json]) -> tuple[namespace.Items, list[Json]]:
    """The (name, value) pairs the path's first name step is looked up in, and the steps from it."""
    if path[0]["kind"] == "global":
        # A grouped frame's global, which a local of the same name may hide.
        glob = namespace.frame_global_items(stopped_frame(scope)[1]) if scope["kind"] == "frame" \
            else namespace.global_items()
        return glob, [{"kind": "name", "name": path[0]["name"]}, *path[1:]]
    if scope["kind"] == "frame":
        return namespace.frame_items(stopped_frame(scope)[1]), path
    if scope["kind"] == "live" and path[0]["kind"] == "frame":
        running = frames.running_frames()
        index = path[0]["index"]
        if not 0 <= index < len(running):
            raise ProbeError("no-frame", frames.NO_FRAME)
        return namespace.frame_items(running[index][1]), path[1:]
    return namespace.global_items(), path


def resolve_path(scope: Json, path: list[Json]) -> Any:
    """The value a path names in a scope; ``no-value`` when it no longer exists."""
    items, steps = _first_items(scope, path)
    if not steps or steps[0]["kind"] != "name":
        raise _bad("a path must name a value with a name step first (after a live frame step)")
    try:
        root = namespace.lookup(items, steps[0]["name"])
        return children_mod.resolve(root, steps[1:])
    except LookupError as err:
        raise ProbeError("no-value", str(err) or "the value is no longer there") from err


def resolve_target(scope: Json, target: Any, timeout_ms: float = watch.DEFAULT_EXPRESSION_BUDGET_MS) -> Any:
    """The value a Target names: a path as in ``children``, or a watch expression.

    An expression is the user's code: it runs as a watch does (own deadline, a copy of
    the locals, ``:=`` refused); a failure is a ``no-value`` that says why.
    """
    if not isinstance(target, dict) or ("path" in target) == ("expression" in target):
        raise _bad("target must be an object with either a path or an expression")
    if "path" in target:
        return resolve_path(scope, parse_path(target["path"]))
    expression = _str(target["expression"], "target expression")
    if len(expression) > watch.EXPRESSION_MAX:
        raise _bad(f"an expression has at most {watch.EXPRESSION_MAX} characters")
    try:
        code = compile_expression(expression, "watch")
    except SyntaxError as err:
        raise _bad(f"{expression} does not compile: {err.msg}") from err
    frame_globals, frame_locals = watch.evaluation_context(scope, stopped_frame)
    try:
        return watch.run_with_deadline(code, frame_globals, frame_locals, timeout_ms)
    except watch.WatchTimeout as err:
        raise ProbeError("timeout", f"{expression} {err}") from err
    except BaseException as err:  # the user's expression failing is a fact about it
        raise ProbeError("no-value", f"{expression} raised {error_text(err)}") from err


def _values(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    budget = Budget(_number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value_ms = _number(args, "value_budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS)
    if args.get("group") not in (None, "scope"):
        raise _bad('group must be "scope" when given')
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
    budget = Budget(_number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    value = resolve_path(scope, path)
    rows, truncated = children_mod.children(value, path, budget)
    return {"rows": rows, "truncated": truncated, "elapsed_ms": budget.elapsed_ms()}


def _repr(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    path = parse_path(args.get("path"))
    timeout_ms = _number(args, "timeout_ms", protocol.DEFAULT_REPR_TIMEOUT_MS)
    value = resolve_path(scope, path)
    try:
        text, truncated = safe_text.user_repr(value, timeout_ms)
    except TimeoutError as err:
        raise ProbeError("timeout", str(err) or f"repr did not return within {timeout_ms:g} ms") from err
    return {"text": text, "truncated": truncated}


def _watch(args: Json) -> Json:
    scope = parse_scope(args.get("scope"))
    expressions = args.get("expressions")
    if not isinstance(expressions, list) or len(expressions) > watch.MAX_EXPRESSIONS:
        raise _bad(f"expressions must be a list of at most {watch.MAX_EXPRESSIONS} strings")
    for expression in expressions:
        if not isinstance(expression, str) or len(expression) > watch.EXPRESSION_MAX:
            raise _bad(f"each expression must be a string of at most {watch.EXPRESSION_MAX} characters")
    contracts = args.get("contracts", {})
    if not isinstance(contracts, dict) or len(contracts) > watch.MAX_EXPRESSIONS or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= watch.EXPRESSION_MAX
            for k, v in contracts.items()):
        raise _bad(f"contracts must map expressions to contract strings, at most {watch.MAX_EXPRESSIONS}")
    budget = Budget(_number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    expression_ms = _number(args, "expression_budget_ms", watch.DEFAULT_EXPRESSION_BUDGET_MS)
    context = watch.evaluation_context(scope, stopped_frame)
    return {"rows": watch.watch_rows(expressions, context, budget, expression_ms, contracts),
            "elapsed_ms": budget.elapsed_ms()}


OPS: dict[str, Callable[[Json], Json]] = {
    "hello": lambda args: hello(),
    "values": _values,
    "children": _children,
    "repr": _repr,
    "watch": _watch,
    **action_ops.OPS,
    **structure_ops.OPS,
    **viewer_ops.OPS,
    **scan_ops.OPS,
    **nan_ops.OPS,
    **error_ops.OPS,
    **data_ops.OPS,
    **thread_ops.OPS,
    **counter_ops.OPS,
    **postmortem_ops.OPS,
    **module_ops.OPS,
}


def internal_message(err: Exception) -> str:
    """``ExcType: message (at file:line in function)``, naming the innermost place it was raised."""
    where = traceback.extract_tb(err.__traceback__)
    if not where:
        return f"{type(err).__name__}: {err}"
    last = where[-1]
    place = f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}"
    return f"{type(err).__name__}: {err} (at {place})"


def _reply(request_id: Any, body: Json) -> Json:
    return {"id": request_id, "v": protocol.PROTOCOL_VERSION, **body}


def handle(request: Any) -> Json:
    """Answer one request dict with a reply dict; never raises.

    A reply with binary buffers holds them under ``BUFFERS_KEY``, for the comm to send.
    """
    request_id = request.get("id") if isinstance(request, dict) else None
    try:
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            raise _bad("a request is an object with an integer id, an op and args")
        op, args = request.get("op"), request.get("args", {})
        if op not in OPS:
            raise _bad(f"unknown op {op!r}")
        if not isinstance(args, dict):
            raise _bad("args must be an object")
        result = OPS[op](args)
        buffers = result.pop(BUFFERS_KEY, None)
        reply = _reply(request_id, {"ok": True, "result": result})
        if buffers is not None:
            reply[BUFFERS_KEY] = buffers
        return reply
    except ProbeError as err:
        return _reply(request_id, {"ok": False, "error": {"kind": err.kind, "message": str(err)}})
    except Exception as err:  # a bug in the probe: say where instead of leaving the UI waiting
        error = {"kind": "internal", "message": internal_message(err)}
        return _reply(request_id, {"ok": False, "error": error})


def handle_batch(requests: Any) -> list[Json]:
    """Answer a batch (the requests the open sections made at one moment) with one reply each,
    in order; never raises. A reply with binary buffers cannot travel in a batch's one message."""
    if not isinstance(requests, list) or not requests or len(requests) > protocol.BATCH_MAX:
        reply = _reply(None, {"ok": False, "error": {
            "kind": "bad-request", "message": f"a batch is a list of 1 to {protocol.BATCH_MAX} requests"}})
        return [reply]
    replies = []
    for request in requests:
        reply = handle(request)
        if BUFFERS_KEY in reply:
            reply = _reply(reply["id"], {"ok": False, "error": {
                "kind": "bad-request", "message": "a request whose reply has binary buffers cannot be batched"}})
        replies.append(reply)
    return replies
