"""Summaries of everything that is not a tensor or array: text, containers, objects, tables."""

from __future__ import annotations

import collections
import copy
import json
import time

import numpy as np
import pandas as pd
import pytest
import torch

from jupyterlab_ml_debugger.probe import protocol, safe_text
from jupyterlab_ml_debugger.probe.objects import summarize as summarize_module
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.summarize import summarize, summarize_items


def row_of(value: object, name: str = "v") -> dict:
    row = summarize(name, value, [{"kind": "name", "name": name}], Budget(1000))
    assert len(json.dumps(row)) < 2048
    return row


class LoudRepr:
    calls = 0

    def __repr__(self) -> str:
        LoudRepr.calls += 1
        raise RuntimeError("repr must not run")

    __str__ = __repr__


class SlowRepr:
    def __repr__(self) -> str:
        time.sleep(10)
        return "late"


class Stateful:
    """A property that raises and one that mutates state; neither may be evaluated."""

    def __init__(self) -> None:
        self.reads = 0
        self.weights = torch.ones(2)

    @property
    def explode(self) -> int:
        raise ValueError("evaluated!")

    @property
    def counter(self) -> int:
        self.reads += 1
        return self.reads

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"__getattr__({name}) ran")

    def __len__(self) -> int:
        raise AssertionError("__len__ ran")


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a = 1


def test_text_is_returned_verbatim_and_bounded() -> None:
    assert row_of("<img src=x onerror=alert(1)>")["summary"] == "'<img src=x onerror=alert(1)>'"
    long = row_of("x" * 10**7)
    assert long["kind"] == "text" and long["summary"].endswith("(10000000 chars)")
    assert len(long["summary"]) <= protocol.SUMMARY_MAX
    assert row_of(b"\x00abc" * 10**6)["summary"].startswith("b'\\x00abc")


def test_scalars() -> None:
    assert row_of(42)["summary"] == "42" and row_of(42)["kind"] == "scalar"
    assert row_of(None)["summary"] == "None"
    assert row_of(1.5 + 2j)["summary"] == "(1.5+2j)"
    assert row_of(10**5000)["summary"] == "int of about 5001 digits"
    assert row_of(np.float32(0.25))["summary"] == "0.25 (float32)"


def test_user_repr_never_runs_during_summaries() -> None:
    row = row_of(LoudRepr())
    assert row["kind"] == "object"
    assert row["summary"].startswith(f"<{__name__}.LoudRepr object at 0x")
    assert row_of([LoudRepr(), LoudRepr()])["summary"] == "list[2] of LoudRepr"
    assert row_of({LoudRepr(): 1})["summary"] == "dict[LoudRepr → int] (1)"
    assert LoudRepr.calls == 0


def test_slow_repr_times_out_and_failing_repr_is_reported() -> None:
    start = time.perf_counter()
    row = row_of(SlowRepr())
    assert row["kind"] == "object" and time.perf_counter() - start < 1
    with pytest.raises(TimeoutError, match="repr did not return within 200 ms"):
        safe_text.user_repr(SlowRepr(), 200)
    text, truncated = safe_text.user_repr(LoudRepr(), 200)
    assert text == "<repr raised RuntimeError: repr must not run>" and not truncated
    text, truncated = safe_text.user_repr("y" * 10**5, 1000)
    assert truncated and len(text) == protocol.REPR_MAX


def test_properties_getattr_and_len_are_not_evaluated() -> None:
    obj = Stateful()
    row = row_of(obj)
    assert row["summary"].endswith("2 attributes") and row["expandable"]
    assert obj.reads == 0


def test_containers() -> None:
    batch = [torch.zeros(3, 224, 224) for _ in range(32)]
    assert row_of(batch)["summary"] == "list[32] of Tensor[3, 224, 224] float32"
    weights = {f"layer{i}": torch.zeros(4, 4) for i in range(12)}
    row = row_of(weights)
    assert row["kind"] == "mapping" and row["summary"] == "dict[str → Tensor[4, 4] float32] (12)"
    assert row_of([1, "a", 2, "b", 3])["summary"] == "list[5] of int, str"
    assert row_of([torch.zeros(2), torch.zeros(3)])["summary"] == "list[2] of Tensor (shapes vary)"
    assert row_of(list(range(1000)))["summary"] == "list[1000] of int (first 64 looked at)"
    assert row_of(collections.deque([1.0]))["summary"] == "deque[1] of float"
    assert row_of(frozenset())["summary"] == "frozenset[0]"
    assert row_of({})["summary"] == "dict (0)"


def test_self_containing_list() -> None:
    loop: list = [1]
    loop.append(loop)
    assert row_of(loop)["summary"] == "list[2] of int, [...]"


def test_subclass_overrides_are_not_called() -> None:
    class Sneaky(list):
        def __len__(self) -> int:
            raise AssertionError("__len__ ran")

        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("__iter__ ran")

    assert row_of(Sneaky([1, 2]))["summary"] == "Sneaky[2] of int"


def test_modules_functions_classes() -> None:
    mod = row_of(np)
    assert mod["kind"] == "module" and mod["summary"].startswith(f"module numpy {np.__version__}")

    def train(model, loader, *batches, epochs=3, **options):  # type: ignore[no-untyped-def]
        return model

    fn = row_of(train)
    assert fn["kind"] == "function"
    assert "train(model, loader, *batches, epochs, **options)" in fn["summary"]
    assert row_of(len)["summary"] == "builtin len"
    cls = row_of(torch.nn.Linear)
    assert cls["kind"] == "class" and cls["summary"] == "class torch.nn.modules.linear.Linear(torch.nn.modules.module.Module)"


def test_dataframe_and_series() -> None:
    df = pd.DataFrame({
        "a": [1.0, np.nan, 3.0, np.nan],
        "b": ["x", None, "z", "w"],
        "c": [1, 2, 3, 4],
        "d": [0.5, 0.5, np.nan, 1.0],
    })
    row = row_of(df)
    assert row["kind"] == "dataframe"
    assert row["summary"].startswith("DataFrame[4 × 4]  2 float64, ")
    assert "missing 4: a 2, b 1, d 1" in row["summary"]
    assert row["stats"]["nan"] == 4 and row["stats"]["exact"]["nan"]
    series = row_of(df["a"])
    assert series["kind"] == "series" and "NaN 2" in series["summary"]
    assert series["stats"]["mean"] == 2.0
    text = row_of(df["b"])
    assert text["stats"]["nan"] == 1 and "missing 1" in text["summary"]


def test_wide_dataframe_names_at_most_twenty_columns() -> None:
    df = pd.DataFrame({f"col{i}": [np.nan, 1.0] for i in range(300)})
    row = row_of(df)
    assert row["stats"]["nan"] == 300
    assert "col19 1" in row["stats"]["note"] and "col20 " not in row["stats"]["note"]
    assert "(280 more columns)" in row["stats"]["note"]


def test_big_dataframe_over_budget_is_sampled_and_marked() -> None:
    df = pd.DataFrame({"a": np.where(np.arange(10**6) % 10 == 0, np.nan, 1.0), "b": 1.0})
    row = summarize("df", df, [], Budget(0))
    assert not row["stats"]["exact"]["nan"] and "~" in row["summary"]
    assert row["stats"]["nan"] == pytest.approx(10**5, rel=0.01)


def test_torch_function_of_a_subclass_never_runs() -> None:
    class Broken(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("subclass code ran")

    row = summarize("b", torch.arange(3.0).as_subclass(Broken), [], Budget(1000))
    assert row["kind"] == "tensor" and row["error"] is None
    assert row["summary"].startswith("Broken[3] float32 cpu  min 0 max 2 mean 1 std 1")


def test_failures_become_error_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> dict:
        raise ValueError("no shape")

    monkeypatch.setattr(summarize_module, "tensor_stats", explode)
    row = summarize("b", torch.zeros(2), [{"kind": "name", "name": "b"}], Budget(1000))
    assert row["kind"] == "error" and row["type"] == "torch.Tensor"
    assert row["error"] == "could not summarise: ValueError: no shape"
    assert row["summary"] == row["error"] and row["path"] == [{"kind": "name", "name": "b"}]


def test_summarize_items_paths_budget_and_namespace_untouched() -> None:
    namespace = {"x": 1, "t": torch.arange(6.0), "s": "hi", "obj": Stateful()}
    before = copy.copy(namespace)
    rows, truncated = summarize_items(namespace.items(), [{"kind": "frame", "index": 0}], Budget(1000), 150)
    assert not truncated and [r["name"] for r in rows] == ["x", "t", "s", "obj"]
    assert rows[1]["path"] == [{"kind": "frame", "index": 0}, {"kind": "name", "name": "t"}]
    assert namespace == before and namespace["obj"].reads == 0
    many = ((f"v{i}", i) for i in range(protocol.MAX_ROWS + 10))
    rows, truncated = summarize_items(many, [], Budget(1000), 150)
    assert truncated and len(rows) == protocol.MAX_ROWS
    rows, truncated = summarize_items(namespace.items(), [], Budget(0), 150)
    assert truncated and rows == []


def test_rows_stay_small_whatever_the_value() -> None:
    huge_name = "n" * 5000
    values = [
        "z" * 10**6,
        {("k" * 1000, i): "v" * 1000 for i in range(100)},
        torch.zeros([1] * 60),
        np.zeros([1] * 60),
        pd.DataFrame({("c" * 500 + str(i)): [np.nan] for i in range(50)}),
        type("K" * 3000, (), {})(),
    ]
    for value in values:
        row = summarize(huge_name, value, [{"kind": "name", "name": huge_name[:200]}], Budget(1000))
        assert len(json.dumps(row)) < 2048, row["summary"]


def test_an_object_that_intercepts_attribute_reads_is_summarised_without_one() -> None:
    reads: list[str] = []

    class Sneaky:
        def __getattribute__(self, name: str) -> object:
            reads.append(name)
            return object.__getattribute__(self, name)

    row = summarize_module.summarize("s", Sneaky(), [], Budget(100))
    assert row["kind"] == "object"
    assert reads == []


def test_an_exception_kept_in_a_local_reads_as_its_traceback_line() -> None:
    row = summarize_module.summarize("err", KeyError("Dog"), [], Budget(100))
    assert row["summary"] == "KeyError: 'Dog'"
