"""Postmortem and Exception Stack Trace / Nested Exception in-process: the chain, the frames, their locals."""

from __future__ import annotations

import sys
import traceback

import pytest

from jupyterlab_ml_debugger.probe.postmortem import report as postmortem
from jupyterlab_ml_debugger.probe.stack import last_error
from jupyterlab_ml_debugger.probe.budget import Budget

needs_groups = pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are builtin from Python 3.11")


def caught(fn) -> BaseException:
    """The exception ``fn`` raises, with its traceback."""
    try:
        fn()
    except BaseException as err:  # noqa: BLE001 - the point is to keep whatever it raised
        return err
    raise AssertionError("expected an exception")


def shape(exc: BaseException) -> list[tuple[str, str, int]]:
    links, _ = postmortem.chain_links(exc)
    return [(type(link.exc).__name__, link.relation, link.depth) for link in links]


def read_labels() -> None:
    batch = {"images": [0.0] * 4}
    try:
        batch["label"]
    except KeyError as err:
        raise ValueError("bad batch") from err


def handle_then_fail() -> None:
    try:
        {}["label"]
    except KeyError:
        raise RuntimeError("while handling")  # noqa: B904 - the implicit context is the point


def handle_then_hide() -> None:
    try:
        {}["label"]
    except KeyError:
        raise RuntimeError("context hidden") from None


def recurse(depth: int) -> None:
    marker = depth
    if depth == 0:
        raise ValueError("bottom")
    recurse(depth - 1)
    assert marker  # keeps the local alive in every frame


def test_a_cause_follows_the_raised_exception() -> None:
    assert shape(caught(read_labels)) == [("ValueError", "raised", 0), ("KeyError", "cause", 0)]


def test_an_implicit_context_follows_unless_suppressed() -> None:
    assert shape(caught(handle_then_fail)) == [("RuntimeError", "raised", 0), ("KeyError", "context", 0)]
    assert shape(caught(handle_then_hide)) == [("RuntimeError", "raised", 0)]


@needs_groups
def test_group_members_sit_one_level_below_their_group_with_their_own_chains() -> None:
    inner = ExceptionGroup("inner", [TypeError("b")])
    member = caught(read_labels)
    group = ExceptionGroup("outer", [member, inner])
    group.__cause__ = OSError("disk")
    assert shape(group) == [
        ("ExceptionGroup", "raised", 0),
        ("ValueError", "group", 1), ("KeyError", "cause", 1),
        ("ExceptionGroup", "group", 1), ("TypeError", "group", 2),
        ("OSError", "cause", 0),
    ]


def test_a_cycle_built_by_hand_ends_the_chain() -> None:
    first, second = ValueError("a"), KeyError("b")
    first.__context__, second.__context__ = second, first
    links, truncated = postmortem.chain_links(first)
    assert [type(link.exc).__name__ for link in links] == ["ValueError", "KeyError"]
    assert truncated is False


def test_a_long_chain_is_cut_and_says_so() -> None:
    exc = ValueError("0")
    for n in range(1, 30):
        outer = ValueError(str(n))
        outer.__cause__ = exc
        exc = outer
    links, truncated = postmortem.chain_links(exc)
    assert len(links) == postmortem.CHAIN_MAX and truncated is True


def test_an_overridden_cause_attribute_never_runs() -> None:
    class Sneaky(Exception):
        @property
        def __cause__(self):  # type: ignore[override]
            raise AssertionError("the probe read a user property")

    assert shape(Sneaky("x")) == [("Sneaky", "raised", 0)]


def test_frames_are_outermost_first_with_code_and_the_locals_of_user_frames() -> None:
    error = postmortem.postmortem(caught(read_labels), Budget(2000), 150, 40)
    assert error is not None and error["truncated"] is False
    raised, cause = error["chain"]
    assert (raised["type"], raised["text"]) == ("ValueError", "ValueError: bad batch")
    assert [f["name"] for f in raised["frames"]] == ["caught", "read_labels"]
    inner = raised["frames"][-1]
    assert inner["user"] is True
    assert inner["code"] == 'raise ValueError("bad batch") from err'
    rows = {row["name"]: row for row in inner["rows"]}
    assert rows["batch"]["summary"].startswith("dict")
    assert cause["frames"][-1]["code"] == 'batch["label"]'


def test_cut_frames_keep_the_innermost() -> None:
    error = postmortem.postmortem(caught(lambda: recurse(10)), Budget(2000), 150, 3)
    assert error is not None and error["truncated"] is True
    frames = error["chain"][0]["frames"]
    assert [f["name"] for f in frames] == ["recurse"] * 3
    markers = [{r["name"]: r["summary"] for r in f["rows"]}["marker"] for f in frames]
    assert markers == ["2", "1", "0"]


def test_an_exhausted_budget_leaves_rows_out_and_says_so() -> None:
    error = postmortem.postmortem(caught(read_labels), Budget(0), 150, 40)
    assert error is not None and error["truncated"] is True
    assert all(f["rows"] == [] for f in error["chain"][0]["frames"])


def test_no_failed_cell_is_no_error() -> None:
    assert postmortem.postmortem(None, Budget(100), 150, 40) is None


@pytest.mark.parametrize("max_frames", [0, 41, True, "3"])
def test_max_frames_out_of_range_is_a_bad_request(max_frames: object) -> None:
    from jupyterlab_ml_debugger.probe import dispatch as api

    reply = api.handle({"id": 1, "op": "postmortem", "args": {"max_frames": max_frames}})
    assert reply["ok"] is False and reply["error"]["kind"] == "bad-request"


@needs_groups
def test_a_group_reads_as_python_words_it() -> None:
    group = ExceptionGroup("two failures", [ValueError("a"), TypeError("b")])
    assert postmortem.exception_text(group) == "ExceptionGroup: two failures (2 sub-exceptions)"


class Shouting:
    """A value whose ``repr`` and ``str`` must never run."""

    def __repr__(self) -> str:
        raise AssertionError("the probe ran a user __repr__")

    __str__ = __repr__


class MissingColumn(KeyError):
    """Inherits KeyError's own ``__str__``, so Python quotes its argument too."""


class Polite(KeyError):
    def __str__(self) -> str:
        raise AssertionError("the probe ran a user __str__")


@pytest.mark.parametrize("exc, text", [
    (KeyError("Dog"), "KeyError: 'Dog'"),
    (MissingColumn("label"), f"{__name__}.MissingColumn: 'label'"),
    (KeyError(3), "KeyError: 3"),
    (ValueError("bad batch"), "ValueError: bad batch"),
    (AttributeError("'Net' object has no attribute 'fc'"), "AttributeError: 'Net' object has no attribute 'fc'"),
])
def test_exception_text_reads_as_python_prints_it(exc: BaseException, text: str) -> None:
    assert postmortem.exception_text(exc) == text
    assert traceback.format_exception_only(type(exc), exc)[-1].strip() == text


def test_a_class_s_own_str_never_runs() -> None:
    assert postmortem.exception_text(Polite("Dog")) == f"{__name__}.Polite: Dog"


def test_an_argument_that_is_a_user_object_is_named_without_its_repr() -> None:
    text = postmortem.exception_text(KeyError(Shouting()))
    assert text.startswith(f"KeyError: <{__name__}.Shouting object at 0x")


def test_a_notebook_s_own_exception_class_is_named_as_its_traceback_names_it() -> None:
    invalid = type("InvalidDataset", (Exception,), {"__module__": "__main__"})

    def check() -> None:
        raise invalid("3 negative rows")

    error = postmortem.postmortem(caught(check), Budget(2000), 150, 40)
    assert error is not None
    [link] = error["chain"]
    assert (link["type"], link["text"]) == ("InvalidDataset", "InvalidDataset: 3 negative rows")


def negative(row: int) -> int:
    if row < 0:
        raise ValueError(f"negative row {row}")
    return row


def check_rows() -> None:
    rows = [1, -2]
    [negative(row) for row in rows]


def test_a_comprehension_s_hidden_iterator_is_not_a_local() -> None:
    error = postmortem.postmortem(caught(check_rows), Budget(2000), 150, 40)
    assert error is not None
    names = [row["name"] for f in error["chain"][0]["frames"] for row in f["rows"]]
    assert "row" in names and "rows" in names
    assert not [name for name in names if not name.isidentifier()], names


def test_a_built_in_error_with_plain_values_reads_as_python_prints_it() -> None:
    try:
        open("/no-such-dir/train.csv")
    except OSError as err:
        missing = err
    try:
        compile("try:\n    x\nexcept", "<cell>", "exec")
    except SyntaxError as err:
        syntax = err
    assert last_error.exception_text(missing) == \
        "FileNotFoundError: [Errno 2] No such file or directory: '/no-such-dir/train.csv'"
    assert last_error.exception_text(syntax).startswith("SyntaxError: expected ':'")


def test_a_built_in_error_holding_a_user_object_is_not_asked_for_its_text() -> None:
    class Loud:
        def __repr__(self) -> str:
            raise AssertionError("the probe ran the user's repr")

    err = OSError(2, "No such file")
    err.filename = Loud()
    # OSError(2, ...) is a FileNotFoundError; its text is built from the args, as for any class
    assert last_error.exception_text(err) == "FileNotFoundError: 2, 'No such file'"
