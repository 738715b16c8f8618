"""Kernels without subshells (ipykernel 6): the probe answers over a comm on the main shell when the
kernel is idle, and through DAP evaluate in the stopped frame."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .conftest import ok_result, rows_by_name

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


FAILING = """class InvalidDataset(Exception):
    pass

calls = 0

def check(rows):
    global calls
    calls += 1
    labels = {"cat": 0}
    try:
        labels["Dog"]
    except KeyError as err:
        raise InvalidDataset(f"{len(rows)} rows with an unknown label") from err

check([3, 1, 4])
"""
RAISE_LINE, LOOKUP_LINE = 13, 11


@pytest.fixture(scope="module")
def old_kernel() -> Iterator[Driver]:
    """An ipykernel 6 kernel with the embedded probe booted and its comm open on the main shell."""
    driver = Driver(package_on_path=False, python=str(IPYKERNEL6))
    driver.start()
    try:
        assert driver.boot("embedded")["thread"] == "main"
        driver.open_comm()
        yield driver
    finally:
        driver.shutdown()


def test_postmortem_of_a_failed_cell_over_the_main_shell(old_kernel: Driver) -> None:
    with pytest.raises(RuntimeError, match="the cell failed: InvalidDataset"):
        old_kernel.execute(FAILING)
    error = ok_result(old_kernel.request("postmortem"))["error"]
    assert error is not None and error["truncated"] is False
    links = [(link["type"], link["relation"], link["text"]) for link in error["chain"]]
    assert links == [("InvalidDataset", "raised", "InvalidDataset: 3 rows with an unknown label"),
                     ("KeyError", "cause", "KeyError: 'Dog'")]
    raised, cause = error["chain"]
    check = raised["frames"][-1]
    assert (check["name"], check["line"], check["user"]) == ("check", RAISE_LINE, True)
    rows = rows_by_name(check["rows"])
    assert rows["rows"]["summary"].startswith("list[3]") and "labels" in rows
    assert [(f["name"], f["line"], f["code"]) for f in cause["frames"]] == [("check", LOOKUP_LINE, 'labels["Dog"]')]
    assert old_kernel.execute("print(calls)").text.strip() == "1"  # read, never re-run


def test_modules_over_the_main_shell(old_kernel: Driver) -> None:
    (Path(old_kernel.cwd) / "requirements.txt").write_text("numpy==0.0.1\n")
    numpy_version = old_kernel.execute("import numpy\nprint(numpy.__version__)").text.strip()
    result = ok_result(old_kernel.request("modules", {"requirements": "requirements.txt"}))
    numpy = next(m for m in result["modules"] if m["name"] == "numpy")
    assert (numpy["version"], numpy["origin"], numpy["distribution"]) == (numpy_version, "site", "numpy")
    assert str(IPYKERNEL6.parents[1]) in numpy["path"]
    mismatch = {f["module"]: f["message"] for f in result["flags"] if f["kind"] == "mismatch"}
    assert numpy_version in mismatch["numpy"] and "0.0.1" in mismatch["numpy"]
    assert (result["requirements"]["checked"], result["requirements"]["error"]) == (1, None)


def test_threads_asked_over_the_main_shell_show_the_kernel_below_the_probe(old_kernel: Driver) -> None:
    result = ok_result(old_kernel.request("threads"))
    main = next(t for t in result["threads"] if t["kind"] == "main")
    # The embedded probe's files are named "<jupyterlab_ml_debugger VERSION: .../probe/....py>".
    assert main["frames"] and not any(f["path"].startswith("<jupyterlab_ml_debugger") for f in main["frames"])
    assert main["frames"][0]["name"] == "handle_msg"  # the comm that delivered the request
