"""Masking what the probe shows: Rows by their value's name and shape, every string of a reply, table
columns and data defects by name, the settings the frontend sends, and Reveal."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from jupyterlab_ml_debugger.probe.breakpoints.trace_values import entry, log_text
from jupyterlab_ml_debugger.probe.breakpoints.action_spec import parse_log
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.summarize import summarize
from jupyterlab_ml_debugger.probe.secrets import masking
from jupyterlab_ml_debugger.probe.secrets.detector import DEFAULT_NAMES, NAME_MASK
from jupyterlab_ml_debugger.probe.variables.children import children

TOKEN = "tok-" + "7Qx93LmPz0aK44vR"  # shaped like no known key: only names can tell
GITHUB = "ghp_" + "1234567890abcdefghijABCDEFGHIJ123456"


@pytest.fixture(autouse=True)
def defaults() -> Iterator[None]:
    masking.configure(True, DEFAULT_NAMES)
    yield
    masking.configure(True, DEFAULT_NAMES)


def row(name: str, value: object) -> dict:
    return summarize(name, value, [{"kind": "name", "name": name}], Budget(100))


def test_text_under_a_secret_name_is_masked_whole_and_flagged() -> None:
    masked = row("api_token", TOKEN)
    assert masked["summary"] == NAME_MASK and masked["masked"] is True
    assert masked["kind"] == "text" and masked["type"] == "str"
    assert row("db_password", TOKEN.encode())["summary"] == NAME_MASK


def test_a_str_subclass_under_a_secret_name_is_masked_without_running_its_code() -> None:
    class Loud(str):
        def __str__(self) -> str:
            raise AssertionError("user code ran")

        def __repr__(self) -> str:
            raise AssertionError("user code ran")

    assert row("hf_token", Loud(TOKEN))["masked"] is True


def test_ordinary_values_keep_their_text_and_no_flag() -> None:
    for name, value, text in (("lr", 0.001, "0.001"), ("tokenizer", "bert-base", "'bert-base'"),
                              ("max_tokens", 512, "512"), ("next_token", 17, "17"),
                              ("token_ids", [1, 2], "list[2] of int")):
        shown = row(name, value)
        assert shown["summary"] == text and shown["masked"] is False, name


def test_a_key_shaped_value_is_masked_under_any_name() -> None:
    shown = row("header", f"Authorization: token {GITHUB}")
    assert GITHUB not in shown["summary"] and shown["masked"] is True
    assert shown["summary"].startswith("'Authorization: token ••••••")


def test_children_of_a_dict_and_of_the_environment_are_masked() -> None:
    config = {"hf_token": TOKEN, "lr": 0.001, "backup": GITHUB}
    rows, _ = children(config, [{"kind": "name", "name": "config"}], Budget(200))
    by_name = {r["name"]: r for r in rows}
    assert by_name["hf_token"]["summary"] == NAME_MASK and by_name["hf_token"]["masked"]
    assert GITHUB not in by_name["backup"]["summary"] and by_name["backup"]["masked"]
    assert by_name["lr"]["summary"] == "0.001"

    os.environ["MY_SERVICE_TOKEN"] = TOKEN
    try:
        env, _ = children(os.environ, [{"kind": "name", "name": "env"}], Budget(200))
        data = next(r for r in env if r["name"] == "_data")
        entries, _ = children(os.environ._data, data["path"], Budget(2000))  # type: ignore[attr-defined]
    finally:
        del os.environ["MY_SERVICE_TOKEN"]
    assert entries and all(TOKEN not in r["summary"] for r in entries)
    assert any(r["masked"] and "MY_SERVICE_TOKEN" in r["name"] for r in entries)


def test_trace_values_and_log_lines_are_masked_by_expression() -> None:
    assert entry(TOKEN, "api_token")["summary"] == NAME_MASK
    assert entry(TOKEN, "lr")["summary"] == repr(TOKEN)  # not a secret by its name or shape
    parts = parse_log("step {step}: key {api_token}, backup {backup}")
    line = log_text(parts, {}, {"step": 3, "api_token": TOKEN, "backup": GITHUB})
    assert TOKEN not in line and GITHUB not in line and line.startswith("step 3: key ••••••")


def test_every_string_of_a_reply_is_masked_keys_too() -> None:
    reply = {"frames": [{"code": f'api_key = "{TOKEN}"', "rows": []}],
             "text": f"ValueError: could not log in with {GITHUB}", GITHUB: 1, "n": 3}
    masked = masking.mask_tree(reply)
    assert TOKEN not in str(masked) and GITHUB not in str(masked) and masked["n"] == 3


def test_a_reply_walked_again_keeps_its_numbers_order_and_unmasked_texts() -> None:
    path = "/home/user/train.py"
    reply = {"threads": [{"name": "MainThread", "cpu_ms": 12.5, "daemon": None, "line": 7, "ok": True,
                          "frames": [{"path": path, "code": f"login({GITHUB!r})", "rows": []}],
                          "pair": (f"token={TOKEN}", 3)}],
             "history": [1, 2.5, None, 4], GITHUB: "key", "total": 1}
    for _ in range(2):  # the second walk meets the texts already masked
        masked = masking.mask_tree(reply)
        assert masked is reply and TOKEN not in str(masked) and GITHUB not in str(masked)
        thread = masked["threads"][0]
        assert thread["frames"][0]["path"] is path  # a text that needs no mask is the same object
        assert (thread["cpu_ms"], thread["daemon"], thread["line"], thread["ok"]) == (12.5, None, 7, True)
        assert masked["history"] == [1, 2.5, None, 4] and thread["pair"][1] == 3
        # Keys keep their order; only a masked key moves to the end.
        assert list(masked)[:2] == ["threads", "history"] and masked["total"] == 1


def test_a_tables_secret_columns_and_a_defect_s_values_are_masked_by_name() -> None:
    table = {"columns": [{"name": "user", "min": "a", "max": "z"},
                         {"name": "password", "min": "aaa", "max": TOKEN}],
             "head": [["bob", TOKEN]], "tail": [["eve", "hunter2"]]}
    masking.table_columns(table)
    assert table["head"] == [["bob", NAME_MASK]] and table["tail"] == [["eve", NAME_MASK]]
    assert table["columns"][1]["max"] == NAME_MASK and table["columns"][0]["max"] == "z"

    report = {"defects": [{"kind": "case", "column": "password", "count": 2,
                           "message": f"column 'password': 'Hunter2', {TOKEN!r} differ only by case"},
                          {"kind": "case", "column": "city", "count": 2,
                           "message": "column 'city': 'Paris', 'paris' differ only by case"}]}
    masking.defect_columns(report)
    assert report["defects"][0]["message"] == \
        f"column 'password': {NAME_MASK}, {NAME_MASK} differ only by case"
    assert "'Paris', 'paris'" in report["defects"][1]["message"]


def test_wrapped_ops_mask_their_replies_unless_masking_is_off() -> None:
    ops = masking.masking({"echo": lambda args: {"text": args["text"]}})
    assert GITHUB not in ops["echo"]({"text": GITHUB})["text"]
    assert masking.configure(False, None) == {"on": False, "names": list(DEFAULT_NAMES)}
    assert ops["echo"]({"text": GITHUB})["text"] == GITHUB
    assert row("api_token", TOKEN)["summary"] == repr(TOKEN)


def test_the_frontend_s_names_replace_the_defaults() -> None:
    masking.configure(True, ["*pin*"])
    assert row("door_pin", "1234")["summary"] == NAME_MASK
    assert row("api_token", TOKEN)["summary"] == repr(TOKEN)
    assert GITHUB not in row("x", GITHUB)["summary"]  # shapes are masked whatever the names


def test_a_text_shown_at_every_refresh_follows_the_names_in_force_and_keeps_its_identity() -> None:
    """Masked forms are remembered between refreshes, yet new names from the settings apply at once,
    and a text that needs no mask comes back as the same object (so no row is flagged masked)."""
    line = 'door_pin = "1234"'
    assert masking.mask_text(line) is line
    assert masking.mask_text(line) is line
    masking.configure(True, ["*pin*"])
    assert masking.mask_text(line) == f"door_pin = {NAME_MASK}"
    assert masking.mask_text(line) == f"door_pin = {NAME_MASK}"
    masking.configure(True, DEFAULT_NAMES)
    same = "".join(["step = ", "3"])
    assert masking.mask_text("step = 3") == "step = 3" and masking.mask_text(same) is same


def test_a_reveal_summarises_unmasked_on_its_own_thread_only() -> None:
    with masking.revealing():
        assert row("api_token", TOKEN)["summary"] == repr(TOKEN)
        assert row("x", GITHUB)["masked"] is False
    assert row("api_token", TOKEN)["summary"] == NAME_MASK
