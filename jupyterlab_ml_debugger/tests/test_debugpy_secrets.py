"""The masking of debugpy's own replies, on pydevd's real variable objects: what each entry shows,
what the user's explicit asks keep, and a pydevd that changed left as it is."""

from __future__ import annotations

import importlib
from typing import Any, Iterator

import pytest

from jupyterlab_ml_debugger.probe.secrets import masking
from jupyterlab_ml_debugger.probe.secrets.detector import DEFAULT_NAMES, NAME_MASK

vendored = pytest.importorskip("debugpy._vendored").vendored

# pydevd's modules, as ipykernel imports them, without starting or importing pydevd itself.
with vendored("pydevd"):
    frames = importlib.import_module("_pydevd_bundle.pydevd_suspended_frames")
    plugin = importlib.import_module("pydevd_plugins.extensions.pydevd_plugin_jupyterlab_ml_debugger_secrets")

SECRET = "tok-" + "7Qx93Lm" + "Pz0aK44vR"
# A str's value in its quotes, as pydevd writes it: JupyterLab's panel drops them and shows the rest.
QUOTED_MASK = f"'{NAME_MASK}'"
LONG_KEY = "sk-proj-" + "Ab3Cd4" * 30


@pytest.fixture(autouse=True)
def wrapped(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """pydevd's get_var_data wrapped for the test, and masking on with the default names."""
    monkeypatch.setattr(frames._AbstractVariable, "get_var_data", frames._AbstractVariable.get_var_data)
    assert plugin.install(frames._AbstractVariable, frames._ObjectVariable)
    yield
    masking.configure(True, DEFAULT_NAMES)


def entry(name: str, value: Any, context: str | None = None) -> dict:
    """The entry pydevd makes for ``value`` named ``name`` (a local, a dict key's repr, an expression)."""
    variable = frames._ObjectVariable(object(), name, value, lambda _: None)
    return variable.get_var_data(context=context)


def test_text_under_a_secret_name_is_masked_whole_and_its_type_stays() -> None:
    shown = entry("api_token", SECRET)
    assert (shown["value"], shown["type"], shown["variablesReference"]) == (QUOTED_MASK, "str", 0)
    assert entry("'hf_token'", SECRET.encode())["value"] == f"b{QUOTED_MASK}"
    assert entry("password", "it's " + SECRET)["value"] == f'"{NAME_MASK}"'
    assert entry("n", 41)["value"] == "41"
    assert entry("max_tokens", SECRET)["value"] == repr(SECRET)
    # A number under a secret name is no text: shown as it is, as Variable Values shows it.
    assert entry("token", 1234)["value"] == "1234"


def test_a_container_shows_its_secret_named_pairs_and_keys_masked_and_stays_expandable() -> None:
    shown = entry("config", {"hf_token": SECRET, "lr": 0.001})
    assert shown["value"] == f"{{'hf_token': {NAME_MASK}, 'lr': 0.001}}"
    assert shown["type"] == "dict" and shown["variablesReference"] != 0
    key_shaped = "ghp_" + "a1B2c3D4e5" * 4
    assert entry(repr(key_shaped), 1)["name"] == "'•••••• (secret: GitHub token)'"


def test_a_key_pydevd_cuts_in_the_middle_loses_its_head_and_its_tail() -> None:
    shown = entry("keys", [LONG_KEY])
    assert shown["value"] == "['•••••• (secret: API key)…']"
    # A long text that holds no key keeps pydevd's own cut.
    assert entry("lines", ["x" * 300])["value"].count("...") == 1


def test_the_debug_console_and_copy_keep_the_full_text() -> None:
    for context in ("repl", "clipboard"):
        assert entry("api_token", SECRET, context)["value"] == repr(SECRET)
    assert entry("config['hf_token']", SECRET, "watch")["value"] == QUOTED_MASK


def test_masking_off_or_no_probe_leaves_every_entry_as_pydevd_made_it() -> None:
    masking.configure(False)
    assert entry("api_token", SECRET)["value"] == repr(SECRET)
    made = {"name": "api_token", "value": repr(SECRET), "type": "str"}
    assert plugin.mask_entry(dict(made), "api_token", SECRET, None) == made


class Changed:
    """A pydevd whose get_var_data takes other arguments."""

    def get_var_data(self, options=None):
        return {"name": "api_token", "value": repr(SECRET)}


class Overriding(frames._AbstractVariable):
    """A pydevd whose named entries no longer use the base class's get_var_data."""

    def get_var_data(self, fmt=None, context=None, **safe_repr_custom_attrs):
        return {}


def test_a_pydevd_that_changed_is_left_untouched() -> None:
    before = Changed.__dict__["get_var_data"]
    assert plugin.install(Changed, Changed) is False and Changed.__dict__["get_var_data"] is before
    base = frames._AbstractVariable.__dict__["get_var_data"]
    assert plugin.install(frames._AbstractVariable, Overriding) is False
    # Installed once, wrapped once.
    assert plugin.install(frames._AbstractVariable, frames._ObjectVariable) is True
    assert frames._AbstractVariable.__dict__["get_var_data"] is base
