"""Counter Value and Memory Leak / Handle Leak in a real kernel: a leak shows as a flag naming what grows."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(120)

STEPS = 12
# Two 2 MB objects a step, each written byte by byte (a zeroed one need not be resident).
GROW_HISTORY = "history.extend(bytes([step % 256]) * 2_000_000 for step in range(2))"
OPEN_HANDLES = "handles.extend(open(os.devnull) for _ in range(2))"


def sample_while(kernel: Driver, step: str) -> dict:
    """Run ``step`` STEPS times with a counters sample after each; the last sample."""
    ok_result(kernel.request("counters"))
    for _ in range(STEPS):
        kernel.execute(step)
        result = ok_result(kernel.request("counters"))
    return result


def flag_of(result: dict, counter: str) -> dict:
    flags = {flag["counter"]: flag for flag in result["flags"]}
    assert counter in flags, [f["message"] for f in result["flags"]]
    return flags[counter]


def test_a_global_list_that_keeps_growing_is_a_memory_leak_named_by_its_path(kernel: Driver) -> None:
    kernel.execute("history = []")
    result = sample_while(kernel, GROW_HISTORY)
    flag = flag_of(result, "rss")
    assert flag["kind"] == "memory-leak"
    assert flag["samples"] >= 8 and flag["growth"] > 16 * (1 << 20)
    containers = {c["path"]: c for c in flag["containers"]}
    assert "history" in containers and containers["history"]["delta"] > 0
    assert flag["message"].startswith("Resident memory grew ")
    assert "`history` grew by" in flag["message"]
    rss = {c["id"]: c for c in result["counters"]}["rss"]
    assert rss["history"][-1] == rss["value"] and len(rss["history"]) == result["samples"]


def test_files_opened_into_a_global_list_are_a_handle_leak(kernel: Driver) -> None:
    kernel.execute("import os\nhandles = []")
    try:
        result = sample_while(kernel, OPEN_HANDLES)
    finally:
        kernel.execute("for handle in handles:\n    handle.close()")
    flag = flag_of(result, "fds")
    assert flag["kind"] == "handle-leak" and flag["growth"] >= 8
    assert "handles" in {c["path"] for c in flag["containers"]}
    assert flag["message"].startswith("Open file descriptors grew by ")


def test_sampling_never_initialises_cuda(kernel: Driver) -> None:
    kernel.execute("import torch\nweights = torch.ones(3)")
    result = ok_result(kernel.request("counters"))
    ids = [c["id"] for c in result["counters"]]
    assert not [i for i in ids if i.startswith("cuda")]
    assert {"rss", "py_heap", "threads", "children", "fds"} <= set(ids)
    assert kernel.execute("print(torch.cuda.is_initialized())").text.strip() == "False"
