"""Stacks read from outside a kernel with py-spy: every thread, native frames included, even while a
C call holds the GIL; and a sentence saying what to change where they cannot be read."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import stat

import pytest

from jupyterlab_ml_debugger.server import pyspy

from .crash_kernels import SERVER_CONFIG, boot_probe, client, error_of, run, start_kernel

pytest_plugins = ["pytest_jupyter.jupyter_server"]
pytestmark = pytest.mark.timeout(120)

PARKED = """
import threading
stop = threading.Event()
def parked_worker():
    stop.wait()
workers = [threading.Thread(target=parked_worker, name=f"worker-{i}", daemon=True) for i in range(19)]
for w in workers:
    w.start()
"""


@pytest.fixture
def jp_server_config(request) -> dict:
    if "gateway" in request.node.name:
        # A server whose kernels would live on a Kernel Gateway (none needs to answer for this).
        manager = "jupyter_server.gateway.managers.GatewayMappingKernelManager"
        return {"ServerApp": {**SERVER_CONFIG["ServerApp"], "kernel_manager_class": manager},
                "GatewayClient": {"url": "http://127.0.0.1:9"}}
    return SERVER_CONFIG


async def stacks(jp_fetch, kernel_id: str) -> dict:
    return json.loads((await jp_fetch("ml-debugger", "kernels", kernel_id, "stacks", method="POST", body="")).body)


async def test_every_thread_of_a_20_thread_kernel_with_native_frames(jp_fetch, jp_serverapp):
    kernel_id = await start_kernel(jp_fetch)
    kc = await client(jp_serverapp, kernel_id)
    try:
        hello = await boot_probe(kc)
        await run(kc, PARKED)
        result = await stacks(jp_fetch, kernel_id)
    finally:
        kc.stop_channels()
    assert result["ok"] is True and result["message"] is None and result["elapsed_ms"] > 0
    named = {t["name"]: t for t in result["threads"]}
    assert {f"worker-{i}" for i in range(19)} <= set(named) and "MainThread" in named
    assert named["MainThread"]["id"] == hello["pid"]  # the kernel's own process, no other
    worker = named["worker-0"]["frames"]
    assert any(f["name"] == "parked_worker" and not f["native"] and isinstance(f["line"], int) for f in worker)
    assert any(f["native"] and f["line"] is None for f in worker)  # the C frames of the wait
    assert not named["worker-0"]["active"]


async def test_a_c_call_holding_the_gil_is_read_from_outside(jp_fetch, jp_serverapp):
    kernel_id = await start_kernel(jp_fetch)
    kc = await client(jp_serverapp, kernel_id)
    try:
        await run(kc, "import re")
        # A catastrophic backtracking match: minutes of C inside re, holding the GIL all along.
        kc.execute("re.match(r'(a+)+$', 'a' * 40 + 'b')")
        await asyncio.sleep(1.0)
        result = await stacks(jp_fetch, kernel_id)
        jp_serverapp.kernel_manager.get_kernel(kernel_id).provisioner.process.kill()
    finally:
        kc.stop_channels()
    assert result["ok"] is True
    main = next(t for t in result["threads"] if t["name"] == "MainThread")
    assert main["gil"] is True and main["active"] is True
    assert any(f["native"] and "sre" in f["name"].lower() for f in main["frames"])
    assert any(f["name"] == "match" and f["path"].endswith("re/__init__.py") for f in main["frames"])


async def test_where_ptrace_is_refused_it_says_what_to_change(jp_fetch, jp_serverapp, tmp_path, monkeypatch):
    """py-spy run as another user (nobody) than the kernel's: the operating system refuses it for real."""
    real = pyspy.executable()
    if os.geteuid() != 0 or shutil.which("su") is None or not os.access(real, os.X_OK):
        pytest.skip("running py-spy as another user needs root and su")
    kernel_id = await start_kernel(jp_fetch)
    as_nobody = tmp_path / "py-spy"
    as_nobody.write_text(f'#!/bin/sh\nexec su nobody -s /bin/sh -c "exec {real} $*"\n')
    as_nobody.chmod(as_nobody.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pyspy, "executable", lambda: str(as_nobody))
    result = await stacks(jp_fetch, kernel_id)
    assert result["ok"] is False and result["threads"] == []
    assert "refused to let the server read the kernel's process (ptrace)" in result["message"]
    assert "Permission Denied" in result["message"]  # py-spy's own words, quoted
    assert "ptrace_scope" in result["message"] and "CAP_SYS_PTRACE" in result["message"]


async def test_kernels_behind_a_gateway_are_not_local(jp_fetch):
    status = json.loads((await jp_fetch("ml-debugger", "status")).body)
    assert status["local_kernels"] is False
    status_code, message = await error_of(jp_fetch("ml-debugger", "kernels", "k-1", "stacks", method="POST", body=""))
    assert status_code == 404 and os.sep not in message
