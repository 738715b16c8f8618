"""Data defects of a dataset: read its columns without user code, sample within a budget, run the rules.

A pandas DataFrame is read as it is, a Series as one column, and a 1-D or 2-D NumPy
array or torch tensor as unnamed columns "0", "1", …. Nothing is written to the
user's data: samples are new frames, numbers are read into new float64 arrays.

Object columns are read value by value: only exact ``str``, ``int``, ``float``,
``bool`` (and numpy scalars, read with their own ``item()``) are compared; ``None``,
NaN, ``pd.NA`` and ``pd.NaT`` are missing; any other object is counted, skipped
(equal only to itself, by identity) and named in a note, so its ``__repr__``,
``__eq__`` and ``__hash__`` never run. Columns of a dtype that is neither NumPy's nor
pandas' are not read at all.

Time: a frame whose cells would cost more than the budget allows (CELLS_NUMBER_MAX
numeric or CELLS_VALUE_MAX object cells) is read on a deterministic strided sample
of rows (a prime stride, so periodic data does not alias); when the budget runs
short anyway, the check starts again on a sample of SMALL_CELLS cells. Either way
``sampled`` is true and every message says of how many rows.
"""

from __future__ import annotations

import importlib
import math
import sys
from typing import Any, Callable

from .. import protocol, safe_text
from ..budget import Budget
from ..objects import unreadable
from ..objects.ndarray import is_ndarray
from ..objects.reduction import prime_step
from ..objects.table import cell_text, is_dataframe, is_series, trusted
from ..objects.tensor import is_tensor
from . import data_rules
from .data_rules import Column, Opaque

Json = dict[str, Any]

DATA_BUDGET_MS = 2 * protocol.DEFAULT_BUDGET_MS
# Reading an object cell runs a few Python statements; a numeric cell is a vector op.
CELLS_NUMBER_MAX = 20_000_000
CELLS_VALUE_MAX = 1_000_000
SMALL_CELLS = 200_000
MIN_SAMPLE_ROWS = 1_000
COLUMNS_MAX = 500
# The first attempt may use this share of the budget; the rest is for the small sample.
FIRST_TRY_SHARE = 0.75
TICK_VALUES = 1 << 15
PLAIN_TYPES = (str, int, float, bool)


class DataError(ValueError):
    """The value is not a dataset these checks read, or the label names no column."""


class _OutOfTime(Exception):
    """The attempt ran past its deadline; a smaller sample follows."""


def data_defects(value: Any, label: str | None = None, other: Any = None,
                 budget: Budget | None = None) -> Json:
    """The DataDefects of a dataset, with leakage into ``other`` when given (protocol: DataDefects)."""
    budget = budget or Budget(DATA_BUDGET_MS)
    frame, names = as_frame(value, "the value")
    if label is not None and label not in names:
        shown = ", ".join(data_rules.quoted(n) for n in names[:10]) + (", …" if len(names) > 10 else "")
        raise DataError(f"label {data_rules.quoted(label)} is not a column of this dataset; "
                        f"its columns are {shown}")
    second = as_frame(other, "other") if other is not None else None
    first_ms = budget.remaining_ms() * FIRST_TRY_SHARE
    try:
        return _attempt(frame, names, label, second, False, budget, budget.child(first_ms))
    except _OutOfTime:
        return _attempt(frame, names, label, second, True, budget, None)


def as_frame(value: Any, what: str) -> tuple[Any, list[str]]:
    """A DataFrame over the dataset's data (no copy where pandas allows) and its column names as text."""
    if is_dataframe(value):
        frame = value
    elif is_series(value):
        frame = value.to_frame()
    else:
        frame = _array_frame(value, what)
    return frame, [column_name(c) for c in frame.columns]


def _array_frame(value: Any, what: str) -> Any:
    """A NumPy array or torch tensor of 1 or 2 dimensions as a DataFrame with columns "0", "1", …."""
    if is_tensor(value):
        try:
            value = _tensor_array(value, what)
        except DataError:
            raise
        except Exception as err:  # a nested tensor has no sizes
            raise DataError(f"{what} could not be read as an array ({unreadable.reason(err)})") from err
    elif not is_ndarray(value):
        raise DataError(f"{what} is a {safe_text.short_type(type(value))}: data defects read a pandas "
                        "DataFrame or Series, or a NumPy array or torch tensor of 1 or 2 dimensions")
    if value.ndim not in (1, 2):
        raise DataError(f"{what} has {value.ndim} dimensions: data defects read rows of columns (1 or 2)")
    array = value.reshape(-1, 1) if value.ndim == 1 else value
    pd = _pandas()
    return pd.DataFrame(array, columns=[str(i) for i in range(array.shape[1])], copy=False)


def _tensor_array(tensor: Any, what: str) -> Any:
    """A tensor's values as a NumPy array on the CPU (a new one unless the tensor already is)."""
    torch = sys.modules["torch"]
    if tensor.is_complex() or tensor.layout != torch.strided:
        raise DataError(f"{what} is a complex or sparse tensor: data defects read real dense values")
    data = tensor.detach()
    if data.dtype in (torch.bfloat16, torch.float16):
        data = data.float()
    return data.cpu().numpy()


def _pandas() -> Any:
    """pandas, imported on request: the user asked to check an array, and pandas hashes rows."""
    pd = sys.modules.get("pandas")
    if pd is not None:
        return pd
    try:
        return importlib.import_module("pandas")
    except ImportError as err:
        raise DataError("data defects need pandas installed in the kernel") from err


def column_name(label: Any) -> str:
    """A column label as text: a string as it is, anything else as a table cell shows it."""
    return label if type(label) is str else cell_text(label)


def _attempt(frame: Any, names: list[str], label: str | None, other: tuple[Any, list[str]] | None,
             small: bool, budget: Budget, deadline: Budget | None) -> Json:
    """One full check; ``deadline`` None: the last attempt, which never stops early."""
    def tick() -> None:
        if deadline is not None and deadline.expired():
            raise _OutOfTime

    rows = int(frame.shape[0])
    notes: list[str] = []
    picked = _picked_columns(frame, names, label, notes)
    step = _row_step(frame, picked, small)
    columns = read_columns(frame, names, picked, step, tick, notes)
    tick()
    checked = len(range(0, rows, step))
    suffix = f" in a sample of {checked:,} of {rows:,} rows" if step > 1 else ""
    defects = [_suffixed(d, suffix) for d in _frame_defects(columns, label, tick, notes)]
    other_sampled = False
    if other is not None:
        leaked, other_sampled = _leakage(columns, other, small, tick, notes)
        defects += [_suffixed(d, suffix, d.pop("sample", "")) for d in leaked]
    notes += data_rules.skipped_notes(columns) + data_rules.rows_notes(rows)
    if step > 1:
        notes.insert(0, _sample_note(checked, rows, step))
    return {"rows": rows, "sampled": step > 1 or other_sampled, "defects": defects, "notes": notes,
            "elapsed_ms": budget.elapsed_ms()}


def _suffixed(defect: Json, *suffixes: str) -> Json:
    return {**defect, "message": defect["message"] + "".join(suffixes)}


def _frame_defects(columns: list[Column], label: str | None, tick: Callable[[], None],
                   notes: list[str]) -> list[Json]:
    """Every rule of one frame, in the order the protocol lists the kinds; notes of what they cannot judge."""
    out: list[Json] = []
    for rule in (data_rules.missing, data_rules.case_variants):
        out += rule(columns)
        tick()
    out += data_rules.outliers(columns, notes)
    tick()
    out += data_rules.duplicates(columns)
    tick()
    out += data_rules.constant(columns)
    # A label of a dtype that was not read is not among the columns.
    out += [d for c in columns if c.name == label for d in data_rules.imbalance(c, notes)]
    return out


def _sample_note(checked: int, rows: int, step: int) -> str:
    return (f"Checked one row in every {step:,} ({checked:,} of {rows:,}) to stay within the time budget: "
            "counts are of those rows, and a duplicate or leaked row counts only when its copy "
            "was sampled too.")


def _picked_columns(frame: Any, names: list[str], label: str | None, notes: list[str]) -> list[int]:
    """Positions of the columns read: the first COLUMNS_MAX readable ones, the label always."""
    picked, unread, dtypes = [], [], list(frame.dtypes)
    for i in _first_of_each_name(names):
        if not trusted(type(dtypes[i])):
            unread.append(names[i])
        elif len(picked) < COLUMNS_MAX or names[i] == label:
            picked.append(i)
    readable = len(set(names)) - len(unread)
    if len(picked) < readable:
        notes.append(f"Only the first {COLUMNS_MAX:,} of {readable:,} columns were checked.")
    for name in unread[:5]:
        notes.append(f"Column {data_rules.quoted(name)} has a dtype from neither NumPy nor pandas "
                     "and was not checked.")
    return picked


def _first_of_each_name(names: list[str]) -> list[int]:
    """Column positions, a repeated name standing for its first column only."""
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)
    return sorted(first.values())


def _is_value_column(dtype: Any) -> bool:
    """Whether the column is read value by value (object, strings, categories)."""
    return getattr(dtype, "kind", "O") not in "biufmM"


def _row_step(frame: Any, picked: list[int], small: bool) -> int:
    """The stride of the row sample: 1 (every row) when the frame's cells fit the budget."""
    rows = int(frame.shape[0])
    if small:
        limit = max(MIN_SAMPLE_ROWS, SMALL_CELLS // max(1, len(picked)))
    else:
        dtypes = list(frame.dtypes)
        cost = sum(1 / CELLS_VALUE_MAX if _is_value_column(dtypes[i]) else 1 / CELLS_NUMBER_MAX
                   for i in picked)
        limit = max(MIN_SAMPLE_ROWS, int(1 / cost)) if cost else rows
    return 1 if rows <= limit else prime_step(math.ceil(rows / limit))


def read_columns(frame: Any, names: list[str], picked: list[int], step: int,
                 tick: Callable[[], None], notes: list[str]) -> list[Column]:
    """The picked columns of every ``step``-th row, read for the rules; one that fails to read is
    left out with a note saying why."""
    out = []
    for i in picked:
        try:
            series = frame.iloc[::step, i] if step > 1 else frame.iloc[:, i]
            out.append(read_column(names[i], series, tick))
        except _OutOfTime:
            raise
        except Exception as err:
            notes.append(f"Column {data_rules.quoted(names[i])} could not be read "
                         f"({unreadable.reason(err)}) and was not checked.")
        tick()
    return out


def read_column(name: str, series: Any, tick: Callable[[], None]) -> Column:
    """One Series as a Column: numbers for numeric, boolean and time dtypes, else builtin values."""
    np = sys.modules["numpy"]
    dtype = series.dtype
    kind = getattr(dtype, "kind", "O")
    if kind in "mM":
        missing = series.isna().to_numpy()
        numbers = np.asarray(series.array.asi8, dtype=np.float64)
        numbers[missing] = np.nan  # a new array: the column's own values are never written
        return Column(name, numbers=numbers, missing=int(missing.sum()))
    if kind in "biuf":
        numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return Column(name, numbers=numbers, missing=int(np.isnan(numbers).sum()), scaled=kind != "b")
    return _value_column(name, series.to_numpy(dtype=object), tick)


def _value_column(name: str, array: Any, tick: Callable[[], None]) -> Column:
    """An object array read value by value; objects of other types become Opaque stand-ins."""
    pd, np = sys.modules["pandas"], sys.modules["numpy"]
    na, nat = pd.NA, pd.NaT
    values: list = []
    missing = skipped = 0
    first: str | None = None
    for index, value in enumerate(array):
        if index % TICK_VALUES == TICK_VALUES - 1:
            tick()
        tp = type(value)
        if tp in PLAIN_TYPES:
            if tp is float and value != value:
                value = None
        elif value is None or value is na or value is nat:
            value = None
        elif safe_text.type_name(tp).startswith("numpy.") and issubclass(tp, np.generic):
            value = _numpy_item(value)
        else:
            skipped += 1
            first = first or safe_text.short_type(tp)
            value = Opaque(id(value), safe_text.short_type(tp))
        missing += value is None
        values.append(value)
    return Column(name, values=values, missing=missing, skipped=skipped, skipped_type=first)


def _numpy_item(value: Any) -> Any:
    """A numpy scalar as its builtin value; NaN and NaT are missing, anything else Opaque."""
    item = value.item()
    tp = type(item)
    if item is None or (tp is float and item != item):
        return None
    if tp in PLAIN_TYPES:
        return item
    return Opaque(id(value), safe_text.short_type(type(value)))


def _leakage(columns: list[Column], other: tuple[Any, list[str]], small: bool,
             tick: Callable[[], None], notes: list[str]) -> tuple[list[Json], bool]:
    """Rows of this frame whose values in the shared columns also form a row of ``other``;
    and whether ``other`` was sampled."""
    frame, names = other
    mine = {c.name: c for c in columns}
    order = {name: k for k, name in enumerate(mine)}
    dtypes = list(frame.dtypes)
    shared = sorted((i for i in _first_of_each_name(names) if names[i] in mine and trusted(type(dtypes[i]))),
                    key=lambda i: order[names[i]])
    if not shared:
        notes.append("The other dataset shares no column name with this one, so leakage was not checked.")
        return [], False
    step = _row_step(frame, shared, small)
    theirs = read_columns(frame, names, shared, step, tick, notes)
    found = data_rules.leakage([mine[c.name] for c in theirs], theirs)
    if step == 1:
        return found, False
    rows = int(frame.shape[0])
    # _attempt puts this after its own sample's words: "… in a sample of … (compared with …)".
    sample = f" (compared with a sample of {len(range(0, rows, step)):,} of its {rows:,} rows)"
    return [{**d, "sample": sample} for d in found], True
