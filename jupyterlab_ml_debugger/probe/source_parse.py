"""``ast.parse`` that survives the interpreter parsing in another thread at the same time.

Python 3.11 and early 3.12 keep the AST constructor's recursion counter in state that
all threads share. When the probe parses (a watch expression, the source of a thread's
frame) while IPython parses a cell in the main thread, either parse may fail with
``SystemError: AST constructor recursion depth mismatch``, though both sources are
fine. The counter is reset at the start of every parse, so parsing again succeeds.
"""

from __future__ import annotations

import ast

# Parses of the same source before the error is let through.
ATTEMPTS = 5
_RACE = "recursion depth mismatch"


def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse(source, filename, mode)``, parsed again when another thread's parse collided with it."""
    for _ in range(ATTEMPTS - 1):
        try:
            return ast.parse(source, filename, mode)
        except SystemError as err:
            if _RACE not in str(err):
                raise
    return ast.parse(source, filename, mode)
