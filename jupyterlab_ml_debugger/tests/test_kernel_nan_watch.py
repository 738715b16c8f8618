"""The origin watch in a real kernel: with the debugger off a training step fails with
NonFiniteError naming the module; with it on, the step stops in the watch's hook at that
module, and ``nan_report`` over the comm names it."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(240)

SETUP = """import torch
from torch import nn

class LogShift(nn.Module):
    def forward(self, x):
        return torch.log(x - 10)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), LogShift(), nn.Linear(4, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
"""
STEP = """opt.zero_grad()
loss = model(torch.randn(3, 4)).sum()
loss.backward()
opt.step()
"""
GLOBALS = {"kind": "globals"}


def test_with_the_debugger_off_the_step_fails_with_a_message_naming_the_origin(kernel: Driver) -> None:
    kernel.execute(SETUP)
    kernel.execute("from jupyterlab_ml_debugger import watch_nonfinite\nwatch_nonfinite(model)")
    failed = kernel.execute_async(STEP)
    with pytest.raises(RuntimeError, match=r"NonFiniteError: .*module '1' \(LogShift\)"):
        kernel.wait(failed, timeout=60)
    report = ok_result(kernel.request("nan_report"))
    assert report["origin"]["path"] == "1" and report["origin"]["created"] is True
    off = ok_result(kernel.request("nan_watch", {"scope": GLOBALS, "target": {"expression": "model"},
                                                 "on": False}))
    assert off["on"] is False and off["modules"] == 4
    kernel.execute("assert all(not m._forward_hooks for m in model.modules())")


def test_with_the_debugger_on_the_step_stops_in_the_hook_of_the_origin(kernel: Driver) -> None:
    kernel.execute(SETUP)
    on = ok_result(kernel.request("nan_watch", {"scope": GLOBALS, "target": {"expression": "model"},
                                                "on": True}))
    assert on == {"on": True, "modules": 4, "mode": "cpu", "note": on["note"]}
    kernel.debug_on()
    execution = kernel.execute_async(STEP)
    thread_id = 1
    try:
        thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
        frames = kernel.stack_frames(thread_id)
        assert frames[0]["name"] == "stop_at_origin"
        assert frames[1]["name"] == "forward_bad"
        scope = {"kind": "frame", "frames": frame_refs(frames), "index": 0}
        rows = rows_by_name(ok_result(kernel.request("values", {"scope": scope}))["rows"])
        assert {"module", "path", "inputs", "outputs", "report"} <= set(rows)
        assert "'1'" in rows["path"]["summary"]
        report = ok_result(kernel.request("nan_report"))
        origin = report["origin"]
        assert (origin["path"], origin["cls"], origin["phase"], origin["created"]) == \
            ("1", "LogShift", "forward", True)
        assert report["watches"][0]["label"] == "model"
    finally:
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)  # the user chose to go on: the step finishes
