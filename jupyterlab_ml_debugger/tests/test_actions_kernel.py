"""Breakpoint actions in a real kernel: debugpy evaluates our condition, and the loop stops only when we say."""

from __future__ import annotations

import ast
from typing import Iterator

import pytest

from jupyterlab_ml_debugger.bench.actions import action_breakpoint, set_breakpoints
from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(120)

LOOP_CELL = """def run(n):
    total = 0
    for i in range(n):
        total += i
    return total

run(30)
"""
LOOP_LINE = 4  # total += i


@pytest.fixture(scope="module")
def debugger(kernel: Driver) -> Driver:
    kernel.debug_on()
    return kernel


def run_with_actions(kernel: Driver, cell: str, line: int, spec: dict, watch: str = "i") -> list[str]:
    """Run ``cell`` with ``spec`` on ``line``, continue at every stop; ``watch`` as debugpy shows it at each stop."""
    ok_result(kernel.request("set_actions", {"breakpoints": [spec]}))
    set_breakpoints(kernel, cell, [action_breakpoint(line, spec["id"])])
    execution = kernel.execute_async(cell)
    seen, thread_id = [], 1
    try:
        while not execution.done.is_set():
            try:
                thread_id = kernel.wait_event("stopped", timeout=0.5)["threadId"]
            except TimeoutError:
                continue
            frame_id = kernel.stack_frames(thread_id)[0]["id"]
            reply = kernel.dap("evaluate", {"expression": watch, "frameId": frame_id, "context": "watch"})
            seen.append(reply["body"]["result"])
            kernel.dap("continue", {"threadId": thread_id})
    finally:
        set_breakpoints(kernel, cell, [])
        if not execution.done.is_set():
            kernel.dap("continue", {"threadId": thread_id})
        kernel.wait(execution, timeout=60)
    return seen


def trace_rows(kernel: Driver, bp_id: str) -> list[dict]:
    """The trace rows of one breakpoint, fetched over the comm."""
    return [r for r in ok_result(kernel.request("trace", {"since": 0}))["rows"] if r["bp"] == bp_id]


@pytest.fixture(autouse=True)
def fresh_trace(debugger: Driver) -> Iterator[None]:
    ok_result(debugger.request("clear_trace"))
    yield
    ok_result(debugger.request("set_actions", {"breakpoints": []}))


def test_a_condition_stops_only_where_it_holds(debugger: Driver) -> None:
    stops = run_with_actions(debugger, LOOP_CELL, LOOP_LINE, {"id": "cond", "condition": "i % 10 == 3"})
    assert stops == ["3", "13", "23"]
    assert [r["hit"] for r in trace_rows(debugger, "cond")] == [1, 2, 3]


@pytest.mark.parametrize(("mode", "n", "stops"), [
    ("eq", 3, ["2"]), ("ge", 28, ["27", "28", "29"]), ("every", 10, ["9", "19", "29"]),
])
def test_hit_counts(debugger: Driver, mode: str, n: int, stops: list[str]) -> None:
    spec = {"id": f"hit-{mode}", "hit": {"mode": mode, "n": n}}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == stops


def test_condition_hit_count_and_actions_combine_with_and(debugger: Driver) -> None:
    spec = {"id": "and", "condition": "i % 2 == 0", "hit": {"mode": "every", "n": 5},
            "log": "i={i}", "record": ["total"]}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == ["8", "18", "28"]
    rows = trace_rows(debugger, "and")
    assert [r["log"] for r in rows] == ["i=8", "i=18", "i=28"]
    assert [r["values"]["total"]["number"] for r in rows] == [sum(range(i)) for i in (8, 18, 28)]
    assert [r["hit"] for r in rows] == [5, 10, 15]


def test_a_log_message_lands_in_the_trace_fetched_with_the_trace_op(debugger: Driver) -> None:
    spec = {"id": "log", "log": "step {i} total {total}", "continue": True}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == []
    expected = [f"step {i} total {sum(range(i))}" for i in range(30)]
    assert [r["log"] for r in trace_rows(debugger, "log")] == expected


def test_comm_requests_answer_at_a_stop_made_by_an_action_condition(debugger: Driver) -> None:
    """Regression: the probe once pushed trace rows from a background thread, and that push,
    sent while on_hit's stop held the kernel, left ipykernel's shell channel blocked, so every
    later comm request timed out. Nothing is pushed now; values and trace answer at the stop."""
    spec = {"id": "stop", "condition": "i % 10 == 3"}
    ok_result(debugger.request("set_actions", {"breakpoints": [spec]}))
    set_breakpoints(debugger, LOOP_CELL, [action_breakpoint(LOOP_LINE, "stop")])
    execution = debugger.execute_async(LOOP_CELL)
    thread_id = 1
    try:
        thread_id = debugger.wait_event("stopped", timeout=60)["threadId"]
        refs = frame_refs(debugger.stack_frames(thread_id))
        assert refs[0]["name"] == "run"
        scope = {"scope": {"kind": "frame", "frames": refs, "index": 0}}
        values = ok_result(debugger.request("values", scope, timeout=10))
        rows = rows_by_name(values["rows"])
        assert "i" in rows and "3" in rows["i"]["summary"]
        trace = ok_result(debugger.request("trace", {"since": 0}, timeout=10))
        hits = [r for r in trace["rows"] if r["bp"] == "stop"]
        assert len(hits) == 1
        assert hits[0]["hit"] == 1 and hits[0]["stopped"] and hits[0]["line"] == LOOP_LINE
        assert ok_result(debugger.request("hello", timeout=10))
    finally:
        set_breakpoints(debugger, LOOP_CELL, [])
        if not execution.done.is_set():
            debugger.dap("continue", {"threadId": thread_id})
        debugger.wait(execution, timeout=60)
    assert ok_result(debugger.request("hello", timeout=10))


RECORD_CELL = """def train(steps):
    losses = []
    for step in range(steps):
        loss = 1.0 / (step + 1)
        losses.append(loss)
    return losses

train(100)
"""


def test_record_collects_the_loss_every_tenth_pass(debugger: Driver) -> None:
    spec = {"id": "rec", "hit": {"mode": "every", "n": 10}, "record": ["loss"], "continue": True}
    assert run_with_actions(debugger, RECORD_CELL, 5, spec) == []
    rows = trace_rows(debugger, "rec")
    assert [r["values"]["loss"]["number"] for r in rows] == [1.0 / (s + 1) for s in range(9, 100, 10)]
    assert [r["hit"] for r in rows] == list(range(10, 101, 10))


NAN_CELL = """import torch

def train(steps):
    w = torch.ones(3)
    for step in range(steps):
        parts = [torch.ones(2), torch.ones(2)]
        if step == 6:
            parts[1][0] = float("nan")
        w = w * 1.0
    return w

train(10)
"""


def test_check_tensors_stops_only_where_a_nan_appears(debugger: Driver) -> None:
    spec = {"id": "nan", "check_tensors": True}
    assert run_with_actions(debugger, NAN_CELL, 9, spec, watch="step") == ["6"]
    assert [r["reason"] for r in trace_rows(debugger, "nan") if r["stopped"]] == ["NaN/Inf in parts[1]"]


SHAPE_CELL = """import torch

def grow(steps):
    for step in range(steps):
        x = torch.zeros(2 if step < 5 else 3, 4)
        y = x.sum()
    return y

grow(10)
"""


def test_stop_when_changed_stops_when_the_shape_changes(debugger: Driver) -> None:
    spec = {"id": "shape", "stop_when_changed": "x"}
    assert run_with_actions(debugger, SHAPE_CELL, 6, spec, watch="step") == ["5"]
    assert [r["reason"] for r in trace_rows(debugger, "shape") if r["stopped"]] == ["x: shape [2, 4] -> [3, 4]"]


def test_continue_never_stops_but_traces_every_hit(debugger: Driver) -> None:
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, {"id": "cont", "continue": True}) == []
    assert len(trace_rows(debugger, "cont")) == 30


def test_once_stops_at_the_first_hit_and_then_is_gone(debugger: Driver) -> None:
    spec = {"id": "once", "condition": "i >= 4", "once": True}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == ["4"]
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == []
    assert [r["removed"] for r in trace_rows(debugger, "once")] == [True]


def test_a_condition_that_raises_is_reported_once_and_never_stops(debugger: Driver) -> None:
    spec = {"id": "raise", "condition": "undefined_name > 0"}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == []
    (row,) = trace_rows(debugger, "raise")
    assert "NameError" in row["error"] and "undefined_name" in row["error"]


def test_validate_refuses_a_condition_with_the_parsers_message(debugger: Driver) -> None:
    with pytest.raises(SyntaxError) as parser:
        compile("i %% 2", "<x>", "eval")
    result = ok_result(debugger.request("validate", {"expression": "i %% 2", "mode": "eval"}))
    assert result["ok"] is False and result["message"] == parser.value.msg
    assert result["offset"] == parser.value.offset
    assert ok_result(debugger.request("validate", {"expression": "i % 2"}))["ok"] is True


def test_resending_the_same_specs_keeps_hit_counts(debugger: Driver) -> None:
    spec = {"id": "keep", "hit": {"mode": "eq", "n": 40}}
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == []
    # The helper re-sends set_actions and setBreakpoints, as the frontend does on every change.
    assert run_with_actions(debugger, LOOP_CELL, LOOP_LINE, spec) == ["9"]


NS_CELL = """for i in range(5):
    y = i * 2
"""
NAMES = "print(sorted(k for k in globals() if not k.startswith('_')))"


def test_the_user_namespace_gains_no_names(debugger: Driver) -> None:
    before = ast.literal_eval(debugger.execute(NAMES, silent=True).text)
    spec = {"id": "ns", "condition": "[k for k in range(3)]", "log": "{ {'a': i} }",
            "record": ["i * 2", "[j for j in range(2)]"], "check_tensors": True,
            "stop_when_changed": "i", "continue": True}
    assert run_with_actions(debugger, NS_CELL, 2, spec) == []
    after = ast.literal_eval(debugger.execute(NAMES, silent=True).text)
    assert set(after) - set(before) == {"i", "y"}
    assert len(trace_rows(debugger, "ns")) == 5


HOOK_CELL = """def pause():
    answer = 41
    breakpoint()
    return answer + 1

pause()
"""


def test_breakpoint_stops_in_the_debugger_with_the_hook_on(debugger: Driver) -> None:
    assert ok_result(debugger.request("breakpoint_hook", {"on": True})) == {"on": True, "attached": True}
    execution = debugger.execute_async(HOOK_CELL)
    thread_id = 1
    try:
        thread_id = debugger.wait_event("stopped", timeout=60)["threadId"]
        frame = debugger.stack_frames(thread_id)[0]
        assert frame["name"] == "pause"
        reply = debugger.dap("evaluate", {"expression": "answer", "frameId": frame["id"], "context": "watch"})
        assert reply["body"]["result"] == "41"
    finally:
        debugger.dap("continue", {"threadId": thread_id})
        debugger.wait(execution, timeout=60)
        off = ok_result(debugger.request("breakpoint_hook", {"on": False}))
    assert off["on"] is False
