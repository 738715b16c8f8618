"""Masking what the probe shows: the rules in force (set by the frontend's settings), a Row's value
masked by its name, every string of a reply searched for keys and for secret-named pairs, a table's
and a data check's values masked by their column's name, and Reveal, which suspends it all for the
one value the user asked to see.

Masking reads names and the probe's own text only: never a value's methods. The one value it
looks at is a Row's, and only its type: a str, bytes or bytearray (or a subclass, told by the type's
MRO, no user code) is text that a secret-looking name masks whole.
"""

from __future__ import annotations

import functools
import re
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping

from .detector import DEFAULT_NAMES, NAME_MASK, NameRule, mask_pairs, mask_shapes
from .expression_reads import names_read

Json = dict[str, Any]
Op = Callable[[Json], Json]

NAMES_MAX = 100
PATTERN_MAX = 200
# Texts whose masked form is remembered, and the longest one remembered.
REMEMBERED_MAX = 4096
REMEMBERED_LENGTH_MAX = 2000

_mro = type.__dict__["__mro__"].__get__
_UNSEEN = object()
_TEXT_TYPES = (str, bytes, bytearray)


class _Rules:
    """The masking in force: on or off, and the name rule. Replaced whole, so readers on other
    threads (a breakpoint's hit on the user's thread) see one or the other, never half of each."""

    def __init__(self, on: bool, names: tuple[str, ...]) -> None:
        self.on = on
        self.names = NameRule(names)
        # The same texts come back at every refresh (paths, names, source lines, summaries that did
        # not move): each one's masked form, or None when masking leaves it as it is; bounded. One
        # table for whole texts and one for texts cut short.
        self.masked: dict[str, str | None] = {}
        self.masked_cut: dict[str, str | None] = {}


_rules = _Rules(True, DEFAULT_NAMES)
_local = threading.local()


def configure(on: bool, names: list[str] | tuple[str, ...] | None = None) -> Json:
    """Set the masking in force for every later reply; returns it as ``{"on", "names"}``."""
    global _rules
    _rules = _Rules(on, tuple(DEFAULT_NAMES if names is None else names))
    return settings()


def settings() -> Json:
    """The masking in force: ``{"on": bool, "names": [str]}``."""
    rules = _rules
    return {"on": rules.on, "names": list(rules.names.patterns)}


def active() -> bool:
    """Whether this thread's text is masked now (on, and not answering a Reveal)."""
    return _rules.on and not getattr(_local, "revealing", False)


@contextmanager
def revealing() -> Iterator[None]:
    """Within it, this thread's summaries are made unmasked: a Reveal the user asked for."""
    before = getattr(_local, "revealing", False)
    _local.revealing = True
    try:
        yield
    finally:
        _local.revealing = before


def is_text(value: object) -> bool:
    """True for a str, bytes or bytearray, or an instance of a subclass (read from its type's MRO)."""
    return any(cls in _TEXT_TYPES for cls in _mro(type(value)))


def secret_name(name: str) -> bool:
    """True when masking is active and ``name`` (a table's column) looks like it holds a secret."""
    return active() and _rules.names.matches(name)


def secret_expression(expression: str) -> bool:
    """True when masking is active and ``expression`` (a value's name, a watch, a recorded value) looks
    like it holds a secret: by the name rule, or because a name, attribute or key it reads does."""
    if not active():
        return False
    rule = _rules.names
    return rule.matches(expression) or any(rule.matches(read) for read in names_read(expression))


def mask_text(value: str, cut: bool = False) -> str:
    """``value`` with its key-shaped parts and the quoted values of secret-looking names masked
    (the same object when there is none); always, whether masking is active or not. ``cut``: the
    text was cut short at its end without the cut mark."""
    rules = _rules
    # A str subclass could hash by its own code: only plain text is looked up.
    if type(value) is not str or len(value) > REMEMBERED_LENGTH_MAX:
        return mask_pairs(mask_shapes(value, cut), rules.names)
    remembered = rules.masked_cut if cut else rules.masked
    known = remembered.get(value, _UNSEEN)
    if known is _UNSEEN:
        masked = mask_pairs(mask_shapes(value, cut), rules.names)
        known = None if masked is value else masked
        if len(remembered) >= REMEMBERED_MAX:
            remembered.clear()
        remembered[value] = known
    return value if known is None else known


def text(value: str, cut: bool = False) -> str:
    """``value`` masked by :func:`mask_text` when masking is active."""
    return mask_text(value, cut) if active() else value


def named_text(name: str, value: object, shown: str, cut: bool = False) -> str:
    """What to show for ``value``, named ``name`` and shown as ``shown``: masked whole when it is text
    under a secret-looking name, else by :func:`text`."""
    if is_text(value) and secret_expression(name):
        return NAME_MASK
    return text(shown, cut)


def mask_shown(row: Json) -> Json:
    """A Row with its name, summary and error masked by :func:`mask_text`; ``masked`` says whether
    the value's text (summary or error) was."""
    if not active():
        return row
    row["name"] = mask_text(row["name"])
    for key in ("summary", "error"):
        shown = row[key]
        if type(shown) is str:
            masked = mask_text(shown)
            if masked is not shown:
                row[key] = masked
                row["masked"] = True
    return row


def mask_named(row: Json, name: str, value: object) -> Json:
    """A Row whose value is text under a secret-looking name or expression, masked whole."""
    if is_text(value) and secret_expression(name):
        row["summary"] = NAME_MASK
        row["masked"] = True
    return row


# What a reply holds that has no text in it: left where it is without a call.
_NO_TEXT = frozenset({int, float, bool, type(None)})


def mask_tree(value: Any) -> Any:
    """Every string in a reply (keys too) masked by :func:`mask_text`, in place where it can.

    A Threads or Counters reply is hundreds of numbers and the same strings at every refresh:
    only what changes is written back, and numbers are passed over where they are found."""
    kind = type(value)
    if kind is str:
        return mask_text(value)
    if kind is dict:
        for key, item in list(value.items()):
            masked_key = mask_text(key) if type(key) is str else key
            masked = item if type(item) in _NO_TEXT else mask_tree(item)
            if masked_key is not key:
                del value[key]
                value[masked_key] = masked
            elif masked is not item:
                value[key] = masked
        return value
    if kind is list:
        for index, item in enumerate(value):
            if type(item) not in _NO_TEXT:
                masked = mask_tree(item)
                if masked is not item:
                    value[index] = masked
        return value
    if kind is tuple:
        return tuple(mask_tree(item) for item in value)
    return value


# A quoted text as Python's repr writes it, in single or double quotes.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')


def _values_masked(message: str) -> str:
    """``message`` with every quoted text but the first (the column's name) masked."""
    seen: list[int] = []

    def one(found: re.Match[str]) -> str:
        seen.append(1)
        return found.group(0) if len(seen) == 1 else NAME_MASK

    return _QUOTED.sub(one, message)


def table_columns(table: Json) -> Json:
    """A Table's cells, minimum and maximum masked in each column whose name looks secret."""
    columns = table.get("columns") or []
    hidden = [i for i, column in enumerate(columns) if secret_name(str(column.get("name", "")))]
    for i in hidden:
        for cells in (*table.get("head", []), *table.get("tail", [])):
            if i < len(cells):
                cells[i] = NAME_MASK
        for key in ("min", "max"):
            if columns[i].get(key) is not None:
                columns[i][key] = NAME_MASK
    return table


def defect_columns(report: Json) -> Json:
    """DataDefects with every quoted value masked in what is said about a column whose name looks
    secret; the column's own name (the first quoted text) stays."""
    for found in report.get("defects", []):
        column = found.get("column")
        if type(column) is str and secret_name(column):
            found["message"] = _values_masked(found["message"])
    return report


def masking(ops: Mapping[str, Op], by_name: Mapping[str, Callable[[Json], Json]] | None = None) -> dict[str, Op]:
    """``ops`` whose replies have every string masked by :func:`mask_text` and, for the ops in
    ``by_name``, what that function masks by name too: for replies whose text is not all Rows."""
    extra = by_name or {}
    return {op: _masked(run, extra.get(op)) for op, run in ops.items()}


def _masked(run: Op, by_name: Callable[[Json], Json] | None) -> Op:
    @functools.wraps(run)
    def masked(args: Json) -> Json:
        result = run(args)
        if not active():
            return result
        if by_name is not None:
            result = by_name(result)
        return mask_tree(result)

    return masked
