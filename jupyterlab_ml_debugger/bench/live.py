"""Benchmark ``live``: what looking at a running cell costs it.

One kernel, the probe on a subshell, the debugger off. A cell trains a small CPU model
for a fixed number of steps and times itself (inside the kernel, so no round trip is
counted). It runs quiet, and while this process samples it at 1 Hz, at 10 Hz and at the
shipped refresh interval. One sample is exactly what the open Threads, Counters,
Variable Values and Watch sections request over the real comm: ``threads``,
``counters``, a live ``values`` and a live ``watch``, in one batch message (the
sections poll on one clock and the bridge batches what they send together); Threads
and Counters read at most once a second, so at 10 Hz they ride one sample in ten. The variants
run in turn, REPEATS rounds, each round in a rotated order; a variant's overhead is the
median over rounds of its slowdown against that round's quiet run, since this shared
machine's speed drifts more between rounds than a poll costs. ``peek_ms`` is the time from
sending a sample to its last reply. Two more variants feed the same steps from a DataLoader
with two worker processes, quiet, polled at 10 Hz (``overhead_10hz_with_dataloader``) and at
the fastest interval the settings allow (``overhead_fastest_with_dataloader``), each against the
loaded quiet run: the polls must keep their cost on a busy machine too.

Then two figures of the leak search. ``leak_detect_samples``: a class attribute of a user
class (a dict) gains one entry of about 100 bytes per step, one ``counters`` sample per
step, until Counters flags the dict by its path (target 30 or fewer; the process memory
does not move enough for the memory rule). ``growth_walk_ms_p95``: the walk of the user's
containers that every Counters sample makes, timed in the kernel over a namespace of
10,000 objects with no time limit (target 50 ms or less; the sample's own budget is
counters/ops.REACH_BUDGET_MS), and whether it was cut by its depth or look bounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from .driver import Driver

Json = dict[str, Any]

REPEATS = 5
RUN_SECONDS = 3.0
# schema/plugin.json's refreshInterval default, which every live section polls at, and its minimum.
DEFAULT_INTERVAL_MS = 2000
FASTEST_INTERVAL_MS = 500
# What Variable Values sends by default (schema/plugin.json): per request and per value.
VALUES_ARGS = {"scope": {"kind": "live"}, "budget_ms": 1000, "value_budget_ms": 150}
WATCH_ARGS = {"scope": {"kind": "live"}, "expressions": ["loss", "step"]}

SETUP = """import time
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                      nn.Linear(512, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
inputs = torch.randn(64, 256)
labels = torch.randint(0, 10, (64,))

def train(steps):
    start = time.perf_counter()
    for step in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - start)

# The same steps fed by a DataLoader with two worker processes: on a small machine the
# workers compete with the cell and the probe for the cores, as in a real training run.
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(4096, 256), torch.randint(0, 10, (4096,))),
                    batch_size=64, num_workers=2, persistent_workers=True)

def train_loaded(steps):
    start = time.perf_counter()
    done = 0
    while done < steps:
        for batch, targets in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(batch), targets)
            loss.backward()
            opt.step()
            done += 1
            if done == steps:
                break
    return steps / (time.perf_counter() - start)
"""


LEAK_SETUP = """class Registry:
    _seen = {}

def leak_step():
    # One str of 51 characters: sys.getsizeof says 100 bytes.
    Registry._seen[len(Registry._seen)] = "x" * 51
"""
LEAK_SAMPLES_MAX = 100
LEAK_PATH = "Registry._seen"

# 100 globals, each a dict of 33 objects, each holding a list and a dict: 10,000 objects.
WALK_SETUP = """class Item:
    def __init__(self, i):
        self.values = [i, i + 1]
        self.meta = {"i": i}

for _shelf in range(100):
    globals()[f"shelf_{_shelf:03d}"] = {k: Item(k) for k in range(33)}
del _shelf
"""
WALK_TIMES = 30
WALK_TIMING = """import json, time
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.counters import reach_walk
_times, _cut = [], None
for _ in range(%d):
    _start = time.perf_counter()
    _reach = reach_walk.take(Budget(10_000))
    _times.append((time.perf_counter() - _start) * 1000.0)
    _cut = _reach.cut
print(json.dumps({"times": _times, "cut": _cut, "containers": len(_reach.containers)}))
del _times, _cut, _start, _reach
""" % WALK_TIMES


def ok(reply: Json) -> Json:
    """A reply's result, or an error that says what the probe answered."""
    if not reply["ok"]:
        raise RuntimeError(f"the probe answered an error: {reply['error']}")
    return reply["result"]


# src/live/poller.ts: LivePoller.SLOW_INTERVAL_MS, the floor of Threads, Counters and the hang flag.
SLOW_SECTIONS_MIN_INTERVAL_S = 1.0


def sample(driver: Driver, slow: bool = True) -> float:
    """One sample of the open sections (Threads and Counters only when due); milliseconds until the last reply."""
    start = time.perf_counter()
    requests = [("values", VALUES_ARGS), ("watch", WATCH_ARGS)]
    if slow:
        requests += [("threads", {"locals": True}), ("counters", {})]
    pending = driver.send_batch(requests)
    for request in pending:
        ok(driver.reply(request))
    return (time.perf_counter() - start) * 1000.0


def calibrate(driver: Driver) -> int:
    """Steps that take about RUN_SECONDS on this machine."""
    driver.execute("train(100)", silent=True)
    rate = max(float(driver.execute("print(train(200))").text.strip()) for _ in range(2))
    return max(50, int(rate * RUN_SECONDS))


def run_once(driver: Driver, steps: int, hz: float | None, peeks: list[float], cell: str = "train") -> float:
    """Steps per second of one run of ``cell`` (train or train_loaded), sampled at ``hz`` (None: quiet)."""
    execution = driver.execute_async(f"print({cell}({steps}))")
    if hz is not None:
        period = 1.0 / hz
        every = max(1, round(SLOW_SECTIONS_MIN_INTERVAL_S / period))
        count = 0
        # The cell has started once the subshell sees it; then sample until it ends.
        while not execution.done.is_set():
            began = time.perf_counter()
            peeks.append(sample(driver, slow=count % every == 0))
            count += 1
            rest = period - (time.perf_counter() - began)
            if rest > 0:
                execution.done.wait(rest)
    driver.wait(execution, timeout=120)
    return float(execution.text.strip().splitlines()[-1])


def leak_detect_samples(driver: Driver) -> int | None:
    """Samples until the growing class-attribute dict is flagged by its path (None: never)."""
    driver.execute(LEAK_SETUP, silent=True)
    for count in range(1, LEAK_SAMPLES_MAX + 1):
        driver.execute("leak_step()", silent=True)
        flags = ok(driver.request("counters"))["flags"]
        if any(f["kind"] == "container-leak" and f["containers"][0]["path"] == LEAK_PATH for f in flags):
            return count
    return None


def growth_walk(driver: Driver) -> Json:
    """The walk of the user's containers over 10,000 objects, timed in the kernel."""
    driver.execute(WALK_SETUP, silent=True)
    found = json.loads(driver.execute(WALK_TIMING).text.strip().splitlines()[-1])
    return {"growth_walk_ms_p50": round(percentile(found["times"], 0.5), 2),
            "growth_walk_ms_p95": round(percentile(found["times"], 0.95), 2),
            "growth_walk_cut": found["cut"], "growth_walk_containers": found["containers"]}


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(argv: list[str]) -> Json:
    """Start a kernel, train with and without sampling, and compare steps per second."""
    parser = argparse.ArgumentParser(prog="bench live")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot()
        driver.open_comm()
        driver.execute(SETUP, silent=True)
        steps = calibrate(driver)
        variants: dict[str, float | None] = {"quiet": None, "1hz": 1.0, "10hz": 10.0,
                                             "default": 1000.0 / DEFAULT_INTERVAL_MS,
                                             "loaded_quiet": None, "loaded_10hz": 10.0,
                                             "loaded_fastest": 1000.0 / FASTEST_INTERVAL_MS}
        rates: dict[str, list[float]] = {name: [] for name in variants}
        peeks: list[float] = []
        names = list(variants)
        for round_ in range(args.repeats):
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                cell = "train_loaded" if name.startswith("loaded") else "train"
                rates[name].append(run_once(driver, steps, variants[name], peeks, cell))
        detected = leak_detect_samples(driver)
        walk = growth_walk(driver)
    finally:
        driver.shutdown()
    median = {name: statistics.median(values) for name, values in rates.items()}
    overhead = {name: round(statistics.median(1.0 - r / q for r, q in zip(rates[name], rates["quiet"])), 4)
                for name in ("1hz", "10hz", "default")}
    for name in ("loaded_10hz", "loaded_fastest"):
        overhead[name] = round(statistics.median(
            1.0 - r / q for r, q in zip(rates[name], rates["loaded_quiet"])), 4)
    return {
        "peek_ms_p50": round(percentile(peeks, 0.5), 2),
        "peek_ms_p95": round(percentile(peeks, 0.95), 2),
        "steps_per_s_quiet": round(median["quiet"], 1),
        "steps_per_s_sampled_1hz": round(median["1hz"], 1),
        "steps_per_s_sampled_10hz": round(median["10hz"], 1),
        "overhead_default": overhead["default"],
        "overhead_1hz": overhead["1hz"],
        "overhead_10hz": overhead["10hz"],
        "steps_per_s_loaded_quiet": round(median["loaded_quiet"], 1),
        "overhead_10hz_with_dataloader": overhead["loaded_10hz"],
        "overhead_fastest_with_dataloader": overhead["loaded_fastest"],
        "samples": len(peeks),
        "steps_per_run": steps,
        "leak_detect_samples": detected,
        **walk,
    }
