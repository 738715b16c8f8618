"""What goes wrong in real use: restarts, slow reprs, the answering thread, a clean namespace."""

from __future__ import annotations

import json

import pytest

from jupyterlab_ml_debugger import __version__
from jupyterlab_ml_debugger.bench.driver import Driver, KernelGone
from jupyterlab_ml_debugger.probe import protocol

from .conftest import connect_probe, ok_result

pytestmark = pytest.mark.timeout(180)

SLOW = """import time

class Slow:
    def __repr__(self):
        time.sleep(10)
        return "finally"

slow = Slow()
"""
SLOW_PATH = {"scope": {"kind": "globals"}, "path": [{"kind": "name", "name": "slow"}]}


def user_names(kernel: Driver) -> list[str]:
    """The user namespace's names, read by a silent cell that binds nothing."""
    code = "print(__import__('json').dumps(sorted(get_ipython().user_ns)))"
    return json.loads(kernel.execute(code, silent=True).text)


def test_hello_answers_from_the_subshell(kernel: Driver) -> None:
    hello = ok_result(kernel.request("hello"))
    assert hello["thread"] == "subshell"
    assert hello["protocol"] == protocol.PROTOCOL_VERSION
    assert hello["version"] == __version__


def test_slow_repr_times_out_and_the_probe_still_answers(kernel: Driver) -> None:
    kernel.execute(SLOW)
    slow = kernel.send_request("repr", SLOW_PATH)
    after = kernel.send_request("values", {"scope": {"kind": "globals"}})

    timed_out = kernel.reply(slow, timeout=8)
    assert not timed_out["ok"]
    assert timed_out["error"]["kind"] == "timeout"
    assert "slow" in {row["name"] for row in ok_result(kernel.reply(after, timeout=8))["rows"]}


def test_malformed_request_is_refused(kernel: Driver) -> None:
    reply = kernel.request("values", {"scope": {"kind": "nowhere"}})
    assert reply["error"]["kind"] == "bad-request"
    assert kernel.request("explode")["error"]["kind"] == "bad-request"


def test_embedded_load_is_the_module_cells_import(kernel: Driver) -> None:
    before = user_names(kernel)
    kernel.create_subshell()
    hello = kernel.boot("embedded")
    assert hello["loaded"] == "embedded"
    assert user_names(kernel) == before

    kernel.open_comm()
    assert ok_result(kernel.request("hello"))["version"] == __version__ + "+embedded"
    check = (
        "import sys, jupyterlab_ml_debugger\n"
        "from jupyterlab_ml_debugger.probe import comm as probe_comm\n"
        "handler = get_ipython().kernel.comm_manager.targets['jupyterlab-ml-debugger']\n"
        "print(jupyterlab_ml_debugger is sys.modules['jupyterlab_ml_debugger'],"
        " handler is probe_comm._on_open,"
        " jupyterlab_ml_debugger.__spec__.origin.startswith('<jupyterlab_ml_debugger'))\n"
    )
    assert kernel.execute(check).text.split() == ["True", "True", "True"]


def test_restart_mid_request_is_reported_and_a_new_boot_works(kernel: Driver) -> None:
    kernel.execute(SLOW)
    pending = kernel.send_request("repr", {**SLOW_PATH, "timeout_ms": 8000})
    kernel.restart()
    with pytest.raises(KernelGone, match="restarted"):
        kernel.reply(pending, timeout=30)

    assert connect_probe(kernel)["loaded"] == "installed"
    assert ok_result(kernel.request("hello"))["thread"] == "subshell"
    assert "slow" not in user_names(kernel)
