"""What a request names: its arguments checked, its scope's frame found, its path or expression resolved.

Every feature's ops parse their arguments here and raise ProbeError, which the dispatcher
turns into the reply's error; nothing here knows which ops exist.
"""

from __future__ import annotations

from types import FrameType
from typing import Any, Mapping

from . import expressions, protocol
from .objects import paths
from .stack import frames, namespace

Json = dict[str, Any]

class ProbeError(Exception):
    """A failure the reply reports with one of ``protocol.ERROR_KINDS``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def bad(message: str) -> ProbeError:
    """The ``bad-request`` error a malformed request gets, saying what is wrong."""
    return ProbeError("bad-request", message)


def check_shape(request: Any) -> None:
    """Refuse, before any work, a request nested too deep, too large, or with a string too long.

    Iterative, so a request nested thousands of levels deep costs a loop, not the stack.
    """
    pending: list[tuple[Any, int]] = [(request, 1)]
    items = 0
    while pending:
        value, depth = pending.pop()
        items += 1
        if items > protocol.REQUEST_ITEMS_MAX:
            raise bad(f"a request holds at most {protocol.REQUEST_ITEMS_MAX:,} values")
        if type(value) is str:
            if len(value) > protocol.REQUEST_TEXT_MAX:
                raise bad(f"a request's strings have at most {protocol.REQUEST_TEXT_MAX:,} characters")
            continue
        if type(value) in (dict, list):
            if depth >= protocol.REQUEST_DEPTH_MAX:
                raise bad(f"a request nests at most {protocol.REQUEST_DEPTH_MAX} levels deep")
            children = value.values() if type(value) is dict else value
            pending.extend((child, depth + 1) for child in children)


def number(args: Mapping[str, Any], key: str, default: float) -> float:
    """``args[key]`` (``default`` when absent) as a positive float."""
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise bad(f"{key} must be a positive number")
    return float(value)


def integer(value: Any, what: str) -> int:
    """``value`` when it is an int (a bool is not); ``what`` names it in the error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{what} must be an integer")
    return value


def string(value: Any, what: str) -> str:
    """``value`` when it is a str; ``what`` names it in the error."""
    if not isinstance(value, str):
        raise bad(f"{what} must be a string")
    return value


def _frame_ref(ref: Any) -> Json:
    if not isinstance(ref, dict):
        raise bad("each frame must be an object with path, name and line")
    return {"path": string(ref.get("path"), "frame path"), "name": string(ref.get("name"), "frame name"),
            "line": integer(ref.get("line"), "frame line")}


def parse_scope(scope: Any) -> Json:
    """Validate a Scope; frame scopes get their FrameRefs checked and the index bounded."""
    if not isinstance(scope, dict) or scope.get("kind") not in ("frame", "globals", "live"):
        raise bad("scope must be an object whose kind is frame, globals or live")
    if scope["kind"] != "frame":
        return {"kind": scope["kind"]}
    refs = scope.get("frames")
    if not isinstance(refs, list) or not refs:
        raise bad("a frame scope needs a non-empty frames list")
    index = integer(scope.get("index"), "scope index")
    if not 0 <= index < len(refs):
        raise bad(f"scope index {index} is outside the {len(refs)} frames")
    return {"kind": "frame", "frames": [_frame_ref(r) for r in refs], "index": index}


def parse_path(path: Any) -> list[Json]:
    """Validate a list of PathSteps (at least one)."""
    if not isinstance(path, list) or not path:
        raise bad("path must be a non-empty list of steps")
    for step in path:
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind in ("name", "global", "attr"):
            string(step.get("name"), f"a {kind} step's name")
        elif kind in ("frame", "index", "key"):
            integer(step.get("index"), f"a {kind} step's index")
        else:
            raise bad("each path step must have kind name, global, frame, attr, index or key")
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
        raise bad("a path must name a value with a name step first (after a live frame step)")
    try:
        root = namespace.lookup(items, steps[0]["name"])
        return paths.resolve(root, steps[1:])
    except LookupError as err:
        raise ProbeError("no-value", str(err) or "the value is no longer there") from err


def resolve_target(scope: Json, target: Any, timeout_ms: float = expressions.DEFAULT_EXPRESSION_BUDGET_MS) -> Any:
    """The value a Target names: a path as in ``children``, or a watch expression.

    An expression is the user's code: it runs as a watch does (own deadline, a copy of
    the locals, ``:=`` refused); a failure is a ``no-value`` that says why.
    """
    if not isinstance(target, dict) or ("path" in target) == ("expression" in target):
        raise bad("target must be an object with either a path or an expression")
    if "path" in target:
        return resolve_path(scope, parse_path(target["path"]))
    expression = string(target["expression"], "target expression")
    if len(expression) > expressions.EXPRESSION_MAX:
        raise bad(f"an expression has at most {expressions.EXPRESSION_MAX} characters")
    try:
        code = expressions.compile_expression(expression, "watch")
    except SyntaxError as err:
        raise bad(f"{expression} does not compile: {err.msg}") from err
    frame_globals, frame_locals = evaluation_context(scope)
    try:
        return expressions.run_with_deadline(code, frame_globals, frame_locals, timeout_ms)
    except expressions.ExpressionTimeout as err:
        raise ProbeError("timeout", f"{expression} {err}") from err
    except BaseException as err:  # the user's expression failing is a fact about it
        raise ProbeError("no-value", f"{expression} raised {expressions.error_text(err)}") from err


def evaluation_context(scope: Json) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """(globals, locals copy) an expression runs in: the stopped frame, the running cell, or the namespace."""
    if scope["kind"] == "frame":
        frame = stopped_frame(scope)[1]
        return frame.f_globals, dict(frame.f_locals)
    if scope["kind"] == "live":
        running = frames.running_frames()
        if running:
            frame = running[0][1]
            return frame.f_globals, dict(frame.f_locals)
    user_ns = namespace.user_namespace()
    return user_ns, dict(user_ns)
