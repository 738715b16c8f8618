"""A watch of a bare name is read from the scope's dicts, as ``eval`` would read it, with no thread."""

from __future__ import annotations

import threading

from jupyterlab_ml_debugger.probe.watch import rows as watch
from jupyterlab_ml_debugger.probe.budget import Budget


def rows(expressions: list[str], frame_globals: dict, frame_locals: dict) -> list[dict]:
    return watch.watch_rows(expressions, (frame_globals, dict(frame_locals)), Budget(1000), 500)


def test_a_name_is_found_in_locals_then_globals_then_builtins() -> None:
    found = rows(["loss", "step", "len"], {"step": 7, "loss": "global"}, {"loss": 0.25})
    assert [r["number"] for r in found[:2]] == [0.25, 7]
    assert found[2]["kind"] == "function"


def test_an_unbound_name_reads_as_eval_would_say_it() -> None:
    [row] = rows(["missing"], {}, {})
    assert row["kind"] == "error"
    assert row["summary"] == "NameError: name 'missing' is not defined"


def test_a_name_starts_no_thread_and_an_expression_still_runs() -> None:
    started = []
    original = threading.Thread.start

    def counting_start(self: threading.Thread) -> None:
        started.append(self.name)
        original(self)

    threading.Thread.start = counting_start  # type: ignore[method-assign]
    try:
        [name] = rows(["step"], {"step": 3}, {})
        [expression] = rows(["step + 1"], {"step": 3}, {})
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    assert name["number"] == 3 and expression["number"] == 4
    assert started == ["ml-debugger-watch"]
