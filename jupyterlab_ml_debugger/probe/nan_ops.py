"""The NaN/Inf checks' ops: argument checks around the origin watch and its report."""

from __future__ import annotations

import sys
from typing import Any, Callable

from . import nan_registry

Json = dict[str, Any]


def _bad(message: str) -> Exception:
    # Imported here because api imports this module to register the ops.
    from .api import ProbeError

    return ProbeError("bad-request", message)


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
    from .api import parse_scope, resolve_target

    on, mode, update_ratio = args.get("on"), args.get("mode", "auto"), args.get("update_ratio", False)
    health = args.get("health", True)
    if not isinstance(on, bool):
        raise _bad("on must be true or false")
    if mode not in ("auto", "per-module"):
        raise _bad('mode must be "auto" or "per-module"')
    if not isinstance(update_ratio, bool):
        raise _bad("update_ratio must be true or false")
    if not isinstance(health, bool):
        raise _bad("health must be true or false")
    if update_ratio and not health:
        raise _bad("the update ratio is part of gradient health: keep health on to measure it")
    if not on and isinstance(args.get("label"), str):
        try:
            return nan_registry.stop_labelled(args["label"])
        except LookupError as err:
            raise _bad(str(err)) from err
    model = resolve_target(parse_scope(args.get("scope")), args.get("target"))
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(model, torch.nn.Module):
        raise _bad(f"watching for NaN/Inf needs a torch nn.Module, not {type(model).__name__}")
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


OPS: dict[str, Callable[[Json], Json]] = {
    "nan_watch": nan_watch,
    "nan_report": nan_report,
}
