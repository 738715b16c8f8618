"""The probe's wire protocol: every request, reply and row, in one place.

`src/kernel/protocol.ts` mirrors these shapes; change both together and bump
PROTOCOL_VERSION when a key changes meaning.

Request (comm message data from the frontend)::

    {"id": int, "op": str, "args": {...}}

Reply (comm message data from the probe)::

    {"id": int, "v": PROTOCOL_VERSION, "ok": True, "result": {...}}
    {"id": int, "v": PROTOCOL_VERSION, "ok": False,
     "error": {"kind": ErrorKind, "message": str}}

Every request is checked before any work: an object of at most REQUEST_DEPTH_MAX levels of
nesting, REQUEST_ITEMS_MAX values in all and REQUEST_TEXT_MAX characters in any one string,
``op`` a string; one that is not gets a ``bad-request`` saying which bound it broke. (A
message nested past the kernel's own JSON decoder, about 1,000 levels, never reaches the
probe: the frontend's bridge refuses such a request itself, with the same sentence.)

A reply holding text that cannot travel as UTF-8 (a lone surrogate such as ``"\ud800"`` in a
name, key or value) is sent with that text escaped (``'\\ud800'``); a reply that cannot be
sent at all is answered with an ``internal`` error of the same id, never with silence.

Batch: the frontend sends the requests its sections make within a few milliseconds of each
other (the live sections poll on one clock) as one comm message, and gets one back::

    {"batch": [Request, ...]}     ->     {"batch": [Reply, ...]}   (same order, at most BATCH_MAX)

    Every message through ipykernel costs the running cell a few GIL hand-overs on its
    shell, subshell and IOPub threads, so one message per poll instead of one per section
    is what keeps a 10 Hz poll cheap.

Operations:

- ``hello`` -> Hello
- ``values`` args ``{"scope": Scope, "budget_ms"?: int, "value_budget_ms"?: int,
  "group"?: "scope"}`` -> Values (for a "frame" or "globals" scope) or Live (for a "live"
  scope). With ``group: "scope"`` (the Scope pattern) every Row carries ``scope`` and
  ``shadows``, and a "frame" scope lists the frame's locals and then the globals it sees
  (filtered as the user namespace is), a global hidden by a local of the same name
  included, each reached by a "global" path step. Without it no Row has those keys.
- ``children`` args ``{"scope": Scope, "path": [PathStep], "budget_ms"?: int}``
  -> Children: the rows one level below the value the path names; when they cannot be listed
  (the value fails to read, or the running cell changed the container under two reads in a
  row) one Row of kind "error" named "(unreadable)" or "(changing)" says why
- ``repr`` args ``{"scope": Scope, "path": [PathStep], "timeout_ms"?: int, "reveal"?: bool}``
  -> Repr: the value's own ``repr``, the one place user code runs, on request; masked as its
  row is (Secrets, below) unless ``reveal`` is true: the frontend asks so for a revealed row
- ``reveal`` args ``{"scope": Scope, "target": Target, "budget_ms"?: int}`` -> ``{"row": Row}``:
  the one value the user asked to see, summarised unmasked (a watch's row gets its ``number``)
- ``secrets`` args ``{"on"?: bool, "names"?: [str]}`` -> ``{"on": bool, "names": [str]}``: the
  masking every later reply gets (the frontend sends its settings once per connection and on
  change); a new kernel masks with ``secrets/detector.py``'s DEFAULT_NAMES
- ``watch`` args ``{"scope": Scope, "expressions": [str], "budget_ms"?: int,
  "expression_budget_ms"?: int}`` -> Watch: each expression evaluated in the scope's
  frame (a "live" scope: the innermost running cell frame, else the globals), at most
  50 expressions of at most 1,000 characters. This runs the user's code; ``:=`` is
  refused and nothing is assigned into the user's namespace. Optional ``"contracts":
  {expression: contract}`` attaches a shape contract such as ``"B 3 H W"`` to a watch:
  numbers must match, names bind to sizes and must agree across every contract of the
  request, ``*`` matches any number of dimensions; the row then has ``"contract":
  {"ok": bool, "message": str}``
- ``set_actions`` args ``{"breakpoints": [ActionSpec]}`` -> ``{"ids": [str], "errors": {id: str}}``:
  replaces the whole set; an unchanged spec keeps its hit count, a changed one starts
  again. A spec with an error is kept as broken: it never stops and says why once in
  the trace.
- ``validate`` args ``{"expression": str, "mode"?: "eval" | "log"}`` -> Validation
- ``trace`` args ``{"since"?: seq, "limit"?: int}`` -> Trace (at most TRACE_FETCH_MAX rows)
- ``clear_trace`` -> ``{"cleared": int, "next": seq}`` (hit counts are kept)
- ``breakpoint_hook`` args ``{"on": bool}`` -> ``{"on": bool, "attached": bool}``: whether
  ``breakpoint()`` in a cell now goes to debugpy, and whether a debug client is attached

- ``structure`` args ``{"scope": Scope, "target": Target, "max_nodes"?: int,
  "budget_ms"?: int}`` -> Structure: what the value is made of (Type Structure)
- ``record_shapes`` args ``{"scope": Scope, "target": Target, "on": bool}`` ->
  ``{"on": bool, "modules": int}``: passive forward hooks on every submodule of an
  ``nn.Module`` that remember the input and output shapes of the user's own last
  forward pass (no extra pass, no tensor kept); ``on: false`` removes every hook
- ``slice`` args ``{"scope": Scope, "target": Target, "axes"?: [int, int] | [int] | [],
  "index"?: [int], "max"?: int}`` -> Slice: the 2-D slice of a
  tensor or array along ``axes`` (the other dimensions fixed at ``index``), strided
  down to at most ``max`` (<= SLICE_MAX) per side, as little-endian float32, row major.
  Without ``axes`` the last two dimensions (the only one of a 1-D value); without
  ``index`` every fixed dimension at 0: the first request need not know the shape
- ``histogram`` args ``{"scope": Scope, "target": Target, "bins"?: int}`` -> Histogram
  of the whole tensor's finite values, computed on its device
- ``table`` args ``{"scope": Scope, "target": Target, "rows"?: int}`` -> Table: a
  DataFrame's (or Series') head, tail and per-column statistics

- ``scan`` args ``{"scope": Scope, "budget_ms"?: int}`` -> Scan: every tensor reachable from the
  scope's frame (or the globals) that holds NaN or Inf
- ``nan_watch`` args ``{"scope": Scope, "target": Target, "on": bool, "mode"?: "auto" |
  "per-module", "update_ratio"?: bool, "health"?: bool}`` -> NanWatch: hooks a model to find
  where the first NaN/Inf is created (origin watch) and, unless ``health`` is false, to keep
  its gradient health (``update_ratio`` needs it); ``on: false`` removes
  every hook; ``{"label": str, "on": false}`` removes the watches NanReport lists under that
  label. ``mode`` "per-module" on CUDA stops at the module and syncs once per module
- ``nan_report`` -> NanReport: the origin found by the watches, and their gradient health
- ``explain_error`` -> ShapeErrorReport: the last exception of the user's cells
  (``sys.last_exc`` / ``sys.last_traceback``) explained when it is a shape error
- ``checked_step_report`` -> CheckedStep: findings of the running or last checked step
- ``data_defects`` args ``{"scope": Scope, "target": Target, "label"?: str,
  "other"?: Target, "budget_ms"?: int}`` -> DataDefects of a DataFrame or array dataset;
  ``other`` is a second frame checked for rows shared with the first (leakage)

Every reply is JSON text, binary data included (``slice``'s values, as base64): no comm
message carries binary buffers, since jupyter_server's relay to a Kernel Gateway
(``--gateway-url``) decodes a binary message as UTF-8, fails, and relays nothing more to any
connection of the kernel; and text travels through the DAP ``evaluate`` fallback too.

Target (which value a structure/viewer request is about)::

    {"path": [PathStep]}          a value reached as in ``children``
    {"expression": str}           a watch expression, evaluated in the scope's frame

Structure::

    {"type": str, "kind": RowKind, "summary": str,
     "object": ObjectStructure, "modules": ModuleTree | None,
     "truncated": bool, "cut": str | None, "elapsed_ms": float}

    cut: where and why a bounded walk stopped (depth, count or time), and "unreadable: …"
    naming the tensors left out because they could not be read; else None

ObjectStructure::

    {"class": str, "module": str, "mro": [str], "metaclass": str | None,
     "flavor": "dataclass" | "namedtuple" | "attrs" | "pydantic" | None,
     "fields": [{"name": str, "declared": str | None, "actual": str | None,
                 "summary": str}],
     "attributes": [{"name": str, "type": str, "summary": str}],
     "slots": [{"name": str, "type": str | None}],   # type None: slot holds no value
     "properties": [str], "methods": int,
     "shape": str | None}     # containers: "dict[str → list[16] of Tensor[3, 4] float32]"

    Only instance dictionaries and slots are read; properties are listed, never
    evaluated; ``__getattr__`` is never triggered.

ModuleTree (an ``nn.Module``; ``modules`` in pre-order, the root first)::

    {"fields": MODULE_FIELDS, "modules": [ModuleNode], "params": int, "trainable": int,
     "param_tensors": int, "shared": int, "recording": bool}

ModuleNode (an array, its items in the order of ``fields``; zip the two to read one)::

    [path: str, depth: int, cls: str, params: [[name, shape, dtype]],
     buffers: [[name, shape, dtype]], own: int, total: int, trainable: int,
     device: str | None, training: bool, hooks: {kind: int} | None,
     shared: str | None, io: {"in": [shape | str], "out": [shape | str]} | None]

    path "" is the root; own: parameters in this module's own tensors; total and
    trainable: in its subtree, each shared tensor counted once; device: of its own
    tensors, "mixed" when they differ, None when it has none; hooks: nonzero counts
    by kind (forward, forward_pre, backward, backward_pre, state_dict); shared: the
    path this module was first reached by, when it is reachable by two (its subtree
    is not repeated); io: shapes recorded in the last forward pass, when recording.
    An array, not an object: keys repeated on every module would nearly double the
    bytes and cost a tenth of the walk's time.

Slice::

    {"shape": [int], "dtype": str, "device": str, "axes": [int], "index": [int],
     "rows": int, "cols": int, "row_step": int, "col_step": int,
     "nan": int, "inf": int, "min": float | None, "max": float | None, "values": str}

    values: rows x cols little-endian float32, row major, as base64; row r, column c is element
    r * row_step, c * col_step of the chosen axes; nan/inf/min/max are of the slice

Histogram::

    {"edges": [float], "counts": [int], "nan": int, "inf": int, "numel": int,
     "device": str, "exact": bool, "elapsed_ms": float}

    bins + 1 equal-width edges from the finite minimum to the finite maximum (a range
    of one around them when all are equal); edges and counts are [] when no value is
    finite. exact False: counts, nan and inf were estimated from a deterministic
    strided sample within the time budget, scaled up to numel

Table::

    {"shape": [int, int], "columns": [Column], "head": [[str]], "tail": [[str]],
     "head_index": [str], "tail_index": [str]}
    Column: {"name": str, "dtype": str, "missing": int, "unique": int | None,
             "mean": float | None, "std": float | None, "min": str | None,
             "max": str | None}

    columns, head and tail cover the first TABLE_COLUMNS_MAX columns (shape has them
    all); the head has at most ``rows`` rows and the tail the at most ``rows`` after it,
    so short frames repeat none. Cells are text made without the user's ``__repr__``.
    unique: None where hashing could run user code (object columns of other than
    builtin scalars and strings), the column is longer than 10^6 rows, or the time ran
    out; mean/std/min/max: None where they do not apply or the time ran out

The shapes of the ML checks' replies (TensorFacts, Scan, NanWatch, NanReport, Origin,
Health, ShapeErrorReport, CheckedStep, DataDefects) are documented in ``protocol_checks.py``.

- ``threads`` -> Threads: every thread's stack, what blocked threads wait on, deadlocks
- ``counters`` -> Counters: one sample of the process counters, their history and leak flags
- ``postmortem`` -> Postmortem: the last failed cell's exception chain and frames
- ``modules`` args ``{"requirements"?: str}`` -> Modules: loaded modules, versions, paths

Their arguments and the shapes of Threads, Counters, Postmortem and Modules are documented
in ``protocol_live.py``.

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
    {"kind": "global", "name": str}               a global the frame sees (first step;
                                                  rows of a scope-grouped "frame" scope)
    {"kind": "frame", "index": int}               live scope only: which running frame
    {"kind": "attr", "name": str}                 an instance-dict attribute
    {"kind": "index", "index": int}               the i-th item in iteration order
    {"kind": "key", "index": int}                 the value of the i-th mapping entry

Row (one value, always small: a few hundred bytes, never more than a few KB)::

    {"name": str, "type": str, "kind": RowKind, "summary": str,
     "size": int, "nonfinite": bool, "expandable": bool,
     "path": [PathStep], "stats": Stats | None, "error": str | None, "masked": bool}

    masked (Secrets): the summary or error had a secret in it and shows MASK ("••••••") in its
    place; ``reveal`` gets it. Text under a secret-looking name (a str or bytes value), or under
    an expression that reads one (``api_token.upper()``, ``config["hf_token"]``), is masked
    whole; key-shaped text (AWS, GitHub, Slack, OpenAI-style, Google, Stripe, Hugging Face keys,
    bearer tokens, private keys, JWTs) and a quoted value after a secret name (``api_key='…'``)
    wherever they appear: in every reply's text, not only Rows (trace logs and values, structure,
    threads, postmortem, checks, counters, tables). The rules: ``secrets/detector.py``.

    RowKind: "tensor" | "ndarray" | "dataframe" | "series" | "container" |
             "mapping" | "scalar" | "text" | "object" | "module" | "function" |
             "class" | "property" | "error"
    size: bytes the value holds when known (tensor/array nbytes), else an
          estimate used only for sorting
    summary: one line, at most SUMMARY_MAX characters, plain text

    Scope-grouped rows (``values`` with ``group: "scope"``) have two more keys::

    {"scope": "local" | "enclosing" | "global", "shadows": "builtin" | "global" | None}

    scope: "enclosing" for a free variable of the frame's code (a value captured
          from an enclosing function), "local" for its other locals, "global" for
          the globals (in a "live" scope: the globals rows; frame rows are local or
          enclosing)
    shadows: "global" when a local or enclosing name is also bound in the globals
          the frame sees, else "builtin" when the name is a builtin's (underscore
          names are never flagged), else None

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
     "pid": int, "features": [str],
     "crash_recorder": {"armed": bool, "reason": str | None}}

    crash_recorder: whether the crash recorder (``crash/``) is armed in this kernel process (the
    first hello arms it), else why not: not an IPython kernel, no connection file named
    ``kernel-<id>.json``, a runtime directory it cannot write. ``crash/recorder.py`` says what
    it writes there for the server extension to read after a death.

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

Watch: ``{"rows": [WatchRow], "elapsed_ms": float}``, one row per expression in order.
WatchRow is a Row named by its expression, with ``path`` [] and one more key,
``"number": float | None`` (as in a TraceRow's values, for sparklines). An expression
that does not compile, raises or overruns its budget gives a row of kind "error"
whose summary and error say why.

Breakpoint actions. Each breakpoint with actions goes to debugpy with the condition
``CONDITION_TEMPLATE.format(id=...)`` and no ``hitCondition``/``logMessage``: the probe
decides on every pass whether to stop, so condition, hit count and actions AND together.

ActionSpec (id: 1-64 of ``A-Za-z0-9_.:-``)::

    {"id": str, "condition": str | None, "hit": {"mode": "eq" | "ge" | "every", "n": int} | None,
     "log": str | None,            # text with {expression} parts; {{ and }} are braces
     "record": [str],              # expressions whose values each hit traces
     "check_tensors": bool,        # stop only when a tensor in the frame holds NaN/Inf
     "stop_when_changed": str | None,  # stop only when this value's fingerprint changed
     "continue": bool,             # never stop: trace only
     "once": bool}                 # removed after its first hit

    A hit is a pass on which the condition held; hit numbers count from 1. Hits
    that fail the hit rule run no action and trace no row. A condition that raises
    counts as false and is reported once; a recorded expression that takes more
    than RECORD_BUDGET_MS is reported once and not evaluated again until edited.

Validation: ``{"ok": bool, "message": str | None, "line": int | None, "offset": int | None}``
(the parser's message and 1-based position)

TraceRow (one per hit, and one per reported error)::

    {"seq": int, "time": float, "bp": str, "path": str, "line": int, "hit": int,
     "log": str | None, "values": {expression: {"number": float | None, "summary": str}},
     "error": str | None, "stopped": bool, "reason": str | None, "removed": bool}

    time: epoch seconds; number: a finite real scalar or one-element tensor, for
    sparklines (None for NaN/Inf, which the summary still shows); stopped: the
    debugger stopped on this hit; reason: why check_tensors/stop_when_changed
    stopped; removed: this hit spent a "once" breakpoint (the frontend drops it)

Trace: ``{"rows": [TraceRow], "next": seq, "dropped": int, "counts": {id: int}}``
    next: the ``since`` of the next request; dropped: rows after ``since`` lost
    because the ring of TRACE_CAPACITY rows overflowed; counts: hits per breakpoint

The probe never sends a comm message unprompted: every message it sends answers a
request. The frontend fetches trace rows with the ``trace`` op (``since`` the
``next`` of its previous fetch) at stops, after cells and on refresh. (A push from
a background thread, sent while a breakpoint condition stopped the kernel, left
ipykernel's shell channel blocked, and every later request timed out.)
"""

from __future__ import annotations

PROTOCOL_VERSION = 1
BATCH_MAX = 32
REQUEST_DEPTH_MAX = 32
REQUEST_ITEMS_MAX = 50_000
REQUEST_TEXT_MAX = 100_000
COMM_TARGET = "jupyterlab-ml-debugger"

SUMMARY_MAX = 200
REPR_MAX = 4000
MAX_ROWS = 500

DEFAULT_BUDGET_MS = 1000
DEFAULT_VALUE_BUDGET_MS = 150
DEFAULT_REPR_TIMEOUT_MS = 2000

# pydevd compiles a condition's text on every pass over its line: a short alias of
# probe/breakpoints/actions.py in sys.modules keeps that compile 10% cheaper than the dotted path.
ACTIONS_MODULE_ALIAS = "_jupyterlab_ml_debugger_actions"
CONDITION_TEMPLATE = '__import__("' + ACTIONS_MODULE_ALIAS + '").on_hit("{id}")'
TRACE_CAPACITY = 10_000
TRACE_FETCH_MAX = 5_000
RECORD_BUDGET_MS = 50
ACTION_SUMMARY_BUDGET_MS = 20
LOG_MAX = 1_000

STRUCTURE_MAX_NODES = 20_000
STRUCTURE_BUDGET_MS = 3_000
MODULE_FIELDS = ("path", "depth", "cls", "params", "buffers", "own", "total", "trainable",
                 "device", "training", "hooks", "shared", "io")
SLICE_MAX = 512
HISTOGRAM_BINS = 64
TABLE_ROWS = 10
TABLE_COLUMNS_MAX = 100

HEALTH_HISTORY = 50
CHECKED_MODULE_ALIAS = "_jupyterlab_ml_debugger_checked"

ERROR_KINDS = (
    "bad-request",  # the request is malformed or names an unknown op
    "no-frame",  # the selected frame is gone (the debugger continued)
    "no-value",  # the path no longer names a value
    "timeout",  # user code (a repr) did not return within its budget
    "internal",  # a bug in the probe: the message says where
)
