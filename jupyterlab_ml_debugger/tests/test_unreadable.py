"""Reads that fail: a race with the running cell is read again once and then said in words; a value
that cannot be read is named by its path."""

from __future__ import annotations

import pytest
import torch

from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects import containers, unreadable
from jupyterlab_ml_debugger.probe.variables import children as children_mod

RACE = RuntimeError("dictionary changed size during iteration")
ROOT = [{"kind": "name", "name": "d"}]


def failing(times: int, err: Exception) -> tuple[list[int], object]:
    """A read that raises ``err`` on its first ``times`` calls, then answers 42; and its call count."""
    calls = [0]

    def read() -> int:
        calls[0] += 1
        if calls[0] <= times:
            raise err
        return 42

    return calls, read


def test_a_race_is_read_again_once() -> None:
    calls, read = failing(1, RACE)
    assert unreadable.twice(read) == 42 and calls == [2]


def test_a_second_race_is_said_in_words() -> None:
    calls, read = failing(2, RuntimeError("deque mutated during iteration"))
    with pytest.raises(unreadable.Changing, match="changing while read; refresh to try again"):
        unreadable.twice(read)
    assert calls == [2]


def test_any_other_failure_is_not_read_again() -> None:
    calls, read = failing(1, RuntimeError("CUDA error"))
    with pytest.raises(RuntimeError, match="CUDA error"):
        unreadable.twice(read)
    assert calls == [1]


def test_notes_name_the_path_and_why() -> None:
    assert unreadable.note("model.x", ValueError("bad")) == "model.x could not be read (ValueError: bad)"
    assert unreadable.note("logs", RACE) == "logs was changing while read; refresh to try again"
    assert unreadable.notes_text(["a", "b", "c", "d"], shown=2) == "a; b; and 2 more"


def test_children_of_a_container_that_keeps_changing_are_one_row_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def racing(value: object) -> object:
        raise RACE

    monkeypatch.setattr(containers, "items", racing)
    rows, truncated = children_mod.children({"a": 1}, ROOT, Budget(500))
    assert [(r["name"], r["kind"], r["summary"], r["path"]) for r in rows] == [
        ("(changing)", "error", unreadable.CHANGING, ROOT)]
    assert truncated is False


def test_children_of_a_value_that_cannot_list_its_parts_are_one_row_saying_why() -> None:
    nested = torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)])
    (row,), _ = children_mod.children(nested, ROOT, Budget(500))
    assert (row["name"], row["kind"]) == ("(unreadable)", "error")
    assert row["summary"].startswith("could not list its parts: RuntimeError:")
