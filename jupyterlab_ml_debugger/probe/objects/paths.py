"""Paths to a value's parts: the PathSteps a row carries, followed back to the value they name.

A step names a child the way Variable Values lists it (see PathStep in ``protocol.py``),
so every feature can resolve a row's path later without listing the children again.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from .. import safe_text
from . import attributes, containers, table
from .ndarray import is_ndarray
from .tensor import is_tensor, torch_reads


def resolve(root: object, steps: list) -> object:
    """The value ``steps`` lead to from ``root``; LookupError when a step no longer applies."""
    value = root
    with torch_reads():
        for step in steps:
            value = _step(value, step)
    return value


def _step(value: object, step: dict) -> object:
    kind = step.get("kind")
    if kind == "attr":
        name = step.get("name")
        if is_tensor(value) and name == "grad":
            return _grad(value)
        return attributes.attribute(value, name)
    if kind == "index":
        return index(value, step.get("index"))
    if kind == "key":
        if containers.container_base(value) is None or not containers.is_mapping(value):
            raise LookupError(f"a key step needs a mapping, not {safe_text.type_name(type(value))}")
        return _nth(containers.items(value), step.get("index"), "entry")[1]
    raise LookupError(f"a {kind!r} step does not apply to {safe_text.type_name(type(value))}")


def last_name(path: list, resolve: Callable[[list], object]) -> str:
    """The name the value at the end of ``path`` goes by, as its row is named: its last step's name,
    the text of the key a key step stands for (its mapping found by ``resolve``), else ""."""
    last = path[-1] if path else {}
    if type(last.get("name")) is str:
        return last["name"]
    if last.get("kind") != "key" or len(path) < 2:
        return ""
    mapping = resolve(path[:-1])
    if containers.container_base(mapping) is None or not containers.is_mapping(mapping):
        return ""
    try:
        key = _nth(containers.items(mapping), last.get("index"), "entry")[0]
    except LookupError:
        return ""
    return key if type(key) is str else safe_text.builtin_text(key) or containers.describe(key)


def index(value: Any, i: Any) -> object:
    """Child ``i`` of a tensor, array, DataFrame (a column), Series or sequence, as an index step names it."""
    if is_tensor(value) or is_ndarray(value):
        if value.ndim == 0 or not isinstance(i, int) or not 0 <= i < value.shape[0]:
            raise LookupError(f"index {i} is outside dimension 0 of shape {list(value.shape)}")
        return value[i]
    if table.is_dataframe(value):
        return _checked(value.shape[1], i, "column", lambda: value.iloc[:, i])
    if table.is_series(value):
        return _checked(value.shape[0], i, "element", lambda: value.iloc[i])
    if containers.container_base(value) is not None and not containers.is_mapping(value):
        return _nth(containers.items(value), i, "item")
    raise LookupError(f"an index step does not apply to {safe_text.type_name(type(value))}")


def _checked(size: int, i: Any, what: str, get: Any) -> object:
    if not isinstance(i, int) or not 0 <= i < size:
        raise LookupError(f"there is no {what} {i} (there are {size})")
    return get()


def _nth(iterator: Any, i: Any, what: str) -> Any:
    if not isinstance(i, int) or i < 0:
        raise LookupError(f"there is no {what} {i}")
    for item in itertools.islice(iterator, i, i + 1):
        return item
    raise LookupError(f"there is no {what} {i} any more")


def _grad(t: Any) -> object:
    grad = t.grad if t.is_leaf else None
    if grad is None:
        raise LookupError("the tensor has no .grad")
    return grad
