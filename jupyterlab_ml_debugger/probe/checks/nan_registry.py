"""The watched models: start and stop origin watches, the global optimizer hooks of the
update-ratio opt-in, and the NanReport of them all."""

from __future__ import annotations

import sys
import weakref
from typing import Any

from .. import safe_text
from .nan_watch import Watch

Json = dict[str, Any]

_watches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_optimizer_hooks: list[Any] = []

NOTES = {
    "cpu": "each module's output and each activation gradient is tested with one sum as it is made;"
           " the debugger stops in the hook of the module that made the first NaN/Inf",
    "device": "flags stay on the device and are read once per step, at the end of backward"
              " (one host sync per step); the debugger stops there, naming the origin",
    "per-module": "syncs the device once per module (slower) so that the debugger stops in the"
                  " hook of the module that made the first NaN/Inf",
}


class WatchRefused(TypeError):
    """The value cannot be watched; the message says why and what to do instead."""


def refusal(torch: Any, model: Any) -> str | None:
    """Why ``model`` cannot be watched, or None."""
    if not issubclass(type(model), torch.nn.Module):
        return f"watching for NaN/Inf needs a torch nn.Module, not {safe_text.short_type(type(model))}"
    compiled = getattr(getattr(torch, "_dynamo", None), "eval_frame", None)
    optimized = getattr(compiled, "OptimizedModule", None)
    if optimized is not None and issubclass(type(model), optimized):
        return ("a torch.compile'd model is not supported: hooks inside a compiled graph would break"
                " it or be traced away. Watch the model before compiling it and run it uncompiled"
                " (model._orig_mod) while looking for the origin")
    return None


def resolve_mode(torch: Any, model: Any, mode: str) -> str:
    """"cpu", "device" or "per-module" for a model and a requested "auto"/"per-module"/"device"."""
    if mode not in ("auto", "per-module", "device"):
        raise ValueError('mode must be "auto" or "per-module"')
    tensors = [*torch.nn.Module.parameters(model), *torch.nn.Module.buffers(model)]
    on_device = any(t.device.type != "cpu" for t in tensors)
    if not on_device:
        return "device" if mode == "device" else "cpu"
    return "device" if mode == "auto" else mode


def start(model: Any, label: str, mode: str = "auto", update_ratio: bool = False,
          health: bool = True) -> Json:
    """Watch ``model`` (again: re-armed, hooks not doubled); the NanWatch reply. Without
    ``health`` it only looks for origins (no gradient norms at each step end)."""
    torch = sys.modules["torch"]
    why = refusal(torch, model)
    if why is not None:
        raise WatchRefused(why)
    if update_ratio and not health:
        raise ValueError("the update ratio is part of gradient health: keep health on to measure it")
    resolved = resolve_mode(torch, model, mode)
    watch = _watches.get(model)
    if watch is not None and (watch.mode, watch.update_ratio, watch.health is not None) == \
            (resolved, update_ratio, health):
        watch.origin = None  # watching again looks for a new first NaN/Inf
    else:
        if watch is not None:
            watch.remove()
        watch = Watch(torch, model, label, resolved, update_ratio, health)
        watch.install()
        _watches[model] = watch
    _sync_optimizer_hooks(torch)
    extra = watch.health.update_note() if watch.health else "no gradient health: origins only"
    note = ". ".join(n for n in (NOTES[resolved], extra) if n)
    return {"on": True, "modules": len(watch.paths), "mode": resolved, "note": note}


def stop(model: Any) -> Json:
    """Remove every hook the watch of ``model`` placed; the NanWatch reply."""
    watch = _watches.pop(model, None)
    if watch is None:
        return {"on": False, "modules": 0, "mode": "cpu", "note": None}
    watch.remove()
    _sync_optimizer_hooks(sys.modules["torch"])
    return {"on": False, "modules": len(watch.paths), "mode": watch.mode, "note": None}


def stop_labelled(label: str) -> Json:
    """Remove the watches the Checks section lists under ``label``; the NanWatch reply."""
    models = [model for model, watch in list(_watches.items()) if watch.label == label]
    if not models:
        raise LookupError(f"no model is watched as {label!r}")
    return [stop(model) for model in models][-1]


def watch_of(model: Any) -> Watch | None:
    """The watch on ``model``, if any."""
    return _watches.get(model)


def report() -> Json:
    """NanReport: every watch, the first origin found, the health of the last stepped model."""
    watches = list(_watches.values())
    rows = [w.report() for w in watches]
    origins = [w.origin for w in watches if w.origin is not None]
    stepped = [w for w in watches if w.steps and w.health]
    last = max(stepped, key=lambda w: w.stamp) if stepped else None
    health = last.health.report(last.torch) if last is not None else None
    return {"watches": rows, "origin": origins[0] if origins else None, "health": health}


def _sync_optimizer_hooks(torch: Any) -> None:
    """Global optimizer step hooks exactly while some watch has the update-ratio opt-in."""
    wanted = any(w.update_ratio for w in _watches.values())
    if wanted and not _optimizer_hooks:
        from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

        _optimizer_hooks.append(register_optimizer_step_pre_hook(_before_step))
        _optimizer_hooks.append(register_optimizer_step_post_hook(_after_step))
    elif not wanted:
        while _optimizer_hooks:
            _optimizer_hooks.pop().remove()


def _before_step(optimizer: Any, args: Any, kwargs: Any) -> None:
    torch = sys.modules["torch"]
    ids = {id(p) for group in optimizer.param_groups for p in group["params"]}
    for watch in list(_watches.values()):
        if watch.update_ratio and watch.active:
            watch.health.before_step(torch, ids)


def _after_step(optimizer: Any, args: Any, kwargs: Any) -> None:
    torch = sys.modules["torch"]
    for watch in list(_watches.values()):
        if watch.update_ratio:
            watch.health.after_step(torch)
