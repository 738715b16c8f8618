"""The probe is invisible where the user looks, installed or sent as source: no module, thread,
frame or function of its own in Modules, Threads, Variable Values or Exceptions."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import jupyterlab_ml_debugger
from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe import protocol

from .conftest import connect_probe, ok_result

pytestmark = pytest.mark.timeout(240)

GLOBALS = {"kind": "globals"}
PACKAGE_DIR = Path(jupyterlab_ml_debugger.__file__).resolve().parent

# Judged here by name and place, not by the probe's own test of what is its own.
_PROBE_NAME = re.compile(r"jupyterlab_ml_debugger")

SETUP = """import time
import torch
from torch import nn
from jupyterlab_ml_debugger import watch_nonfinite
from jupyterlab_ml_debugger.probe import record_shapes

def slow_len(seconds):
    time.sleep(seconds)
    return 3

def my_hook(module, args, output):
    return None

net = nn.Linear(2, 2)
net.register_forward_hook(my_hook)
"""
NAN_STEP = """class LogShift(nn.Module):
    def forward(self, x):
        return torch.log(x - 10)

model = nn.Sequential(nn.Linear(4, 4), LogShift())
watch_nonfinite(model)
model(torch.randn(3, 4)).sum()
"""


def is_probe_path(path: str) -> bool:
    """A file of the probe: sent as source, or in the package's folder (its probe/, __init__, _version)."""
    if path.startswith("<"):
        return path.startswith("<jupyterlab_ml_debugger ")
    where = Path(path).resolve()
    return where.is_relative_to(PACKAGE_DIR / "probe") or where.parent == PACKAGE_DIR


def probe_frames(frames: list[dict]) -> list[str]:
    """The frames of a stack that are the probe's, as ``name path``."""
    return [f"{f['name']} {f['path']}" for f in frames if is_probe_path(f["path"])]


@pytest.fixture(scope="module", params=["installed", "sent"])
def booted(request: pytest.FixtureRequest) -> Iterator[Driver]:
    """A kernel with the installed probe, and one without the package that gets the frontend's sources."""
    driver = Driver(package_on_path=request.param == "installed")
    if request.param == "sent" and not driver.package_hidden:
        pytest.skip("the package is installed beside ipykernel: no kernel here can be without it")
    driver.start()
    try:
        before = names_in(driver)
        hello = connect_probe(driver, "installed" if request.param == "installed" else "frontend")
        assert hello["loaded"] == ("installed" if request.param == "installed" else "embedded")
        driver.names_before_boot = before  # type: ignore[attr-defined]
        yield driver
    finally:
        driver.shutdown()


def names_in(driver: Driver) -> set[str]:
    """The user namespace's names, IPython's input and output history left out."""
    out = driver.execute("print(sorted(get_ipython().user_ns))").text
    return {n for n in eval(out) if not re.fullmatch(r"_+|_i+|_[io]?h|_[i]?\d+|_dh", n)}  # noqa: S307


def test_the_probe_leaves_no_name_in_the_notebook_and_lists_none_of_its_functions(booted: Driver) -> None:
    for op in ("values", "modules", "threads", "postmortem"):
        booted.request(op, {"scope": GLOBALS} if op == "values" else {})
    # First in this file: the later tests' cells bind names of their own.
    assert names_in(booted) == booted.names_before_boot  # type: ignore[attr-defined]

    booted.execute(SETUP)
    on = ok_result(booted.request("record_shapes", {"scope": GLOBALS, "target": {"expression": "net"}, "on": True}))
    assert on["modules"] == 1
    rows = {r["name"]: r for r in ok_result(booted.request("values", {"scope": GLOBALS}))["rows"]}
    assert {"slow_len", "my_hook", "net"} <= set(rows)
    assert not {"watch_nonfinite", "record_shapes"} & set(rows)

    hooks = {"path": [{"kind": "name", "name": "net"}, {"kind": "attr", "name": "_forward_hooks"}]}
    found = ok_result(booted.request("children", {"scope": GLOBALS, **hooks}))
    assert [r["summary"].split("(")[0] for r in found["rows"]] == ["function my_hook"]
    assert found["truncated"] is False


def test_modules_list_none_of_the_probe_s_and_the_user_s_own_module_as_local(booted: Driver) -> None:
    (Path(booted.cwd) / "course_helpers.py").write_text("SCALE = 2\n")
    booted.execute("import course_helpers")
    result = ok_result(booted.request("modules"))
    rows = {m["name"]: m for m in result["modules"]}
    assert rows["course_helpers"]["origin"] == "local"
    assert os.path.samefile(rows["course_helpers"]["path"], Path(booted.cwd) / "course_helpers.py")
    assert [n for n in rows if _PROBE_NAME.search(n)] == []
    assert [m["name"] for m in rows.values() if m["path"] and is_probe_path(m["path"])] == []
    assert [f for f in result["flags"] if _PROBE_NAME.search(f["module"] + f["message"])] == []
    assert [m["name"] for m in rows.values() if m["origin"] == "local"] == ["course_helpers"]


def poll(driver: Driver, op: str, args: dict, until: Callable[[dict], bool], attempts: int = 60) -> dict:
    """The first result of ``op`` that satisfies ``until``, read every 0.1 s."""
    result: dict = {}
    for _ in range(attempts):
        result = ok_result(driver.request(op, args))
        if until(result):
            return result
        time.sleep(0.1)
    raise AssertionError(f"no {op} reply satisfied the test; the last: {result}")


def _main(result: dict) -> dict:
    return next(t for t in result["threads"] if t["kind"] == "main")


def test_threads_and_live_values_show_the_user_s_frames_not_the_probe_s(booted: Driver) -> None:
    booted.execute(SETUP)
    spec = {"id": "slow-1", "record": ["slow_len(3)"], "continue": True}
    ok_result(booted.request("set_actions", {"breakpoints": [spec]}))
    # What a breakpoint's condition runs, called from the cell: the probe runs the user's record expression.
    running = booted.execute_async(protocol.CONDITION_TEMPLATE.format(id="slow-1"))
    # A watch that outlives its budget keeps running on a thread the probe started.
    [row] = ok_result(booted.request("watch", {"scope": GLOBALS, "expressions": ["slow_len(3)"],
                                                "expression_budget_ms": 100}))["rows"]
    assert "did not return" in row["summary"]

    result = poll(booted, "threads", {}, lambda r: "slow_len" in [f["name"] for f in _main(r)["frames"]])
    main = _main(result)
    assert [f["name"] for f in main["frames"] if f["user"]][:2] == ["slow_len", "<module>"]
    for thread in result["threads"]:
        assert probe_frames(thread["frames"]) == [], thread["name"]
    shown = {t["name"]: t["kind"] for t in result["threads"]}
    assert shown.get("ml-debugger-watch") == "probe"
    assert [n for n, kind in shown.items() if kind in ("main", "user")] == ["MainThread"]

    live = ok_result(booted.request("values", {"scope": {"kind": "live"}}))
    assert [f["name"] for f in live["frames"]] == ["slow_len", "<module>"]
    booted.wait(running)
    assert running.error is None, running.error


def test_an_error_raised_through_the_probe_s_hook_shows_only_the_user_s_and_library_frames(booted: Driver) -> None:
    booted.execute(SETUP)
    with pytest.raises(RuntimeError, match="NonFiniteError"):
        booted.execute(NAN_STEP)
    error = ok_result(booted.request("postmortem"))["error"]
    raised = error["chain"][0]
    assert raised["type"] == "jupyterlab_ml_debugger.NonFiniteError"  # as the traceback names it
    assert probe_frames([f for link in error["chain"] for f in link["frames"]]) == []
    cell = [f for f in raised["frames"] if f["user"]]
    assert [f["name"] for f in cell] == ["<module>"] and "ipykernel_" in cell[0]["path"]
