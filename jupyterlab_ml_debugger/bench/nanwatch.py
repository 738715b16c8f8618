"""What the NaN/Inf origin watch costs a training step, next to anomaly mode, and whether it
names the planted origins.

All in one process: per model four copies (no checks, ``detect_anomaly``, our watch in
the configuration that finds the planted origins, which is origins only, and the same
watch keeping gradient health as well), each stepped with SGD in turn, round after round,
so drift on a noisy machine hits them alike. Median step ms over
``--steps`` steps after ``--warmup``. With ``--device cuda`` it also counts host syncs
per watched step (``torch.cuda.set_sync_debug_mode``). Unless ``--default-allocator``, the
process keeps its heap (see ``allocator``) so that page faults do not decide the ratios.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
import warnings
from typing import Any, Callable

from ..probe.checks import nan_registry
from .allocator import keep_heap
from ..probe.checks.nan_origin import NonFiniteError

Json = dict[str, Any]

STEPS = 30
WARMUP = 3
FORWARD_PLANT = "7"  # the third conv: one NaN weight
BACKWARD_PLANT = "encoder.layers.1.linear2.0"  # sqrt of the ReLU'd features: Inf gradient at 0


def conv_net(torch: Any) -> Any:
    """The conv net of the spec (a Sequential: its paths are indices)."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
        nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 10))


def transformer(torch: Any) -> Any:
    """Two encoder layers (d_model 128, 4 heads, feed-forward 512), mean over the sequence, a head."""
    nn = torch.nn

    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            layer = nn.TransformerEncoderLayer(128, 4, 512, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.head = nn.Linear(128, 10)

        def forward(self, x: Any) -> Any:
            return self.head(self.encoder(x).mean(dim=1))

    return Classifier()


def batch(torch: Any, name: str, device: str) -> tuple[Any, Any]:
    """The spec's batch for a model: 32 images 3x32x32, or 16 sequences of 64 x 128."""
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(32, 3, 32, 32, generator=gen) if name == "conv" else torch.randn(16, 64, 128, generator=gen)
    y = torch.randint(0, 10, (x.shape[0],), generator=gen)
    return x.to(device), y.to(device)


def _stepper(torch: Any, model: Any, x: Any, y: Any, anomaly: bool) -> Callable[[], None]:
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step() -> None:
        with torch.autograd.set_detect_anomaly(anomaly, check_nan=True):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    return step


def _sync(torch: Any, device: str) -> None:
    if device != "cpu":
        torch.cuda.synchronize()


def time_case(torch: Any, name: str, device: str, steps: int, warmup: int) -> Json:
    """Median step ms of the three variants of one model, stepped in turn."""
    torch.manual_seed(0)
    base = (conv_net if name == "conv" else transformer)(torch).to(device)
    x, y = batch(torch, name, device)
    models = {v: copy.deepcopy(base) for v in ("baseline", "anomaly", "ours", "ours_health")}
    nan_registry.start(models["ours"], name, health=False)
    nan_registry.start(models["ours_health"], name)
    steppers = {v: _stepper(torch, m, x, y, v == "anomaly") for v, m in models.items()}
    times: dict[str, list[float]] = {v: [] for v in steppers}
    order = list(steppers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anomaly mode warns on every step
        for round_ in range(warmup + steps):
            for variant in order[round_ % len(order):] + order[:round_ % len(order)]:
                _sync(torch, device)
                start = time.perf_counter()
                steppers[variant]()
                _sync(torch, device)
                if round_ >= warmup:
                    times[variant].append((time.perf_counter() - start) * 1000.0)
    nan_registry.stop(models["ours"])
    nan_registry.stop(models["ours_health"])
    med = {v: statistics.median(t) for v, t in times.items()}
    return {"model": name, "baseline_ms": round(med["baseline"], 3),
            "anomaly_ratio": round(med["anomaly"] / med["baseline"], 3),
            "ours_ratio": round(med["ours"] / med["baseline"], 3),
            "ours_health_ratio": round(med["ours_health"] / med["baseline"], 3)}


def syncs_per_step(torch: Any, device: str) -> int:
    """Host syncs torch reports in one watched conv-net step on a CUDA device."""
    torch.manual_seed(0)
    model = conv_net(torch).to(device)
    x, y = batch(torch, "conv", device)
    step = _stepper(torch, model, x, y, False)
    nan_registry.start(model, "conv")
    step()
    torch.cuda.synchronize()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.cuda.set_sync_debug_mode("warn")
        try:
            step()
        finally:
            torch.cuda.set_sync_debug_mode("default")
    nan_registry.stop(model)
    return sum("synchroniz" in str(w.message) for w in caught)


def planted(torch: Any, name: str, device: str) -> Json:
    """Plant a NaN (conv, forward) or an Inf gradient (transformer, backward) and run one step
    under the watch; what the watch reported."""
    torch.manual_seed(0)
    model = (conv_net if name == "conv" else transformer)(torch).to(device)
    if name == "conv":
        with torch.no_grad():
            model[7].weight[0, 0, 0, 0] = float("nan")
    else:
        layer = model.encoder.layers[1]
        layer.linear2 = torch.nn.Sequential(_Sqrt(torch), layer.linear2)
    x, y = batch(torch, name, device)
    nan_registry.start(model, name, health=False)
    try:
        _stepper(torch, model, x, y, False)()
        _sync(torch, device)
    except NonFiniteError:
        pass
    origin = nan_registry.watch_of(model).origin
    nan_registry.stop(model)
    return {"path": origin["path"], "phase": origin["phase"], "created": origin["created"]} if origin else {}


def _Sqrt(torch: Any) -> Any:
    class Sqrt(torch.nn.Module):
        def forward(self, x: Any) -> Any:
            return torch.sqrt(x)
    return Sqrt()


def measure(device: str, steps: int, warmup: int, allocator: str | None = None) -> Json:
    """The whole benchmark's result (see the module docstring)."""
    import torch

    cases = [time_case(torch, name, device, steps, warmup) for name in ("conv", "transformer")]
    forward = planted(torch, "conv", device)
    backward = planted(torch, "transformer", device)
    result: Json = {
        "device": device, "allocator": allocator or "default", "cases": cases,
        "forward_planted": FORWARD_PLANT, "forward_reported": forward,
        "backward_planted": BACKWARD_PLANT, "backward_reported": backward,
        "forward_origin_ok": forward == {"path": FORWARD_PLANT, "phase": "forward", "created": True},
        "backward_origin_ok": backward == {"path": BACKWARD_PLANT, "phase": "backward", "created": True},
    }
    if device != "cpu":
        result["syncs_per_step"] = syncs_per_step(torch, device)
    return result


def run(argv: list[str]) -> Json:
    """Parse this benchmark's flags and run it."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench nanwatch")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--default-allocator", action="store_true",
                        help="leave glibc's heap thresholds as they are (noisier ratios)")
    args = parser.parse_args(argv)
    allocator = None if args.default_allocator else keep_heap()
    return measure(args.device, args.steps, args.warmup, allocator)
