"""Answer one protocol request: parse it, dispatch it by op, and wrap the result or error in a reply."""

from __future__ import annotations

import os
import sys
import threading
import traceback
from typing import Any, Callable

from . import protocol, safe_text
from .breakpoints import ops as breakpoints
from .checks import ops as checks
from .counters import ops as counters
from .crash import ops as crash
from .crash import recorder as crash_recorder
from .modules import ops as modules
from .postmortem import ops as postmortem
from .requests import ProbeError, bad, check_shape
from .stops import ops as stops
from .structure import ops as structure
from .threads import ops as threads
from .trace import ops as trace
from .variables import ops as variables
from .viewer import ops as viewer
from .watch import ops as watch

Json = dict[str, Any]

FEATURES = ("values", "children", "repr", "live", "actions", "trace", "watch", "structure", "viewer", "checks",
            "threads", "counters", "postmortem", "modules", "hang")


def hello() -> Json:
    """Who answers: protocol and package version, thread kind, pid, features, and whether the crash
    recorder is armed (every connection asks hello first, so this arms it when the probe loads)."""
    from .. import __version__

    on_main = threading.current_thread() is threading.main_thread()
    return {
        "protocol": protocol.PROTOCOL_VERSION,
        "version": __version__,
        "thread": "main" if on_main else "subshell",
        "pid": os.getpid(),
        "features": list(FEATURES),
        "loaded": _how_loaded(),
        "crash_recorder": crash_recorder.arm(),
    }


def _how_loaded() -> str:
    """"embedded" when the frontend's copy was served from memory, else "installed"."""
    origin = getattr(sys.modules[__name__].__spec__, "origin", None) or ""
    return "embedded" if origin.startswith("<") else "installed"


# Each feature package's ops module holds the OPS table of the requests it answers.
FEATURE_OPS = (variables, breakpoints, trace, stops, watch, structure, viewer, checks, threads, counters,
               modules, postmortem, crash)


def _gathered(features: tuple[Any, ...]) -> dict[str, Callable[[Json], Json]]:
    """Every feature's OPS in one table; two features answering one op is a bug, caught at import."""
    ops: dict[str, Callable[[Json], Json]] = {"hello": lambda args: hello()}
    for feature in features:
        clash = ops.keys() & feature.OPS.keys()
        if clash:
            raise RuntimeError(f"{feature.__name__} answers ops already answered: {sorted(clash)}")
        ops.update(feature.OPS)
    return ops


OPS = _gathered(FEATURE_OPS)


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
    """Answer one request dict with a reply dict; never raises."""
    request_id = request.get("id") if isinstance(request, dict) else None
    try:
        if not isinstance(request_id, int) or isinstance(request_id, bool):
            raise bad("a request is an object with an integer id, an op and args")
        check_shape(request)
        op, args = request.get("op"), request.get("args", {})
        if type(op) is not str:
            raise bad("op must be a string naming an operation, such as \"values\"")
        if op not in OPS:
            raise bad(f"unknown op {safe_text.cap(repr(op), 60)}")
        if not isinstance(args, dict):
            raise bad("args must be an object")
        return _reply(request_id, {"ok": True, "result": OPS[op](args)})
    except ProbeError as err:
        return _reply(request_id, {"ok": False, "error": {"kind": err.kind, "message": str(err)}})
    except Exception as err:  # a bug in the probe: say where instead of leaving the UI waiting
        error = {"kind": "internal", "message": internal_message(err)}
        return _reply(request_id, {"ok": False, "error": error})


def handle_batch(requests: Any) -> list[Json]:
    """Answer a batch (the requests the open sections made at one moment) with one reply each,
    in order; never raises."""
    if not isinstance(requests, list) or not requests or len(requests) > protocol.BATCH_MAX:
        reply = _reply(None, {"ok": False, "error": {
            "kind": "bad-request", "message": f"a batch is a list of 1 to {protocol.BATCH_MAX} requests"}})
        return [reply]
    return [handle(request) for request in requests]
