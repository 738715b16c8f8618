"""A watch or a thread's source survives IPython parsing a cell in another thread at the same moment."""

from __future__ import annotations

import ast

import pytest

from jupyterlab_ml_debugger.probe import expressions, source_parse

RACE = SystemError("AST constructor recursion depth mismatch (before=72, after=68)")


def collide(monkeypatch: pytest.MonkeyPatch, times: int, error: SystemError = RACE) -> list[str]:
    """ast.parse fails ``times`` times as it does when another thread parses at once, then parses."""
    real = ast.parse
    calls: list[str] = []

    def parse(source: str, *args: object, **kwargs: object) -> ast.AST:
        calls.append(source)
        if len(calls) <= times:
            raise error
        return real(source, *args, **kwargs)

    monkeypatch.setattr(source_parse.ast, "parse", parse)
    return calls


def test_a_watch_expression_compiles_though_a_parse_collided(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = collide(monkeypatch, 2)
    code = expressions.compile_expression("loss * 2")
    assert eval(code, {"loss": 3}) == 6
    assert len(calls) == 3


def test_a_parse_that_keeps_colliding_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    collide(monkeypatch, source_parse.ATTEMPTS)
    with pytest.raises(SystemError, match="recursion depth mismatch"):
        source_parse.parse("x + 1")


def test_another_system_error_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = collide(monkeypatch, 1, SystemError("something else"))
    with pytest.raises(SystemError, match="something else"):
        source_parse.parse("x + 1")
    assert len(calls) == 1


def test_walrus_is_still_refused_with_its_column() -> None:
    with pytest.raises(SyntaxError, match="would change your variables") as raised:
        expressions.compile_expression("  (y := 2)")
    assert raised.value.offset == 4
