"""Data defects in-process: every kind planted in real pandas frames, arrays and tensors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch

import jupyterlab_ml_debugger.probe as probe
from jupyterlab_ml_debugger.probe import dispatch as api
from jupyterlab_ml_debugger.probe.stack import namespace
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.checks.data_defects import DataError, data_defects


class Hostile:
    """An object whose repr, str, equality and hash must never run."""

    calls = 0

    def _called(self, *_: Any) -> Any:
        Hostile.calls += 1
        raise RuntimeError("user code ran")

    __repr__ = __str__ = __eq__ = __ne__ = __hash__ = _called  # type: ignore[assignment]


def planted(n: int = 400) -> pd.DataFrame:
    """A frame with one of each defect: missing ages, 'Paris' spelled three ways, an age of 1000,
    three repeated rows, a constant country, and a label with 2.5% positives."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "city": rng.choice(["Paris", "London", "Rome"], n),
        "age": rng.uniform(20.0, 60.0, n),
        "country": "FR",
        "y": (np.arange(n) % 40 == 0).astype(int),
    })
    frame.loc[[3, 7, 10, 11, 12], "city"] = ["paris ", "PARIS", "London", "Rome", "Paris"]
    frame.loc[[10, 11, 12], "age"] = np.nan
    frame.loc[20, "age"] = 1000.0
    return pd.concat([frame, frame.iloc[[30, 31, 32]]], ignore_index=True)


def by_kind(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for found in result["defects"]:
        out.setdefault(found["kind"], []).append(found)
    return out


def test_every_defect_kind_is_found_with_one_sentence_each() -> None:
    frame = planted()
    before = frame.copy()
    test = frame.iloc[[50, 60, 70]].drop(columns=["y"])
    result = data_defects(frame, label="y", other=test)
    kinds = by_kind(result)

    assert result["rows"] == 403 and result["sampled"] is False
    # A 0/1 label is mostly 0: the outlier rule cannot judge it and says so.
    assert result["notes"] == ["Column 'y': 393 of 403 values are 0, so its MAD is 0 and the outlier rule "
                               "has no robust spread to judge it by."]
    assert kinds["missing"] == [{"kind": "missing", "column": "age", "count": 3,
                                 "message": "column 'age': 3 missing values (0.7% of rows)"}]
    (case,) = kinds["case"]
    paris = (frame["city"].str.strip().str.lower() == "paris").sum()
    assert case["column"] == "city" and case["count"] == paris
    assert case["message"].startswith("column 'city': 'Paris', ")
    assert "'paris '" in case["message"] and "'PARIS'" in case["message"]
    assert "differ only by case or whitespace" in case["message"]
    (outlier,) = kinds["outliers"]
    assert outlier["column"] == "age" and outlier["count"] == 1
    assert "the farthest 1000" in outlier["message"] and "MAD" in outlier["message"]
    assert kinds["duplicates"][0]["count"] == 3
    assert kinds["constant"] == [{"kind": "constant", "column": "country", "count": 403,
                                  "message": "column 'country' holds the one value 'FR' in every row"}]
    (rare,) = kinds["imbalance"]
    assert rare == {"kind": "imbalance", "column": "y", "count": 10,
                    "message": "label 'y': class 1 has 10 rows against 393 of class 0 (39× fewer)"}
    (leak,) = kinds["leakage"]
    assert leak["count"] == 3 and leak["column"] is None
    assert "'city', 'age' and 'country'" in leak["message"]
    pd.testing.assert_frame_equal(frame, before)


def test_balanced_label_and_clean_frame_give_no_defects() -> None:
    frame = pd.DataFrame({"x": np.arange(100.0), "y": np.arange(100) % 2,
                          "name": [f"n{i}" for i in range(100)]})
    assert data_defects(frame, label="y")["defects"] == []


def test_eight_prices_with_one_typo_flag_the_typo_by_the_small_sample_rule() -> None:
    prices = pd.DataFrame({"price": [9.5, 10.0, 10.2, 9.8, 1000.0, 10.1, 9.9, 10.3]})
    result = data_defects(prices)
    (outlier,) = result["defects"]
    assert outlier["kind"] == "outliers" and outlier["column"] == "price" and outlier["count"] == 1
    assert outlier["message"].endswith("1.129 the small-sample factor for 8 values), the farthest 1000")
    assert result["notes"] == []


def test_five_values_are_judged_and_four_are_not() -> None:
    judged = data_defects(pd.DataFrame({"x": [1.0, 1.1, 0.9, 1.05, 40.0]}))
    assert [d["kind"] for d in judged["defects"]] == ["outliers"]
    short = data_defects(pd.DataFrame({"x": [1.0, 1.1, 0.9, 40.0]}))
    assert short["defects"] == []
    assert short["notes"] == ["Column 'x' has 4 values: the outlier rule needs at least 5."]


def test_three_rows_say_why_the_outlier_rule_did_not_judge() -> None:
    result = data_defects(pd.DataFrame({"price": [10.0, 11.0, 1000.0], "qty": [1, 2, 3],
                                        "shop": ["a", "b", "c"]}))
    assert result["defects"] == []
    assert result["notes"] == ["Columns 'price' and 'qty' have 3 values: the outlier rule needs at least 5."]
    one = data_defects(pd.DataFrame({"price": [10.0, 11.0, 1000.0]}))
    assert one["notes"] == ["Column 'price' has 3 values: the outlier rule needs at least 5."]


def test_a_column_mostly_of_one_value_says_its_mad_is_zero() -> None:
    frame = pd.DataFrame({"discount": [0.0] * 12 + [5.0, 80.0, 10.0], "flat": 3.0})
    result = data_defects(frame)
    assert "outliers" not in by_kind(result)
    assert result["notes"] == ["Column 'discount': 12 of 15 values are 0, so its MAD is 0 and the outlier "
                               "rule has no robust spread to judge it by."]
    two = data_defects(frame.assign(refund=frame["discount"]))
    assert two["notes"] == ["Columns 'discount' and 'refund': over half of each one's values are equal, so "
                            "their MAD is 0 and the outlier rule has no robust spread to judge them by."]


def test_ten_or_more_normal_values_without_outliers_stay_clean() -> None:
    rng = np.random.default_rng(3)
    for n in (10, 12, 50):
        result = data_defects(pd.DataFrame({"x": rng.normal(50.0, 2.0, n).clip(45.0, 55.0)}))
        assert result["defects"] == [] and result["notes"] == []


def test_too_few_rows_and_too_many_label_values_are_noted() -> None:
    assert data_defects(pd.DataFrame({"a": [1.0]}))["notes"] == [
        "The dataset has one row: duplicates and constant columns need at least two."]
    assert data_defects(pd.DataFrame({"a": []}))["notes"] == [
        "The dataset has no rows, so there was nothing to check."]
    ids = data_defects(pd.DataFrame({"id": np.arange(300)}), label="id")
    assert ids["defects"] == [] and ids["notes"] == [
        "Label 'id' has 300 distinct values, more than the 100 classes a class label may have, "
        "so imbalance was not checked."]


def test_leakage_matches_numbers_across_dtypes_and_only_shared_columns() -> None:
    train = pd.DataFrame({"a": [1, 2, 3, 4], "b": ["x", "y", "z", "w"], "y": [0, 1, 0, 1]})
    # float a (a NaN made it float), no label column, rows in another order
    test = pd.DataFrame({"b": ["z", "q", "x"], "a": [3.0, np.nan, 1.0]})
    (leak,) = by_kind(data_defects(train, other=test))["leakage"]
    assert leak["count"] == 2
    assert "compared on 'a' and 'b'" in leak["message"]


def test_frames_without_shared_columns_say_leakage_was_not_checked() -> None:
    result = data_defects(pd.DataFrame({"a": [1, 2]}), other=pd.DataFrame({"b": [1, 2]}))
    assert "leakage" not in by_kind(result)
    assert any("shares no column name" in note for note in result["notes"])


def test_numpy_array_has_unnamed_numeric_columns() -> None:
    rng = np.random.default_rng(1)
    data = np.column_stack([rng.normal(size=200), np.full(200, 7.0), (np.arange(200) < 5).astype(float)])
    data[100, 0] = 50.0
    data[150] = data[151]
    kinds = by_kind(data_defects(data, label="2"))
    assert kinds["outliers"][0]["column"] == "0"
    assert kinds["constant"][0]["message"] == "column '1' holds the one value 7 in every row"
    assert kinds["duplicates"][0]["count"] == 1
    assert kinds["imbalance"][0]["message"] == \
        "label '2': class 1 has 5 rows against 195 of class 0 (39× fewer)"


def test_torch_tensor_and_series_are_read_as_columns() -> None:
    tensor = torch.zeros(50, 2)
    tensor[:, 1] = torch.arange(50)
    tensor[3, 1] = float("nan")
    assert [d["kind"] for d in data_defects(tensor)["defects"]] == ["missing", "constant"]
    series = pd.Series(["a", "A ", "b", None], name="tag")
    kinds = by_kind(data_defects(series))
    assert kinds["missing"][0]["column"] == "tag" and kinds["case"][0]["count"] == 2


def test_mixed_object_column_never_runs_user_code() -> None:
    values = [Hostile() if i % 10 == 0 else (i if i % 2 else f"v{i}") for i in range(200)]
    frame = pd.DataFrame({"mixed": values, "k": np.arange(200) % 3})
    frame.loc[len(frame)] = [values[0], 0]  # the same object again: a duplicate row by identity
    before = frame.copy()
    Hostile.calls = 0

    result = data_defects(frame, label="mixed", other=frame.iloc[:5])

    assert Hostile.calls == 0
    assert result["notes"] == [
        "Label 'mixed' has 200 distinct values, more than the 100 classes a class label may have, "
        "so imbalance was not checked.",
        "Column 'mixed': 21 values of other types (such as Hostile) were not compared, "
        "only str, int, float, bool and None are."]
    kinds = by_kind(result)
    assert kinds["duplicates"][0]["count"] == 1
    assert kinds["leakage"][0]["count"] >= 5
    pd.testing.assert_frame_equal(frame, before)
    assert Hostile.calls == 0


def test_ten_million_mixed_rows_are_sampled_and_say_so() -> None:
    rows = 10_000_000
    mixed = np.empty(rows, dtype=object)
    mixed[::2] = "a"
    mixed[1::2] = 1
    mixed[::1000] = Hostile()
    frame = pd.DataFrame({"x": np.arange(rows, dtype=np.float64), "zero": np.zeros(rows),
                          "mixed": mixed})
    Hostile.calls = 0

    result = data_defects(frame)

    assert result["sampled"] is True and result["rows"] == rows
    assert result["notes"][0].startswith("Checked one row in every ")
    assert result["defects"] and all(" in a sample of " in d["message"] for d in result["defects"])
    assert by_kind(result)["constant"][0]["column"] == "zero"
    assert Hostile.calls == 0


def test_a_budget_that_runs_short_falls_back_to_a_small_sample() -> None:
    frame = planted(50_000)
    result = data_defects(frame, label="y", budget=Budget(0))
    assert result["sampled"] is True
    assert {"missing", "constant", "outliers"} <= set(by_kind(result))


def test_bad_datasets_and_labels_say_what_is_wrong() -> None:
    with pytest.raises(DataError, match="label 'z' is not a column"):
        data_defects(pd.DataFrame({"a": [1]}), label="z")
    with pytest.raises(DataError, match="3 dimensions"):
        data_defects(np.zeros((2, 2, 2)))
    with pytest.raises(DataError, match="is a dict"):
        data_defects({"a": [1]})


def test_public_helper_is_the_function_after_the_op_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(namespace, "user_namespace", lambda: {"df": planted()})
    target = {"path": [{"kind": "name", "name": "df"}]}
    reply = api.handle({"id": 1, "op": "data_defects",
                        "args": {"scope": {"kind": "globals"}, "target": target, "label": "y"}})
    assert reply["ok"], reply.get("error")
    assert {"missing", "imbalance"} <= set(by_kind(reply["result"]))
    assert callable(probe.data_defects)
    assert probe.data_defects(planted(), label="y")["defects"] == reply["result"]["defects"]


@pytest.mark.parametrize("args, message", [
    ({"label": 3}, "label must be a column name"),
    ({"budget_ms": 0}, "budget_ms must be a positive number"),
    ({"label": "nope"}, "label 'nope' is not a column"),
    ({"other": {"expression": "[1]"}}, "other is a list"),
])
def test_op_refuses_bad_arguments(monkeypatch: pytest.MonkeyPatch, args: dict, message: str) -> None:
    monkeypatch.setattr(namespace, "user_namespace", lambda: {"df": planted(40)})
    target = {"path": [{"kind": "name", "name": "df"}]}
    reply = api.handle({"id": 1, "op": "data_defects",
                        "args": {"scope": {"kind": "globals"}, "target": target, **args}})
    assert not reply["ok"] and reply["error"]["kind"] == "bad-request"
    assert message in reply["error"]["message"]
