"""The Checks ops: the NaN/Inf scan of a scope, the origin watch and its report, the last error
explained, the checked step's report, and a dataset's defects."""

from __future__ import annotations

import sys
from typing import Any, Callable

from .. import protocol, safe_text
from ..budget import Budget
from ..requests import bad, number, parse_scope, resolve_target, stopped_frame
from ..secrets import masking
from ..stack import frames, namespace
from . import checked_step, nan_registry, nonfinite_scan, shape_explain
from .data_defects import DATA_BUDGET_MS, DataError, data_defects

Json = dict[str, Any]


def scan(args: Json) -> Json:
    """``{"scope", "budget_ms"?}`` -> Scan."""
    scope = parse_scope(args.get("scope"))
    budget = Budget(number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS))
    return nonfinite_scan.scan(scan_roots(scope), budget)


def scan_roots(scope: Json) -> namespace.Items:
    """What a scan starts from: a function frame's locals, then the globals it sees that no
    local hides (a training step's model and optimizer are often globals); a module-level
    frame's or the "globals" scope's user namespace; for "live", the running cell's
    innermost frame the same way, else the namespace."""
    frame = None
    if scope["kind"] == "frame":
        frame = stopped_frame(scope)[1]
    elif scope["kind"] == "live":
        running = frames.running_frames()
        frame = running[0][1] if running else None
    if frame is None:
        return namespace.global_items()
    local_items = namespace.frame_items(frame)
    if frame.f_locals is frame.f_globals:
        return local_items
    hidden = {name for name, _ in local_items}
    return local_items + [(n, v) for n, v in namespace.frame_global_items(frame) if n not in hidden]


def checked_step_report(args: Json) -> Json:
    """``{}`` -> CheckedStep."""
    return checked_step.report()


def _label(target: Any) -> str:
    """What the Checks section calls the watched model: its expression or its path's last name."""
    if isinstance(target, dict) and isinstance(target.get("expression"), str):
        return target["expression"]
    steps = target.get("path") if isinstance(target, dict) else None
    names = [s.get("name") for s in steps or [] if isinstance(s, dict) and isinstance(s.get("name"), str)]
    return ".".join(names) or "model"


def nan_watch(args: Json) -> Json:
    """``{"scope", "target", "on", "mode"?, "update_ratio"?, "health"?}`` or ``{"label", "on": false}``
    -> NanWatch."""
    on, mode, update_ratio = args.get("on"), args.get("mode", "auto"), args.get("update_ratio", False)
    health = args.get("health", True)
    if not isinstance(on, bool):
        raise bad("on must be true or false")
    if mode not in ("auto", "per-module"):
        raise bad('mode must be "auto" or "per-module"')
    if not isinstance(update_ratio, bool):
        raise bad("update_ratio must be true or false")
    if not isinstance(health, bool):
        raise bad("health must be true or false")
    if update_ratio and not health:
        raise bad("the update ratio is part of gradient health: keep health on to measure it")
    if not on and isinstance(args.get("label"), str):
        try:
            return nan_registry.stop_labelled(args["label"])
        except LookupError as err:
            raise bad(str(err)) from err
    model = resolve_target(parse_scope(args.get("scope")), args.get("target"))
    torch = sys.modules.get("torch")
    if torch is None or not issubclass(type(model), torch.nn.Module):
        raise bad(f"watching for NaN/Inf needs a torch nn.Module, not {safe_text.short_type(type(model))}")
    if not on:
        return nan_registry.stop(model)
    try:
        return nan_registry.start(model, _label(args.get("target")), mode, update_ratio, health)
    except nan_registry.WatchRefused as err:
        # not an error of the request: the Checks section shows what is not supported
        return {"on": False, "modules": 0, "mode": "cpu", "note": str(err)}


def nan_report(args: Json) -> Json:
    """``{}`` -> NanReport."""
    if sys.modules.get("torch") is None:
        return {"watches": [], "origin": None, "health": None}
    return nan_registry.report()


def explain_error(args: Json) -> Json:
    """ShapeErrorReport: ``{"error": ShapeError | None}``; None when no cell has failed."""
    return {"error": shape_explain.explain_last()}


def data_defects_op(args: Json) -> Json:
    """``{"scope", "target", "label"?, "other"?, "budget_ms"?}`` -> DataDefects."""
    label = args.get("label")
    if label is not None and not isinstance(label, str):
        raise bad("label must be a column name (a string)")
    budget = Budget(number(args, "budget_ms", DATA_BUDGET_MS))
    scope = parse_scope(args.get("scope"))
    value = resolve_target(scope, args.get("target"))
    other = resolve_target(scope, args["other"]) if args.get("other") is not None else None
    try:
        return data_defects(value, label, other, budget)
    except DataError as err:
        raise bad(str(err)) from err


# Exception messages, shape errors and data defects quote values: masked as values are.
OPS: dict[str, Callable[[Json], Json]] = masking.masking({
    "scan": scan,
    "checked_step_report": checked_step_report,
    "nan_watch": nan_watch,
    "nan_report": nan_report,
    "explain_error": explain_error,
    "data_defects": data_defects_op,
}, by_name={"data_defects": masking.defect_columns})
