"""The data defect rules: each a small pure function from read columns to DataDefects entries.

Rules and thresholds:

- missing: a column with any missing value (None, NaN, NA, NaT).
- case: string values of one column that are equal once case and all whitespace are
  ignored (``'Paris'`` and ``'paris '``); count: the rows holding any of them.
- outliers: the median/MAD rule, |x - median| > OUTLIER_Z * MAD_SCALE * b_n * MAD, that is
  more than 3.5 robust standard deviations (MAD_SCALE makes the MAD estimate one for normal
  data; b_n, the small-sample factor of SMALL_SAMPLE_FACTORS, corrects its bias below
  ten values). Numeric columns only, booleans and times not being measurements. A column
  of fewer than OUTLIER_MIN_VALUES finite values, or whose MAD is 0 (over half its values
  equal: no robust spread), is not judged and gets a note saying why; one whose values are
  all equal gets none, the constant rule speaks for it.
- duplicates: rows equal in every read column to an earlier row; count: the repeats.
- constant: a column whose non-missing values are all equal (two rows at least); a dataset
  of fewer than two rows gets a note, as duplicates need two rows too.
- imbalance: in the label column, a class with more than IMBALANCE_RATIO times fewer rows
  than the largest; a label of more than CLASSES_MAX distinct values is not a class label,
  and a note says so.
- leakage: rows of the first dataset whose values in the shared columns form a row of
  the other; rows are compared by ``pd.util.hash_pandas_object`` of float64 numbers and
  of type-tagged text keys built here, so no user object is hashed or compared.
"""

from __future__ import annotations

import collections
import sys
from dataclasses import dataclass, replace
from typing import Any, Iterable

from .. import safe_text

Json = dict[str, Any]

OUTLIER_Z = 3.5
MAD_SCALE = 1.4826
OUTLIER_MIN_VALUES = 5
# b_n for n = 5..9 values; from ten values up the MAD goes unscaled, as the rule always had it.
SMALL_SAMPLE_FACTORS = {5: 1.206, 6: 1.200, 7: 1.140, 8: 1.129, 9: 1.107}
IMBALANCE_RATIO = 10
CLASSES_MAX = 100
CASE_GROUPS_MAX = 5
RARE_CLASSES_MAX = 5
SHOWN_MAX = 3
NAMES_SHOWN_MAX = 5
VALUE_TEXT_MAX = 40


@dataclass(frozen=True)
class Opaque:
    """A skipped object, equal only to the same object: its own ``__eq__`` never runs."""

    ident: int
    type_name: str


@dataclass
class Column:
    """One column as the rules read it: float64 numbers, or builtin values with Opaque stand-ins."""

    name: str
    numbers: Any = None          # float64 ndarray, NaN where missing
    values: list | None = None   # str/int/float/bool/Opaque, None where missing
    missing: int = 0
    skipped: int = 0             # objects of other types, kept as Opaque
    skipped_type: str | None = None
    scaled: bool = False         # a real measurement: the outlier rule applies


def defect(kind: str, column: str | None, count: int, message: str) -> Json:
    return {"kind": kind, "column": column, "count": int(count), "message": message}


def quoted(name: str) -> str:
    """A column name in quotes, bounded."""
    return safe_text.text_repr(name, VALUE_TEXT_MAX)


def value_text(value: Any) -> str:
    """A read value (builtin or Opaque) as short text, quoted when a string."""
    if type(value) is str:
        return safe_text.text_repr(value, VALUE_TEXT_MAX)
    if type(value) is float:
        return f"{value:.6g}"
    text = safe_text.builtin_text(value, VALUE_TEXT_MAX)
    return text if text is not None else f"<{value.type_name} object>"


def _number(x: float) -> str:
    return f"{x:.6g}"


def missing(columns: list[Column]) -> list[Json]:
    """A defect per column with missing values."""
    out = []
    for c in columns:
        if c.missing:
            rows = len(c.numbers) if c.numbers is not None else len(c.values or [])
            share = 100.0 * c.missing / max(1, rows)
            word = "value" if c.missing == 1 else "values"
            message = f"column {quoted(c.name)}: {c.missing:,} missing {word} ({share:.1f}% of rows)"
            out.append(defect("missing", c.name, c.missing, message))
    return out


def _case_key(text: str) -> str:
    return "".join(text.split()).casefold()


def case_variants(columns: list[Column]) -> list[Json]:
    """A defect per group of string values that differ only by case or whitespace."""
    out = []
    for c in columns:
        if c.values is not None:
            out += _case_groups(c.name, collections.Counter(v for v in c.values if type(v) is str))
    return out


def _case_groups(name: str, counts: collections.Counter) -> list[Json]:
    groups: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for text, n in counts.most_common():
        groups[_case_key(text)].append((text, n))
    found = [g for g in groups.values() if len(g) > 1]
    found.sort(key=lambda g: -sum(n for _, n in g))
    out = [defect("case", name, sum(n for _, n in g),
                  f"column {quoted(name)}: {_listed([value_text(t) for t, _ in g])} differ only by case "
                  f"or whitespace ({sum(n for _, n in g):,} rows)")
           for g in found[:CASE_GROUPS_MAX]]
    rest = found[CASE_GROUPS_MAX:]
    if rest:
        rows = sum(n for g in rest for _, n in g)
        out.append(defect("case", name, rows, f"column {quoted(name)}: {len(rest):,} more groups of values "
                                              f"differ only by case or whitespace ({rows:,} rows)"))
    return out


def _listed(items: list[str], most: int = SHOWN_MAX) -> str:
    """``a and b``, ``a, b and c``, ``a, b, c and 4 more``."""
    shown = items[:most]
    if len(items) > most:
        return ", ".join(shown) + f" and {len(items) - most} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def outliers(columns: list[Column], notes: list[str]) -> list[Json]:
    """A defect per numeric column with values far from its median; notes of the columns it cannot judge."""
    np = sys.modules["numpy"]
    out: list[Json] = []
    short: list[tuple[Column, int]] = []
    flat: list[tuple[Column, Any, float]] = []
    for c in columns:
        x = c.numbers[np.isfinite(c.numbers)] if c.scaled else None
        if x is None or x.size == 0 or x.min() == x.max():
            continue
        if x.size < OUTLIER_MIN_VALUES:
            short.append((c, x.size))
            continue
        median = float(np.median(x))
        deviation = np.abs(x - median)
        mad = float(np.median(deviation))
        if mad == 0:
            flat.append((c, x, median))
        else:
            out += _far_values(c.name, x, median, deviation, mad)
    notes += _short_notes(short) + _flat_notes(flat)
    return out


def small_sample_factor(n: int) -> float:
    """b_n of the MAD, Croux & Rousseeuw (1992), Computational Statistics 1, 411-428; 1 from ten values."""
    return SMALL_SAMPLE_FACTORS.get(n, 1.0)


def _far_values(name: str, x: Any, median: float, deviation: Any, mad: float) -> list[Json]:
    """The outliers defect of one column, or none."""
    np = sys.modules["numpy"]
    factor = small_sample_factor(int(x.size))
    cut = OUTLIER_Z * MAD_SCALE * factor * mad
    count = int((deviation > cut).sum())
    if not count:
        return []
    worst = float(x[int(np.argmax(deviation))])
    word = "value lies" if count == 1 else "values lie"
    rule = "median ± 3.5 × 1.4826 × MAD" if factor == 1 else \
        f"median ± 3.5 × 1.4826 × {factor} × MAD, {factor} the small-sample factor for {x.size} values"
    return [defect("outliers", name, count,
                   f"column {quoted(name)}: {count:,} {word} outside {_number(median - cut)} to "
                   f"{_number(median + cut)} ({rule}), the farthest {_number(worst)}")]


def _short_notes(short: list[tuple[Column, int]]) -> list[str]:
    """One note for the numeric columns too short for the outlier rule."""
    if not short:
        return []
    need = f"the outlier rule needs at least {OUTLIER_MIN_VALUES}."
    if len(short) == 1:
        c, n = short[0]
        return [f"Column {quoted(c.name)} has {n} values: {need}"]
    sizes = sorted({n for _, n in short})
    span = f"{sizes[0]}" if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"
    names = _listed([quoted(c.name) for c, _ in short], NAMES_SHOWN_MAX)
    return [f"Columns {names} have {span} values: {need}"]


def _flat_notes(flat: list[tuple[Column, Any, float]]) -> list[str]:
    """One note for the numeric columns whose MAD is 0, which the outlier rule cannot judge."""
    if not flat:
        return []
    if len(flat) == 1:
        c, x, median = flat[0]
        # A MAD of 0 means over half the values equal the median.
        same = int((x == median).sum())
        return [f"Column {quoted(c.name)}: {same:,} of {x.size:,} values are {_number(median)}, so its MAD "
                "is 0 and the outlier rule has no robust spread to judge it by."]
    names = _listed([quoted(c.name) for c, _, _ in flat], NAMES_SHOWN_MAX)
    return [f"Columns {names}: over half of each one's values are equal, so their MAD is 0 and the "
            "outlier rule has no robust spread to judge them by."]


def duplicates(columns: list[Column]) -> list[Json]:
    """One defect when rows repeat an earlier row in every read column."""
    if not columns:
        return []
    np = sys.modules["numpy"]
    hashes = row_hashes(columns)
    count = int(hashes.size - np.unique(hashes).size)
    if not count:
        return []
    word = "row repeats" if count == 1 else "rows repeat"
    return [defect("duplicates", None, count, f"{count:,} {word} an earlier row in every column")]


def constant(columns: list[Column]) -> list[Json]:
    """A defect per column whose non-missing values are all one value."""
    np = sys.modules["numpy"]
    out = []
    for c in columns:
        if c.numbers is not None:
            x = c.numbers[~np.isnan(c.numbers)]
            one = x.size > 1 and x.min() == x.max()
            shown = _number(float(x[0])) if one else ""
            rows = int(x.size)
        else:
            present = [v for v in c.values or [] if v is not None]
            one = len(present) > 1 and len(set(present)) == 1
            shown = value_text(present[0]) if one else ""
            rows = len(present)
        if one:
            where = "every non-missing row" if c.missing else "every row"
            out.append(defect("constant", c.name, rows,
                              f"column {quoted(c.name)} holds the one value {shown} in {where}"))
    return out


def imbalance(label: Column, notes: list[str]) -> list[Json]:
    """A defect per class of the label with more than IMBALANCE_RATIO times fewer rows than the largest."""
    counts, distinct = _class_counts(label)
    if distinct > CLASSES_MAX:
        notes.append(f"Label {quoted(label.name)} has {distinct:,} distinct values, more than the "
                     f"{CLASSES_MAX} classes a class label may have, so imbalance was not checked.")
    # One class or none: the constant or missing rule already says so.
    if not 1 < len(counts) <= CLASSES_MAX:
        return []
    ranked = counts.most_common()
    top, top_n = ranked[0]
    rare = [(v, n) for v, n in reversed(ranked) if n * IMBALANCE_RATIO < top_n]
    return [defect("imbalance", label.name, n,
                   f"label {quoted(label.name)}: class {value_text(v)} has {n:,} rows against "
                   f"{top_n:,} of class {value_text(top)} ({top_n / n:.0f}× fewer)")
            for v, n in rare[:RARE_CLASSES_MAX]]


def _class_counts(label: Column) -> tuple[collections.Counter, int]:
    """Rows per class (missing left out; none past CLASSES_MAX numeric classes) and the number of classes."""
    if label.values is not None:
        counts = collections.Counter(v for v in label.values if v is not None)
        return counts, len(counts)
    np = sys.modules["numpy"]
    x = label.numbers[~np.isnan(label.numbers)]
    classes, counts = np.unique(x, return_counts=True)
    if classes.size > CLASSES_MAX:
        return collections.Counter(), int(classes.size)
    found = collections.Counter({_plain_number(float(v)): int(n) for v, n in zip(classes, counts)})
    return found, int(classes.size)


def rows_notes(rows: int) -> list[str]:
    """A note when the dataset has too few rows for the rules that compare rows."""
    if rows == 0:
        return ["The dataset has no rows, so there was nothing to check."]
    if rows == 1:
        return ["The dataset has one row: duplicates and constant columns need at least two."]
    return []


def _plain_number(x: float) -> int | float:
    """A whole float as an int, so a class reads ``1`` rather than ``1.0``."""
    return int(x) if x.is_integer() else x


def leakage(mine: list[Column], theirs: list[Column]) -> list[Json]:
    """One defect when rows of ``mine`` also appear in ``theirs`` (the same columns, in order)."""
    np = sys.modules["numpy"]
    mine, theirs = _alike(mine, theirs)
    count = int(np.isin(row_hashes(mine), row_hashes(theirs)).sum())
    if not count:
        return []
    names = _listed([quoted(c.name) for c in mine], NAMES_SHOWN_MAX)
    word = "row also appears" if count == 1 else "rows also appear"
    return [defect("leakage", None, count, f"{count:,} {word} in the other dataset (compared on {names})")]


def _alike(mine: list[Column], theirs: list[Column]) -> tuple[list[Column], list[Column]]:
    """The two sides with every column read alike: numbers as values where the other side has values."""
    pairs = [(a, b) if (a.numbers is None) == (b.numbers is None) else (_as_values(a), _as_values(b))
             for a, b in zip(mine, theirs)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def _as_values(column: Column) -> Column:
    """A column of numbers as builtin values (NaN missing), for comparison with an object column."""
    if column.numbers is None:
        return column
    values = [None if x != x else x for x in column.numbers.tolist()]
    return replace(column, numbers=None, values=values)


def row_hashes(columns: list[Column]) -> Any:
    """One uint64 per row, from pandas' own hash of float64 numbers and text keys."""
    pd = sys.modules["pandas"]
    data = {i: c.numbers if c.numbers is not None else _keys(c.values or []) for i, c in enumerate(columns)}
    frame = pd.DataFrame(data, copy=False)
    # categorize=False: categorizing factorizes, which hashes; these keys are all plain str anyway.
    return pd.util.hash_pandas_object(frame, index=False, categorize=False).to_numpy()


def _keys(values: Iterable[Any]) -> Any:
    """Type-tagged text per value: numbers equal as Python's are equal, an object by identity."""
    np = sys.modules["numpy"]
    return np.array([_key(v) for v in values], dtype=object)


def _key(value: Any) -> str:
    tp = type(value)
    if tp is str:
        return "s" + value
    if value is None:
        return "n"
    if tp is bool:
        return "b1" if value else "b0"
    if tp is float or (tp is int and abs(value) < 1 << 53):
        return "f" + repr(float(value))
    if tp is int:
        return f"i{value:x}"
    return f"o{value.ident:x}"


def skipped_notes(columns: list[Column]) -> list[str]:
    """A note per column that held objects other than builtin scalars and strings."""
    return [f"Column {quoted(c.name)}: {c.skipped:,} values of other types (such as {c.skipped_type}) were "
            "not compared, only str, int, float, bool and None are."
            for c in columns if c.skipped]
