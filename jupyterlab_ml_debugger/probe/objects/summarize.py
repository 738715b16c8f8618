"""One-line summaries of values as protocol Rows (the "Variable Value" pattern).

Never runs user code: no ``__repr__``, ``__str__``, ``__len__``, ``__iter__``,
``__getattr__`` or properties of user classes. Any failure becomes a row of kind
"error" instead of an exception.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any, Iterable

from .. import protocol, safe_text
from ..budget import Budget
from ..secrets import masking
from ..stack import last_error
from . import attributes, containers, table
from .ndarray import array_stats, is_ndarray
from .tensor import is_tensor, tensor_nbytes, tensor_stats

NAME_MAX = 100
NOTE_MAX = 300
PATH_NAME_MAX = 200


def make_row(
    name: str, value_type: str, kind: str, summary: str, path: list, **extra: Any
) -> dict:
    """A protocol Row with every string capped and the secrets in its text masked."""
    row = {
        "name": safe_text.cap(name, NAME_MAX),
        "type": safe_text.cap(value_type, safe_text.NAME_MAX),
        "kind": kind,
        "summary": safe_text.cap(summary, protocol.SUMMARY_MAX),
        "size": 0,
        "nonfinite": False,
        "expandable": False,
        "path": path,
        "stats": None,
        "error": None,
        "masked": False,
    }
    row.update(extra)
    if row["stats"] is not None and row["stats"]["note"]:
        row["stats"]["note"] = safe_text.cap(row["stats"]["note"], NOTE_MAX)
    return masking.mask_shown(row)


def summarize(name: str, value: object, path: list, budget: Budget) -> dict:
    """The Row for one value, text under a secret-looking name masked; never raises."""
    try:
        return masking.mask_named(_summarize(name, value, path, budget), name, value)
    except Exception as err:
        message = f"could not summarise: {type(err).__name__}: {safe_text.cap(_text(err), 120)}"
        return make_row(name, _type_name(value), "error", message, path, error=message)


def summarize_items(
    items: Iterable[tuple[str, object]], path_prefix: list, budget: Budget, value_budget_ms: float
) -> tuple[list[dict], bool]:
    """Rows for many named values, each within its own share of ``budget``."""
    rows: list[dict] = []
    for name, value in items:
        if budget.expired() or len(rows) >= protocol.MAX_ROWS:
            return rows, True
        step = {"kind": "name", "name": safe_text.cap(name, PATH_NAME_MAX)}
        rows.append(summarize(name, value, [*path_prefix, step], budget.child(value_budget_ms)))
    return rows, False


def _summarize(name: str, value: object, path: list, budget: Budget) -> dict:
    tp = type(value)
    row = functools.partial(make_row, name, safe_text.type_name(tp), path=path)
    text = safe_text.builtin_text(value)
    if text is not None:
        kind = "text" if tp in (str, bytes, bytearray) else "scalar"
        return row(kind, text, size=_builtin_size(value))
    if is_tensor(value):
        stats = tensor_stats(value, budget)
        return row("tensor", tensor_line(value, stats), **_array_extra(value, stats))
    if is_ndarray(value):
        stats = array_stats(value, budget)
        return row("ndarray", array_line(value, stats), **_array_extra(value, stats))
    if table.is_dataframe(value):
        stats = table.frame_stats(value, budget)
        line = f"DataFrame[{stats['shape'][0]} × {stats['shape'][1]}]  {stats['dtype']}  "
        return row("dataframe", line + _missing_text(stats), stats=stats, expandable=True,
                   size=stats["numel"] * 8)
    if table.is_series(value):
        stats = table.series_stats(value, budget)
        line = f"Series[{stats['numel']}] {stats['dtype']}  {stats_text(stats)}"
        return row("series", line, stats=stats, expandable=stats["numel"] > 0,
                   nonfinite=bool(stats["nan"] or stats["inf"]), size=stats["numel"] * 8)
    np_scalar = _numpy_scalar_text(value)
    if np_scalar is not None:
        return row("scalar", np_scalar, size=8)
    if containers.container_base(value) is not None:
        kind = "mapping" if containers.is_mapping(value) else "container"
        n = containers.length(value)
        return row(kind, containers.container_summary(value), expandable=n > 0, size=n * 8)
    if issubclass(tp, BaseException):
        # an exception kept in a local reads as its traceback's last line would
        return row("object", last_error.exception_text(value), expandable=attributes.has_children(value))
    if issubclass(tp, types.ModuleType):
        return row("module", attributes.module_text(value), expandable=True)
    if issubclass(tp, type):
        return row("class", attributes.class_text(value), expandable=True)
    if attributes.is_function(value):
        return row("function", attributes.function_text(value))
    return row("object", attributes.object_summary(value), expandable=attributes.has_children(value))


def tensor_line(t: Any, stats: dict) -> str:
    """``Tensor[3, 4] float32 cpu  min -1.2 max 3.4 mean 0.1 std 1  NaN 3  Inf 0  grad``."""
    head = f"{safe_text.short_type(type(t))}[{_dims(stats['shape'])}] {stats['dtype']} {stats['device']}"
    grad = "grad" if stats["has_grad"] else "requires_grad" if stats["requires_grad"] else ""
    return "  ".join(p for p in (head, stats_text(stats), grad) if p)


def array_line(a: Any, stats: dict) -> str:
    head = f"{safe_text.short_type(type(a))}[{_dims(stats['shape'])}] {stats['dtype']}"
    return "  ".join(p for p in (head, stats_text(stats)) if p)


def stats_text(stats: dict) -> str:
    """Figures as compact text; estimated ones prefixed with ``~``; else the note."""
    def fig(key: str) -> str:
        return ("" if stats["exact"][key] else "~") + number(stats[key])

    parts = []
    if stats["min"] is not None and stats["numel"] == 1:
        parts.append(f"= {fig('min')}")
    elif stats["min"] is not None:
        moments = f"min {fig('min')} max {fig('max')} mean {fig('mean')}"
        if stats["std"] is not None:
            moments += f" std {fig('std')}"
        parts.append(moments)
    if stats["nan"] is not None and stats["inf"] is not None:
        parts.append(f"NaN {fig('nan')}  Inf {fig('inf')}")
    elif stats["nan"] is not None:
        parts.append(f"missing {fig('nan')}")
    if not parts and stats["note"]:
        parts.append(stats["note"])
    return "  ".join(parts)


def number(x: float | int | None) -> str:
    if x is None:
        return "-"
    if isinstance(x, int) and abs(x) < 10**7:
        return str(x)
    return f"{x:.4g}"


def _missing_text(stats: dict) -> str:
    if not stats["nan"]:
        return "no missing"
    mark = "" if stats["exact"]["nan"] else "~"
    return f"missing {mark}{stats['nan']}: {stats['note'].removeprefix('missing per column: ')}"


def _array_extra(value: Any, stats: dict) -> dict:
    return {
        "stats": stats,
        "size": _nbytes(value),
        "nonfinite": bool(stats["nan"] or stats["inf"]),
        "expandable": len(stats["shape"]) > 0 and stats["numel"] > 0,
    }


def _nbytes(value: Any) -> int:
    return int(value.nbytes) if is_ndarray(value) else tensor_nbytes(value)


def _numpy_scalar_text(value: object) -> str | None:
    np = sys.modules.get("numpy")
    if np is None or not issubclass(type(value), np.generic) or not _kind_numeric(value):
        return None
    text = safe_text.builtin_text(value.item())
    return None if text is None else f"{text} ({value.dtype})"


def _kind_numeric(value: Any) -> bool:
    return value.dtype.kind in "biufc"


def _builtin_size(value: object) -> int:
    return len(value) if isinstance(value, (str, bytes, bytearray)) else 8


def _dims(shape: list[int]) -> str:
    return ", ".join(str(d) for d in shape)


def _type_name(value: object) -> str:
    try:
        return safe_text.type_name(type(value))
    except Exception:
        return "?"


def _text(err: BaseException) -> str:
    try:
        return str(err)
    except Exception:
        return "(message unavailable)"
