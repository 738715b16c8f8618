"""The Scope pattern: values grouped as local, enclosing and global, with what each name hides."""

from __future__ import annotations

import sys

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs
from jupyterlab_ml_debugger.probe import dispatch as api
from jupyterlab_ml_debugger.probe.variables import scopes
from jupyterlab_ml_debugger.probe.budget import Budget

from .conftest import ok_result, rows_by_name

lr = 0.1  # the global a local of the same name hides below


def _make_step(scale: int):
    def step(x: int) -> list:
        list = [x * scale]  # noqa: A001 - the builtin this hides is the point
        lr = 0.5
        step.rows = scopes.frame_rows(sys._getframe(), Budget(1000), 150, 500)
        return list + [lr]

    return step


def _grouped_rows() -> tuple[list[dict], bool]:
    step = _make_step(3)
    step(2)
    return step.rows


def test_a_closure_frame_groups_locals_enclosing_and_globals() -> None:
    rows, truncated = _grouped_rows()
    assert not truncated
    local = {r["name"]: r for r in rows if r["scope"] != "global"}
    glob = {r["name"]: r for r in rows if r["scope"] == "global"}
    assert local["scale"]["scope"] == "enclosing"
    assert local["x"]["scope"] == "local"
    assert local["list"]["scope"] == "local"
    assert local["list"]["shadows"] == "builtin"
    assert local["lr"]["shadows"] == "global"
    assert local["x"]["shadows"] is None
    assert local["lr"]["path"] == [{"kind": "name", "name": "lr"}]
    # The hidden global is listed too, reached by its own kind of step.
    assert glob["lr"]["summary"] == "0.1"
    assert glob["lr"]["shadows"] is None
    assert glob["lr"]["path"] == [{"kind": "global", "name": "lr"}]
    # Locals come first; modules and underscore names stay out of the globals.
    assert all(r["scope"] != "global" for r in rows[: len(local)])
    assert "sys" not in glob and "pytest" not in glob


def test_grouping_leaves_the_namespace_untouched() -> None:
    before = dict(globals())
    _grouped_rows()
    after = dict(globals())
    assert after.keys() == before.keys()
    assert all(after[k] is before[k] for k in before)


def test_shadow_rules() -> None:
    seen = frozenset({"lr", "model"})
    assert scopes.shadows("lr", "local", seen) == "global"
    assert scopes.shadows("lr", "global", seen) is None
    assert scopes.shadows("list", "enclosing", seen) == "builtin"
    assert scopes.shadows("list", "global", seen) == "builtin"
    assert scopes.shadows("_", "local", seen) is None
    assert scopes.global_names({"np": sys, "_hidden": 1, "lr": 2}) == {"np", "lr"}


def test_replies_without_group_keep_their_keys_and_a_bad_group_is_refused() -> None:
    globals_scope = {"scope": {"kind": "globals"}}
    plain = ok_result(api.handle({"id": 1, "op": "values", "args": globals_scope}))
    assert all("scope" not in r and "shadows" not in r for r in plain["rows"])
    grouped = ok_result(api.handle({"id": 2, "op": "values", "args": {**globals_scope, "group": "scope"}}))
    assert all(r["scope"] == "global" for r in grouped["rows"])
    bad = api.handle({"id": 3, "op": "values", "args": {**globals_scope, "group": "type"}})
    assert bad["error"]["kind"] == "bad-request"


CELL = """lr = 0.1

def make_step(scale):
    def step(x):
        list = [x * scale]
        lr = 0.5
        return list
    return step

make_step(3)(2)
"""
BREAK_LINE = 7  # return list


@pytest.mark.timeout(180)
def test_a_stopped_closure_reports_scopes_and_shadows(kernel: Driver) -> None:
    kernel.debug_on()
    kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = 1
    try:
        thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
        refs = frame_refs(kernel.stack_frames(thread_id))
        assert refs[0]["name"] == "step"
        scope = {"kind": "frame", "frames": refs, "index": 0}

        plain = ok_result(kernel.request("values", {"scope": scope}))
        assert set(rows_by_name(plain["rows"])) == {"x", "list", "lr", "scale"}
        assert all("scope" not in r for r in plain["rows"])

        grouped = ok_result(kernel.request("values", {"scope": scope, "group": "scope"}))
        local = {r["name"]: r for r in grouped["rows"] if r["scope"] != "global"}
        glob = {r["name"]: r for r in grouped["rows"] if r["scope"] == "global"}
        assert {n: r["scope"] for n, r in local.items()} == {
            "x": "local", "list": "local", "lr": "local", "scale": "enclosing"}
        assert {n: r["shadows"] for n, r in local.items()} == {
            "x": None, "list": "builtin", "lr": "global", "scale": None}
        assert {"lr", "make_step"} <= set(glob)

        # Both lr values are reachable: the local by name, the hidden global by its global step.
        for row, text in ((local["lr"], "0.5"), (glob["lr"], "0.1")):
            shown = ok_result(kernel.request("repr", {"scope": scope, "path": row["path"]}))
            assert shown["text"] == text
    finally:
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)
