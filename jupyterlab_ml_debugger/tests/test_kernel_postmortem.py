"""Postmortem and Nested Exception in a real kernel: the failed cell's chain and frames, nothing re-run."""

from __future__ import annotations

import sys

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(120)

needs_groups = pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11")

FAILING = """import torch

calls = 0

def load(batch):
    global calls
    calls += 1
    images = torch.zeros(4, 3, 8, 8)
    raise ValueError("bad batch") from KeyError("label")

load(7)
"""
RAISE_LINE = 9

GROUP = 'raise ExceptionGroup("two failures", [ValueError("bad batch"), TypeError("bad label")])\n'


def fail(kernel: Driver, code: str) -> None:
    with pytest.raises(RuntimeError, match="the cell failed"):
        kernel.execute(code)


def run_to_the_end(kernel: Driver, code: str) -> None:
    """Run a cell whose failure IPython may only print: it writes an exception group's
    traceback to stderr and sends no ``error`` message (IPython 9.18)."""
    assert kernel.execute_async(code).done.wait(60)


def postmortem(kernel: Driver, **args: object) -> dict | None:
    return ok_result(kernel.request("postmortem", args))["error"]


def test_no_failed_cell_means_no_error(kernel: Driver) -> None:
    kernel.execute("ready = True")
    assert postmortem(kernel) is None


def test_a_cause_chain_with_the_failed_function_s_locals(kernel: Driver) -> None:
    fail(kernel, FAILING)
    error = postmortem(kernel)
    assert error is not None and error["truncated"] is False
    links = [(link["type"], link["relation"], link["depth"]) for link in error["chain"]]
    assert links == [("ValueError", "raised", 0), ("KeyError", "cause", 0)]
    raised, cause = error["chain"]
    assert raised["text"] == "ValueError: bad batch"
    assert cause["frames"] == []  # made in the raise statement, never raised itself
    load = raised["frames"][-1]
    assert (load["name"], load["line"], load["user"]) == ("load", RAISE_LINE, True)
    assert "ipykernel_" in load["path"]
    assert load["code"] == 'raise ValueError("bad batch") from KeyError("label")'
    rows = rows_by_name(load["rows"])
    assert rows["images"]["kind"] == "tensor" and "4, 3, 8, 8" in rows["images"]["summary"]
    assert rows["batch"]["summary"] == "7"
    assert [f["name"] for f in raised["frames"]][-2:] == ["<module>", "load"]
    assert not raised["frames"][0]["user"] and raised["frames"][0]["rows"] == []
    # Asking again reads the same exception: same id, and the function did not run again.
    assert postmortem(kernel, max_frames=1)["id"] == error["id"]
    assert kernel.execute("print(calls)").text.strip() == "1"


@needs_groups
def test_an_exception_group_lists_its_members_below_it(kernel: Driver) -> None:
    before = postmortem(kernel)
    run_to_the_end(kernel, GROUP)
    error = postmortem(kernel)
    assert error is not None and error["id"] != (before or {}).get("id")
    links = [(link["type"], link["relation"], link["depth"], link["text"]) for link in error["chain"]]
    assert links == [
        ("ExceptionGroup", "raised", 0, "ExceptionGroup: two failures (2 sub-exceptions)"),
        ("ValueError", "group", 1, "ValueError: bad batch"),
        ("TypeError", "group", 1, "TypeError: bad label"),
    ]
    assert error["chain"][0]["frames"][-1]["code"] == GROUP.strip()
