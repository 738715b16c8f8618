"""Benchmark ``inspect``: the probe's view of a stopped frame against the built-in Variables panel.

One kernel stops at one breakpoint whose frame holds a float32 CPU tensor of n
elements (NaN and Inf planted at known places), an int, a short string and a
10-element list. At each of REPEATS stops (the loop changes the tensor in place
in between, so nothing can be cached) one client times, side by side:

- builtin: the requests JupyterLab's Variables panel sends on a stop (stackTrace,
  scopes, variables for Locals) on the control channel;
- ours: the probe's ``values`` for the selected frame over the comm on a subshell,
  with the shipped default budgets.

builtin is stock JupyterLab with debugpy: the kernel runs from an empty directory,
without PYTHONPATH and with this package's directory taken off its sys.path (where an
editable install puts it), and gets the probe embedded. That directory also holds our
pydevd type provider, which shows a tensor in the Variables panel as its shape and dtype
instead of formatting its values: left on the path, it would time our provider, not the
built-in view. Also measured: live reads while a cell loops, and the live requests a
client following the frontend's polling rule sends during a chatty cell.

Then the largest size again with one core kept busy by another process (``inspect_busy``):
a user's machine is rarely idle, and the summary must stay exact and within the built-in
view's time when it is not.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import statistics
import subprocess
import sys
import time
from typing import Any, Iterator

from .driver import Driver, frame_refs

REPEATS = 5
DEFAULT_SIZES = (10**6, 10**7, 10**8)
NAN_START, NAN_EVERY = 7, 1000
INF_START, INF_EVERY = 503, 10000
LIVE_READS = 30
POLL_INTERVAL_MS = 2000  # the frontend's default live polling interval

SETUP = f"""import torch

def plant(n):
    t = torch.randn(n, generator=torch.Generator().manual_seed(0))
    t[{NAN_START}::{NAN_EVERY}] = float("nan")
    t[{INF_START}::{2 * INF_EVERY}] = float("inf")
    t[{INF_START + INF_EVERY}::{2 * INF_EVERY}] = float("-inf")
    return t

def step(t, k, s, xs):
    t.add_(0.5)  # NaN and Inf stay as they are, every finite value changes
    return k

def run(t, repeats):
    for i in range(repeats):
        step(t, i, "probe", list(range(10)))
"""
BREAK_LINE = SETUP.splitlines().index("    return k") + 1

LIVE_CELL = """import threading, time

def spin(stop):
    step = 0
    while not stop.is_set():
        step += 1
    return step

stop_live = threading.Event()
"""

CHATTY_CELL = """import time
for line in range(1000):
    print("line", line)
    time.sleep(0.005)
"""

ONLY_DEBUGPY_PROVIDERS = (
    "import os, pydevd_plugins.extensions as e, debugpy; "
    "print(all(os.path.realpath(p).startswith(os.path.dirname(os.path.realpath(debugpy.__file__))) "
    "for p in e.__path__))"
)


def planted(n: int) -> tuple[int, int]:
    """How many NaN and Inf ``plant(n)`` puts in the tensor."""
    return len(range(NAN_START, n, NAN_EVERY)), len(range(INF_START, n, INF_EVERY))


def builtin_read(driver: Driver, thread_id: int) -> list[dict[str, Any]]:
    """JupyterLab's requests on a stop; returns the stack it got."""
    frames = driver.stack_frames(thread_id)
    scopes = driver.dap("scopes", {"frameId": frames[0]["id"]})["body"]["scopes"]
    locals_ref = next(s["variablesReference"] for s in scopes if s["name"] == "Locals")
    driver.dap("variables", {"variablesReference": locals_ref})
    return frames


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - start) * 1000.0, result


def ok(reply: dict[str, Any]) -> dict[str, Any]:
    """A reply's result, or an error that says what the probe answered."""
    if not reply["ok"]:
        raise RuntimeError(f"the probe answered an error: {reply['error']}")
    return reply["result"]


def inspect_size(driver: Driver, n: int) -> dict[str, Any]:
    """Stop REPEATS times on a tensor of n elements and time both sides at each stop."""
    driver.execute(f"t = plant({n})")
    execution = driver.execute_async(f"run(t, {REPEATS})")
    ours, builtin, row = [], [], None
    for _ in range(REPEATS):
        thread_id = driver.wait_event("stopped", timeout=600)["threadId"]
        builtin_ms, frames = timed(builtin_read, driver, thread_id)
        scope = {"scope": {"kind": "frame", "frames": frame_refs(frames), "index": 0}}
        ours_ms, reply = timed(driver.request, "values", scope, 600)
        rows = {r["name"]: r for r in ok(reply)["rows"]}
        if set(rows) != {"t", "k", "s", "xs"}:
            raise RuntimeError(f"the frame should hold t, k, s, xs; the probe saw {sorted(rows)}")
        row = rows["t"]
        ours.append(ours_ms)
        builtin.append(builtin_ms)
        driver.dap("continue", {"threadId": thread_id})
    driver.wait(execution, timeout=600)
    driver.execute("del t")
    stats = row["stats"] or {}
    nan_planted, inf_planted = planted(n)
    ours_ms, builtin_ms = statistics.median(ours), statistics.median(builtin)
    return {
        "n": n,
        "ours_ms": round(ours_ms, 2),
        "builtin_ms": round(builtin_ms, 2),
        "ratio": round(ours_ms / builtin_ms, 3),
        "bytes": len(json.dumps(row, separators=(",", ":")).encode()),
        "exact": stats.get("exact"),
        "nan": stats.get("nan"),
        "inf": stats.get("inf"),
        "nan_planted": nan_planted,
        "inf_planted": inf_planted,
    }


@contextlib.contextmanager
def one_core_busy() -> Iterator[None]:
    """Another process spinning on one core for as long as the block runs."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)  # let it take its core
        yield
    finally:
        spinner.kill()
        spinner.wait()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def live_reads(driver: Driver) -> list[float]:
    """Milliseconds of LIVE_READS live ``values`` reads while a cell runs a Python loop."""
    driver.execute(LIVE_CELL)
    execution = driver.execute_async("spin(stop_live)")
    times = []
    try:
        while len(times) < LIVE_READS:
            ms, reply = timed(driver.request, "values", {"scope": {"kind": "live"}})
            if ok(reply)["running"]:
                times.append(ms)
            time.sleep(0.05)
    finally:
        driver.execute("stop_live.set()", driver.subshell_id, silent=True)
    driver.wait(execution)
    return times


def chatty_requests(driver: Driver) -> int:
    """Live requests sent while a cell prints 1,000 lines, by the frontend's rule: one per interval."""
    execution = driver.execute_async(CHATTY_CELL)
    sent = 0
    next_poll = time.monotonic() + POLL_INTERVAL_MS / 1000
    while not execution.done.wait(max(0.0, next_poll - time.monotonic())):
        ok(driver.request("values", {"scope": {"kind": "live"}}))
        sent += 1
        next_poll += POLL_INTERVAL_MS / 1000
    driver.wait(execution)
    printed = execution.text.count("\n")
    if printed != 1000:
        raise RuntimeError(f"the chatty cell printed {printed} lines instead of 1000")
    return sent


def measure(sizes: list[int]) -> dict[str, Any]:
    """Run the whole benchmark on one fresh kernel."""
    driver = Driver(package_on_path=False)
    driver.start()
    try:
        driver.create_subshell()
        driver.boot("embedded")
        driver.open_comm()
        driver.debug_on()
        if driver.execute(ONLY_DEBUGPY_PROVIDERS, silent=True).text.strip() != "True":
            raise RuntimeError("a debugpy type provider outside debugpy is on the kernel's path, so "
                               "builtin would not be stock JupyterLab's: install this package editable "
                               "(make install) or run the benchmark from a checkout")
        driver.execute(SETUP)
        driver.set_breakpoints(SETUP, [BREAK_LINE])
        results = []
        for n in sizes:
            print(f"inspect: n={n}", file=sys.stderr, flush=True)
            results.append(inspect_size(driver, n))
        print(f"inspect: n={max(sizes)} with one core busy", file=sys.stderr, flush=True)
        with one_core_busy():
            busy = inspect_size(driver, max(sizes))
        driver.set_breakpoints(SETUP, [])
        live = live_reads(driver)
        chatty = chatty_requests(driver)
    finally:
        driver.shutdown()
    return {
        "builtin_type_providers": "debugpy's own only (this package's directory is off the kernel's sys.path)",
        "inspect": results,
        "inspect_busy": busy,
        "live_read_ms_p50": round(percentile(live, 50), 2),
        "live_read_ms_p95": round(percentile(live, 95), 2),
        "chatty_cell_requests": chatty,
    }


def run(argv: list[str]) -> dict[str, Any]:
    """Parse this benchmark's flags and run it."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench inspect")
    parser.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",")],
                        default=list(DEFAULT_SIZES), help="comma-separated tensor sizes, e.g. 1e6,1e7")
    return measure(parser.parse_args(argv).sizes)
