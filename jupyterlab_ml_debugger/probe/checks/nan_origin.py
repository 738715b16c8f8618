"""The origin of a non-finite value: its Origin report, its sentence, and the stop at it.

With a debug client attached the stop is ``debugpy.breakpoint()`` in ``stop_at_origin``,
whose locals are what the user wants to see (module, path, inputs, outputs, report);
without one, ``NonFiniteError`` carries the same facts as its message.
"""

from __future__ import annotations

from typing import Any

from ..stops.breakpoint_hook import debugpy_module

Json = dict[str, Any]


class NonFiniteError(FloatingPointError):
    """A watched model made (or passed on) NaN/Inf; the message names the module and phase."""


# Tracebacks and the Postmortem section name it where users import it from, whichever
# module of the probe defines it.
NonFiniteError.__module__ = "jupyterlab_ml_debugger"


def origin_report(path: str, cls: str, phase: str, created: bool, step: int,
                  inputs: list[Json], outputs: list[Json], weights: list[Json]) -> Json:
    """An Origin dict (see protocol), its message included."""
    report = {"path": path, "cls": cls, "phase": phase, "created": created, "step": step,
              "inputs": inputs, "outputs": outputs, "weights": weights}
    report["message"] = origin_message(report)
    return report


def origin_message(report: Json) -> str:
    """One sentence (and its facts) saying where the first NaN/Inf came from."""
    where = f"module '{report['path'] or '(root)'}' ({report['cls']})"
    values = "gradients" if report["phase"] == "backward" else "outputs"
    if report["created"]:
        how = (f"it created them: its {'output gradients' if report['phase'] == 'backward' else 'inputs'}"
               " were finite")
    else:
        how = ("it passed them on: its "
               f"{'output gradients' if report['phase'] == 'backward' else 'inputs'} were already non-finite")
    head = (f"NaN/Inf first appeared in the {report['phase']} pass at step {report['step']}, "
            f"in the {values} of {where}; {how}.")
    parts = [head]
    for label in ("inputs", "outputs", "weights"):
        if report[label]:
            parts.append(f"{label}: " + "; ".join(fact_text(f) for f in report[label]))
    return "\n".join(parts)


def fact_text(fact: Json) -> str:
    """``name [2, 3] float32 NaN 1 Inf 0 min -1 max 2`` (counts of -1 were not read)."""
    text = f"{fact['name']} {fact['shape']} {fact['dtype']}"
    if fact["nan"] < 0:
        return text + " (freed before it could be read)"
    if fact["nan"] or fact["inf"]:
        text += f" NaN {fact['nan']} Inf {fact['inf']}"
    else:
        text += " finite"
    if fact["min"] is not None:
        text += f" min {fact['min']:.4g} max {fact['max']:.4g}"
    return text


def debugger_attached() -> bool:
    """Whether a debug client (JupyterLab's debugger) is attached to this kernel."""
    debugpy = debugpy_module()
    return bool(debugpy is not None and debugpy.is_client_connected())


def stop_at_origin(module: Any, path: str, inputs: Any, outputs: Any, report: Json) -> None:
    """Stop in the debugger here when one is attached, else raise NonFiniteError."""
    debugpy = debugpy_module()
    if debugpy is not None and debugpy.is_client_connected():
        # debugpy stops at the next line of its caller: this frame, with the origin's
        # module, path, inputs, outputs and report as locals (the Origin Module pattern).
        debugpy.breakpoint()
        return
    raise NonFiniteError(report["message"])
