"""The server extension's routes: behind Jupyter's authentication, and a request it cannot answer
gets a 4xx with a sentence saying why."""

from __future__ import annotations

import asyncio
import json

import pytest

from .crash_kernels import SERVER_CONFIG, client, crashes, error_of, restarted, start_kernel, wait_for_report

pytest_plugins = ["pytest_jupyter.jupyter_server"]
pytestmark = pytest.mark.timeout(120)

FOREIGN = "0b6f1a7e-1111-4c3a-9d1e-3a1f0c2b9e77"


@pytest.fixture
def jp_server_config() -> dict:
    return SERVER_CONFIG


@pytest.mark.parametrize("method, parts, body", [
    ("GET", ("ml-debugger", "crashes"), None),
    ("GET", ("ml-debugger", "status"), None),
    ("DELETE", ("ml-debugger", "crashes", "0" * 32), None),
    ("POST", ("ml-debugger", "kernels", FOREIGN, "stacks"), "{}"),
])
async def test_every_route_needs_authentication(jp_fetch, method, parts, body):
    status, _ = await error_of(jp_fetch(*parts, method=method, body=body, params={"kernel": FOREIGN},
                                        headers={"Authorization": ""}))
    assert status in (401, 403)


async def test_status_says_py_spy_is_there_and_kernels_are_local(jp_fetch):
    status = json.loads((await jp_fetch("ml-debugger", "status")).body)
    assert status["pyspy"]["available"] is True and status["pyspy"]["version"].startswith("0.")
    assert status["local_kernels"] is True


async def test_a_kernel_this_server_never_had_is_404_with_a_sentence(jp_fetch):
    status, message = await error_of(jp_fetch("ml-debugger", "crashes", params={"kernel": FOREIGN}))
    assert status == 404 and f"This server has no kernel '{FOREIGN}'" in message
    status, message = await error_of(jp_fetch("ml-debugger", "kernels", FOREIGN, "stacks", method="POST", body="{}"))
    assert status == 404 and "open the notebook whose kernel you mean" in message


async def test_malformed_requests_are_400_with_a_sentence(jp_fetch):
    status, message = await error_of(jp_fetch("ml-debugger", "crashes"))
    assert status == 400 and "ml-debugger/crashes?kernel=<kernel id>" in message
    status, message = await error_of(jp_fetch("ml-debugger", "crashes", params={"kernel": "../../etc"}))
    assert status == 400
    status, message = await error_of(jp_fetch("ml-debugger", "crashes", "not-a-report", method="DELETE"))
    assert status == 400 and "32 hexadecimal digits" in message
    status, message = await error_of(jp_fetch("ml-debugger", "kernels", FOREIGN, "stacks", method="POST",
                                              body=json.dumps({"pid": 1, "command": "ls"})))
    assert status == 400 and "takes no body" in message


async def test_a_report_outlives_the_automatic_restart_until_dismissed(jp_fetch, jp_serverapp):
    kernel_id = await start_kernel(jp_fetch)
    assert json.loads((await jp_fetch("ml-debugger", "crashes", params={"kernel": kernel_id})).body) == {"reports": []}
    kc = await client(jp_serverapp, kernel_id)
    try:
        kc.execute("import os\nos._exit(7)\n")
        report = await wait_for_report(jp_fetch, kernel_id)
    finally:
        kc.stop_channels()
        await restarted(jp_serverapp, kernel_id)
    assert report["exit_code"] == 7
    # The server restarts the dead kernel on its own (same id, a new process): the report stays.
    manager = jp_serverapp.kernel_manager.get_kernel(kernel_id)
    for _ in range(300):
        process = getattr(manager.provisioner, "process", None)
        if process is not None and process.pid != report["pid"] and process.poll() is None:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the server did not restart the dead kernel within 30 s")
    assert [r["id"] for r in await crashes(jp_fetch, kernel_id)] == [report["id"]]
    response = await jp_fetch("ml-debugger", "crashes", report["id"], method="DELETE")
    assert response.code == 204
    assert json.loads((await jp_fetch("ml-debugger", "crashes", params={"kernel": kernel_id})).body) == {"reports": []}
    status, message = await error_of(jp_fetch("ml-debugger", "crashes", report["id"], method="DELETE"))
    assert status == 404 and "dismissed already" in message
