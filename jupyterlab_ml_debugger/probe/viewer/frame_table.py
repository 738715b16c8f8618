"""The viewer's Table: a DataFrame's (or Series') head, tail and per-column statistics.

Cells become text without the user's code: strings and builtin numbers by their
value, numpy/pandas/datetime/decimal scalars by their own ``str``, anything else by
its type name (``<pkg.Thing object at 0x…>``). Unique counts hash the values, which
runs ``__hash__`` and ``__eq__``: they are counted only for numbers, dates and plain
strings, and only in columns of at most UNIQUE_MAX_ROWS rows. Statistics past the
time budget are left as None; missing counts are always exact.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from .. import protocol, safe_text
from ..budget import Budget
from ..objects.table import cell_text, is_dataframe, trusted

Json = dict[str, Any]

UNIQUE_MAX_ROWS = 1_000_000
# Object columns whose values are all of these exact types (or of a trusted library's, see
# ``table.trusted``) hash and compare without user code.
PLAIN_TYPES = frozenset({str, bytes, int, float, bool, type(None)})


def frame_table(value: Any, rows: int, budget: Budget) -> Json:
    """The Table of a DataFrame or Series: at most ``rows`` head and ``rows`` tail rows."""
    df = value if is_dataframe(value) else value.to_frame()
    n, width = (int(d) for d in df.shape)
    shown = df.iloc[:, :protocol.TABLE_COLUMNS_MAX]
    head_n = min(n, rows)
    tail_n = min(rows, n - head_n)
    head, tail = shown.iloc[:head_n], shown.iloc[n - tail_n:n]
    return {
        "shape": [n, width],
        "columns": [column(cell_text(name), shown.iloc[:, i], budget)
                    for i, name in enumerate(shown.columns)],
        "head": cells(head),
        "tail": cells(tail),
        "head_index": [cell_text(v) for v in head.index.tolist()],
        "tail_index": [cell_text(v) for v in tail.index.tolist()],
    }


def cells(part: Any) -> list[list[str]]:
    """A few rows as text, row by row (read column by column: a column keeps its dtype)."""
    columns = [[cell_text(v) for v in part.iloc[:, i].tolist()] for i in range(part.shape[1])]
    return [list(row) for row in zip(*columns)] if columns else [[] for _ in range(part.shape[0])]


def column(name: str, s: Any, budget: Budget) -> Json:
    """A Column: dtype, exact missing count, and the statistics the budget allows."""
    out: Json = {"name": name, "dtype": _dtype_text(s.dtype), "missing": int(s.isna().sum()),
                 "unique": None, "mean": None, "std": None, "min": None, "max": None}
    if budget.expired():
        return out
    plain = _plain(s)
    if plain and len(s) <= UNIQUE_MAX_ROWS:
        out["unique"] = int(s.nunique(dropna=True))
    if _numeric(s):
        out["mean"], out["std"] = _number(s.mean()), _number(s.std())
    if plain and _ordered(s):
        out["min"], out["max"] = _extreme(s, "min"), _extreme(s, "max")
    return out


def _dtype_text(dtype: Any) -> str:
    """numpy's and pandas' dtypes by name; a third-party extension dtype by its type name."""
    if trusted(type(dtype)):
        return safe_text.cap(str(dtype), safe_text.TEXT_MAX)
    return safe_text.short_type(type(dtype))


def _plain(s: Any) -> bool:
    """Whether the column's values hash and compare without user code."""
    if trusted(type(s.dtype)) and s.dtype.kind != "O":
        return True
    if s.dtype.kind != "O":
        return False
    # type() of each value, in C: pandas' infer_dtype would run isinstance on them, which
    # reads a user object's ``__class__``
    found = set(map(type, s.to_numpy(dtype=object, copy=False)))
    return all(tp in PLAIN_TYPES or trusted(tp) for tp in found)


def _numeric(s: Any) -> bool:
    types = sys.modules["pandas"].api.types
    return bool(types.is_numeric_dtype(s.dtype)) and not types.is_complex_dtype(s.dtype)


def _ordered(s: Any) -> bool:
    """Whether min and max mean something: not an unordered categorical, not complex."""
    dtype = s.dtype
    if getattr(dtype, "name", None) == "category":
        return bool(dtype.ordered)
    return not sys.modules["pandas"].api.types.is_complex_dtype(dtype)


def _number(value: Any) -> float | None:
    """A finite real figure as a float, else None (an all-missing column's mean is NaN)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _extreme(s: Any, which: str) -> str | None:
    """The column's min or max as cell text; None when its values do not compare."""
    try:
        value = s.min() if which == "min" else s.max()
    except TypeError:  # mixed strings and numbers in one object column
        return None
    missing = sys.modules["pandas"].isna(value)
    return None if missing is True else cell_text(value)
