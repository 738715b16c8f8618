"""A kernel whose environment lacks the package: the probe is booted from the sources the frontend
sends, its feature packages and all, and every feature answers from that copy."""

from __future__ import annotations

from typing import Iterator

import pytest

from jupyterlab_ml_debugger import __version__
from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe import protocol

from .conftest import ok_result, rows_by_name

GLOBALS = {"kind": "globals"}

SETUP = """import dataclasses
import numpy as np
import pandas as pd

@dataclasses.dataclass
class Point:
    x: float
    y: float

x = 41
point = Point(1.0, 2.0)
grid = np.arange(12.0).reshape(3, 4)
cities = pd.DataFrame({"city": ["Paris", "Oslo", "paris ", "Rome"], "income": [1.0, 2.0, 3.0, 4.0]})
"""


def named(value: str) -> dict:
    return {"path": [{"kind": "name", "name": value}]}


@pytest.fixture(scope="module")
def bare_kernel() -> Iterator[Driver]:
    """A kernel that cannot import the package, the probe booted the frontend's way on a subshell."""
    driver = Driver(package_on_path=False)
    if not driver.package_hidden:
        pytest.skip("the package is installed beside ipykernel: no kernel here can be without it")
    driver.start()
    try:
        unseen = driver.execute("import importlib.util\nprint(importlib.util.find_spec('jupyterlab_ml_debugger'))")
        assert unseen.text.strip() == "None"
        driver.create_subshell()
        hello = driver.boot("frontend")
        assert (hello["loaded"], hello["version"], hello["thread"]) == ("embedded", __version__, "subshell")
        driver.open_comm()
        driver.execute(SETUP)
        yield driver
    finally:
        driver.shutdown()


def test_every_module_of_the_package_comes_from_the_sent_sources(bare_kernel: Driver) -> None:
    origins = bare_kernel.execute(
        "import sys\n"
        "from jupyterlab_ml_debugger import watch_nonfinite\n"
        "from jupyterlab_ml_debugger.probe.checks import nan_origin\n"
        "mine = [m for n, m in sys.modules.items() if n.startswith('jupyterlab_ml_debugger')]\n"
        "print(len(mine), {m.__spec__.origin.split(':')[0] for m in mine})\n"
        "print(callable(watch_nonfinite), nan_origin.__package__)").text.splitlines()
    count, prefixes = origins[0].split(" ", 1)
    assert int(count) > 60
    assert prefixes == "{'<jupyterlab_ml_debugger " + __version__ + "'}"
    assert origins[1] == "True jupyterlab_ml_debugger.probe.checks"


def test_variables(bare_kernel: Driver) -> None:
    rows = rows_by_name(ok_result(bare_kernel.request("values", {"scope": GLOBALS}))["rows"])
    assert rows["x"]["summary"] == "41"
    assert rows["grid"]["stats"]["max"] == 11.0


def test_breakpoints_and_trace(bare_kernel: Driver) -> None:
    assert ok_result(bare_kernel.request("validate", {"expression": "x > 40"}))["ok"] is True
    assert ok_result(bare_kernel.request("validate", {"expression": "x >"}))["ok"] is False
    spec = {"id": "embedded-1", "record": ["x * 2"], "continue": True}
    assert ok_result(bare_kernel.request("set_actions", {"breakpoints": [spec]}))["ids"] == ["embedded-1"]
    # The condition debugpy would evaluate on each pass, run here as a cell: one hit, recorded.
    stopped = bare_kernel.execute("print(" + protocol.CONDITION_TEMPLATE.format(id="embedded-1") + ")")
    assert stopped.text.strip() == "False"
    trace = ok_result(bare_kernel.request("trace", {"since": 0}))
    assert trace["counts"] == {"embedded-1": 1}
    assert trace["rows"][-1]["values"]["x * 2"]["number"] == 82


def test_stops(bare_kernel: Driver) -> None:
    assert ok_result(bare_kernel.request("breakpoint_hook", {"on": False}))["on"] is False


def test_watch(bare_kernel: Driver) -> None:
    [row] = ok_result(bare_kernel.request("watch", {"scope": GLOBALS, "expressions": ["x + 1"]}))["rows"]
    assert row["number"] == 42


def test_structure(bare_kernel: Driver) -> None:
    result = ok_result(bare_kernel.request("structure", {"scope": GLOBALS, "target": named("point")}))
    assert [f["name"] for f in result["object"]["fields"]] == ["x", "y"]


def test_viewer(bare_kernel: Driver) -> None:
    hist = ok_result(bare_kernel.request("histogram", {"scope": GLOBALS, "target": named("grid"), "bins": 4}))
    assert sum(hist["counts"]) == 12


def test_checks(bare_kernel: Driver) -> None:
    result = ok_result(bare_kernel.request("data_defects", {"scope": GLOBALS, "target": named("cities")}))
    assert {d["kind"]: d["column"] for d in result["defects"]}["case"] == "city"


def test_threads(bare_kernel: Driver) -> None:
    threads = ok_result(bare_kernel.request("threads"))["threads"]
    assert [t["kind"] for t in threads].count("main") == 1


def test_counters(bare_kernel: Driver) -> None:
    counters = ok_result(bare_kernel.request("counters"))["counters"]
    assert "threads" in {c["id"] for c in counters}


def test_modules(bare_kernel: Driver) -> None:
    modules = {m["name"]: m for m in ok_result(bare_kernel.request("modules"))["modules"]}
    assert modules["numpy"]["origin"] == "site"


def test_postmortem(bare_kernel: Driver) -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        bare_kernel.execute("x / 0")
    error = ok_result(bare_kernel.request("postmortem"))["error"]
    assert error["chain"][0]["type"] == "ZeroDivisionError"
