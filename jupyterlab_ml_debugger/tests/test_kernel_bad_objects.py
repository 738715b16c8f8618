"""One bad object costs one row: every op that reads many values, over a real comm, beside values that
fail however they are read (a nested tensor has no sizes) or raise in every hook of their own (``Boom``).

The NaN beside them is still found, and what could not be read is a row or a note that names it.
"""

from __future__ import annotations

import time

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(180)

SETUP = """import threading, time
import torch
import pandas as pd

class Boom:
    def _boom(self, *args):
        raise RuntimeError("boom: the probe ran the user's code")

    __class__ = property(_boom)
    __getattribute__ = __getattr__ = __eq__ = __hash__ = __len__ = __bool__ = __iter__ = _boom
    __repr__ = __str__ = __format__ = __dir__ = __sizeof__ = _boom

boom = Boom()
nested = torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
bad_tensor = torch.tensor([1.0, float("nan")])
model = torch.nn.Sequential(torch.nn.Linear(2, 2))
model.register_buffer("nested", nested)
batch = {"boom": boom, "nested": nested, "x": bad_tensor * 0}
table = pd.DataFrame({"n": [1.0, None, 3.0, 4.0, 5.0], "o": [nested, boom, "b", "b", "c"]})
stop_holding = threading.Event()

def hold_bad():
    local_nested, local_boom, local_nan = nested, boom, bad_tensor
    stop_holding.wait()

holder = threading.Thread(target=hold_bad, name="bad-holder", daemon=True)
holder.start()
"""

FAILING = """def fail_beside_bad_values():
    local_nested, local_boom = nested, boom
    raise ValueError("failed beside bad values")

fail_beside_bad_values()
"""

GLOBALS = {"kind": "globals"}
NESTED_FAILS = "NestedTensorImpl doesn't support sizes"


def target(name: str) -> dict:
    return {"scope": GLOBALS, "target": {"path": [{"kind": "name", "name": name}]}}


@pytest.fixture(scope="module")
def bad(kernel: Driver) -> Driver:
    kernel.execute(SETUP)
    return kernel


def test_scan_finds_the_nan_and_names_what_it_could_not_read(bad: Driver) -> None:
    scanned = ok_result(bad.request("scan", {"scope": GLOBALS}))
    assert "bad_tensor" in {f["path"] for f in scanned["findings"]}
    assert scanned["truncated"]
    assert "unreadable: nested could not be read" in scanned["cut"]
    assert NESTED_FAILS in scanned["cut"]


def test_values_and_children_give_the_bad_value_a_row_of_its_own(bad: Driver) -> None:
    rows = rows_by_name(ok_result(bad.request("values", {"scope": GLOBALS}))["rows"])
    assert rows["nested"]["kind"] == "error" and NESTED_FAILS in rows["nested"]["summary"]
    assert rows["boom"]["kind"] == "object" and rows["bad_tensor"]["nonfinite"]
    assert "Tensor (unreadable)" in rows["batch"]["summary"]

    path = [{"kind": "name", "name": "batch"}]
    parts = rows_by_name(ok_result(bad.request("children", {"scope": GLOBALS, "path": path}))["rows"])
    assert parts["nested"]["kind"] == "error" and parts["boom"]["kind"] == "object"
    assert parts["x"]["kind"] == "tensor"

    path = [{"kind": "name", "name": "nested"}]
    (row,) = ok_result(bad.request("children", {"scope": GLOBALS, "path": path}))["rows"]
    assert row["kind"] == "error" and row["summary"].startswith("could not list its parts: RuntimeError")


def test_structure_lists_the_rest_and_names_the_bad_tensor(bad: Driver) -> None:
    tree = ok_result(bad.request("structure", target("model")))
    assert [node[0] for node in tree["modules"]["modules"]] == ["", "0"]
    assert tree["modules"]["params"] == 6
    assert "unreadable: nested could not be read" in tree["cut"]
    shape = ok_result(bad.request("structure", target("batch")))["object"]["shape"]
    assert "Tensor (unreadable)" in shape and "Boom" in shape
    assert ok_result(bad.request("structure", target("nested")))["kind"] == "error"


def test_data_defects_find_the_missing_value_beside_bad_cells(bad: Driver) -> None:
    found = ok_result(bad.request("data_defects", target("table")))
    assert [(d["kind"], d["column"], d["count"]) for d in found["defects"]] == [("missing", "n", 1)]
    assert any("Column 'o': 2 values of other types" in note for note in found["notes"])
    refused = bad.request("data_defects", target("nested"))["error"]
    assert refused["kind"] == "bad-request" and NESTED_FAILS in refused["message"]


def test_watch_threads_counters_and_postmortem_answer_beside_bad_values(bad: Driver) -> None:
    watched = ok_result(bad.request("watch", {"scope": GLOBALS, "expressions": ["boom", "nested", "bad_tensor"]}))
    kinds = [row["kind"] for row in watched["rows"]]
    assert kinds == ["object", "error", "tensor"]

    threads = ok_result(bad.request("threads", {"locals": True}))["threads"]
    (holder,) = [t for t in threads if t["name"] == "bad-holder"]
    frame = next(f for f in holder["frames"] if f["name"] == "hold_bad")
    rows = rows_by_name(frame["rows"])
    assert rows["local_nested"]["kind"] == "error" and rows["local_nan"]["nonfinite"]

    for _ in range(3):
        ok_result(bad.request("counters"))
        time.sleep(0.05)

    failed = bad.execute_async(FAILING)
    assert failed.done.wait(60)
    chain = ok_result(bad.request("postmortem"))["error"]["chain"]
    frame = next(f for f in chain[0]["frames"] if f["name"] == "fail_beside_bad_values")
    assert rows_by_name(frame["rows"])["local_nested"]["kind"] == "error"
    bad.execute("stop_holding.set()", silent=True)
