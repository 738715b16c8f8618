"""Stopped at a breakpoint, the probe reads the frame the call stack selects, over the subshell comm."""

from __future__ import annotations

import threading

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(180)

CELL = """import torch

def inner(a, t):
    b = a + 1
    return b

def outer(n):
    w = torch.ones(2, 3)
    total = 0
    for i in range(n):
        total += inner(41, w)
    return total

outer(3)
"""
BREAK_LINE = 5  # return b


def frame_scope(refs: list[dict], index: int) -> dict:
    return {"scope": {"kind": "frame", "frames": refs, "index": index}}


def test_values_of_the_selected_frame(kernel: Driver) -> None:
    kernel.debug_on()
    kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = 1  # debugpy's id for the main thread, until the stopped event says otherwise
    try:
        thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
        refs = frame_refs(kernel.stack_frames(thread_id))
        assert [r["name"] for r in refs][:2] == ["inner", "outer"]

        inner = ok_result(kernel.request("values", frame_scope(refs, 0)))
        assert inner["scope"]["thread"] == "MainThread"
        assert inner["scope"]["frame"]["name"] == "inner"
        rows = rows_by_name(inner["rows"])
        assert set(rows) == {"a", "t", "b"}
        assert "41" in rows["a"]["summary"]
        assert rows["t"]["kind"] == "tensor"
        assert rows["t"]["stats"]["shape"] == [2, 3]

        outer = ok_result(kernel.request("values", frame_scope(refs, 1)))
        assert outer["scope"]["frame"]["name"] == "outer"
        assert set(rows_by_name(outer["rows"])) == {"n", "w", "total", "i"}

        path = [{"kind": "name", "name": "b"}]
        shown = ok_result(kernel.request("repr", {**frame_scope(refs, 0), "path": path}))
        assert shown["text"] == "42"
    finally:
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)

    gone = kernel.request("values", frame_scope(refs, 0))
    assert not gone["ok"]
    assert gone["error"]["kind"] == "no-frame"


SLOW_CELL = """import time

class Slow:
    def __repr__(self):
        time.sleep(10)
        return "slow"

def hold():
    slow = Slow()
    n = 41
    return n

hold()
"""
SLOW_BREAK_LINE = 11  # return n


def test_answers_while_the_builtin_variables_request_waits_on_a_slow_repr(kernel: Driver) -> None:
    kernel.debug_on()
    kernel.set_breakpoints(SLOW_CELL, [SLOW_BREAK_LINE])
    execution = kernel.execute_async(SLOW_CELL)
    thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
    try:
        frames = kernel.stack_frames(thread_id)
        scopes = kernel.dap("scopes", {"frameId": frames[0]["id"]})["body"]["scopes"]
        # What JupyterLab's Variables panel asks next: pydevd reprs every local,
        # so this holds the control channel for the 10 s of Slow.__repr__.
        builtin = threading.Thread(
            target=kernel.dap,
            args=("variables", {"variablesReference": scopes[0]["variablesReference"]}),
            kwargs={"timeout": 60},
        )
        builtin.start()
        ours = ok_result(kernel.request("values", frame_scope(frame_refs(frames), 0)))
        assert builtin.is_alive(), "the built-in request should still be waiting on the repr"
        rows = rows_by_name(ours["rows"])
        assert "Slow object at 0x" in rows["slow"]["summary"]
        assert "41" in rows["n"]["summary"]
        builtin.join(60)
    finally:
        kernel.set_breakpoints(SLOW_CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)
