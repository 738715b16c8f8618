"""The kernel's crash recorder: armed by the probe's first hello, it says where it writes, records
each cell the user runs, and says why when it cannot arm."""

from __future__ import annotations

import json
import os
import tempfile
import uuid

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import connect_probe


@pytest.fixture
def runtime_kernel():
    """A kernel whose connection file is named as a Jupyter server names it, in its own runtime dir."""
    runtime = tempfile.mkdtemp(prefix="ml-debugger-runtime-")
    kernel_id = str(uuid.uuid4())
    driver = Driver()
    driver.km.connection_file = os.path.join(runtime, f"kernel-{kernel_id}.json")
    driver.start()
    try:
        yield driver, runtime, kernel_id
    finally:
        driver.shutdown()


@pytest.mark.parametrize("mode", ["installed", "embedded"])
def test_hello_arms_the_recorder_and_each_cell_rewrites_the_marker(runtime_kernel, mode):
    driver, runtime, kernel_id = runtime_kernel
    hello = connect_probe(driver, mode)
    assert hello["crash_recorder"] == {"armed": True, "reason": None} and hello["loaded"] == mode
    assert os.path.exists(os.path.join(runtime, f"ml-debugger-{kernel_id}.faulthandler"))
    driver.execute("\n# the model\nweights = [1, 2]\n", timeout=30)
    with open(os.path.join(runtime, f"ml-debugger-{kernel_id}.cell.json")) as handle:
        marker = json.load(handle)
    assert marker["first_line"] == "# the model" and marker["source"] == "\n# the model\nweights = [1, 2]\n"
    assert marker["pid"] == hello["pid"] and isinstance(marker["execution_count"], int)
    # The probe's own requests on its subshell never replace the user's last cell.
    assert driver.request("hello", {})["result"]["crash_recorder"]["armed"] is True
    with open(os.path.join(runtime, f"ml-debugger-{kernel_id}.cell.json")) as handle:
        assert json.load(handle)["first_line"] == "# the model"


def test_a_kernel_not_started_by_a_jupyter_server_says_why_it_is_not_armed(kernel):
    hello = kernel.request("hello", {})["result"]
    recorder = hello["crash_recorder"]
    assert recorder["armed"] is False
    assert "is not named kernel-<id>.json" in recorder["reason"]


def test_outside_a_kernel_hello_says_there_is_no_cell_to_record():
    from jupyterlab_ml_debugger.probe import hello

    assert hello()["crash_recorder"] == {
        "armed": False, "reason": "the probe is not running in an IPython kernel, so there is no cell to record"}
