"""Kernels started by a real Jupyter server (pytest-jupyter's) with this package's server extension,
the probe booted in them as the frontend boots it, and the crash reports the server makes."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from tornado.httpclient import HTTPClientError

from jupyterlab_ml_debugger import __version__
from jupyterlab_ml_debugger.bench.boot import boot_code

SERVER_CONFIG = {"ServerApp": {"jpserver_extensions": {"jupyterlab_ml_debugger": True}}}
Json = dict[str, Any]


async def start_kernel(jp_fetch: Any) -> str:
    """A new python3 kernel of the server; its id."""
    response = await jp_fetch("api", "kernels", method="POST", body=json.dumps({"name": "python3"}))
    return json.loads(response.body)["id"]


async def client(serverapp: Any, kernel_id: str) -> AsyncKernelClient:
    """A client of the kernel, its channels started and the kernel answering."""
    kc = serverapp.kernel_manager.get_kernel(kernel_id).client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    return kc


async def run(kc: AsyncKernelClient, code: str, timeout: float = 60, silent: bool = False) -> Json:
    """Run a cell and wait for its reply."""
    msg_id = kc.execute(code, silent=silent)
    while True:
        reply = await kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


async def boot_probe(kc: AsyncKernelClient) -> Json:
    """Boot the installed probe as the frontend does (bootstrap, then hello); the hello it returned."""
    msg_id = kc.execute(boot_code(None, __version__), silent=False, store_history=False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = await kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            text = msg["content"]["text"]
            return json.loads(text[text.index("{"):])
    raise TimeoutError("the probe did not boot within 60 s")


async def crashes(jp_fetch: Any, kernel_id: str) -> list[Json]:
    response = await jp_fetch("ml-debugger", "crashes", params={"kernel": kernel_id})
    return json.loads(response.body)["reports"]


async def wait_for_report(jp_fetch: Any, kernel_id: str, timeout: float = 30) -> Json:
    """The kernel's newest crash report, once the server has made one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports = await crashes(jp_fetch, kernel_id)
        if reports:
            return reports[0]
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no crash report for kernel {kernel_id} within {timeout} s")


async def restarted(serverapp: Any, kernel_id: str, timeout: float = 30) -> None:
    """Wait until the server has started the killed kernel again. A restart still under way when the
    test's server shuts down fails jupyter_client's shutdown of every kernel (its ready future is not
    done), and with it the teardown of this test and of the ones after it."""
    manager = serverapp.kernel_manager
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kernel_id not in manager.list_kernel_ids():
            return
        km = manager.get_kernel(kernel_id)
        if km.ready.done() and await km.is_alive():
            return
        await asyncio.sleep(0.1)


async def error_of(call: Any) -> tuple[int, str]:
    """The status and message of a request that must fail."""
    try:
        await call
    except HTTPClientError as err:
        body = err.response.body if err.response is not None else b"{}"
        return err.code, json.loads(body or b"{}").get("message", "")
    raise AssertionError("the request succeeded")
