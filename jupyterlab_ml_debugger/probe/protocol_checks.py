"""The ML checks' reply shapes: part of the wire protocol documented in ``protocol.py``.

The ops (``scan``, ``nan_watch``, ``nan_report``, ``explain_error``,
``checked_step_report``, ``data_defects``) are listed with the others in
``protocol.py``; `src/kernel/checksProtocol.ts` mirrors the shapes below. Change
both together and bump ``protocol.PROTOCOL_VERSION`` when a key changes meaning.

TensorFacts (a tensor in a check's report)::

    {"name": str, "shape": [int], "dtype": str, "device": str, "nan": int, "inf": int,
     "min": float | None, "max": float | None}

    nan and inf are -1 (min/max None) for a tensor the "device" mode of the origin watch
    found freed when it read its flags at the step boundary: its shape is still known

Scan::

    {"findings": [{"path": str, "shape": [int], "dtype": str, "device": str, "nan": int,
                   "inf": int, "first": [int] | None}],
     "tensors": int, "skipped": int, "truncated": bool, "cut": str | None, "elapsed_ms": float}

    path: how the frame reaches the tensor, e.g. "model.fc2.weight.grad", "opt.state[3].exp_avg";
    first: index of the first bad element; tensors: how many were read; skipped: unchanged
    (same ``_version``) since the previous scan of this frame and known finite; cut: the bounds
    that stopped the walk ("time: …", "depth: …"), and "unreadable: …" naming by path each value
    that could not be read (a nested tensor) or kept changing while read: the scan goes on
    without it

NanWatch: ``{"on": bool, "modules": int, "mode": "cpu" | "device" | "per-module",
"note": str | None}`` (note: what the mode costs, or what is not supported)

NanReport::

    {"watches": [{"label": str, "modules": int, "mode": str, "steps": int, "health": bool}],
     "origin": Origin | None, "health": Health | None}

    a watch's health is false when it was started with ``"health": false`` (origins only);
    the report's health is that of the last stepped watch that keeps it

Origin (the first non-finite value a watch saw)::

    {"path": str, "cls": str, "phase": "forward" | "backward", "created": bool, "step": int,
     "inputs": [TensorFacts], "outputs": [TensorFacts], "weights": [TensorFacts],
     "message": str}

    created: the module's inputs were finite, so it made the bad value (else it passed it on);
    message: the sentence the exception says when the debugger is off

Health (gradient health at the last step of the watched model)::

    {"step": int, "params": [{"path": str, "grad_norm": float | None, "ratio": float | None,
     "update_ratio": float | None, "flag": "vanishing" | "exploding" | "nonfinite" | None,
     "history": [float]}], "update_note": str | None}

    ratio: the last step's grad norm / the weight's norm when the report is made; history:
    grad norms of the last HEALTH_HISTORY steps
    (scalars only); update_ratio only with the opt-in, whose memory update_note states

ShapeErrorReport: ``{"error": ShapeError | None}``::

    {"kind": "matmul" | "linear" | "conv" | "cat" | "view" | "broadcast" | "other",
     "exception": str, "module": str | None, "cls": str | None, "expects": str | None,
     "received": str | None, "where": {"path": str, "line": int, "name": str} | None,
     "message": str, "id": str}

    module: the path of the failing module from a model in the user's globals;
    expects: e.g. "in_features=10"; received: e.g. "[20, 50]"; where: the innermost frame
    of user code; message: one sentence saying all of it; id: new for each failure

CheckedStep::

    {"state": "idle" | "armed" | "done", "findings": [{"kind": "broadcast" | "float64" |
     "devices", "message": str, "path": str, "line": int}]}

DataDefects::

    {"rows": int, "sampled": bool, "defects": [{"kind": "missing" | "case" | "outliers" |
     "duplicates" | "constant" | "imbalance" | "leakage", "column": str | None,
     "count": int, "message": str}], "notes": [str], "elapsed_ms": float}
    notes: how it was checked (the row sample, values and columns not compared, a column that
    could not be read) and what a rule could not judge, with why (a column too short or without spread for outliers, a label with
    too many values for classes, a dataset of under two rows), one sentence each
"""
