"""A kernel that allocates until its memory cgroup's limit makes the out-of-memory killer end it is
reported as out of memory, with the limit and its last resident size.

The test puts the kernel in a memory cgroup of its own with a 400 MiB limit: that needs a writable
cgroup hierarchy (root in a container with cgroup v1, or a delegated v2 subtree). Where the machine
does not allow it, the test is skipped and says so; the report then says the cause cannot be known
(test_crash_units covers that sentence). A ``prlimit --as`` limit would not do: CPython answers a
failed allocation with MemoryError, and the kernel lives on.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from jupyterlab_ml_debugger.server import memory

from .crash_kernels import SERVER_CONFIG, boot_probe, client, run, restarted, start_kernel, wait_for_report

pytest_plugins = ["pytest_jupyter.jupyter_server"]
pytestmark = pytest.mark.timeout(180)

LIMIT = 400 * 1024 * 1024
# 32 MiB every 0.2 s, as a training run grows: the server's once-a-second samples see it climb.
ALLOCATE = "chunks = []\nwhile True:\n    chunks.append(bytearray(32 * 1024 * 1024))\n    time.sleep(0.2)\n"


@pytest.fixture
def jp_server_config() -> dict:
    return SERVER_CONFIG


@pytest.fixture
def memory_cgroup():
    """A new memory cgroup below this process's, limited to LIMIT; skipped where none can be made."""
    parent = memory.cgroup_of(os.getpid())
    if parent is None:
        pytest.skip("no memory cgroup of this process can be read here, so none can be made for the kernel")
    path = os.path.join(parent.path, f"ml-debugger-test-{os.getpid()}")
    limit_file = "memory.max" if parent.version == 2 else "memory.limit_in_bytes"
    try:
        os.mkdir(path)
        with open(os.path.join(path, limit_file), "w") as handle:
            handle.write(str(LIMIT))
    except OSError as err:
        if os.path.isdir(path):
            os.rmdir(path)
        pytest.skip(f"a memory cgroup with a limit cannot be made here ({err}): run as root with a writable "
                    "cgroup hierarchy to test out-of-memory kills")
    yield path
    for _ in range(50):
        try:
            os.rmdir(path)
            return
        except OSError:
            asyncio.run(asyncio.sleep(0.1))


async def test_an_out_of_memory_kill_is_reported_as_one(jp_fetch, jp_serverapp, memory_cgroup):
    kernel_id = await start_kernel(jp_fetch)
    kc = await client(jp_serverapp, kernel_id)
    try:
        hello = await boot_probe(kc)
        with open(os.path.join(memory_cgroup, "cgroup.procs"), "w") as handle:
            handle.write(str(hello["pid"]))
        await run(kc, "import time; time.sleep(2.5)")  # the server samples the kernel in its new cgroup
        kc.execute(ALLOCATE)
        report = await wait_for_report(jp_fetch, kernel_id, timeout=60)
    finally:
        kc.stop_channels()
        await restarted(jp_serverapp, kernel_id)
    assert (report["signal_name"], report["oom"]) == ("SIGKILL", True)
    assert report["memory_limit_bytes"] == LIMIT
    assert report["cause"].startswith("Killed by the out-of-memory killer: resident memory was ")
    assert "of a 400 MiB limit" in report["cause"] and "`chunks = []`" in report["cause"]
    assert max(sample["rss_bytes"] for sample in report["memory"]) > 200 * 1024 * 1024
