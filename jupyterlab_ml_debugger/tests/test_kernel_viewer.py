"""The tensor viewer through a real kernel: slices over the comm, shapes in debugpy's Variables."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from jupyterlab_ml_debugger.bench.driver import BUFFERS, Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

GLOBALS = {"kind": "globals"}

SETUP = """import numpy as np, pandas as pd, torch
grid = torch.arange(600 * 700, dtype=torch.float32).reshape(600, 700)
grid[0, 2] = float("nan")
frame = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", "y", None]})
"""

CELL = """def step():
    w = torch.ones(2, 3, requires_grad=True)
    a = np.zeros((3, 4))
    n = 1
    return n

step()
"""
BREAK_LINE = 5  # return n


def named(name: str) -> dict:
    return {"path": [{"kind": "name", "name": name}]}


def test_a_slice_reply_carries_its_window_as_text_without_binary_buffers(kernel: Driver) -> None:
    kernel.execute(SETUP)
    reply = kernel.request("slice", {"scope": GLOBALS, "target": named("grid"),
                                     "axes": [0, 1], "index": [0, 0], "max": 256})
    result = ok_result(reply)
    # A binary comm message would stop jupyter_server's relay to a Kernel Gateway.
    assert BUFFERS not in reply
    data = base64.b64decode(result["values"], validate=True)
    assert (result["rows"], result["cols"], result["row_step"], result["col_step"]) == (200, 234, 3, 3)
    assert len(data) == result["rows"] * result["cols"] * 4
    window = np.frombuffer(data, "<f4").reshape(result["rows"], result["cols"])
    expected = np.arange(600 * 700, dtype=np.float32).reshape(600, 700)[::3, ::3]
    assert np.array_equal(window, expected) and result["nan"] == 0  # the NaN at (0, 2) is off the grid


def test_histogram_and_table_answer_over_the_comm(kernel: Driver) -> None:
    kernel.execute(SETUP)
    hist = ok_result(kernel.request("histogram", {"scope": GLOBALS, "target": named("grid"), "bins": 7}))
    assert hist["nan"] == 1 and sum(hist["counts"]) == 600 * 700 - 1 and hist["exact"]
    reply = kernel.request("table", {"scope": GLOBALS, "target": {"expression": "frame"}})
    table = ok_result(reply)
    assert BUFFERS not in reply
    assert table["shape"] == [3, 2] and [c["missing"] for c in table["columns"]] == [1, 1]


def test_debugpy_variables_show_tensor_shape_dtype_and_device(kernel: Driver) -> None:
    kernel.execute(SETUP)
    kernel.debug_on()
    kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
    try:
        frame = kernel.stack_frames(thread_id)[0]
        scopes = kernel.dap("scopes", {"frameId": frame["id"]})["body"]["scopes"]
        reference = scopes[0]["variablesReference"]
        listed = kernel.dap("variables", {"variablesReference": reference})["body"]["variables"]
        values = {v["name"]: v["value"] for v in listed}
    finally:
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
    kernel.wait(execution, timeout=60)
    assert values["w"] == "Tensor[2, 3] float32 cpu grad"
    assert values["a"] == "ndarray[3, 4] float64"
    assert values["n"] == "1"
