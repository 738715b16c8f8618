"""Break-In on a real kernel: what the Threads section's button does, and why it needs the
debugger on before the cell starts.

The button sends DAP ``threads`` and then ``pause`` for the main thread, as these tests do.
"""

from __future__ import annotations

import threading
import time
from typing import Iterator

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import connect_probe, ok_result

pytestmark = pytest.mark.timeout(120)

LOOP = """import time

def train(seconds):
    step = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        step += 1
    return step

train({seconds})
"""


@pytest.fixture
def fresh_kernel() -> Iterator[Driver]:
    """A kernel of its own: these tests leave the debugger on or a cell paused."""
    driver = Driver()
    driver.start()
    try:
        connect_probe(driver)
        yield driver
    finally:
        driver.shutdown()


def main_thread_id(driver: Driver) -> int:
    """The DAP id of the kernel's main thread, where a cell runs."""
    threads = driver.dap("threads")["body"]["threads"]
    return next(t["id"] for t in threads if t["name"] == "MainThread")


def test_with_the_debugger_on_before_the_cell_break_in_pauses_it_where_it_runs(fresh_kernel: Driver) -> None:
    fresh_kernel.debug_on()
    execution = fresh_kernel.execute_async(LOOP.format(seconds=8))
    time.sleep(1.0)
    thread_id = main_thread_id(fresh_kernel)
    assert fresh_kernel.dap("pause", {"threadId": thread_id})["success"]
    stopped = fresh_kernel.wait_event("stopped", timeout=30)
    assert stopped["reason"] == "pause"
    frames = fresh_kernel.stack_frames(stopped["threadId"])
    assert frames[0]["name"] == "train"
    # The Threads view shows the paused cell as blocked by the debugger, at its own line.
    main = next(t for t in ok_result(fresh_kernel.request("threads", {"locals": False}))["threads"]
                if t["kind"] == "main")
    assert (main["state"], main["blocked_on"], main["blocking_module"]) == \
        ("blocked", "is paused by the debugger", "debugpy")
    assert main["frames"][0]["name"] == "train"
    fresh_kernel.dap("continue", {"threadId": stopped["threadId"]})
    fresh_kernel.dap("disconnect", {"restart": False, "terminateDebuggee": False})
    fresh_kernel.wait(execution, timeout=60)


def test_switching_the_debugger_on_while_a_cell_runs_waits_for_the_cell(fresh_kernel: Driver) -> None:
    seconds = 4
    execution = fresh_kernel.execute_async(LOOP.format(seconds=seconds))
    time.sleep(0.5)
    answered = threading.Event()
    started = time.monotonic()

    def switch_on() -> None:
        fresh_kernel.debug_on()
        answered.set()

    threading.Thread(target=switch_on, daemon=True).start()
    # The control channel holds "initialize" until the running cell ends.
    assert not answered.wait(seconds / 2)
    assert not execution.done.is_set()
    fresh_kernel.wait(execution, timeout=60)
    assert answered.wait(30)
    assert time.monotonic() - started >= seconds / 2
