"""Lazy expansion: the values one level below a value, and the paths back to them.

A path step names a child the same way :func:`children` lists it, so the frontend
can ask for a row's children or repr later (see PathStep in ``protocol.py``).
"""

from __future__ import annotations

import itertools
from typing import Any

from . import containers, objects, protocol, safe_text, table
from .budget import Budget
from .ndarray import is_ndarray
from .summarize import make_row, summarize
from .tensor import is_tensor, torch_reads

CHILDREN_MAX = 100
KEY_MAX = 40
PATH_NAME_MAX = 200
# Stands in for a property in the children list: listed, never evaluated.
_PROPERTY = object()


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
        return objects.attribute(value, name)
    if kind == "index":
        return _index(value, step.get("index"))
    if kind == "key":
        if containers.container_base(value) is None or not containers.is_mapping(value):
            raise LookupError(f"a key step needs a mapping, not {safe_text.type_name(type(value))}")
        return _nth(containers.items(value), step.get("index"), "entry")[1]
    raise LookupError(f"a {kind!r} step does not apply to {safe_text.type_name(type(value))}")


def _index(value: Any, i: Any) -> object:
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


def children(value: object, path: list, budget: Budget) -> tuple[list[dict], bool]:
    """Rows one level below ``value``, at most CHILDREN_MAX, each with its full path."""
    with torch_reads():
        return _children(value, path, budget)


def _children(value: object, path: list, budget: Budget) -> tuple[list[dict], bool]:
    named, total = _named_children(value)
    rows: list[dict] = []
    for name, step, child in itertools.islice(named, CHILDREN_MAX):
        if budget.expired():
            return rows, True
        child_path = [*path, step]
        if child is _PROPERTY:
            rows.append(make_row(name, "property", "property", "property (not evaluated)",
                                 child_path))
            continue
        share = budget.child(max(protocol.DEFAULT_VALUE_BUDGET_MS, budget.remaining_ms() / 4))
        rows.append(summarize(name, child, child_path, share))
    return rows, total > len(rows)


def _named_children(value: Any) -> tuple[Any, int]:
    """An iterator of (name, step, child) and how many children there are in all."""
    if is_tensor(value) or is_ndarray(value):
        n = value.shape[0] if value.ndim else 0
        extra = _grad_child(value)
        head = ((f"[{i}]", {"kind": "index", "index": i}, _index(value, i)) for i in range(n))
        return itertools.chain(extra, head), n + len(extra)
    if table.is_dataframe(value):
        cols = value.columns
        return (
            (table.label(c), {"kind": "index", "index": i}, value.iloc[:, i])
            for i, c in enumerate(cols)
        ), len(cols)
    if table.is_series(value):
        n = int(value.shape[0])
        return ((f"[{i}]", {"kind": "index", "index": i}, value.iloc[i]) for i in range(n)), n
    if containers.container_base(value) is not None:
        n = containers.length(value)
        if containers.is_mapping(value):
            return (
                (_key_text(k), {"kind": "key", "index": i}, v)
                for i, (k, v) in enumerate(containers.items(value))
            ), n
        return (
            (f"[{i}]", {"kind": "index", "index": i}, v)
            for i, v in enumerate(containers.items(value))
        ), n
    attrs = objects.attributes(value)
    props = objects.properties(value)
    named = [(_key_text(k), _attr_step(k), v) for k, v in attrs if type(k) is str]
    named += [(_key_text(p), _attr_step(p), _PROPERTY) for p in props]
    return iter(named), len(named)


def _attr_step(name: str) -> dict:
    # an over-long name is cut to keep rows small; resolving it then says it is gone
    return {"kind": "attr", "name": safe_text.cap(name, PATH_NAME_MAX)}


def _grad_child(value: Any) -> list[tuple[str, dict, Any]]:
    if not is_tensor(value) or not value.is_leaf or value.grad is None:
        return []
    return [("grad", {"kind": "attr", "name": "grad"}, value.grad)]


def _key_text(key: object) -> str:
    """A mapping key or attribute name as bounded text, without the key's own repr."""
    if type(key) is str:
        return safe_text.cap(key, KEY_MAX)
    text = safe_text.builtin_text(key, KEY_MAX)
    return text if text is not None else containers.describe(key)
