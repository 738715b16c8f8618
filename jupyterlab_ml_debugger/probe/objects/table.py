"""pandas DataFrame and Series summaries (shape, dtypes, missing values) and a cell's text.

Never calls a frame's ``__repr__``. Missing values are counted column by column
within the budget; columns the budget does not reach are counted on a strided row
sample and marked estimated. Only used when the user imported pandas.
"""

from __future__ import annotations

import collections
import math
import sys
from typing import Any

from .. import safe_text
from ..budget import Budget
from .ndarray import array_stats
from .reduction import blank_stats, prime_step

NAMED_COLUMNS_MAX = 20
SAMPLE_ROWS = 1 << 14
LABEL_MAX = 24
CELL_MAX = 60
TUPLE_ITEMS_MAX = 6
# Scalars of these libraries become text by their own ``str``, which runs no user code.
TRUSTED_MODULES = frozenset({"numpy", "pandas", "datetime", "decimal"})


def is_dataframe(value: object) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and issubclass(type(value), pd.DataFrame)


def is_series(value: object) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and issubclass(type(value), pd.Series)


def label(value: object) -> str:
    """A column or index label as short text (labels are usually str or int)."""
    text = safe_text.builtin_text(value, LABEL_MAX)
    if text is None:
        return safe_text.short_type(type(value))
    return text[1:-1] if type(value) is str and text.endswith("'") else text


def dtype_counts(df: Any) -> str:
    """``3 float64, 1 object``, most frequent first."""
    counts = collections.Counter(str(d) for d in df.dtypes)
    return ", ".join(f"{n} {d}" for d, n in counts.most_common())


def frame_stats(df: Any, budget: Budget) -> dict:
    """Stats-shaped facts for a DataFrame: ``nan`` counts missing cells."""
    rows, cols = (int(d) for d in df.shape)
    stats = blank_stats([rows, cols], dtype_counts(df), "cpu", rows * cols)
    missing, exact = _missing_per_column(df, budget)
    named = [(c, m) for c, m in missing if m][:NAMED_COLUMNS_MAX]
    parts = [f"{label(c)} {_count(m, exact)}" for c, m in named]
    more = sum(1 for _, m in missing if m) - len(named)
    note = "missing per column: " + ", ".join(parts) if parts else "no missing values"
    if more > 0:
        note += f", … ({more} more columns)"
    if not exact:
        note += f"; estimated from every {_row_step(rows)}th row for columns past the budget"
    total = sum(m for _, m in missing)
    return {
        **stats,
        "nan": round(total),
        "exact": {**stats["exact"], "nan": exact},
        "note": safe_text.cap(note, 400),
    }


def series_stats(s: Any, budget: Budget) -> dict:
    """Array stats for a numeric Series, else its length, dtype and missing count."""
    np = sys.modules.get("numpy")
    if np is not None and issubclass(type(s.dtype), np.dtype) and s.dtype.kind in "biufc":
        stats = array_stats(s.to_numpy(copy=False), budget)
        return {**stats, "note": stats["note"] or None}
    stats = blank_stats([int(s.shape[0])], str(s.dtype), "cpu", int(s.shape[0]))
    missing, exact = _missing(s, budget)
    return {**stats, "nan": round(missing), "exact": {**stats["exact"], "nan": exact},
            "note": "nan counts missing values"}


def _missing_per_column(df: Any, budget: Budget) -> tuple[list[tuple[Any, float]], bool]:
    """(label, missing count) per column; exact False once any column was sampled."""
    out, exact = [], True
    for i, col in enumerate(df.columns):
        count, col_exact = _missing(df.iloc[:, i], budget)
        out.append((col, count))
        exact = exact and col_exact
    return out, exact


def _missing(s: Any, budget: Budget) -> tuple[float, bool]:
    """Missing values in a Series: all of them, or a scaled strided sample once over budget."""
    n = int(s.shape[0])
    if not budget.expired() or n <= SAMPLE_ROWS:
        return float(s.isna().to_numpy().sum()), True
    step = _row_step(n)
    sample = s.iloc[::step]
    return float(sample.isna().to_numpy().sum()) * n / max(1, int(sample.shape[0])), False


def _row_step(rows: int) -> int:
    return prime_step(math.ceil(rows / SAMPLE_ROWS))


def _count(m: float, exact: bool) -> str:
    return str(round(m)) if exact else f"~{round(m)}"


def cell_text(value: Any, depth: int = 0) -> str:
    """Bounded text for one cell or index label, without calling the user's ``__repr__``."""
    tp = type(value)
    if tp is str:
        return safe_text.cap(value, CELL_MAX)
    text = safe_text.builtin_text(value, CELL_MAX)
    if text is not None:
        return text
    if tp is tuple:
        return _tuple_text(value, depth)
    if trusted(tp):
        return safe_text.cap(str(value), CELL_MAX)
    return safe_text.cap(safe_text.object_text(value), CELL_MAX)


def _tuple_text(value: tuple, depth: int) -> str:
    """A tuple label (a MultiIndex row) as ``(a, b)``; nested tuples past one level as ``(…)``."""
    if depth > 0:
        return "(…)"
    items = [cell_text(v, depth + 1) for v in value[:TUPLE_ITEMS_MAX]]
    more = ", …" if len(value) > TUPLE_ITEMS_MAX else ""
    return safe_text.cap("(" + ", ".join(items) + more + ")", CELL_MAX)


def trusted(tp: type) -> bool:
    """Whether ``tp`` is exactly a type of a library whose ``str`` runs no user code."""
    module = safe_text.type_name(tp).partition(".")[0]
    return module in TRUSTED_MODULES
