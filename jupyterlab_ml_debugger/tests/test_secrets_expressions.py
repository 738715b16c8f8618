"""The expression rule: a watch or a recorded expression that reads a secret-looking name,
attribute or key shows masked as that name does, told from its source without running it."""

from __future__ import annotations

import os
import types
from typing import Any, Iterator

import pytest

from jupyterlab_ml_debugger.probe.breakpoints.action_spec import parse_log
from jupyterlab_ml_debugger.probe.breakpoints.trace_values import entry, log_text
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.secrets import masking
from jupyterlab_ml_debugger.probe.secrets.detector import DEFAULT_NAMES, NAME_MASK
from jupyterlab_ml_debugger.probe.secrets.expression_reads import names_read
from jupyterlab_ml_debugger.probe.watch.rows import watch_rows

TOKEN = "tok-" + "7Qx93LmPz0aK44vR"  # shaped like no known key: only names can tell

DERIVED = [
    "api_token.upper()", "api_token[:8]", "api_token.encode()", 'config["hf_token"]',
    "config['hf_token'].strip()", 'os.environ["MY_SERVICE_TOKEN"]', "os.environ['MY_SERVICE_TOKEN'].lower()",
    'os.getenv("MY_SERVICE_TOKEN")', "config.get('hf_token').upper()", "creds.password",
    "creds.password.strip()", 'getattr(creds, "password")', 'f"Bearer {api_token}"',
    '"<" + api_token + ">"', "str(db_password)",
]
ORDINARY = [
    "len(api_token)", "tokenizer.eos_token.upper()", "tokenizer.decode(token_ids)",
    "config['lr'] * 2", "vocab['token_count']", "'-'.join(words)", "config.get('lr')",
]


@pytest.fixture(autouse=True)
def defaults() -> Iterator[None]:
    masking.configure(True, DEFAULT_NAMES)
    os.environ["MY_SERVICE_TOKEN"] = TOKEN
    yield
    del os.environ["MY_SERVICE_TOKEN"]
    masking.configure(True, DEFAULT_NAMES)


def namespace() -> dict[str, Any]:
    tokenizer = types.SimpleNamespace(eos_token="</s>", decode=lambda ids: " ".join(map(str, ids)))
    return {"api_token": TOKEN, "db_password": TOKEN, "config": {"hf_token": TOKEN, "lr": 0.001},
            "creds": types.SimpleNamespace(user="bob", password=TOKEN), "os": os, "tokenizer": tokenizer,
            "token_ids": [1, 2], "vocab": {"token_count": 7}, "words": ["a", "b"], "door_pin": " 4711 "}


def watched(expressions: list[str]) -> dict[str, dict]:
    scope = namespace()
    rows = watch_rows(expressions, (scope, dict(scope)), Budget(5000), 1000)
    assert all(row["error"] is None for row in rows), [row["error"] for row in rows]
    return {row["name"]: row for row in rows}


def reads(expression: str) -> set[str]:
    return set(names_read(expression))


def test_what_an_expression_reads_comes_from_its_source() -> None:
    assert names_read("api_token") == ("api_token",)
    assert reads("os.environ['MY_SERVICE_TOKEN'].lower()") == {"os", "environ", "MY_SERVICE_TOKEN", "lower"}
    assert reads('f"Bearer {api_token}"') == {"api_token"}
    assert reads("getattr(creds, 'password')") == {"getattr", "creds", "password"}
    assert reads("os.getenv('HF_TOKEN', 'default')") == {"os", "getenv", "HF_TOKEN"}
    assert reads("os.environb[b'HF_TOKEN']") == {"os", "environb", "HF_TOKEN"}
    # Values written in the expression are not read: only keys are.
    assert reads("print('my password')") == {"print"}
    assert reads("api_token +") == set() and reads("(" * 2000) == set()


def test_a_watch_that_reads_a_secret_name_shows_masked_as_the_name_does() -> None:
    rows = watched(DERIVED)
    for expression in DERIVED:
        row = rows[expression]
        assert row["summary"] == NAME_MASK and row["masked"] is True, expression
        assert TOKEN not in str(row) and TOKEN.upper() not in str(row), expression


def test_a_watch_reading_no_secret_name_keeps_its_value() -> None:
    rows = watched(ORDINARY)
    assert rows["len(api_token)"]["summary"] == str(len(TOKEN))  # a length is no secret
    assert rows["tokenizer.eos_token.upper()"]["summary"] == "'</S>'"
    assert rows["tokenizer.decode(token_ids)"]["summary"] == "'1 2'"
    assert rows["vocab['token_count']"]["summary"] == "7"
    assert not any(row["masked"] for row in rows.values())


def test_the_names_in_the_settings_decide_and_masking_off_masks_nothing() -> None:
    masking.configure(True, ["*pin*"])
    rows = watched(["door_pin.strip()", "api_token.upper()"])
    assert rows["door_pin.strip()"]["summary"] == NAME_MASK
    assert rows["api_token.upper()"]["summary"] == repr(TOKEN.upper())

    masking.configure(False, None)
    rows = watched(DERIVED)
    assert rows["api_token.upper()"]["summary"] == repr(TOKEN.upper())
    assert not any(row["masked"] for row in rows.values())


def test_a_reveal_shows_a_derived_watch_unmasked() -> None:
    with masking.revealing():
        rows = watched(["api_token.upper()", "creds.password"])
    assert rows["api_token.upper()"]["summary"] == repr(TOKEN.upper())
    assert rows["creds.password"]["masked"] is False


def test_recorded_values_and_log_messages_are_masked_by_what_they_read() -> None:
    scope = namespace()
    assert entry(TOKEN.upper(), "api_token.upper()")["summary"] == NAME_MASK
    assert entry(TOKEN, "creds.password")["summary"] == NAME_MASK
    assert entry(7, "vocab['token_count']")["summary"] == "7"
    parts = parse_log("key {api_token.upper()}, pass {creds.password.strip()}, lr {config['lr']}")
    line = log_text(parts, scope, {})
    assert line == f"key {NAME_MASK}, pass {NAME_MASK}, lr 0.001"
