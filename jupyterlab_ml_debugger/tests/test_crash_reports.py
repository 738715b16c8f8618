"""A kernel that dies gets a crash report from the server extension: how it ended, the cell and
line it was running, and every thread's stack where faulthandler could write them."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest

from .crash_kernels import SERVER_CONFIG, boot_probe, client, run, restarted, start_kernel, wait_for_report
from jupyterlab_ml_debugger.server import memory

pytest_plugins = ["pytest_jupyter.jupyter_server"]
pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def jp_server_config() -> dict:
    return SERVER_CONFIG


async def crash(jp_fetch: Any, jp_serverapp: Any, cell: str) -> tuple[dict, int, int]:
    """Start a kernel, arm its recorder, run one harmless cell and then ``cell``: its report, its pid,
    and the execution count ``cell`` ran as."""
    kernel_id = await start_kernel(jp_fetch)
    kc = await client(jp_serverapp, kernel_id)
    try:
        hello = await boot_probe(kc)
        assert hello["crash_recorder"] == {"armed": True, "reason": None}
        count = (await run(kc, "answer = 42"))["execution_count"] + 1
        kc.execute(cell)
        report = await wait_for_report(jp_fetch, kernel_id)
    finally:
        kc.stop_channels()
        await restarted(jp_serverapp, kernel_id)
    assert report["kernel_id"] == kernel_id and report["recorder_armed"] is True
    return report, hello["pid"], count


def cell_threads(report: dict) -> list[dict]:
    return [t for t in report["threads"] if t["current"]]


async def test_a_segfault_in_a_c_call_names_the_signal_cell_line_and_stacks(jp_fetch, jp_serverapp):
    report, pid, count = await crash(jp_fetch, jp_serverapp, "import ctypes\nx = 1\nctypes.string_at(0)\n")
    assert report["pid"] == pid
    assert (report["signal"], report["signal_name"], report["exit_code"]) == (11, "SIGSEGV", None)
    assert report["signal_meaning"].startswith("segmentation fault")
    assert report["last_cell"] == {"execution_count": count, "cell_id": None, "first_line": "import ctypes", "line": 3}
    assert "Segmentation fault" in report["cause"]
    assert f"`ctypes.string_at(0)` in In [{count}], line 3" in report["cause"]
    (current,) = cell_threads(report)
    assert current["name"] == "MainThread"
    assert current["frames"][0]["name"] == "string_at"  # innermost first: the ctypes call, then the cell
    assert any(f["line"] == 3 and f["name"] == "<module>" for f in current["frames"])
    assert len(report["threads"]) > 1  # ipykernel's own threads are listed too
    assert report["oom"] is False


async def test_an_abort_names_sigabrt_and_the_line(jp_fetch, jp_serverapp):
    report, _, count = await crash(jp_fetch, jp_serverapp, "import os\n\nos.abort()\n")
    assert (report["signal"], report["signal_name"]) == (int(signal.SIGABRT), "SIGABRT")
    assert report["last_cell"]["line"] == 3 and report["last_cell"]["execution_count"] == count
    assert report["cause"].startswith("Aborted") and f"`os.abort()` in In [{count}], line 3" in report["cause"]
    innermost = cell_threads(report)[0]["frames"][0]  # os.abort is C: the cell's line is the innermost
    assert (innermost["name"], innermost["line"]) == ("<module>", 3)


async def test_sigkill_names_the_last_cell_but_has_no_stacks(jp_fetch, jp_serverapp):
    report, _, count = await crash(jp_fetch, jp_serverapp,
                                   "import os, signal, time\ntime.sleep(1.5)\nos.kill(os.getpid(), signal.SIGKILL)\n")
    assert (report["signal"], report["signal_name"], report["exit_code"]) == (9, "SIGKILL", None)
    assert report["threads"] == []  # no handler runs at SIGKILL
    assert report["last_cell"] == {"execution_count": count, "cell_id": None,
                                   "first_line": "import os, signal, time", "line": None}
    assert f"while running `import os, signal, time` in In [{count}]" in report["cause"]
    # Not the out-of-memory killer where the kernel's cgroup can say so; else it cannot be known.
    readable = memory.cgroup_of(os.getpid()) is not None
    assert report["oom"] is (False if readable else None)
    assert ("counted no out-of-memory kill" if readable else "cannot be known") in report["cause"]
    assert report["memory"] and all(sample["rss_bytes"] > 0 for sample in report["memory"])


async def test_os_exit_reports_its_code(jp_fetch, jp_serverapp):
    report, _, count = await crash(jp_fetch, jp_serverapp, "import os\nos._exit(3)\n")
    assert (report["exit_code"], report["signal"], report["signal_name"]) == (3, None, None)
    assert report["threads"] == [] and report["oom"] is False
    assert "exited with code 3" in report["cause"] and "os._exit(3)" in report["cause"]
    assert report["last_cell"]["execution_count"] == count and report["last_cell"]["first_line"] == "import os"


async def test_a_kernel_never_armed_still_gets_a_report_saying_so(jp_fetch, jp_serverapp):
    kernel_id = await start_kernel(jp_fetch)
    kc = await client(jp_serverapp, kernel_id)
    try:
        kc.execute("import os\nos._exit(5)\n")
        report = await wait_for_report(jp_fetch, kernel_id)
    finally:
        kc.stop_channels()
        await restarted(jp_serverapp, kernel_id)
    assert report["exit_code"] == 5 and report["recorder_armed"] is False
    assert report["last_cell"] is None and report["threads"] == []
    assert "before the crash recorder was armed" in report["cause"]
