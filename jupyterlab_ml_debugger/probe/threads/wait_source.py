"""Where a frame stands in its source: the ``with`` items and wait calls at its current
instruction, the ``with`` blocks it is inside, and the objects their expressions name.

Source comes from ``linecache`` alone (nothing imported or run); an expression is
resolved only when it is a plain name or dotted attribute chain, by dict lookups in the
frame's locals, globals and builtins and in instance dicts, never by ``getattr``.
"""

from __future__ import annotations

import ast
import dis
import itertools
import linecache
import threading
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Iterator

from .. import safe_text, source_parse
from ..objects import attributes

Span = tuple[int, int, int, int]  # lineno, col, end_lineno, end_col (columns in UTF-8 bytes, as ast)

LABEL_MAX = 100
# A file this long is not parsed: its frames' waits stay unresolved rather than slow the probe.
SOURCE_LINES_MAX = 20_000
_INDEX_CACHE_MAX = 256
# Calls a thread blocks in, or through which a caller reaches a blocking library frame.
WAIT_METHODS = frozenset({"acquire", "get", "put", "wait", "wait_for", "join"})
WITH_OPS = frozenset(dis.opmap[n] for n in ("BEFORE_WITH", "BEFORE_ASYNC_WITH", "SETUP_WITH", "SETUP_ASYNC_WITH")
                      if n in dis.opmap)
_CACHE_OP = dis.opmap.get("CACHE")
MISSING = object()


@dataclass(frozen=True)
class Expr:
    """An expression as written: its text, its dotted-name chain (None when not one) and span."""

    text: str
    chain: tuple[str, ...] | None
    span: Span


@dataclass(frozen=True)
class WithBlock:
    """A ``with`` statement: its span, its items' expressions, and the scope it runs in."""

    span: Span
    items: tuple[Expr, ...]
    scope: int  # first line of the enclosing def or class (decorators included); 0 for a module


@dataclass
class SourceIndex:
    """The ``with`` blocks and wait calls of one file, found once per version of its lines."""

    withs: list[WithBlock] = field(default_factory=list)
    # The expression named at a span: a ``with`` item's own span, or a wait call's span -> its receiver.
    named: dict[Span, list[Expr]] = field(default_factory=dict)
    # Every call's span -> its callee's span and name chain; the text is cut from the lines when asked.
    calls: dict[Span, tuple[Span, tuple[str, ...] | None]] = field(default_factory=dict)


_cache: dict[str, tuple[list[str], SourceIndex | None]] = {}
_cache_lock = threading.Lock()


def source_lines(frame: FrameType) -> list[str]:
    """The frame's file as linecache has it ([] when unknown); never loads a module to find it."""
    try:
        return linecache.getlines(frame.f_code.co_filename)
    except Exception:  # an unreadable file is source not available
        return []


def code_line(frame: FrameType, limit: int) -> str | None:
    """The stripped source of the frame's current line, or None when the source is unknown."""
    lines = source_lines(frame)
    line = frame.f_lineno or 0
    if not 0 < line <= len(lines):
        return None
    return safe_text.cap(lines[line - 1].strip(), limit)


def index_of(frame: FrameType) -> SourceIndex | None:
    """The index of the frame's file, or None when its source is unknown or does not parse."""
    lines = source_lines(frame)
    if not lines or len(lines) > SOURCE_LINES_MAX:
        return None
    filename = frame.f_code.co_filename
    with _cache_lock:
        cached = _cache.get(filename)
    # linecache hands out the same list until the file is reloaded: identity is its version.
    if cached is not None and cached[0] is lines:
        return cached[1]
    built = _build_index(lines)
    with _cache_lock:
        if len(_cache) >= _INDEX_CACHE_MAX:
            _cache.clear()
        _cache[filename] = (lines, built)
    return built


def _build_index(lines: list[str]) -> SourceIndex | None:
    index = SourceIndex()
    try:
        _collect(source_parse.parse("".join(lines)), lines, 0, index)
    except (SyntaxError, ValueError, RecursionError, MemoryError, SystemError):
        return None
    return index


def _collect(node: ast.AST, lines: list[str], scope: int, index: SourceIndex) -> None:
    """Walk the tree once, remembering each ``with`` with its scope and each wait-method call."""
    for child in ast.iter_child_nodes(node):
        inner = scope
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = min([child.lineno, *(d.lineno for d in child.decorator_list)])
        elif isinstance(child, (ast.With, ast.AsyncWith)):
            items = tuple(_expr(i.context_expr, lines) for i in child.items)
            index.withs.append(WithBlock(_span(child), items, scope))
            for item in items:
                index.named.setdefault(item.span, []).append(item)
        elif isinstance(child, ast.Call):
            index.calls[_span(child)] = (_span(child.func), chain(child.func))
            if isinstance(child.func, ast.Attribute) and child.func.attr in WAIT_METHODS:
                index.named.setdefault(_span(child), []).append(_expr(child.func.value, lines))
        _collect(child, lines, inner, index)


def _span(node: Any) -> Span:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0)


def _expr(node: ast.expr, lines: list[str]) -> Expr:
    span = _span(node)
    text = segment(lines, span) or type(node).__name__
    return Expr(safe_text.cap(" ".join(text.split()), LABEL_MAX), chain(node), span)


def segment(lines: list[str], span: Span) -> str:
    """The source text of a span (``ast.get_source_segment`` splits the whole file on each call)."""
    line, col, end_line, end_col = span
    if not 0 < line <= end_line <= len(lines):
        return ""
    if line == end_line:
        return lines[line - 1].encode()[col:end_col].decode(errors="replace")
    parts = [lines[line - 1].encode()[col:].decode(errors="replace"), *lines[line:end_line - 1],
             lines[end_line - 1].encode()[:end_col].decode(errors="replace")]
    return "".join(parts)


def chain(node: ast.expr) -> tuple[str, ...] | None:
    """``self._lock`` -> ("self", "_lock"); None for anything but names and attributes."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return (node.id, *reversed(names))


def position(frame: FrameType) -> Span | None:
    """The span of the frame's current instruction; when it enters a ``with``, the span of
    the manager expression just loaded (the statement's own span would not say which item)."""
    code = frame.f_code
    lasti = frame.f_lasti
    if lasti < 0 or not hasattr(code, "co_positions"):
        return None
    raw = code.co_code
    unit = lasti // 2
    if entering_with(frame):
        unit -= 1
        while unit > 0 and raw[unit * 2] == _CACHE_OP:
            unit -= 1
    found = next(itertools.islice(code.co_positions(), max(unit, 0), None), None)
    if found is None or None in found:
        return None
    line, end_line, col, end_col = found
    return (line, col, end_line, end_col)


def entering_with(frame: FrameType) -> bool:
    """Whether the frame's current instruction enters a ``with`` (its manager is being entered)."""
    raw = frame.f_code.co_code
    at = frame.f_lasti - frame.f_lasti % 2
    return 0 <= at < len(raw) and raw[at] in WITH_OPS


def _scope_of(frame: FrameType) -> int:
    code = frame.f_code
    return 0 if code.co_name == "<module>" else code.co_firstlineno


def current_exprs(frame: FrameType, index: SourceIndex) -> list[Expr]:
    """The expressions the frame is entering (a ``with`` item) or calling a wait method on.

    Exactly the one at the current instruction when positions are known (a frame sleeping
    on a line that also takes a lock is not taking it); else every one on the current line.
    """
    here = position(frame)
    if here is not None:
        return list(index.named.get(here, ()))
    line = frame.f_lineno or 0
    return [e for span, found in index.named.items() if span[0] <= line <= span[2] for e in found]


def current_callee(frame: FrameType, index: SourceIndex) -> Expr | None:
    """The callee of the call at the frame's current instruction (``time.sleep`` in
    ``time.sleep(1)``); None when the instruction is not a call's. Without positions
    (Python 3.10), the one call written on the current line, if there is only one."""
    here = position(frame)
    if here is not None:
        found = index.calls.get(here)
    else:
        line = frame.f_lineno or 0
        on_line = [call for span, call in index.calls.items() if span[0] == line == span[2]]
        found = on_line[0] if len(on_line) == 1 else None
    if found is None:
        return None
    span, chain = found
    text = segment(source_lines(frame), span) or "?"
    return Expr(safe_text.cap(" ".join(text.split()), LABEL_MAX), chain, span)


def held_exprs(frame: FrameType, index: SourceIndex) -> Iterator[Expr]:
    """The ``with`` items of the frame's own code whose block the frame is inside now."""
    here = position(frame)
    line = frame.f_lineno or 0
    # Without a column the current line only counts once past an item's last line.
    point = (here[0], here[1]) if here is not None else (line, -1)
    scope = _scope_of(frame)
    for block in index.withs:
        if block.scope != scope or not block.span[0] <= point[0] <= block.span[2]:
            continue
        for item in block.items:
            if point > (item.span[2], item.span[3]):
                yield item


def resolve(expr: Expr, frame: FrameType) -> Any:
    """The object a name chain names in the frame, found by dict lookups only; MISSING if not."""
    return resolve_chain(expr.chain, frame) if expr.chain is not None else MISSING


def resolve_chain(chain: tuple[str, ...], frame: FrameType) -> Any:
    """The object a dotted name names in the frame, by dict lookups only; MISSING if not."""
    head, *rest = chain
    value = MISSING
    for scope in (frame_locals(frame), frame.f_globals, frame.f_builtins):
        if type(scope) is dict and head in scope:
            value = scope[head]
            break
    for name in rest:
        if value is MISSING:
            break
        value = own_attribute(value, name)
    return value


def frame_locals(frame: FrameType) -> Any:
    """The frame's locals as a mapping; a module-level frame's are its globals."""
    found = frame.f_locals
    # Python 3.13's proxy is a mapping written in C: copying it runs nothing of the user's.
    return found if type(found) is dict else dict(found)


def own_attribute(obj: Any, name: str) -> Any:
    """``obj.name`` from its instance (or class) dict only; MISSING when not there.

    No ``isinstance`` either: on a plain object it may read a user ``__class__``.
    """
    found = attributes.instance_dict(obj)
    if found is None:
        return MISSING
    return found.get(name, MISSING)
