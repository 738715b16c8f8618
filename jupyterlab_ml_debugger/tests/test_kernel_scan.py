"""Stopped at a breakpoint in a training loop: the NaN/Inf scan over the comm, and a checked step
armed through a DAP evaluate on the stopped thread."""

from __future__ import annotations

import os

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs
from jupyterlab_ml_debugger.probe import protocol

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

CELL = """import torch

torch.manual_seed(0)
model = torch.nn.Sequential()
model.add_module("fc1", torch.nn.Linear(4, 8))
model.add_module("fc2", torch.nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(16, 4), torch.randn(16)

def train_step():
    opt.zero_grad()
    pred = model(x)
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    opt.step()
    return loss.item()

model.fc2.weight.grad = torch.zeros_like(model.fc2.weight)
model.fc2.weight.grad[0, 3] = float("nan")
losses = []
for step in range(2):
    losses.append(train_step())
"""
BREAK_LINE = 22  # losses.append(train_step())
BROADCAST_LINE = 13  # loss = ((pred - y) ** 2).mean()


def evaluate(kernel: Driver, expression: str, frame_id: int) -> str:
    """A DAP evaluate in the stopped frame, as the frontend sends it; its result text."""
    reply = kernel.dap("evaluate", {"expression": expression, "frameId": frame_id, "context": "repl"})
    assert reply.get("success"), reply
    return reply["body"]["result"]


def test_scan_finds_a_nan_gradient_and_a_checked_step_reports_the_broadcast(kernel: Driver) -> None:
    kernel.debug_on()
    source = kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
    try:
        frames = kernel.stack_frames(thread_id)
        scope = {"kind": "frame", "frames": frame_refs(frames), "index": 0}
        scanned = ok_result(kernel.request("scan", {"scope": scope}))
        found = {f["path"]: f for f in scanned["findings"]}
        assert list(found) == ["model.fc2.weight.grad"]
        assert (found["model.fc2.weight.grad"]["nan"], found["model.fc2.weight.grad"]["first"]) == (1, [0, 3])
        again = ok_result(kernel.request("scan", {"scope": scope}))
        assert again["skipped"] == scanned["tensors"] - 1  # all but the NaN gradient were finite

        module = f'__import__("{protocol.CHECKED_MODULE_ALIAS}")'
        assert "armed" in evaluate(kernel, f"{module}.arm()", frames[0]["id"])
        assert ok_result(kernel.request("checked_step_report"))["state"] == "armed"
        kernel.dap("continue", {"threadId": thread_id})

        thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
        report = ok_result(kernel.request("checked_step_report"))
        assert report["state"] == "done"  # optimizer.step() returned before the second stop
        (finding,) = report["findings"]
        assert finding["kind"] == "broadcast"
        assert "[16, 1] and [16] to [16, 16]" in finding["message"]
        assert finding["line"] == BROADCAST_LINE
        assert os.path.normcase(finding["path"]) == os.path.normcase(source)
        frames = kernel.stack_frames(thread_id)
        assert "1 finding" in evaluate(kernel, f"{module}.disarm()", frames[0]["id"])
    finally:
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)
