"""The ``hang`` op on a real kernel, one test per kind of stuck cell: waiting on a held lock, a
DataLoader whose worker died, and a C call holding the GIL, where the probe cannot answer at
all and the stacks are read from outside with py-spy."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from typing import Callable

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

# Short, so a test waits seconds; the setting's own minimum is 5 s.
THRESHOLD_S = 1.5


def poll(kernel: Driver, until: Callable[[dict], bool], timeout: float = 20) -> dict:
    """Ask ``hang`` twice a second, as the view does while a cell runs, until ``until`` holds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = ok_result(kernel.request("hang", {"threshold_s": THRESHOLD_S}))
        if until(last):
            return last
        time.sleep(0.5)
    raise AssertionError(f"never seen within {timeout} s; last reply: {last}")


def test_an_idle_kernel_is_not_hung(kernel: Driver) -> None:
    result = ok_result(kernel.request("hang", {"threshold_s": THRESHOLD_S}))
    assert result == {"hung": False, "since_s": None, "kind": None, "threshold_s": THRESHOLD_S, "stack": [],
                      "waits_on": None, "workers": [], "elapsed_ms": result["elapsed_ms"]}


def test_a_cell_waiting_on_a_held_lock_is_hung_waiting_on_it(kernel: Driver) -> None:
    kernel.execute("import threading\nheld = threading.Lock()\nheld.acquire()")
    running = kernel.execute_async("with held: api_key = 'abcd1234efgh5678'")
    try:
        first = poll(kernel, lambda r: r["since_s"] is not None)
        assert not first["hung"]
        hung = poll(kernel, lambda r: r["hung"])
        assert hung["since_s"] >= THRESHOLD_S
        assert hung["kind"] == "waiting"
        assert hung["waits_on"] == "waits for lock held"
        [frame] = hung["stack"]
        assert frame["user"] and frame["name"] == "<module>"
        # The line is shown as the Threads section shows it: the secret in it masked.
        assert frame["code"].startswith("with held: api_key = ") and "abcd1234" not in frame["code"]
    finally:
        kernel.execute("held.release()", kernel.subshell_id)
        kernel.wait(running, 30)
    # The next cell starts from zero.
    again = kernel.execute_async("import time\ntime.sleep(3)")
    fresh = poll(kernel, lambda r: r["since_s"] is not None)
    assert fresh["since_s"] < THRESHOLD_S and not fresh["hung"]
    assert fresh["waits_on"] == "sleeps in time.sleep"
    kernel.wait(again, 30)


def test_a_long_native_call_that_lets_the_gil_go_is_hung_spinning(kernel: Driver) -> None:
    # PBKDF2 runs in C with the GIL released, on one core, for seconds: the probe still answers.
    running = kernel.execute_async("import hashlib\nkey = hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 40_000_000)")
    try:
        hung = poll(kernel, lambda r: r["hung"])
        assert hung["kind"] == "spinning" and hung["since_s"] >= THRESHOLD_S
        assert hung["stack"][0]["code"].startswith("key = hashlib.pbkdf2_hmac(")
    finally:
        kernel.wait(running, 120)


DATALOADER = """
import os
from torch.utils.data import DataLoader, Dataset

class ExitsInWorker(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, index):
        os._exit(0)  # a library ending the worker process quietly

loader = DataLoader(ExitsInWorker(), num_workers=1)
"""

# PyTorch notices a worker that exited with code 0 at its own next check, 5 s after the loop
# began to wait (an exit with another code, or a signal, it reports at once). The test looks
# before that check; it moves the check to a minute away so a busy machine cannot race it.
LATER_CHECK = """
from torch.utils.data import dataloader
dataloader._MultiProcessingDataLoaderIter._try_get_data.__defaults__ = (60.0,)
"""


def test_a_dataloader_whose_worker_died_shows_it_dead_while_the_loop_waits(kernel: Driver) -> None:
    pytest.importorskip("torch")
    kernel.execute(DATALOADER + LATER_CHECK)
    running = kernel.execute_async("for batch in loader:\n    pass")
    hung = poll(kernel, lambda r: r["hung"])
    assert hung["kind"] == "waiting"
    [worker] = hung["workers"]
    assert worker["alive"] is False and worker["exitcode"] == 0 and worker["signal_name"] is None
    assert hung["stack"][-1]["user"] and hung["stack"][-1]["code"] == "for batch in loader:"
    assert any(f["name"] == "_next_data" for f in hung["stack"])
    assert hung["waits_on"] == "waits for a batch from the DataLoader's workers"
    kernel.km.interrupt_kernel()
    running.done.wait(30)
    assert running.error is not None and running.error["ename"] == "KeyboardInterrupt"
    kernel.execute("dataloader._MultiProcessingDataLoaderIter._try_get_data.__defaults__ = (5.0,)\ndel loader")


def test_a_c_call_holding_the_gil_gets_no_answer_and_py_spy_reads_its_native_frames(kernel: Driver) -> None:
    py_spy = shutil.which("py-spy")
    if py_spy is None:
        pytest.skip("py-spy is a dependency of the package: install it")
    pid = ok_result(kernel.request("hello"))["pid"]
    # A catastrophic backtracking match: _sre holds the GIL for as long as it runs.
    running = kernel.execute_async("import re\nre.match(r'(a+)+$', 'a' * 40 + 'b')")
    time.sleep(1)
    with pytest.raises(TimeoutError):
        kernel.request("hang", {"threshold_s": THRESHOLD_S}, timeout=3)
    # The server's stacks route runs this same command on the kernel's process.
    dump = subprocess.run([py_spy, "dump", "--native", "--json", "--pid", str(pid)],
                          capture_output=True, text=True, timeout=60)
    try:
        if dump.returncode != 0 and "ermission" in dump.stderr:
            pytest.skip(f"this system does not let py-spy read another process: {dump.stderr.strip()}")
        assert dump.returncode == 0, dump.stderr
        main = next(t for t in json.loads(dump.stdout) if t["thread_name"] == "MainThread")
        assert main["owns_gil"]
        names = [f["name"] for f in main["frames"]]
        at = names.index("match")
        assert names[at + 1] == "<module>"
        # Above the Python call, the C code that holds the GIL: frames of a shared library.
        native = main["frames"][:at]
        assert native and all(f["module"] for f in native)
    finally:
        kernel.km.interrupt_kernel()
        running.done.wait(30)
    assert running.error is not None and running.error["ename"] == "KeyboardInterrupt"
    # The probe answers again once the GIL is free.
    assert ok_result(kernel.request("hang", {}))["since_s"] is None


def test_with_the_debugger_on_a_held_lock_still_reads_hung(kernel: Driver) -> None:
    kernel.debug_on()
    kernel.execute("import threading\nheld = threading.Lock()\nheld.acquire()")
    running = kernel.execute_async("with held:\n    pass")
    try:
        hung = poll(kernel, lambda r: r["hung"])
        assert hung["kind"] == "waiting" and hung["waits_on"] == "waits for lock held"
    finally:
        kernel.execute("held.release()", kernel.subshell_id)
        kernel.wait(running, 30)
