"""Capture the probe's replies from a real kernel as fixtures for the decoder's tests.

Run from the repository root: `.venv/bin/python scripts/capture-replies.py`.
Writes src/kernel/fixtures/replies.json: reply name -> the comm message data as
the frontend receives it.
"""

from __future__ import annotations

import json
import pathlib

from jupyterlab_ml_debugger.bench.actions import action_breakpoint, set_breakpoints
from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

SETUP = """import numpy as np, pandas as pd, torch, time
weights = torch.tensor([[1.0, float("nan")], [float("inf"), 4.0]], requires_grad=True)
table = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", "y", None]})
grid = np.arange(12, dtype=np.float64).reshape(3, 4)
batch = [torch.zeros(3, 8, 8) for _ in range(4)]
markup = "<img src=x onerror=alert(1)>"
class Loud:
    def __repr__(self):
        raise RuntimeError("no repr for you")
loud = Loud()
"""

CELL = """def step(k):
    local = torch.ones(2) * k
    return local.sum()

step(3)
"""

LOOP = """def spin():
    for tick in range(300):
        time.sleep(0.01)
spin()
"""

TRACED = """def train(steps):
    loss = 1.0
    for step in range(steps):
        loss = loss * 0.5
    return loss

train(6)
"""
TRACED_LINE = 4  # loss = loss * 0.5
RECORD = {"id": "capture-record", "condition": "step % 2 == 1", "log": "step {step}: {loss}",
          "record": ["loss", "step", "'a,b'"], "continue": True}


def capture_trace(driver: Driver, replies: dict[str, dict]) -> None:
    """A record action that never stops: the rows it kept, fetched with ``since`` once the cell finished."""
    cleared = driver.request("clear_trace", {})
    assert cleared["ok"], cleared
    ok = driver.request("set_actions", {"breakpoints": [RECORD]})
    assert ok["ok"], ok
    set_breakpoints(driver, TRACED, [action_breakpoint(TRACED_LINE, RECORD["id"])])
    driver.execute(TRACED)
    replies["trace_since"] = driver.request("trace", {"since": cleared["result"]["next"]})
    set_breakpoints(driver, TRACED, [])


def capture() -> dict:
    replies: dict[str, dict] = {}
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot("installed")
        driver.open_comm()
        driver.execute(SETUP)
        replies["hello"] = driver.request("hello")
        replies["values_globals"] = driver.request("values", {"scope": {"kind": "globals"}})
        batch = [{"kind": "name", "name": "batch"}]
        replies["children_list"] = driver.request("children", {"scope": {"kind": "globals"}, "path": batch})
        loud = [{"kind": "name", "name": "loud"}]
        replies["repr_raises"] = driver.request("repr", {"scope": {"kind": "globals"}, "path": loud})
        replies["error_bad_request"] = driver.request("values", {"scope": {"kind": "nowhere"}})
        missing = [{"kind": "name", "name": "not_defined"}]
        replies["error_no_value"] = driver.request("children", {"scope": {"kind": "globals"}, "path": missing})

        running = driver.execute_async(LOOP)
        for _ in range(50):
            live = driver.request("values", {"scope": {"kind": "live"}})
            if live.get("ok") and any(f["name"] == "spin" for f in live["result"]["frames"]):
                replies["values_live"] = live
                break
        driver.wait(running, timeout=60)

        driver.debug_on()
        driver.set_breakpoints(CELL, [3])
        execution = driver.execute_async(CELL)
        thread_id = driver.wait_event("stopped", timeout=60)["threadId"]
        refs = frame_refs(driver.stack_frames(thread_id))
        scope = {"scope": {"kind": "frame", "frames": refs, "index": 0}}
        replies["values_frame"] = driver.request("values", scope)
        driver.set_breakpoints(CELL, [])
        driver.dap("continue", {"threadId": thread_id})
        driver.wait(execution, timeout=60)
        replies["error_no_frame"] = driver.request("values", scope)
        replies["watch_globals"] = driver.request(
            "watch", {"scope": {"kind": "globals"}, "expressions": ["weights.sum()", "grid.mean()", "nope"]})
        capture_trace(driver, replies)
    finally:
        driver.shutdown()
    return replies


if __name__ == "__main__":
    out = pathlib.Path("src/kernel/fixtures/replies.json")
    out.write_text(json.dumps(capture(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {out}")
