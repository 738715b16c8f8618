"""Lazy expansion: children rows, their paths, and resolving those paths back."""

from __future__ import annotations

import collections
import json

import numpy as np
import pandas as pd
import pytest
import torch

from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.paths import resolve
from jupyterlab_ml_debugger.probe.variables.children import children

ROOT = [{"kind": "name", "name": "v"}]


class Model:
    def __init__(self) -> None:
        self.weight = torch.ones(2, 3)
        self.steps = 7
        self.reads = 0

    @property
    def loss(self) -> float:
        self.reads += 1
        raise RuntimeError("evaluated!")

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"__getattr__({name}) ran")


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a = "set"


def expand(value: object) -> tuple[list[dict], bool]:
    rows, truncated = children(value, ROOT, Budget(1000))
    for row in rows:
        assert len(json.dumps(row)) < 2048
        assert row["path"][: len(ROOT)] == ROOT
    return rows, truncated


def test_object_attributes_and_unevaluated_properties() -> None:
    model = Model()
    rows, truncated = expand(model)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"weight", "steps", "reads", "loss"} and not truncated
    assert by_name["loss"]["kind"] == "property"
    assert by_name["loss"]["summary"] == "property (not evaluated)"
    assert by_name["steps"]["summary"] == "7"
    assert by_name["weight"]["path"] == ROOT + [{"kind": "attr", "name": "weight"}]
    assert model.reads == 0
    assert resolve(model, [{"kind": "attr", "name": "weight"}]) is model.weight
    with pytest.raises(LookupError, match="properties are not evaluated"):
        resolve(model, [{"kind": "attr", "name": "loss"}])
    assert model.reads == 0


def test_slots() -> None:
    rows, _ = expand(Slotted())
    assert [(r["name"], r["summary"]) for r in rows] == [("a", "'set'")]
    with pytest.raises(LookupError):
        resolve(Slotted(), [{"kind": "attr", "name": "b"}])


def test_sequences_sets_and_mappings() -> None:
    items = list(range(250))
    rows, truncated = expand(items)
    assert len(rows) == 100 and truncated
    assert rows[5]["name"] == "[5]" and rows[5]["path"][-1] == {"kind": "index", "index": 5}
    assert resolve(items, [{"kind": "index", "index": 249}]) == 249
    assert resolve({"b", "a"}, [{"kind": "index", "index": 0}]) in {"a", "b"}
    mapping = collections.OrderedDict([("x", [1, 2]), (("tuple", 3), torch.zeros(2))])
    rows, _ = expand(mapping)
    assert [r["name"] for r in rows] == ["x", "tuple[2]"]
    assert rows[1]["path"][-1] == {"kind": "key", "index": 1}
    assert resolve(mapping, [{"kind": "key", "index": 0}, {"kind": "index", "index": 1}]) == 2


def test_tensor_rows_along_dim0_and_grad() -> None:
    t = torch.arange(12.0).reshape(3, 4).requires_grad_()
    t.grad = torch.full((3, 4), 0.5)
    version = t._version
    rows, _ = expand(t)
    assert [r["name"] for r in rows] == ["grad", "[0]", "[1]", "[2]"]
    assert rows[0]["summary"].startswith("Tensor[3, 4] float32 cpu  min 0.5 max 0.5")
    assert rows[2]["summary"].startswith("Tensor[4] float32 cpu  min 4 max 7 mean 5.5")
    got = resolve(t, [{"kind": "index", "index": 2}])
    assert got.tolist() == [8.0, 9.0, 10.0, 11.0] and got.grad_fn is None
    assert resolve(t, [{"kind": "attr", "name": "grad"}]) is t.grad
    assert t._version == version
    with pytest.raises(LookupError, match="outside dimension 0"):
        resolve(t, [{"kind": "index", "index": 3}])


def test_arrays_and_frames() -> None:
    a = np.arange(6).reshape(2, 3)
    rows, _ = expand(a)
    assert [r["summary"] for r in rows] == ["ndarray[3] int64  min 0 max 2 mean 1 std 0.8165  NaN 0  Inf 0",
                                            "ndarray[3] int64  min 3 max 5 mean 4 std 0.8165  NaN 0  Inf 0"]
    df = pd.DataFrame({"a": [1.0, np.nan], "b": ["x", "y"]})
    rows, _ = expand(df)
    assert [(r["name"], r["kind"]) for r in rows] == [("a", "series"), ("b", "series")]
    column = resolve(df, [{"kind": "index", "index": 0}])
    assert column.name == "a"
    assert resolve(df, [{"kind": "index", "index": 0}, {"kind": "index", "index": 0}]) == 1.0


def test_self_containing_list_expands_one_level() -> None:
    loop: list = [1]
    loop.append(loop)
    rows, _ = expand(loop)
    assert rows[1]["summary"] == "list[2] of int, [...]"
    assert resolve(loop, [{"kind": "index", "index": 1}] * 50) is loop


def test_stale_paths_raise_lookup_error() -> None:
    with pytest.raises(LookupError, match="no item 3 any more"):
        resolve([1, 2], [{"kind": "index", "index": 3}])
    with pytest.raises(LookupError, match="a key step needs a mapping"):
        resolve([1], [{"kind": "key", "index": 0}])
    with pytest.raises(LookupError, match="no attribute 'gone'"):
        resolve(Model(), [{"kind": "attr", "name": "gone"}])
    with pytest.raises(LookupError):
        resolve(5, [{"kind": "index", "index": 0}])


def test_modules_and_classes_list_their_dicts() -> None:
    rows, _ = expand(collections)
    names = {r["name"] for r in rows}
    assert "OrderedDict" in names and not any(n.startswith("__") for n in names)
    rows, _ = expand(Model)
    by_name = {r["name"]: r for r in rows}
    assert "__init__" not in by_name
    assert by_name["loss"]["summary"].startswith("<property object at 0x")
