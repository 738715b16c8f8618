"""Data defects through a real kernel: train/test frames in the user's globals, checked over the comm."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

GLOBALS = {"kind": "globals"}

SETUP = """import numpy as np, pandas as pd
rng = np.random.default_rng(0)
train = pd.DataFrame({
    "city": rng.choice(["Paris", "London", "Rome"], 300),
    "income": rng.uniform(1_000, 5_000, 300),
    "label": (np.arange(300) % 30 == 0).astype(int),
})
train.loc[[4, 9], "city"] = ["paris ", "PARIS"]
test = train.iloc[[10, 20, 30, 40]].drop(columns=["label"]).reset_index(drop=True)
test.loc[len(test)] = ["Oslo", 2_500.0]
"""


def name(value: str) -> dict:
    return {"path": [{"kind": "name", "name": value}]}


def test_train_test_leakage_and_case_variants_are_found(kernel: Driver) -> None:
    kernel.execute(SETUP)
    result = ok_result(kernel.request("data_defects", {
        "scope": GLOBALS, "target": name("train"), "label": "label", "other": name("test")}))

    kinds = {d["kind"]: d for d in result["defects"]}
    assert result["rows"] == 300 and result["sampled"] is False
    assert kinds["leakage"]["count"] == 4
    assert "compared on 'city' and 'income'" in kinds["leakage"]["message"]
    assert kinds["case"]["column"] == "city"
    assert "'paris '" in kinds["case"]["message"] and "'PARIS'" in kinds["case"]["message"]
    assert kinds["imbalance"]["message"] == \
        "label 'label': class 1 has 10 rows against 290 of class 0 (29× fewer)"


def test_expression_targets_and_bad_labels(kernel: Driver) -> None:
    kernel.execute(SETUP)
    result = ok_result(kernel.request("data_defects", {
        "scope": GLOBALS, "target": {"expression": "train.to_numpy()[:, 1:2].astype(float)"}}))
    assert result["defects"] == [] and result["rows"] == 300

    reply = kernel.request("data_defects", {"scope": GLOBALS, "target": name("train"), "label": "y"})
    assert not reply["ok"] and reply["error"]["kind"] == "bad-request"
    assert "label 'y' is not a column" in reply["error"]["message"]


def test_eight_rows_with_one_typo_get_the_small_sample_outlier_rule(kernel: Driver) -> None:
    kernel.execute('import pandas as pd\n'
                   'prices = pd.DataFrame({"price": [9.5, 10, 10.2, 9.8, 1000, 10.1, 9.9, 10.3]})\n'
                   'few = prices.head(3)\n')
    result = ok_result(kernel.request("data_defects", {"scope": GLOBALS, "target": name("prices")}))
    (outlier,) = result["defects"]
    assert outlier["kind"] == "outliers" and outlier["column"] == "price" and outlier["count"] == 1
    assert outlier["message"].endswith("the farthest 1000")

    few = ok_result(kernel.request("data_defects", {"scope": GLOBALS, "target": name("few")}))
    assert few["defects"] == []
    assert few["notes"] == ["Column 'price' has 3 values: the outlier rule needs at least 5."]
