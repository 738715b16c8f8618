"""Slow leaks in a real kernel while a cell runs: each container that only grows is named by its path.

Each case runs a cell that leaks a little every 0.2 s and samples the counters as the
view does while the cell runs, at most SAMPLES_MAX times; memory never passes the
process-memory threshold, so only the container walk can find it.
"""

from __future__ import annotations

import time

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe.counters import container_growth

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

SAMPLES_MAX = 30
STEP_S = 0.2
STOP = "stop_leak = threading.Event()"


def run_and_sample(kernel: Driver, cell: str, until: str | None) -> tuple[dict, int]:
    """Run ``cell`` (a loop that checks ``stop_leak``), sample every STEP_S until a container flag
    whose path is ``until`` appears (None: all SAMPLES_MAX samples); the last sample and the count."""
    kernel.execute(f"import threading, time\n{STOP}")
    execution = kernel.execute_async(cell)
    result: dict = {}
    count = 0
    try:
        while count < SAMPLES_MAX:
            time.sleep(STEP_S)
            result = ok_result(kernel.request("counters"))
            count += 1
            if until is not None and until in container_paths(result):
                break
    finally:
        kernel.execute("stop_leak.set()", subshell_id=kernel.subshell_id, silent=True)
        kernel.wait(execution, timeout=30)
    return result, count


def container_paths(result: dict) -> dict[str, dict]:
    """The container flags of a sample, by path."""
    return {flag["containers"][0]["path"]: flag for flag in result["flags"] if flag["kind"] == "container-leak"}


def leak_loop(body: str, setup: str = "") -> str:
    """A cell that runs ``body`` every STEP_S until the test stops it."""
    return f"{setup}\nwhile not stop_leak.is_set():\n    {body}\n    time.sleep({STEP_S})\n"


def test_a_class_attribute_dict_growing_by_one_small_entry_a_step_is_flagged_with_its_path(kernel: Driver) -> None:
    setup = "class Processes:\n    _procinfo = {}\nstep = 0"
    body = "step += 1\n    Processes._procinfo[step] = 'x' * 100"
    result, samples = run_and_sample(kernel, leak_loop(body, setup), "Processes._procinfo")
    flag = container_paths(result).get("Processes._procinfo")
    assert flag is not None, [f["message"] for f in result["flags"]]
    assert samples <= SAMPLES_MAX and flag["samples"] >= container_growth.MIN_SAMPLES
    assert flag["message"].startswith("`Processes._procinfo` grew by ")
    assert flag["message"].endswith(" (never shrank).") and " entries in " in flag["message"]
    # Memory grew by a few KB: no counter of the process is flagged.
    assert {f["kind"] for f in result["flags"]} == {"container-leak"}


def test_threads_kept_in_a_local_list_are_named_as_threading_thread_growth(kernel: Driver) -> None:
    cell = (
        "def worker(stop):\n    stop.wait()\n\n"
        "def train():\n    threads = []\n    while not stop_leak.is_set():\n"
        "        t = threading.Thread(target=worker, args=(stop_leak,))\n        t.start()\n"
        "        threads.append(t)\n        time.sleep(0.2)\n\ntrain()\n"
    )
    result, _ = run_and_sample(kernel, cell, "train.<locals>.threads")
    flags = {flag["counter"]: flag for flag in result["flags"]}
    assert "threads" in flags, [f["message"] for f in result["flags"]]
    handle = flags["threads"]
    assert handle["types"] and handle["types"][0]["type"] == "threading.Thread", handle["types"]
    assert "each runs `worker`, defined at In [" in handle["types"][0]["where"]
    assert "`threading.Thread` objects grew by" in handle["message"]
    noise = {"cell", "frame", "list", "dict", "_contextvars.Context", "builtin_function_or_method"}
    assert not noise & {t["type"] for t in handle["types"]}
    assert "train.<locals>.threads" in container_paths(result)


def test_a_global_list_of_tensors_is_flagged(kernel: Driver) -> None:
    setup = "import torch\ntensors = []"
    result, _ = run_and_sample(kernel, leak_loop("tensors.append(torch.zeros(10))", setup), "tensors")
    assert container_paths(result)["tensors"]["message"].startswith("`tensors` grew by ")


def test_a_closure_cell_is_flagged_by_the_function_that_holds_it(kernel: Driver) -> None:
    setup = "def make_recorder():\n    seen = []\n    def record(x):\n        seen.append(x)\n    return record\nrecord = make_recorder()"
    result, _ = run_and_sample(kernel, leak_loop("record(time.time())", setup), "record.__closure__.seen")
    assert "record.__closure__.seen" in container_paths(result)


def test_an_unbounded_lru_cache_is_flagged(kernel: Driver) -> None:
    setup = "import functools\n@functools.lru_cache(maxsize=None)\ndef features(n):\n    return n * 2\nn = 0"
    result, _ = run_and_sample(kernel, leak_loop("n += 1\n    features(n)", setup), "features")
    message = container_paths(result)["features"]["message"]
    assert message.startswith("`features` (an lru_cache without maxsize) grew by ")


def test_a_list_cleared_each_epoch_is_never_flagged(kernel: Driver) -> None:
    setup = "epoch_losses = []"
    body = "epoch_losses.append(0.5)\n    if len(epoch_losses) == 8:\n        epoch_losses.clear()"
    result, samples = run_and_sample(kernel, leak_loop(body, setup), None)
    assert samples == SAMPLES_MAX
    assert "epoch_losses" not in container_paths(result)
