"""Kernels without subshells (ipykernel 6): the probe answers through DAP evaluate in the stopped frame."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import rows_by_name

# `make test` creates this environment: ipykernel 6, debugpy and numpy, no subshells.
IPYKERNEL6 = Path(__file__).resolve().parents[2] / ".venv-ipykernel6" / "bin" / "python"

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(not IPYKERNEL6.exists(), reason="run `make test` to create .venv-ipykernel6"),
]

CELL = """import numpy as np

def scale(x):
    y = x * 2
    return y

scale(np.array([1.0, np.nan, 3.0]))
"""
BREAK_LINE = 5  # return y


def probe_call(request: dict) -> str:
    """The expression the frontend's fallback evaluates for one request."""
    text = json.dumps(json.dumps(request))
    return f"__import__('jupyterlab_ml_debugger.probe', fromlist=['_']).handle_encoded({text})"


def decode(result: str) -> dict:
    return json.loads(bytes.fromhex(result.strip("'")).decode("utf-8"))


def test_values_of_a_stopped_frame_through_evaluate() -> None:
    driver = Driver(package_on_path=False, python=str(IPYKERNEL6))
    driver.start()
    try:
        features = driver.kc.kernel_info(reply=True)["content"].get("supported_features", [])
        assert "kernel subshells" not in features
        hello = driver.boot("embedded")  # on the main shell: there is no subshell
        assert hello["thread"] == "main"

        driver.debug_on()
        driver.set_breakpoints(CELL, [BREAK_LINE])
        execution = driver.execute_async(CELL)
        thread_id = driver.wait_event("stopped", timeout=60)["threadId"]
        try:
            frames = driver.stack_frames(thread_id)
            refs = frame_refs(frames)
            request = {"id": 7, "op": "values",
                       "args": {"scope": {"kind": "frame", "frames": refs, "index": 0}}}
            response = driver.dap("evaluate", {"expression": probe_call(request),
                                               "frameId": frames[0]["id"], "context": "clipboard"})
            assert response["success"], response
            reply = decode(response["body"]["result"])
            assert reply["ok"], reply
            assert reply["id"] == 7
            assert reply["result"]["scope"]["frame"]["name"] == "scale"
            rows = rows_by_name(reply["result"]["rows"])
            assert set(rows) == {"x", "y"}
            assert rows["y"]["stats"]["nan"] == 1
            assert rows["y"]["nonfinite"] is True
        finally:
            driver.set_breakpoints(CELL, [])
            driver.dap("continue", {"threadId": thread_id})
        driver.wait(execution, timeout=60)
    finally:
        driver.shutdown()
