"""The Checks ops: the NaN/Inf scan of a scope, and the checked step's report."""

from __future__ import annotations

from typing import Any, Callable

from . import checked_step, frames, namespace, nonfinite_scan, protocol
from .budget import Budget

Json = dict[str, Any]


def scan(args: Json) -> Json:
    """``{"scope", "budget_ms"?}`` -> Scan."""
    # Imported here because api imports this module to register the ops.
    from .api import ProbeError, parse_scope

    scope = parse_scope(args.get("scope"))
    budget_ms = args.get("budget_ms", protocol.DEFAULT_BUDGET_MS)
    if isinstance(budget_ms, bool) or not isinstance(budget_ms, (int, float)) or budget_ms <= 0:
        raise ProbeError("bad-request", "budget_ms must be a positive number")
    budget = Budget(float(budget_ms))
    return nonfinite_scan.scan(scan_roots(scope), budget)


def scan_roots(scope: Json) -> namespace.Items:
    """What a scan starts from: a function frame's locals, then the globals it sees that no
    local hides (a training step's model and optimizer are often globals); a module-level
    frame's or the "globals" scope's user namespace; for "live", the running cell's
    innermost frame the same way, else the namespace."""
    from .api import stopped_frame

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


OPS: dict[str, Callable[[Json], Json]] = {
    "scan": scan,
    "checked_step_report": checked_step_report,
}
