"""Breakpoint actions without a kernel: specs, hit rules, fingerprints, the trace ring."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from jupyterlab_ml_debugger.probe import dispatch as api
from jupyterlab_ml_debugger.probe.breakpoints import actions
from jupyterlab_ml_debugger.probe.breakpoints.action_spec import SpecError, hit_matches, validate
from jupyterlab_ml_debugger.probe.breakpoints.fingerprint import describe_change, fingerprint
from jupyterlab_ml_debugger.probe.breakpoints.trace_buffer import TraceBuffer

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(autouse=True)
def no_actions():
    actions.set_actions([])
    actions.buffer.clear()
    yield
    actions.set_actions([])


def rows_of(bp_id: str) -> list[dict]:
    return [r for r in actions.buffer.since(0, 10_000)[0] if r["bp"] == bp_id]


def passes(bp_id: str, n: int, **frame) -> list[int]:
    """The i of each pass of ``for i in range(n)`` on which ``on_hit`` said stop."""
    stops = []
    for i in range(n):
        scope = {**frame, "i": i}
        if actions.on_hit(bp_id, scope, scope):
            stops.append(i)
    return stops


@pytest.mark.parametrize(("mode", "n", "hits"), [
    ("eq", 3, [3]), ("ge", 8, [8, 9, 10]), ("every", 4, [4, 8]),
])
def test_hit_rules(mode: str, n: int, hits: list[int]) -> None:
    assert [c for c in range(1, 11) if hit_matches((mode, n), c)] == hits
    assert all(hit_matches(None, c) for c in range(1, 11))


def test_condition_and_hit_count_combine_with_and() -> None:
    actions.set_actions([{"id": "and", "condition": "i % 2 == 0", "hit": {"mode": "every", "n": 5}}])
    assert passes("and", 30) == [8, 18, 28]
    assert actions.hit_counts() == {"and": 15}


def test_the_condition_expression_reaches_on_hit_by_its_alias() -> None:
    actions.set_actions([{"id": "bp-1", "condition": "i == 2"}])
    expression = actions.condition_expression("bp-1")
    assert [i for i in range(4) if eval(expression, {"i": i})] == [2]  # noqa: S307
    with pytest.raises(SpecError):
        actions.condition_expression('x"); import os; ("')


def test_a_condition_that_raises_is_reported_once_and_never_stops() -> None:
    actions.set_actions([{"id": "bad", "condition": "1 / (i - i) > 0"}])
    assert passes("bad", 5) == []
    rows = rows_of("bad")
    assert len(rows) == 1
    assert "ZeroDivisionError" in rows[0]["error"]


def test_a_slow_record_is_reported_once_then_suspended() -> None:
    slow = "__import__('time').sleep(0.08) or i"
    actions.set_actions([{"id": "slow", "record": [slow, "i"], "continue": True}])
    passes("slow", 3)
    rows = rows_of("slow")
    assert [slow in r["values"] for r in rows] == [True, False, False]
    assert [r["values"]["i"]["number"] for r in rows] == [0, 1, 2]
    assert [bool(r["error"]) for r in rows] == [True, False, False]
    assert "suspended" in rows[0]["error"]


def test_once_stops_at_the_first_hit_then_is_removed() -> None:
    actions.set_actions([{"id": "once", "condition": "i >= 3", "once": True}])
    assert passes("once", 10) == [3]
    assert [r["removed"] for r in rows_of("once")] == [True]


def test_resending_the_same_spec_keeps_the_hit_count_and_a_change_resets_it() -> None:
    spec = {"id": "keep", "hit": {"mode": "eq", "n": 5}}
    actions.set_actions([spec])
    assert passes("keep", 3) == []
    actions.set_actions([dict(spec)])
    assert passes("keep", 3) == [1]  # hits 4, 5, 6: the 5th is this run's second pass
    actions.set_actions([{**spec, "log": "now {i}"}])
    assert actions.hit_counts() == {"keep": 0}


def test_a_spec_that_does_not_compile_is_refused_and_never_stops() -> None:
    result = actions.set_actions([{"id": "x", "condition": "i +* 2"}, {"id": "y", "record": ["i"]}])
    assert result["ids"] == ["x", "y"]
    assert "does not compile" in result["errors"]["x"]
    assert passes("x", 3) == []
    assert len(rows_of("x")) == 1


def test_the_user_namespace_gains_no_names() -> None:
    scope = {"__builtins__": __builtins__, "i": 1, "t": torch.ones(2)}  # what a frame's globals hold
    before = dict(scope)
    actions.set_actions([{"id": "ns", "condition": "[k for k in range(i)]", "log": "{ {'a': i} }",
                          "record": ["t.sum()", "[j for j in range(2)]"], "check_tensors": True,
                          "stop_when_changed": "t"}])
    actions.on_hit("ns", scope, scope)
    assert set(scope) == set(before)
    assert validate("(x := 1)")["ok"] is False


def test_validate_gives_the_parsers_message_and_position() -> None:
    with pytest.raises(SyntaxError) as parser:
        compile("loss.item( > 3", "<x>", "eval")
    result = validate("loss.item( > 3")
    assert result == {"ok": False, "message": parser.value.msg, "line": parser.value.lineno,
                      "offset": parser.value.offset}
    assert validate("loss.item() > 3")["ok"] is True
    assert validate("step {i} {{ok}}", "log")["ok"] is True
    assert "never closed" in validate("step {i", "log")["message"]


def test_log_and_record_values() -> None:
    actions.set_actions([{"id": "log", "log": "step {i}: {name} {loss} {t} {{x}}",
                          "record": ["loss", "np.float32(2.5)", "t.sum()", "t"], "continue": True}])
    scope = {"i": 7, "name": "adam", "loss": torch.tensor([0.25]), "t": torch.ones(3), "np": np}
    assert actions.on_hit("log", scope, scope) is False
    (row,) = rows_of("log")
    assert row["log"].startswith("step 7: adam 0.25 Tensor[3] float32 cpu")
    assert row["log"].endswith("{x}")
    numbers = {k: v["number"] for k, v in row["values"].items()}
    assert numbers == {"loss": 0.25, "np.float32(2.5)": 2.5, "t.sum()": 3.0, "t": None}
    assert row["hit"] == 1 and row["stopped"] is False


def test_check_tensors_finds_nan_in_lists_and_module_grads() -> None:
    model = torch.nn.Linear(2, 1)
    actions.set_actions([{"id": "nan", "check_tensors": True}])
    scope = {"batch": [torch.ones(2), torch.ones(2)], "model": model, "n": 3}
    assert actions.on_hit("nan", scope, scope) is False
    scope["batch"][1][0] = float("inf")
    assert actions.on_hit("nan", scope, scope) is True
    scope["batch"][1][0] = 1.0
    model.weight.grad = torch.full((1, 2), float("nan"))
    assert actions.on_hit("nan", scope, scope) is True
    assert [r["reason"] for r in rows_of("nan")] == [None, "NaN/Inf in batch[1]",
                                                     "NaN/Inf in model.weight.grad"]
    big = torch.full((4,), 3e38)  # its sum overflows, yet every element is finite
    assert actions.on_hit("nan", {"big": big}, {"big": big}) is False


def test_fingerprints_follow_shape_dtype_and_contents_without_copying() -> None:
    t = torch.zeros(2, 3)
    first = fingerprint(t)
    assert fingerprint(t) == first
    t[1, 2] = 1.0
    assert fingerprint(t) != first
    assert describe_change(first, fingerprint(torch.zeros(4, 3))) == "shape [2, 3] -> [4, 3]"
    assert describe_change(first, fingerprint(torch.zeros(2, 3, dtype=torch.int64))).startswith("dtype")
    nan = torch.full((3,), float("nan"))
    assert fingerprint(nan) == fingerprint(nan.clone())
    a = np.arange(10.0)
    assert fingerprint(a) != fingerprint(a[::-1])
    assert fingerprint("x" * 500) != fingerprint("x" * 499 + "y")
    assert fingerprint([1, 2]) != fingerprint([1, 2, 3])


def test_trace_ring_keeps_the_newest_rows_and_counts_the_dropped() -> None:
    ring = TraceBuffer(capacity=5)
    for k in range(8):
        ring.append({"k": k})
    rows, nxt, dropped = ring.since(1, 100)
    assert [r["seq"] for r in rows] == [4, 5, 6, 7, 8] and nxt == 9 and dropped == 3
    rows, nxt, dropped = ring.since(6, 2)
    assert [r["seq"] for r in rows] == [6, 7] and nxt == 8 and dropped == 0
    assert ring.clear() == 5
    ring.append({"k": 9})
    rows, nxt, dropped = ring.since(1, 100)
    assert [r["seq"] for r in rows] == [9] and dropped == 0  # cleared rows are not "dropped"
    assert ring.since(500, 10) == ([], 10, 0)  # a client ahead of a restarted kernel resyncs


def test_ops_answer_through_handle() -> None:
    reply = api.handle({"id": 1, "op": "set_actions", "args": {"breakpoints": [{"id": "op"}]}})
    assert reply["ok"] and reply["result"] == {"ids": ["op"], "errors": {}}
    actions.on_hit("op", {}, {})
    reply = api.handle({"id": 2, "op": "trace", "args": {"since": 0}})
    assert [r["bp"] for r in reply["result"]["rows"]] == ["op"] and reply["result"]["counts"] == {"op": 1}
    assert api.handle({"id": 3, "op": "clear_trace", "args": {}})["result"]["cleared"] == 1
    bad = api.handle({"id": 4, "op": "trace", "args": {"since": -1}})
    assert bad["error"]["kind"] == "bad-request"


class _PydevdBreakpoint:
    """What pydevd keeps for a line breakpoint: the condition as the client sent it."""

    def __init__(self, condition: str) -> None:
        self.condition = condition


def handle_breakpoint_condition(pybreakpoint: _PydevdBreakpoint, scope: dict) -> bool:
    """pydevd's own evaluation of a condition, by the name and local name it uses."""
    return eval(pybreakpoint.condition, scope, scope)  # noqa: S307


def test_the_condition_text_is_compiled_once_and_then_runs_as_code() -> None:
    actions.set_actions([{"id": "bp-code", "condition": "i % 3 == 2", "continue": True,
                          "record": ["i"]}])
    pydevd_breakpoint = _PydevdBreakpoint(actions.condition_expression("bp-code"))
    stops = [i for i in range(9) if handle_breakpoint_condition(pydevd_breakpoint, {"i": i})]
    assert stops == []
    assert not isinstance(pydevd_breakpoint.condition, str)  # swapped on the first pass
    assert [r["values"]["i"]["number"] for r in rows_of("bp-code")] == [2, 5, 8]


def test_a_condition_that_is_not_ours_is_left_as_text() -> None:
    pydevd_breakpoint = _PydevdBreakpoint("i < 0")
    assert not handle_breakpoint_condition(pydevd_breakpoint, {"i": 1})
    assert pydevd_breakpoint.condition == "i < 0"
