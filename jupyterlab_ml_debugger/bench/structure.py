"""Benchmark ``structure``: the module tree of a 1,000-module transformer against ``str(model)``.

In this process a ``nn.TransformerEncoder`` of LAYERS layers (10 modules a layer)
is walked by the probe's module tree and printed by ``str(model)``, alternating,
REPEATS times each; the medians are reported with the JSON size of the walk (every
module's parameter shapes and counts included) and, when torchinfo is installed, the
time of its summary. Then the same model is built in a real kernel and the
``structure`` op is timed through the subshell comm, as the frontend sends it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from typing import Any, Callable

from ..probe import protocol
from ..probe.structure import module_tree
from ..probe.budget import Budget
from .driver import Driver
from .slice_timing import slice_512_ms

Json = dict[str, Any]

# Medians of many short runs: one walk takes about 2 ms on a shared 2-core machine.
REPEATS = 101
ROUNDTRIP_REPEATS = 7
LAYERS = 100
WIDTH = 256

MODEL = """import torch
from torch import nn
model = nn.TransformerEncoder(nn.TransformerEncoderLayer({width}, 4, 4 * {width}), {layers},
                              enable_nested_tensor=False)
"""


def build(layers: int, width: int) -> Any:
    """The benchmark's model, built as the kernel builds it."""
    scope: Json = {}
    exec(MODEL.format(layers=layers, width=width), scope)
    return scope["model"]


def median_ms(fn: Callable[[], Any], repeats: int) -> float:
    """The median milliseconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def interleaved_ms(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median milliseconds of each function, run in turn so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            times[name].append(median_ms(fn, 1))
    return {name: statistics.median(ts) for name, ts in times.items()}


def torchinfo_ms(model: Any, repeats: int) -> float | None:
    """torchinfo.summary's time without a forward pass, or None when it is not installed."""
    if importlib.util.find_spec("torchinfo") is None:
        return None
    import torchinfo

    return median_ms(lambda: torchinfo.summary(model, verbose=0), repeats)


def walk(model: Any) -> Json:
    tree, _ = module_tree.walk(model, protocol.STRUCTURE_MAX_NODES, Budget(protocol.STRUCTURE_BUDGET_MS))
    return tree


def roundtrip_ms(layers: int, width: int, repeats: int) -> float:
    """Median milliseconds of the ``structure`` op on the model through a real kernel's comm."""
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot("installed")
        driver.open_comm()
        driver.execute(MODEL.format(layers=layers, width=width))
        args = {"scope": {"kind": "globals"}, "target": {"path": [{"kind": "name", "name": "model"}]}}

        def one() -> None:
            reply = driver.request("structure", args, 60)
            if not reply["ok"]:
                raise RuntimeError(f"the probe answered an error: {reply['error']}")

        one()  # the first request imports nothing new, but warms the comm
        return median_ms(one, repeats)
    finally:
        driver.shutdown()


def measure(layers: int, width: int, repeats: int, roundtrip_repeats: int) -> Json:
    """Run the whole benchmark."""
    model = build(layers, width)
    times = interleaved_ms({"ours": lambda: walk(model), "str": lambda: str(model)}, repeats)
    tree = walk(model)
    n = len(tree["modules"])
    if n < 1000 and layers >= LAYERS:
        raise RuntimeError(f"the model has {n} modules; the benchmark needs at least 1,000")
    size = len(json.dumps(tree).encode())
    info_ms = torchinfo_ms(model, 3)
    return {
        "modules": n,
        "ours_ms": round(times["ours"], 3),
        "roundtrip_ms": round(roundtrip_ms(layers, width, roundtrip_repeats), 2),
        "str_model_ms": round(times["str"], 3),
        "torchinfo_ms": None if info_ms is None else round(info_ms, 2),
        "bytes": size,
        "bytes_per_module": round(size / n, 1),
        "slice_512_ms": round(slice_512_ms(sys.modules["torch"]), 2),
    }


def run(argv: list[str]) -> Json:
    """Parse this benchmark's flags and run it."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench structure")
    parser.add_argument("--layers", type=int, default=LAYERS, help="encoder layers (10 modules each)")
    parser.add_argument("--width", type=int, default=WIDTH, help="model width")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    return measure(args.layers, args.width, args.repeats, ROUNDTRIP_REPEATS)
