"""Watch expressions, evaluated by the probe over the subshell comm in a real kernel."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(180)

SETUP = """import numpy as np, torch, time
lr = 0.01
grid = np.arange(6, dtype=np.float32).reshape(2, 3)
loss = torch.tensor(2.5)
history = [1, 2, 3]
"""

CELL = """def train(steps):
    scale = 3
    for step in range(steps):
        value = step * scale
    return value

train(4)
"""
BREAK_LINE = 4  # value = step * scale

LOOP = """def spin():
    for tick in range(400):
        time.sleep(0.01)
spin()
"""


def watch(kernel: Driver, scope: dict, expressions: list[str], **extra: float) -> dict[str, dict]:
    result = ok_result(kernel.request("watch", {"scope": scope, "expressions": expressions, **extra}))
    assert [row["name"] for row in result["rows"]] == expressions
    return rows_by_name(result["rows"])


def test_globals_give_summaries_and_numbers(kernel: Driver) -> None:
    kernel.execute(SETUP)
    rows = watch(kernel, {"kind": "globals"}, ["lr * 2", "loss", "grid.sum()", "grid", "history"])
    assert rows["lr * 2"]["number"] == pytest.approx(0.02)
    assert rows["loss"]["number"] == pytest.approx(2.5)
    assert rows["grid.sum()"]["number"] == pytest.approx(15.0)
    assert rows["grid"]["kind"] == "ndarray" and rows["grid"]["number"] is None
    assert rows["grid"]["stats"]["shape"] == [2, 3]
    assert rows["history"]["number"] is None
    assert "3" in rows["history"]["summary"]


def test_failures_become_error_rows_that_say_why(kernel: Driver) -> None:
    rows = watch(kernel, {"kind": "globals"}, ["missing + 1", "lr +", "(x := 5)", "1 / 0"])
    assert rows["missing + 1"]["kind"] == "error"
    assert "NameError" in rows["missing + 1"]["summary"]
    assert rows["lr +"]["summary"].startswith("does not compile")
    assert "assignment expressions" in rows["(x := 5)"]["summary"]
    assert "ZeroDivisionError" in rows["1 / 0"]["summary"]
    assert all(row["number"] is None for row in rows.values())


def test_nothing_is_assigned_into_the_namespace(kernel: Driver) -> None:
    watch(kernel, {"kind": "globals"}, ["[leak for leak in range(3)]", "globals().get('x')"])
    check = kernel.execute("print('x' in globals(), 'leak' in globals())")
    assert check.text.strip() == "False False"


def test_a_hanging_expression_overruns_its_budget_only(kernel: Driver) -> None:
    rows = watch(kernel, {"kind": "globals"}, ["time.sleep(5)", "lr"], expression_budget_ms=200)
    assert rows["time.sleep(5)"]["kind"] == "error"
    assert "did not return within 200 ms" in rows["time.sleep(5)"]["summary"]
    assert rows["lr"]["number"] == pytest.approx(0.01)


def test_live_reads_the_running_frame(kernel: Driver) -> None:
    running = kernel.execute_async(LOOP)
    try:
        seen = None
        for _ in range(100):
            rows = watch(kernel, {"kind": "live"}, ["tick"])
            if rows["tick"]["number"] is not None and rows["tick"]["number"] > 0:
                seen = rows["tick"]["number"]
                break
        assert seen is not None, "the running frame's tick was never read"
    finally:
        kernel.wait(running, timeout=60)
    # The cell is over: live falls back to the globals, where tick never existed.
    assert watch(kernel, {"kind": "live"}, ["tick"])["tick"]["kind"] == "error"


def test_a_stopped_frame_is_the_scope(kernel: Driver) -> None:
    kernel.debug_on()
    kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
    try:
        refs = frame_refs(kernel.stack_frames(thread_id))
        scope = {"kind": "frame", "frames": refs, "index": 0}
        rows = watch(kernel, scope, ["step * scale + 1", "lr", "steps"])
        assert rows["step * scale + 1"]["number"] == 1
        assert rows["lr"]["number"] == pytest.approx(0.01)
        assert rows["steps"]["number"] == 4
    finally:
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
        kernel.wait(execution, timeout=60)
    gone = kernel.request("watch", {"scope": scope, "expressions": ["step"]})
    assert not gone["ok"] and gone["error"]["kind"] == "no-frame"


def test_bad_arguments_are_refused(kernel: Driver) -> None:
    reply = kernel.request("watch", {"scope": {"kind": "globals"}, "expressions": "lr"})
    assert not reply["ok"] and reply["error"]["kind"] == "bad-request"
