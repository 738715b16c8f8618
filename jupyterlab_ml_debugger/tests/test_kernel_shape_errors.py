"""Shape errors explained and shape contracts checked by the probe over the subshell comm in a real kernel."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(180)

MODEL = """import torch
from torch import nn

class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(8 * 7 * 7, 10)

    def forward(self, images):
        x = self.features(images).flatten(1)
        return self.head(x)

model = Classifier()
images = torch.randn(4, 1, 28, 28)
labels = torch.zeros(4, dtype=torch.long)
"""
HEAD_LINE = 12  # return self.head(x)

FAILING = "logits = model(images)\n"


def explain(kernel: Driver) -> dict | None:
    return ok_result(kernel.request("explain_error"))["error"]


def fail(kernel: Driver, code: str) -> None:
    with pytest.raises(RuntimeError, match="the cell failed"):
        kernel.execute(code)


def test_no_failed_cell_means_no_error(kernel: Driver) -> None:
    kernel.execute(MODEL)
    assert explain(kernel) is None


def test_a_linear_shape_error_names_the_module_its_features_and_the_input(kernel: Driver) -> None:
    kernel.execute(MODEL)  # each test stands alone, whatever ran before it
    fail(kernel, FAILING)
    error = explain(kernel)
    assert error is not None
    assert (error["kind"], error["module"], error["cls"]) == ("linear", "model.head", "Linear")
    assert (error["expects"], error["received"]) == ("in_features=392", "[4, 1568]")
    assert error["exception"] == "RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x1568 and 392x10)"
    assert error["where"]["name"] == "forward" and error["where"]["line"] == HEAD_LINE
    assert "ipykernel_" in error["where"]["path"]
    assert error["message"] == ("model.head (Linear) expects in_features=392 but received [4, 1568] "
                                f"(called from forward, line {HEAD_LINE} of a cell).")


def test_the_same_error_keeps_its_identity_and_a_new_failure_gets_a_new_one(kernel: Driver) -> None:
    kernel.execute(MODEL)  # each test stands alone, whatever ran before it
    fail(kernel, FAILING)
    first = explain(kernel)
    assert first is not None and explain(kernel)["id"] == first["id"]
    # A cell that catches its own error leaves the last failure as it was.
    kernel.execute("try:\n    model(images)\nexcept RuntimeError:\n    pass\n")
    assert explain(kernel)["id"] == first["id"]
    fail(kernel, "torch.cat([images, labels.float()], dim=1)\n")
    second = explain(kernel)
    assert second["id"] != first["id"]
    assert second["kind"] == "cat" and second["module"] is None
    assert second["where"]["name"] == "<module>" and second["where"]["line"] == 1


def test_watch_contracts_report_ok_and_mismatch(kernel: Driver) -> None:
    kernel.execute(MODEL)  # each test stands alone, whatever ran before it
    expressions = ["images", "labels", "images[:, :, :14]", "model"]
    contracts = {"images": "B 1 H W", "labels": "B", "images[:, :, :14]": "B 1 H W", "model": "N"}
    result = ok_result(kernel.request("watch", {"scope": {"kind": "globals"}, "expressions": expressions,
                                                "contracts": contracts}))
    rows = rows_by_name(result["rows"])
    assert rows["images"]["contract"] == {
        "ok": True, "message": "images: [4, 1, 28, 28] matches B 1 H W with B=4, H=28, W=28"}
    assert rows["labels"]["contract"]["ok"]
    assert rows["images[:, :, :14]"]["contract"] == {
        "ok": False, "message": "images[:, :, :14]: dimension H is 14 here but 28 in images"}
    assert not rows["model"]["contract"]["ok"]
    assert "has no shape" in rows["model"]["contract"]["message"]


def test_a_watch_without_contracts_has_no_contract_key(kernel: Driver) -> None:
    kernel.execute(MODEL)  # each test stands alone, whatever ran before it
    result = ok_result(kernel.request("watch", {"scope": {"kind": "globals"}, "expressions": ["images"]}))
    assert "contract" not in result["rows"][0]


def test_malformed_contracts_are_refused(kernel: Driver) -> None:
    reply = kernel.request("watch", {"scope": {"kind": "globals"}, "expressions": ["images"],
                                     "contracts": {"images": 4}})
    assert not reply["ok"] and reply["error"]["kind"] == "bad-request"
