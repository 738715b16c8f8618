"""JupyterLab's own Variables panel keeps a secret as Variable Values does: debugpy's ``variables``
replies at a breakpoint and ipykernel's ``inspectVariables`` of an idle kernel carry no token while
masking is on, and show it when the user turns masking off or types the name in the debug console."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe.secrets.detector import DEFAULT_NAMES, NAME_MASK

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

# Shaped like no known key, so only the name rule stands between it and the browser; put together
# in the kernel, so no source line holds it whole.
SECRET = "tok-" + "7Qx93Lm" + "Pz0aK44vR"
# A GitHub token under an innocent name, and an OpenAI-style key long enough that pydevd cuts it
# in the middle inside a list: only the shape rule finds them.
GITHUB_KEY_PART = "a1B2c3D4e5"
LONG_KEY_PART = "Ab3Cd4"
CELL = """api_token = "".join(["tok-", "7Qx93Lm", "Pz0aK44vR"])
config = {"hf_token": api_token, "lr": 0.001}
pushed_with = "ghp_" + "a1B2c3D4e5" * 4
keys = ["sk-proj-" + "Ab3Cd4" * 30]
n = 41
n
"""
BREAK_LINE = 6
# A str's value in its quotes, as pydevd writes it: JupyterLab's panel drops them and shows the rest.
QUOTED_MASK = f"'{NAME_MASK}'"


def leaks(reply: Any) -> list[str]:
    """The parts of a secret that a reply carries."""
    text = json.dumps(reply, ensure_ascii=False)
    return [part for part in (SECRET, GITHUB_KEY_PART * 2, LONG_KEY_PART * 2) if part in text]


def by_name(variables: list[dict]) -> dict[str, dict]:
    return {v["name"]: v for v in variables}


class Stopped:
    """The cell stopped at its breakpoint, read as JupyterLab's Variables panel reads it."""

    def __init__(self, kernel: Driver, thread_id: int) -> None:
        self.kernel = kernel
        self.thread_id = thread_id
        self.frame_id = kernel.stack_frames(thread_id)[0]["id"]

    def scopes(self) -> list[dict]:
        return self.kernel.dap("scopes", {"frameId": self.frame_id})["body"]["scopes"]

    def variables(self, reference: int) -> list[dict]:
        reply = self.kernel.dap("variables", {"variablesReference": reference})
        assert reply["success"], reply
        return reply["body"]["variables"]


@pytest.fixture
def stopped(kernel: Driver) -> Any:
    kernel.debug_on()
    kernel.set_breakpoints(CELL, [BREAK_LINE])
    execution = kernel.execute_async(CELL)
    thread_id = kernel.wait_event("stopped", timeout=60)["threadId"]
    try:
        yield Stopped(kernel, thread_id)
    finally:
        kernel.request("secrets", {"on": True, "names": list(DEFAULT_NAMES)})
        kernel.set_breakpoints(CELL, [])
        kernel.dap("continue", {"threadId": thread_id})
        kernel.wait(execution, timeout=60)


def test_the_variables_panel_masks_a_secret_by_its_name_and_a_key_by_its_shape(stopped: Stopped) -> None:
    scopes = stopped.scopes()
    assert [s["name"] for s in scopes] == ["Locals", "Globals"]
    for scope in scopes:
        listed = stopped.variables(scope["variablesReference"])
        variables = by_name(listed)
        assert (variables["n"]["value"], variables["n"]["type"]) == ("41", "int")
        assert (variables["api_token"]["value"], variables["api_token"]["type"]) == (QUOTED_MASK, "str")
        assert "(secret: GitHub token)" in variables["pushed_with"]["value"]
        assert "(secret: API key)" in variables["keys"]["value"]
        config = variables["config"]
        assert config["type"] == "dict" and config["value"] == f"{{'hf_token': {NAME_MASK}, 'lr': 0.001}}"
        assert leaks(listed) == [], scope["name"]

        # Expanding the dict and the list, as the panel's tree does.
        entries = by_name(stopped.variables(config["variablesReference"]))
        assert entries["'hf_token'"]["value"] == QUOTED_MASK and entries["'lr'"]["value"] == "0.001"
        cut = stopped.variables(variables["keys"]["variablesReference"])
        assert "(secret: API key)" in by_name(cut)["0"]["value"]
        assert leaks([entries, cut]) == [], scope["name"]


def test_what_the_user_types_in_the_debug_console_or_copies_shows_in_full(stopped: Stopped) -> None:
    for context in ("repl", "clipboard"):
        reply = stopped.kernel.dap("evaluate", {"expression": "api_token", "frameId": stopped.frame_id,
                                                "context": context})
        assert reply["body"]["result"] == repr(SECRET), context
    watched = stopped.kernel.dap("evaluate", {"expression": "config['hf_token']", "frameId": stopped.frame_id,
                                              "context": "watch"})
    assert watched["body"]["result"] == QUOTED_MASK


def test_masking_off_shows_the_token_and_on_again_hides_it(stopped: Stopped) -> None:
    locals_reference = stopped.scopes()[0]["variablesReference"]
    assert ok_result(stopped.kernel.request("secrets", {"on": False}))["on"] is False
    variables = by_name(stopped.variables(locals_reference))
    assert variables["api_token"]["value"] == repr(SECRET)
    assert variables["config"]["value"] == f"{{'hf_token': {SECRET!r}, 'lr': 0.001}}"

    ok_result(stopped.kernel.request("secrets", {"on": True, "names": ["*pin*"]}))
    variables = by_name(stopped.variables(locals_reference))
    assert variables["api_token"]["value"] == repr(SECRET)  # the names asked for are the user's
    assert "(secret: GitHub token)" in variables["pushed_with"]["value"]


def test_an_idle_kernel_s_variables_are_masked_before_the_probe_is_loaded() -> None:
    driver = Driver()
    driver.start()
    try:
        driver.execute(CELL)
        driver.debug_on()
        # What the panel asks of an idle kernel: ipykernel's own explorer, with the probe's defaults.
        listed = driver.dap("inspectVariables")["body"]["variables"]
        variables = by_name(listed)
        assert variables["api_token"]["value"] == QUOTED_MASK and variables["n"]["value"] == "41"
        assert leaks(listed) == []
        loaded = driver.execute("import sys; print('jupyterlab_ml_debugger.probe' in sys.modules)").text
        assert loaded.strip() == "True"  # the defaults are the probe's own
    finally:
        driver.shutdown()
