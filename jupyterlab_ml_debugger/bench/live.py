"""Benchmark ``live``: what looking at a running cell costs it.

One kernel, the probe on a subshell, the debugger off. A cell trains a small CPU model and
stamps the time of every step (inside the kernel, so no round trip is counted). While it
runs, this process alternates blocks of leaving it alone and sampling it, as the open
Threads, Counters, Variable Values and Watch sections do: ``threads``, ``counters``, a live
``values`` and a live ``watch``, in one batch message (the sections poll on one clock and the
bridge batches what they send together); Threads and Counters read at most once a second, so
at 10 Hz they ride one sample in ten. A variant's overhead is the median, over pairs of
neighbouring blocks, of the sampled block's slowdown against the quiet one: this shared
machine's speed drifts between runs of a few seconds by more than a poll costs, and within
a pair it barely moves. ``overhead_aa`` measures two quiet blocks the same way: the noise
floor (``overhead_aa_with_dataloader`` under the DataLoader). ``overhead_se`` gives each
figure's standard error, from the spread of its pairs: under the DataLoader one pair's
slowdown varies by about 14% whatever the block length, so ten pairs cannot tell 2% from 6%;
``--variants loaded_1hz,loaded_aa --pairs 250 --block 1`` can (about 17 minutes).
Variants: 1 Hz, 10 Hz and the shipped refresh interval; then the same steps fed by a
DataLoader with two worker processes, polled at 1 Hz (``overhead_1hz_with_dataloader``),
10 Hz (``overhead_10hz_with_dataloader``) and the fastest interval the settings allow
(``overhead_fastest_with_dataloader``): the polls must keep their cost (1 Hz at most 2%,
10 Hz at most 10%) on a busy machine too. ``overhead_10hz_bare_request_with_dataloader`` sends
a bare ``hello`` in place of each sample: what the kernel's own handling of one message a tick
costs the cell, which no work of the probe's can lower. ``peek_ms`` is the time from sending a
sample to its last reply.

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
import bisect
import json
import statistics
import time
from typing import Any, NamedTuple

from .driver import Driver

Json = dict[str, Any]

# Pairs of neighbouring blocks per variant, and a block's length: at least two samples of the
# slowest variant, and long enough that the sample in flight at a block's end barely counts.
PAIRS = 10
BLOCK_SECONDS = {"fast": 1.0, "slow": 4.0}
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

# The same loop for a given time, stamping each step (the clock is the machine's, shared with
# the process that samples): steps per block are counted from the stamps afterwards.
def train_for(seconds):
    stamps = []
    end = time.perf_counter() + seconds
    step = 0
    while not stamps or stamps[-1] < end:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        opt.step()
        step += 1
        stamps.append(time.perf_counter())
    return stamps

# The same steps fed by a DataLoader with two worker processes: on a small machine the
# workers compete with the cell and the probe for the cores, as in a real training run.
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(4096, 256), torch.randint(0, 10, (4096,))),
                    batch_size=64, num_workers=2, persistent_workers=True)

def train_loaded_for(seconds):
    stamps = []
    end = time.perf_counter() + seconds
    step = 0
    while not stamps or stamps[-1] < end:
        for batch, targets in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(batch), targets)
            loss.backward()
            opt.step()
            step += 1
            stamps.append(time.perf_counter())
            if stamps[-1] >= end:
                break
    return stamps
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


def sample(driver: Driver, slow: bool = True, bare: bool = False) -> float:
    """One sample of the open sections (Threads and Counters only when due), or with ``bare`` one
    ``hello`` in its place (the kernel's own handling of a message); milliseconds until the last reply."""
    start = time.perf_counter()
    if bare:
        requests: list[tuple[str, Json]] = [("hello", {})]
    else:
        requests = [("values", VALUES_ARGS), ("watch", WATCH_ARGS)]
        if slow:
            requests += [("threads", {"locals": True}), ("counters", {})]
    pending = driver.send_batch(requests)
    for request in pending:
        ok(driver.reply(request))
    return (time.perf_counter() - start) * 1000.0


def _sample_until(driver: Driver, hz: float, until: float, peeks: list[float], count: int, bare: bool = False) -> int:
    """Sample at ``hz`` until ``until`` (Threads and Counters once a second); the samples sent so far."""
    period = 1.0 / hz
    every = max(1, round(SLOW_SECTIONS_MIN_INTERVAL_S / period))
    while time.perf_counter() < until:
        began = time.perf_counter()
        peeks.append(sample(driver, slow=count % every == 0, bare=bare))
        count += 1
        rest = min(period - (time.perf_counter() - began), until - time.perf_counter())
        if rest > 0:
            time.sleep(rest)
    return count


def paired_blocks(driver: Driver, cell: str, hz: float | None, pairs: int, block: float,
                  peeks: list[float], bare: bool = False) -> list[tuple[float, float]]:
    """(quiet, other) steps per second of each pair of neighbouring blocks of one run of ``cell``;
    the other block is sampled at ``hz``, or quiet too when ``hz`` is None (the noise floor).
    Which block of a pair comes first alternates."""
    execution = driver.execute_async(f"_stamps = {cell}({pairs * 2 * block + 2 * block})", silent=True)
    # The cell has started once its first block is due; one block warms it up.
    time.sleep(block)
    blocks: list[tuple[str, float, float]] = []
    count = 0
    for pair in range(pairs):
        for kind in (("quiet", "other") if pair % 2 == 0 else ("other", "quiet")):
            began = time.perf_counter()
            until = began + block
            if kind == "other" and hz is not None:
                count = _sample_until(driver, hz, until, peeks, count, bare)
            else:
                time.sleep(block)
            blocks.append((kind, began, time.perf_counter()))
    driver.wait(execution, timeout=120)
    stamps = json.loads(driver.execute("import json as _json; print(_json.dumps(_stamps)); del _stamps").text)
    rates = [_steps_between(stamps, began, ended) / (ended - began) for _, began, ended in blocks]
    found = []
    for pair in range(pairs):
        first, second = rates[2 * pair], rates[2 * pair + 1]
        found.append((first, second) if blocks[2 * pair][0] == "quiet" else (second, first))
    return found


def _steps_between(stamps: list[float], began: float, ended: float) -> int:
    """Steps that ended within [began, ended)."""
    return bisect.bisect_left(stamps, ended) - bisect.bisect_left(stamps, began)


def slowdown(pairs: list[tuple[float, float]]) -> float:
    """The median over pairs of 1 - other/quiet."""
    return round(statistics.median(1.0 - other / quiet for quiet, other in pairs), 4)


def standard_error(pairs: list[tuple[float, float]]) -> float:
    """The standard error of :func:`slowdown`: the spread of the pairs' slowdowns over the root of
    their number, times 1.25 for a median."""
    slowdowns = [1.0 - other / quiet for quiet, other in pairs]
    if len(slowdowns) < 2:
        return float("nan")
    return round(1.2533 * statistics.stdev(slowdowns) / len(slowdowns) ** 0.5, 4)


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


class Variant(NamedTuple):
    figure: str  # its name in the output
    cell: str
    hz: float | None  # samples per second, or None for two quiet blocks
    block: float  # seconds
    bare: bool  # a bare hello per tick in place of the sample


VARIANTS: dict[str, Variant] = {
    "aa": Variant("overhead_aa", "train_for", None, BLOCK_SECONDS["fast"], False),
    "1hz": Variant("overhead_1hz", "train_for", 1.0, BLOCK_SECONDS["slow"], False),
    "10hz": Variant("overhead_10hz", "train_for", 10.0, BLOCK_SECONDS["fast"], False),
    "default": Variant("overhead_default", "train_for", 1000.0 / DEFAULT_INTERVAL_MS, BLOCK_SECONDS["slow"], False),
    "loaded_aa": Variant("overhead_aa_with_dataloader", "train_loaded_for", None, BLOCK_SECONDS["slow"], False),
    "loaded_1hz": Variant("overhead_1hz_with_dataloader", "train_loaded_for", 1.0, BLOCK_SECONDS["slow"], False),
    "loaded_10hz": Variant("overhead_10hz_with_dataloader", "train_loaded_for", 10.0, BLOCK_SECONDS["fast"], False),
    "loaded_fastest": Variant("overhead_fastest_with_dataloader", "train_loaded_for",
                              1000.0 / FASTEST_INTERVAL_MS, BLOCK_SECONDS["slow"], False),
    "loaded_10hz_bare": Variant("overhead_10hz_bare_request_with_dataloader", "train_loaded_for", 10.0,
                                BLOCK_SECONDS["fast"], True),
}


def run(argv: list[str]) -> Json:
    """Start a kernel, train while sampling in alternate blocks, and compare steps per second."""
    parser = argparse.ArgumentParser(prog="bench live")
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--variants", default=None,
                        help=f"a comma-separated subset of {', '.join(VARIANTS)}; without it all, and the leak figures")
    parser.add_argument("--block", type=float, default=None,
                        help="every block's length in seconds (default: 1 s at 10 Hz and for the noise floor, "
                             "4 s else)")
    args = parser.parse_args(argv)
    chosen = list(VARIANTS) if args.variants is None else [v.strip() for v in args.variants.split(",")]
    unknown = [v for v in chosen if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot()
        driver.open_comm()
        driver.execute(SETUP, silent=True)
        driver.execute("train_for(1.0); train_loaded_for(1.0)", silent=True)
        peeks: list[float] = []
        found = {}
        for name in chosen:
            v = VARIANTS[name]
            found[name] = paired_blocks(driver, v.cell, v.hz, args.pairs, args.block or v.block,
                                        [] if v.bare else peeks, v.bare)
        extras: Json = {}
        if args.variants is None:
            extras = {"leak_detect_samples": leak_detect_samples(driver), **growth_walk(driver)}
    finally:
        driver.shutdown()

    def rate(name: str, which: int) -> float | None:
        return round(statistics.median(pair[which] for pair in found[name]), 1) if name in found else None

    # The quiet blocks of the 10 Hz DataLoader variant, or of the first DataLoader variant run.
    loaded = next((name for name in ("loaded_10hz", *chosen)
                   if name in found and VARIANTS[name].cell == "train_loaded_for"), None)
    rates = {
        "steps_per_s_quiet": rate("10hz", 0),
        "steps_per_s_sampled_1hz": rate("1hz", 1),
        "steps_per_s_sampled_10hz": rate("10hz", 1),
        "steps_per_s_loaded_quiet": rate(loaded, 0) if loaded is not None else None,
    }
    return {
        "peek_ms_p50": round(percentile(peeks, 0.5), 2) if peeks else None,
        "peek_ms_p95": round(percentile(peeks, 0.95), 2) if peeks else None,
        **{key: value for key, value in rates.items() if value is not None},
        **{VARIANTS[name].figure: slowdown(pairs) for name, pairs in found.items()},
        "overhead_se": {VARIANTS[name].figure: standard_error(pairs) for name, pairs in found.items()},
        "samples": len(peeks),
        "pairs": args.pairs,
        **extras,
    }
