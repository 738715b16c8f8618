"""Tensor and array subclasses that change how their values are read are read as plain objects."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest
import torch

from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.ndarray import is_ndarray
from jupyterlab_ml_debugger.probe.objects.summarize import summarize
from jupyterlab_ml_debugger.probe.objects.tensor import is_tensor
from jupyterlab_ml_debugger.probe.variables.children import children

ROOT = [{"kind": "name", "name": "v"}]


class Tagged(torch.Tensor):
    """Only a torch-function hook, which the probe switches off: still read as a tensor."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("subclass code ran")


class Shaped(torch.Tensor):
    @property
    def shape(self) -> object:  # type: ignore[override]
        raise RuntimeError("the user's shape ran")


class Finalized(np.ndarray):
    armed = False

    def __array_finalize__(self, obj: object) -> None:
        if Finalized.armed:
            raise RuntimeError("the user's __array_finalize__ ran")


@pytest.fixture
def finalized() -> Iterator[np.ndarray]:
    value = np.arange(3.0).view(Finalized)
    Finalized.armed = True
    try:
        yield value
    finally:
        Finalized.armed = False


def test_library_subclasses_and_switched_off_hooks_read_as_tensors_and_arrays() -> None:
    assert is_tensor(torch.zeros(2)) and is_tensor(torch.nn.Parameter(torch.zeros(2)))
    assert is_tensor(torch.zeros(2).as_subclass(Tagged))
    assert is_ndarray(np.zeros(2)) and is_ndarray(np.ma.masked_array([1.0, 2.0]))


def test_a_tensor_subclass_that_redefines_a_read_is_an_object() -> None:
    shaped = torch.zeros(2).as_subclass(Shaped)
    assert not is_tensor(shaped)
    row = summarize("s", shaped, ROOT, Budget(500))
    assert (row["kind"], row["error"]) == ("object", None)
    assert all(r["kind"] != "error" for r in children(shaped, ROOT, Budget(500))[0])


def test_an_array_subclass_with_its_own_finalize_is_an_object(finalized: np.ndarray) -> None:
    assert not is_ndarray(finalized)
    row = summarize("f", finalized, ROOT, Budget(500))
    assert (row["kind"], row["error"]) == ("object", None)
    assert all(r["kind"] != "error" for r in children(finalized, ROOT, Budget(500))[0])
