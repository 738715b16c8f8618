"""Breakpoint-action specs: checked, their expressions compiled once, and the hit-count rule.

Expressions are Python ``eval`` expressions run in the user's frame; an assignment
expression (``:=``) is refused because it would write into the user's namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import CodeType
from typing import Any, Union

from ..expressions import compile_expression

Json = dict[str, Any]

ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
HIT_MODES = ("eq", "ge", "every")
SPEC_KEYS = ("id", "condition", "hit", "log", "record", "check_tensors", "stop_when_changed",
             "continue", "once")
RECORD_MAX = 16

LogPart = Union[str, tuple[str, CodeType]]


class SpecError(ValueError):
    """A spec that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Spec:
    """One breakpoint's actions, with every expression compiled."""

    id: str
    source: tuple  # the normalised spec: equal sources mean an unchanged breakpoint
    condition: CodeType | None
    hit: tuple[str, int] | None
    log: tuple[LogPart, ...] | None
    record: tuple[tuple[str, CodeType], ...]
    check_tensors: bool
    changed: tuple[str, CodeType] | None
    keep_going: bool
    once: bool


def validate(text: Any, mode: str = "eval") -> Json:
    """``{"ok", "message", "line", "offset"}`` for an expression (mode "eval") or a log template ("log")."""
    if not isinstance(text, str):
        return {"ok": False, "message": "the expression must be text", "line": None, "offset": None}
    try:
        if mode == "log":
            parse_log(text)
        elif mode == "eval":
            if not text.strip():
                raise SyntaxError("the expression is empty")
            compile_expression(text)
        else:
            return {"ok": False, "message": f"unknown mode {mode!r}: use eval or log",
                    "line": None, "offset": None}
    except SyntaxError as err:
        return {"ok": False, "message": str(err.msg), "line": err.lineno, "offset": err.offset}
    return {"ok": True, "message": None, "line": None, "offset": None}


def parse_log(template: str) -> tuple[LogPart, ...]:
    """Split ``"step {i}: loss {loss}"``-style text into literal strings and compiled ``{expression}`` parts.

    ``{{`` and ``}}`` stand for braces; braces inside an expression (a dict literal) nest.
    """
    parts: list[LogPart] = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch in "{}" and template[i + 1:i + 2] == ch:
            literal.append(ch)
            i += 2
        elif ch == "}":
            raise _log_error("a single '}' has no '{': write '}}' for a brace", i)
        elif ch == "{":
            end = _closing_brace(template, i)
            text = template[i + 1:end]
            if not text.strip():
                raise _log_error("an empty {} has no expression", i)
            try:
                code = compile_expression(text, "log")
            except SyntaxError as err:
                raise _log_error(f"in {{{text}}}: {err.msg}", i + (err.offset or 1)) from None
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append((text.strip(), code))
            i = end + 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _closing_brace(template: str, start: int) -> int:
    depth = 0
    for j in range(start, len(template)):
        if template[j] == "{":
            depth += 1
        elif template[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise _log_error("a '{' is never closed: write '{{' for a brace", start)


def _log_error(message: str, index: int) -> SyntaxError:
    err = SyntaxError(message)
    err.lineno, err.offset = 1, index + 1
    return err


def check_id(value: Any) -> str:
    """A breakpoint id: 1-64 letters, digits or ``_.:-`` (it is quoted into a condition)."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise SpecError("a breakpoint id is 1-64 letters, digits or _ . : -")
    return value


def parse_spec(raw: Any) -> Spec:
    """The compiled Spec for one frontend spec dict; SpecError says what is wrong."""
    if not isinstance(raw, dict):
        raise SpecError("a breakpoint spec must be an object")
    bp_id = check_id(raw.get("id"))
    unknown = sorted(set(raw) - set(SPEC_KEYS))
    if unknown:
        raise SpecError(f"unknown spec keys: {', '.join(unknown)}")
    condition = _optional_text(raw, "condition")
    log = raw.get("log")
    if log is not None and not isinstance(log, str):
        raise SpecError("log must be text or null")
    record = raw.get("record") or []
    if not isinstance(record, list) or not all(isinstance(r, str) and r.strip() for r in record):
        raise SpecError("record must be a list of expressions")
    if len(record) > RECORD_MAX:
        raise SpecError(f"record at most {RECORD_MAX} expressions")
    changed = _optional_text(raw, "stop_when_changed")
    flags = {key: _flag(raw, key) for key in ("check_tensors", "continue", "once")}
    hit = _hit(raw.get("hit"))
    record_texts = tuple(dict.fromkeys(r.strip() for r in record))
    return Spec(
        id=bp_id,
        source=(condition, hit, log, record_texts, changed, *flags.values()),
        condition=_compiled(condition, "condition"),
        hit=hit,
        log=None if log is None else _compiled_log(log),
        record=tuple((text, _compiled(text, "record")) for text in record_texts),
        check_tensors=flags["check_tensors"],
        changed=None if changed is None else (changed, _compiled(changed, "stop_when_changed")),
        keep_going=flags["continue"],
        once=flags["once"],
    )


def hit_matches(hit: tuple[str, int] | None, count: int) -> bool:
    """Whether hit number ``count`` (1-based) passes the rule: eq N, ge N (from N on), every Nth."""
    if hit is None:
        return True
    mode, n = hit
    if mode == "eq":
        return count == n
    if mode == "ge":
        return count >= n
    return count % n == 0


def _hit(raw: Any) -> tuple[str, int] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("mode") not in HIT_MODES:
        raise SpecError("hit must be null or {mode: eq | ge | every, n: int}")
    n = raw.get("n")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise SpecError("the hit count n must be a whole number of at least 1")
    return raw["mode"], n


def _optional_text(raw: Json, key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SpecError(f"{key} must be text or null")
    return value.strip() or None


def _flag(raw: Json, key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise SpecError(f"{key} must be true or false")
    return value


def _compiled(text: str | None, what: str) -> Any:
    if text is None:
        return None
    try:
        return compile_expression(text, what)
    except SyntaxError as err:
        raise SpecError(f"{what} {text!r} does not compile: {err.msg}") from None


def _compiled_log(template: str) -> tuple[LogPart, ...]:
    try:
        return parse_log(template)
    except SyntaxError as err:
        raise SpecError(f"log message: {err.msg}") from None
