"""While a cell runs, the probe answers live reads from its subshell: running locals and globals."""

from __future__ import annotations

import time

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(120)

CELL = """import time

def spin(seconds):
    step = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        step += 1
    return step

marker = "live-globals"
spin(4)
"""
LIVE = {"scope": {"kind": "live"}}


def read_running(kernel: Driver, attempts: int = 50) -> dict:
    """The first live read that finds the cell's loop running."""
    for _ in range(attempts):
        result = ok_result(kernel.request("values", LIVE))
        if result["running"] and result["frames"] and result["frames"][0]["name"] == "spin":
            return result
        time.sleep(0.05)
    raise AssertionError("the live scope never showed the running loop")


def test_live_values_while_a_cell_runs(kernel: Driver) -> None:
    execution = kernel.execute_async(CELL)
    first = read_running(kernel)
    time.sleep(0.3)  # let the loop advance between two reads, as a polling panel would
    second = read_running(kernel)
    assert not execution.done.is_set(), "the replies should arrive while the loop runs"

    frame = first["frames"][0]
    assert frame["thread"] == "MainThread"
    step = rows_by_name(frame["rows"])["step"]
    assert rows_by_name(second["frames"][0]["rows"])["step"]["summary"] != step["summary"]
    assert "marker" in rows_by_name(first["rows"])
    assert [f["name"] for f in first["frames"]][-1] == "<module>"

    kernel.wait(execution, timeout=60)
    idle = ok_result(kernel.request("values", LIVE))
    assert idle["running"] is False
    assert idle["frames"] == []
    assert "marker" in rows_by_name(idle["rows"])
