"""What an expression reads: the names, attributes and string keys in a watch or a recorded
expression, so that ``api_token.upper()`` or ``config["hf_token"]`` is masked as ``api_token`` and
``hf_token`` are. Read from the parsed source only; nothing here runs the expression.

Read are: every name (``api_token`` in ``f"Bearer {api_token}"``), every attribute
(``password`` in ``creds.password.strip()``), every str or bytes key of a subscript
(``MY_SERVICE_TOKEN`` in ``os.environ["MY_SERVICE_TOKEN"]``) and the str or bytes key given to a
call that reads by key: ``get``, ``getenv``, ``getattr`` (``config.get("hf_token")``,
``os.getenv("HF_TOKEN")``, ``getattr(creds, "password")``).
"""

from __future__ import annotations

import ast
import functools

from .. import source_parse

# Longer text is no expression the probe runs (a watch or a recorded expression has at most 1,000
# characters): it is not parsed.
SOURCE_MAX = 1_000
# A call that reads by key, and which of its arguments is the key.
_KEY_CALLS = {"get": 0, "getenv": 0, "getattr": 1}


def names_read(expression: str) -> tuple[str, ...]:
    """The names, attributes and keys ``expression`` reads; none when it does not parse."""
    if expression.isidentifier():
        return (expression,)
    if len(expression) > SOURCE_MAX:
        return ()
    return _parsed_reads(expression)


@functools.lru_cache(maxsize=1024)
def _parsed_reads(expression: str) -> tuple[str, ...]:
    """:func:`names_read` of text that needs a parse; the same expressions come back at every poll."""
    try:
        tree = source_parse.parse(expression.strip(), "<watch>", "eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        for name in _reads(node):
            found[name] = None
    return tuple(found)


def _reads(node: ast.AST) -> tuple[str, ...]:
    """What one node of the tree reads by name."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute):
        return (node.attr,)
    if isinstance(node, ast.Subscript):
        return _key(node.slice)
    if isinstance(node, ast.Call):
        at = _KEY_CALLS.get(_called(node.func))
        return _key(node.args[at]) if at is not None and at < len(node.args) else ()
    return ()


def _called(func: ast.expr) -> str:
    """The name a call is made by: ``get`` for ``config.get(...)``, ``getattr`` for ``getattr(...)``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _key(node: ast.AST) -> tuple[str, ...]:
    """A str or bytes constant as the key it names; nothing for any other node."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
        return (node.value.decode("latin-1"),)
    return ()
