"""Lazy expansion: the values one level below a value, each with the path back to it.

A path step names a child the same way :func:`children` lists it, so the frontend
can ask for a row's children or repr later (see PathStep in ``protocol.py``);
``objects/paths.py`` follows such a path back to the value.
"""

from __future__ import annotations

import itertools
from typing import Any

from .. import protocol, safe_text
from ..budget import Budget
from ..objects import attributes, containers, paths, table, unreadable
from ..objects.ndarray import is_ndarray
from ..objects.summarize import make_row, summarize
from ..objects.tensor import is_tensor, torch_reads
from ..ownership import is_probe_object

CHILDREN_MAX = 100
# Items of a container copied at once, beyond the rows shown: room for the probe's hidden hooks.
HIDDEN_MAX = 64
KEY_MAX = 40
PATH_NAME_MAX = 200
# Stands in for a property in the children list: listed, never evaluated.
_PROPERTY = object()


def children(value: object, path: list, budget: Budget) -> tuple[list[dict], bool]:
    """Rows one level below ``value``, at most CHILDREN_MAX, each with its full path; one row saying
    why when they cannot be listed (a nested tensor has no sizes, or the running cell kept changing it)."""
    with torch_reads():
        try:
            return unreadable.twice(lambda: _children(value, path, budget))
        except Exception as err:
            changing = type(err) is unreadable.Changing
            text = unreadable.CHANGING if changing else f"could not list its parts: {unreadable.reason(err)}"
            name = "(changing)" if changing else "(unreadable)"
            return [make_row(name, safe_text.type_name(type(value)), "error", text, path, error=text)], False


def _children(value: object, path: list, budget: Budget) -> tuple[list[dict], bool]:
    named, total = _named_children(value)
    rows: list[dict] = []
    hidden = 0
    for name, step, child in named:
        if len(rows) == CHILDREN_MAX:
            break
        if is_probe_object(child):
            # The probe's hooks sit in the user's own objects (a model's ``_forward_hooks``); the
            # children after one keep their steps, so their paths still lead back to them.
            hidden += 1
            continue
        if budget.expired():
            return rows, True
        child_path = [*path, step]
        if child is _PROPERTY:
            rows.append(make_row(name, "property", "property", "property (not evaluated)",
                                 child_path))
            continue
        share = budget.child(max(protocol.DEFAULT_VALUE_BUDGET_MS, budget.remaining_ms() / 4))
        rows.append(summarize(name, child, child_path, share))
    return rows, total - hidden > len(rows)


def _named_children(value: Any) -> tuple[Any, int]:
    """An iterator of (name, step, child) and how many children there are in all."""
    if is_tensor(value) or is_ndarray(value):
        n = value.shape[0] if value.ndim else 0
        extra = _grad_child(value)
        head = ((f"[{i}]", {"kind": "index", "index": i}, paths.index(value, i)) for i in range(n))
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
        # copied at once, in C: the running cell cannot resize it while the rows are made
        looked = list(itertools.islice(containers.items(value), CHILDREN_MAX + HIDDEN_MAX))
        if containers.is_mapping(value):
            return (
                (_key_text(k), {"kind": "key", "index": i}, v)
                for i, (k, v) in enumerate(looked)
            ), n
        return (
            (f"[{i}]", {"kind": "index", "index": i}, v)
            for i, v in enumerate(looked)
        ), n
    attrs = attributes.attributes(value)
    props = attributes.properties(value)
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
