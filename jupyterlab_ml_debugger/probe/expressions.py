"""The user's expressions: compiled with ``:=`` refused, run with a deadline, and their failures as text.

Shared by every feature that runs what the user typed: watch expressions, breakpoint
conditions and recorded values, and a request's target given as an expression.
"""

from __future__ import annotations

import ast
import threading
from types import CodeType
from typing import Any, Mapping

from . import protocol, safe_text, source_parse
from .stack import last_error

DEFAULT_EXPRESSION_BUDGET_MS = 500
EXPRESSION_MAX = 1_000


class ExpressionTimeout(TimeoutError):
    """An expression that did not return within its budget."""


def run_with_deadline(code: CodeType, frame_globals: Mapping[str, Any], frame_locals: dict[str, Any],
                      timeout_ms: float) -> Any:
    """``eval(code)`` in a daemon thread; raises what it raised, or ExpressionTimeout."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = eval(code, frame_globals, frame_locals)  # noqa: S307 - the user's own watch
        except BaseException as err:  # the user's expression failing is a fact about it
            box["error"] = err
        finally:
            done.set()

    thread = threading.Thread(target=run, name="ml-debugger-watch", daemon=True)
    # Like the subshell it is started from, the watch must never stop at the user's breakpoints.
    thread.pydev_do_not_trace = True  # type: ignore[attr-defined]
    thread.start()
    if not done.wait(max(0.0, timeout_ms) / 1000.0):
        raise ExpressionTimeout(f"did not return within {timeout_ms:g} ms; simplify the expression")
    if "error" in box:
        raise box["error"]
    return box["value"]


def compile_expression(text: str, what: str = "expression") -> CodeType:
    """``text`` compiled for ``eval``; SyntaxError (the parser's own) when it cannot be."""
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        tree = source_parse.parse(body, f"<breakpoint {what}>", "eval")
    except SyntaxError as err:
        if err.lineno == 1 and err.offset is not None:
            err.offset += lead  # point into the text the user typed, not the stripped one
        raise
    except (RecursionError, MemoryError) as err:  # hundreds of nested brackets or signs
        raise SyntaxError("it nests too deeply for Python to compile; split it into simpler watches") from err
    except ValueError as err:  # a null character, which the parser refuses before parsing
        raise SyntaxError(f"{err}; remove it") from err
    for node in ast.walk(tree):
        if isinstance(node, ast.NamedExpr):
            err = SyntaxError("assignment expressions (:=) would change your variables; "
                              "breakpoint expressions only read them")
            err.lineno, err.offset = node.lineno, node.col_offset + 1 + (lead if node.lineno == 1 else 0)
            raise err
    # From the text, not the tree: turning the tree back into the compiler's form shares the
    # same per-interpreter counter as parsing (see source_parse).
    try:
        return compile(body, f"<breakpoint {what}>", "eval", dont_inherit=True)
    except (RecursionError, MemoryError) as err:
        raise SyntaxError("it nests too deeply for Python to compile; split it into simpler watches") from err


def error_text(err: BaseException) -> str:
    """``NameError: name 'x' is not defined``, bounded; never fails, and never runs the exception's
    own ``__str__`` (a user's exception class may hang or raise in it)."""
    try:
        text = last_error.exception_text(err)
    except Exception:
        text = f"{last_error.exception_type_name(type(err))}: (message unavailable)"
    return safe_text.cap(text, protocol.SUMMARY_MAX)
