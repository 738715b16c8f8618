"""A batch of requests (what the live sections ask at one tick) is answered in one message, in order."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe import protocol
from jupyterlab_ml_debugger.probe.dispatch import handle_batch

from .conftest import ok_result


def test_each_request_gets_its_own_reply_in_order() -> None:
    replies = handle_batch([{"id": 1, "op": "hello"}, {"id": 2, "op": "nope"}, {"id": 3, "op": "counters"}])
    assert [r["id"] for r in replies] == [1, 2, 3]
    assert replies[0]["ok"] and replies[2]["ok"]
    assert replies[1]["error"]["kind"] == "bad-request"


def test_a_slice_shares_the_message_with_the_others() -> None:
    torch = pytest.importorskip("torch")
    import __main__

    __main__.grid = torch.ones(3, 3)
    try:
        hello, reply = handle_batch([{"id": 6, "op": "hello"}, {"id": 7, "op": "slice", "args": {
            "scope": {"kind": "globals"}, "target": {"path": [{"kind": "name", "name": "grid"}]}}}])
    finally:
        del __main__.grid
    assert hello["ok"] and reply["id"] == 7 and reply["ok"], reply
    assert (reply["result"]["rows"], reply["result"]["cols"]) == (3, 3)


def test_a_batch_that_is_not_a_list_of_requests_is_refused() -> None:
    for batch in ([], "hello", [{"id": 1, "op": "hello"}] * (protocol.BATCH_MAX + 1)):
        [reply] = handle_batch(batch)
        assert reply["error"]["kind"] == "bad-request"


@pytest.mark.timeout(120)
def test_a_batch_travels_the_comm_as_one_message(kernel: Driver) -> None:
    pending = kernel.send_batch([("hello", {}), ("counters", {}), ("threads", {"locals": False})])
    results = [ok_result(kernel.reply(request)) for request in pending]
    assert results[0]["thread"] == "subshell"
    assert any(c["id"] == "rss" for c in results[1]["counters"])
    assert any(t["kind"] == "main" for t in results[2]["threads"])
