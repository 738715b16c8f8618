"""The probe's wire protocol: every request, reply and row, in one place.

`src/kernel/protocol.ts` mirrors these shapes; change both together and bump
PROTOCOL_VERSION when a key changes meaning.

Request (comm message data from the frontend)::

    {"id": int, "op": str, "args": {...}}

Reply (comm message data from the probe)::

    {"id": int, "v": PROTOCOL_VERSION, "ok": True, "result": {...}}
    {"id": int, "v": PROTOCOL_VERSION, "ok": False,
     "error": {"kind": ErrorKind, "message": str}}

Operations:

- ``hello`` -> Hello
- ``values`` args ``{"scope": Scope, "budget_ms"?: int, "value_budget_ms"?: int}``
  -> Values (for a "frame" or "globals" scope) or Live (for a "live" scope)
- ``children`` args ``{"scope": Scope, "path": [PathStep], "budget_ms"?: int}``
  -> Children: the rows one level below the value the path names
- ``repr`` args ``{"scope": Scope, "path": [PathStep], "timeout_ms"?: int}``
  -> Repr: the value's own ``repr``, the one place user code runs, on request

Scope::

    {"kind": "frame", "frames": [FrameRef, ...], "index": int}
        frames as the debugger's call stack lists them, innermost first;
        index is the selected one
    {"kind": "globals"}
        the user namespace, hidden names left out
    {"kind": "live"}
        the running cell: globals and the locals of the running frames

FrameRef: ``{"path": str, "name": str, "line": int}``

PathStep (how a row is reached from its scope)::

    {"kind": "name", "name": str}                 a local/global name (first step)
    {"kind": "frame", "index": int}               live scope only: which running frame
    {"kind": "attr", "name": str}                 an instance-dict attribute
    {"kind": "index", "index": int}               the i-th item in iteration order
    {"kind": "key", "index": int}                 the value of the i-th mapping entry

Row (one value, always small: a few hundred bytes, never more than a few KB)::

    {"name": str, "type": str, "kind": RowKind, "summary": str,
     "size": int, "nonfinite": bool, "expandable": bool,
     "path": [PathStep], "stats": Stats | None, "error": str | None}

    RowKind: "tensor" | "ndarray" | "dataframe" | "series" | "container" |
             "mapping" | "scalar" | "text" | "object" | "module" | "function" |
             "class" | "property" | "error"
    size: bytes the value holds when known (tensor/array nbytes), else an
          estimate used only for sorting
    summary: one line, at most SUMMARY_MAX characters, plain text

Stats (tensors and numeric arrays)::

    {"shape": [int], "dtype": str, "device": str, "numel": int,
     "requires_grad": bool | None, "has_grad": bool | None,
     "min": float | None, "max": float | None, "mean": float | None,
     "std": float | None, "nan": int | None, "inf": int | None,
     "exact": {"min": bool, "max": bool, "mean": bool, "std": bool,
               "nan": bool, "inf": bool},
     "note": str | None}

    min/max/mean/std are over the finite elements; None when they do not
    apply or there are none. A figure marked exact False was estimated from a
    deterministic strided sample within the time budget.

Hello::

    {"protocol": int, "version": str, "thread": "subshell" | "main",
     "pid": int, "features": [str]}

Values::

    {"scope": {"kind": str, "thread": str | None, "frame": FrameRef | None},
     "rows": [Row], "truncated": bool, "elapsed_ms": float}

Live::

    {"running": bool, "rows": [Row],           # globals
     "frames": [{"thread": str, "path": str, "name": str, "line": int,
                 "rows": [Row]}],              # innermost running frame first
     "truncated": bool, "elapsed_ms": float}

Children: ``{"rows": [Row], "truncated": bool, "elapsed_ms": float}``

Repr: ``{"text": str, "truncated": bool}``
"""

from __future__ import annotations

PROTOCOL_VERSION = 1
COMM_TARGET = "jupyterlab-ml-debugger"

SUMMARY_MAX = 200
REPR_MAX = 4000
MAX_ROWS = 500

DEFAULT_BUDGET_MS = 1000
DEFAULT_VALUE_BUDGET_MS = 150
DEFAULT_REPR_TIMEOUT_MS = 2000

ERROR_KINDS = (
    "bad-request",  # the request is malformed or names an unknown op
    "no-frame",  # the selected frame is gone (the debugger continued)
    "no-value",  # the path no longer names a value
    "timeout",  # user code (a repr) did not return within its budget
    "internal",  # a bug in the probe: the message says where
)
