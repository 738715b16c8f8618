"""Benchmark ``actions``: what a breakpoint with actions costs a loop that never stops.

In one kernel with the debugger on, a loop of N iterations is timed (inside the
kernel, so no round trips are counted) with no breakpoint, with a breakpoint whose
debugpy ``condition`` is always false, and with our breakpoint: a condition that
holds on every 100th pass, a hit count, a record action and ``continue``. The
variants alternate, REPEATS times each, and the medians are reported with the
number of trace rows the last run of ours left, fetched through the comm.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from ..probe.breakpoints.actions import condition_expression
from .driver import Driver

Json = dict[str, Any]

REPEATS = 5
ITERATIONS = 20_000
EVERY = 100
BENCH_ID = "bench-record"

SETUP = """import time

def loop(n):
    loss = 0.0
    for i in range(n):
        loss = loss * 0.9 + 1.0 / (i + 1)
    return loss

def timed(n):
    start = time.perf_counter()
    loop(n)
    return (time.perf_counter() - start) * 1000.0
"""
BREAK_LINE = SETUP.splitlines().index("        loss = loss * 0.9 + 1.0 / (i + 1)") + 1

OURS = {"id": BENCH_ID, "condition": f"i % {EVERY} == {EVERY - 1}", "hit": {"mode": "ge", "n": 1},
        "record": ["loss"], "continue": True}


def ok(reply: Json) -> Json:
    """A reply's result, or an error that says what the probe answered."""
    if not reply["ok"]:
        raise RuntimeError(f"the probe answered an error: {reply['error']}")
    return reply["result"]


def set_breakpoints(driver: Driver, code: str, breakpoints: list[Json]) -> str:
    """Dump a cell and set DAP breakpoints in it (``{"line", "condition"?}`` each); return its path."""
    source = driver.dap("dumpCell", {"code": code})["body"]["sourcePath"]
    reply = driver.dap("setBreakpoints", {"breakpoints": breakpoints, "source": {"path": source},
                                          "sourceModified": False})
    if not reply.get("success"):
        raise RuntimeError(f"setBreakpoints failed: {reply}")
    return source


def action_breakpoint(line: int, bp_id: str) -> Json:
    """The DAP breakpoint the frontend sends for a breakpoint with actions."""
    return {"line": line, "condition": condition_expression(bp_id)}


def fetch_trace(driver: Driver, since: int = 0) -> list[Json]:
    """Every trace row from ``since`` on, fetched through the comm in batches."""
    rows: list[Json] = []
    while True:
        result = ok(driver.request("trace", {"since": since, "limit": 1000}))
        rows.extend(result["rows"])
        if not result["rows"]:
            return rows
        since = result["next"]


def time_loop(driver: Driver, n: int) -> float:
    """Milliseconds the kernel spent in ``loop(n)``."""
    execution = driver.execute(f"print(timed({n}))", timeout=600)
    return float(execution.text.strip().splitlines()[-1])


def measure(driver: Driver, n: int, repeats: int) -> Json:
    """Time the three variants, alternating; return their medians and the rows ours traced."""
    times: dict[str, list[float]] = {"loop": [], "debugpy": [], "ours": []}
    variants = {"loop": [], "debugpy": [{"line": BREAK_LINE, "condition": "i < 0"}],
                "ours": [action_breakpoint(BREAK_LINE, BENCH_ID)]}
    ok(driver.request("set_actions", {"breakpoints": [OURS]}))
    hits = 0
    for _ in range(repeats):
        for name, breakpoints in variants.items():
            set_breakpoints(driver, SETUP, breakpoints)
            if name == "ours":
                ok(driver.request("clear_trace"))
            times[name].append(time_loop(driver, n))
            if name == "ours":
                hits = len([r for r in fetch_trace(driver) if r["bp"] == BENCH_ID and not r["error"]])
    set_breakpoints(driver, SETUP, [])
    loop_ms, debugpy_ms, ours_ms = (statistics.median(times[k]) for k in ("loop", "debugpy", "ours"))
    return {"loop_ms": round(loop_ms, 2), "debugpy_condition_ms": round(debugpy_ms, 2),
            "ours_ms": round(ours_ms, 2), "ratio_to_debugpy": round(ours_ms / debugpy_ms, 3),
            "hits_recorded": hits, "iterations": n, "repeats": repeats}


def run(argv: list[str]) -> Json:
    """Start a kernel, boot the probe on a subshell, switch the debugger on, and measure."""
    parser = argparse.ArgumentParser(prog="bench actions")
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot()
        driver.open_comm()
        driver.debug_on()
        set_breakpoints(driver, SETUP, [])
        driver.execute(SETUP)
        return measure(driver, args.iterations, args.repeats)
    finally:
        driver.shutdown()
