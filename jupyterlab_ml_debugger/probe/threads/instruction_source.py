"""The expression at a frame's current instruction, parsed from that expression's own text.

Where positions are known (Python 3.11 on), the current instruction's span cuts its
expression out of the source and only that text is parsed: a live poll that meets a
thread in a 7,000-line library file parses one call, not the file (parsing the file held
the GIL for about 150 ms, a stall of the running cell each time a new file came on top).
Without positions, the file's index (``wait_source.index_of``) answers as before.
"""

from __future__ import annotations

import ast
import threading
from types import FrameType

from .. import safe_text, source_parse
from . import wait_source
from .wait_source import WAIT_METHODS, Expr, Span

_CACHE_MAX = 4096
# (file, span) -> (the lines parsed, the expression there or None when it is not one).
_cache: dict[tuple[str, Span], tuple[list[str], ast.expr | None]] = {}
_cache_lock = threading.Lock()


def exprs_at(frame: FrameType) -> list[Expr]:
    """What the frame is entering (a ``with`` item) or calling a wait method on, as
    ``wait_source.current_exprs`` finds it: at most one where positions are known."""
    here = wait_source.position(frame)
    if here is None:
        index = wait_source.index_of(frame)
        return wait_source.current_exprs(frame, index) if index is not None else []
    lines = wait_source.source_lines(frame)
    node = _node_at(frame.f_code.co_filename, lines, here)
    if node is None:
        return []
    if wait_source.entering_with(frame):
        return [_expr(node, lines, here)]
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in WAIT_METHODS:
        return [_expr(node.func.value, lines, here)]
    return []


def callee_at(frame: FrameType) -> Expr | None:
    """The callee of the call at the frame's current instruction (``time.sleep`` in
    ``time.sleep(1)``); None when the instruction is not a call's."""
    here = wait_source.position(frame)
    if here is None:
        index = wait_source.index_of(frame)
        return wait_source.current_callee(frame, index) if index is not None else None
    lines = wait_source.source_lines(frame)
    node = _node_at(frame.f_code.co_filename, lines, here)
    if type(node) is not ast.Call:
        return None
    return _expr(node.func, lines, here)


def _node_at(filename: str, lines: list[str], span: Span) -> ast.expr | None:
    """The expression written at ``span`` of ``lines``; None when the text there is not one."""
    key = (filename, span)
    with _cache_lock:
        cached = _cache.get(key)
    # linecache hands out the same list until the file is reloaded: identity is its version.
    if cached is not None and cached[0] is lines:
        return cached[1]
    node = _parse(wait_source.segment(lines, span))
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (lines, node)
    return node


def _parse(text: str) -> ast.expr | None:
    if not text:
        return None
    try:
        tree = source_parse.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError, SystemError):
        return None
    return tree.body if type(tree) is ast.Expression else None


def _expr(node: ast.expr, lines: list[str], base: Span) -> Expr:
    """``node`` of the text cut at ``base`` as an Expr of the file: its span moved to the file's lines
    and columns (the first line of the text starts ``base``'s column in)."""
    span = _moved(node, base)
    text = wait_source.segment(lines, span) or type(node).__name__
    return Expr(safe_text.cap(" ".join(text.split()), wait_source.LABEL_MAX), wait_source.chain(node), span)


def _moved(node: ast.expr, base: Span) -> Span:
    line, col = base[0], base[1]
    end_line = node.end_lineno or node.lineno
    end_col = node.end_col_offset or 0
    return (line + node.lineno - 1, node.col_offset + (col if node.lineno == 1 else 0),
            line + end_line - 1, end_col + (col if end_line == 1 else 0))
