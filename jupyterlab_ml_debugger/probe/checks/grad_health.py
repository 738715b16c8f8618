"""Gradient health of a watched model: per-parameter grad norms, ratios, flags and history.

Gradient norms are read at the step boundary (the end of each backward pass) and kept as
Python floats only: no tensor outlives the read, so no GPU memory is held between steps.
On a device they come back in one transfer. Weight norms are read when a report is made,
not at every step: a weight changes by one update per step, a small part of itself, and
reading them at every step end would double the work of the boundary. The update-to-weight ratio is an opt-in: it copies the
weights before ``optimizer.step()`` (global optimizer hooks) and frees them after.
"""

from __future__ import annotations

import collections
import math
import weakref
from typing import Any

from ..protocol import HEALTH_HISTORY

Json = dict[str, Any]

# grad norm / weight norm below VANISHING: the step barely moves the weight; above
# EXPLODING: one step at lr 0.1 would move it by its own size. A weight of norm 0 (a
# fresh bias) is judged by its gradient norm against the same thresholds.
VANISHING = 1e-7
EXPLODING = 10.0


def flag(grad_norm: float | None, ratio: float | None) -> str | None:
    """"nonfinite", "exploding", "vanishing" or None for one parameter."""
    if grad_norm is None:
        return None
    if not math.isfinite(grad_norm):
        return "nonfinite"
    measure = ratio if ratio is not None else grad_norm
    if measure > EXPLODING:
        return "exploding"
    if measure < VANISHING:
        return "vanishing"
    return None


def _number(x: float) -> float | None:
    return x if math.isfinite(x) else None


class GradHealth:
    """Health of one model's parameters, updated once per step."""

    def __init__(self, params: list[tuple[str, Any]], update_ratio: bool) -> None:
        self.params = [(path, weakref.ref(p)) for path, p in params]
        self.history: dict[str, collections.deque] = {
            path: collections.deque(maxlen=HEALTH_HISTORY) for path, _ in params}
        self.latest: dict[str, float] = {}
        self.step = 0
        self.update_ratio = update_ratio
        self.updates: dict[str, float | None] = {}
        self.before: dict[int, Any] = {}

    def norm_tensors(self, torch: Any) -> tuple[list[str], Any]:
        """Paths of the parameters with a gradient, and one flat tensor of their gradient
        norms in path order, or None."""
        paths, grads = [], []
        for path, ref in self.params:
            p = ref()
            grad = p.grad if p is not None else None
            if grad is None or not grad.is_floating_point():
                continue
            paths.append(path)
            grads.append(grad)
        return paths, _stacked_norms(torch, grads) if grads else None

    def update(self, step: int, paths: list[str], values: list[float]) -> None:
        """Record one step's gradient norms (already on the host); the rows are made when a
        report asks for them."""
        self.step = step
        self.latest = dict(zip(paths, values))
        history = self.history
        for path, grad_norm in zip(paths, values):
            history[path].append(grad_norm)

    def weight_norms(self, torch: Any) -> dict[str, float]:
        """The current norm of every parameter that has a recorded gradient norm, in one read."""
        paths, weights = [], []
        for path, ref in self.params:
            p = ref()
            if p is not None and path in self.latest and p.is_floating_point():
                paths.append(path)
                weights.append(p)
        if not weights:
            return {}
        return dict(zip(paths, _stacked_norms(torch, weights).tolist()))

    def report(self, torch: Any) -> Json:
        """The Health dict (see protocol); floats that are NaN/Inf become None, flagged."""
        params = [{**row, "grad_norm": _none_if_bad(row["grad_norm"]), "ratio": _none_if_bad(row["ratio"]),
                   "history": [h for h in row["history"] if math.isfinite(h)]}
                  for row in self.rows(self.weight_norms(torch))]
        return {"step": self.step, "params": params, "update_note": self.update_note()}

    def rows(self, weight_norms: dict[str, float]) -> list[Json]:
        """One row per parameter: the last recorded gradient norm over the weight's norm now."""
        rows = []
        for path, _ in self.params:
            grad_norm, weight_norm = self.latest.get(path), weight_norms.get(path)
            ratio = grad_norm / weight_norm if grad_norm is not None and weight_norm else None
            rows.append({"path": path, "grad_norm": grad_norm, "ratio": ratio,
                         "update_ratio": self.updates.get(path),
                         "flag": flag(grad_norm, ratio), "history": list(self.history[path])})
        return rows

    def update_note(self) -> str | None:
        """What the update-ratio opt-in costs, in bytes of transient memory, or None when off."""
        if not self.update_ratio:
            return None
        total = sum(p.numel() * p.element_size() for p in (ref() for _, ref in self.params) if p is not None)
        size = f"{total / 2**20:.1f} MiB" if total >= 2**20 else f"{total / 2**10:.1f} KiB"
        return (f"update ratio: copies the {len(self.params)} parameters ({size}) "
                "before each optimizer.step() and frees them after")

    def before_step(self, torch: Any, optimizer_params: set[int]) -> None:
        """Copy the weights an optimizer is about to change (update-ratio opt-in)."""
        with torch.no_grad():
            for _, ref in self.params:
                p = ref()
                if p is not None and id(p) in optimizer_params:
                    self.before[id(p)] = p.detach().clone()

    def after_step(self, torch: Any) -> None:
        """||w_after - w_before|| / ||w_before|| per copied parameter; the copies are freed."""
        if not self.before:
            return
        with torch.no_grad():
            for path, ref in self.params:
                p, old = ref(), self.before.get(id(ref()))
                if p is None or old is None:
                    continue
                base = float(torch.linalg.vector_norm(old))
                change = float(torch.linalg.vector_norm(p.detach() - old))
                self.updates[path] = _number(change / base) if base else None
        self.before.clear()


def _stacked_norms(torch: Any, tensors: list) -> Any:
    """One flat tensor of the norms of ``tensors``: one fused call and one stack, under
    no_grad rather than detached copies (this runs at every step end)."""
    with torch.no_grad():
        norms = torch._foreach_norm(tensors)
        try:
            return torch.stack(norms)
        except RuntimeError:  # tensors on several devices
            device = tensors[0].device
            return torch.stack([n.float().to(device) for n in norms])


def _none_if_bad(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None
