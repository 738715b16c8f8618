"""The tensor viewer's protocol ops: ``slice``, ``histogram`` and ``table``, checked and dispatched."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .. import protocol
from ..budget import Budget
from ..objects.table import is_dataframe, is_series
from ..requests import bad, parse_scope, resolve_target
from ..secrets import masking
from .frame_table import frame_table
from .histogram import histogram
from .tensor_slice import NotViewable, slice_2d, value_shape

Json = dict[str, Any]

BINS_MAX = 1024
TABLE_ROWS_MAX = 100


def _bounded(args: Json, key: str, default: int, high: int) -> int:
    """``args[key]`` (or the default), a whole number in 1..high."""
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise bad(f"{key} must be a whole number from 1 to {high}")
    return value


def _ints(args: Json, key: str) -> list[int] | None:
    """``args[key]``, a list of whole numbers, or None when absent."""
    value = args.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise bad(f"{key} must be a list of whole numbers")
    return value


def _target(args: Json) -> Any:
    """The value the request's scope and target name."""
    return resolve_target(parse_scope(args.get("scope")), args.get("target"))


def check_axes(axes: Sequence[int], index: Sequence[int], shape: Sequence[int]) -> None:
    """Raise bad-request unless the axes and index pick a slice of ``shape``."""
    ndim = len(shape)
    if len(axes) > min(2, ndim) or len(set(axes)) != len(axes):
        raise bad(f"axes must name at most two different dimensions of this {ndim}-d value "
                   "(none for a 0-d one)")
    for axis in axes:
        if not 0 <= axis < ndim:
            raise bad(f"axis {axis} is outside the value's {ndim} dimensions: use 0 to {ndim - 1}")
    if len(index) != ndim:
        raise bad(f"index must have one entry per dimension ({ndim}); "
                   "the entries of the chosen axes are ignored")
    for dim, (i, size) in enumerate(zip(index, shape)):
        if dim not in axes and not 0 <= i < size:
            if size == 0:
                raise bad(f"dimension {dim} is empty: choose it as an axis to see the empty slice")
            raise bad(f"index {i} of dimension {dim} is outside 0 to {size - 1}")


def _viewable(value: Any) -> Sequence[int]:
    try:
        return value_shape(value)
    except NotViewable as err:
        raise bad(str(err)) from err


def slice_op(args: Json) -> Json:
    """``{"scope", "target", "axes"?, "index"?, "max"?}`` -> Slice."""
    axes, index = _ints(args, "axes"), _ints(args, "index")
    limit = _bounded(args, "max", protocol.SLICE_MAX, protocol.SLICE_MAX)
    value = _target(args)
    shape = _viewable(value)
    # the first request need not know the shape: the last two dimensions, the rest at 0
    axes = list(range(len(shape)))[-2:] if axes is None else axes
    index = [0] * len(shape) if index is None else index
    check_axes(axes, index, shape)
    try:
        return slice_2d(value, axes, index, limit)
    except NotViewable as err:
        raise bad(str(err)) from err


def histogram_op(args: Json) -> Json:
    """``{"scope", "target", "bins"?}`` -> Histogram of the finite values."""
    bins = _bounded(args, "bins", protocol.HISTOGRAM_BINS, BINS_MAX)
    value = _target(args)
    _viewable(value)
    try:
        return histogram(value, bins, Budget(protocol.DEFAULT_BUDGET_MS))
    except NotViewable as err:
        raise bad(str(err)) from err


def table_op(args: Json) -> Json:
    """``{"scope", "target", "rows"?}`` -> Table of a DataFrame or Series."""
    rows = _bounded(args, "rows", protocol.TABLE_ROWS, TABLE_ROWS_MAX)
    value = _target(args)
    if not (is_dataframe(value) or is_series(value)):
        raise bad("the table shows pandas DataFrames and Series: pick one of those, "
                   "or a watch expression that gives one")
    return frame_table(value, rows, Budget(protocol.DEFAULT_BUDGET_MS))


OPS: dict[str, Callable[[Json], Json]] = {
    "slice": slice_op,
    "histogram": histogram_op,
    # a table's cells are values: masked as values are, by shape and by their column's name
    **masking.masking({"table": table_op}, by_name={"table": masking.table_columns}),
}
