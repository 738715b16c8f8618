"""Malformed requests and unencodable values over the real comm: each gets a reply that says
what is wrong, and the kernel stays healthy afterwards."""

from __future__ import annotations

import json

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe import protocol
from jupyterlab_ml_debugger.probe.comm import sendable
from jupyterlab_ml_debugger.probe.requests import ProbeError, check_shape

from .conftest import ok_result, rows_by_name

pytestmark = pytest.mark.timeout(180)

GLOBALS = {"kind": "globals"}
SETUP = '''
s = "\\ud800"
keys = {"\\ud800": "\\udfff and more"}
globals()["named\\ud800"] = 1
'''


def nested(levels: int) -> list:
    """A list nested ``levels`` deep, built without recursion."""
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.fixture(scope="module", autouse=True)
def hostile_namespace(kernel: Driver) -> None:
    kernel.execute(SETUP, silent=True)


def healthy(kernel: Driver) -> None:
    """The kernel still runs cells and the probe still answers."""
    assert kernel.execute("print(1 + 1)").text.strip() == "2"
    assert ok_result(kernel.request("hello"))["thread"] == "subshell"


def error_of(reply: dict) -> dict:
    assert not reply["ok"], reply
    return reply["error"]


def test_a_lone_surrogate_in_a_value_a_name_and_a_key_is_shown_escaped(kernel: Driver) -> None:
    rows = rows_by_name(ok_result(kernel.request("values", {"scope": GLOBALS}, timeout=10))["rows"])
    assert rows["s"]["summary"] == "'\\ud800'"
    assert "named\\ud800" in rows
    children = ok_result(kernel.request("children", {"scope": GLOBALS, "path": [{"kind": "name", "name": "keys"}]},
                                        timeout=10))["rows"]
    assert [row["name"] for row in children] == ["\\ud800"]
    assert children[0]["summary"] == "'\\udfff and more'"
    healthy(kernel)


def test_args_nested_past_the_bound_are_refused_before_any_work(kernel: Driver) -> None:
    reply = kernel.request("values", {"scope": GLOBALS, "extra": nested(900)}, timeout=10)
    assert error_of(reply) == {"kind": "bad-request",
                               "message": f"a request nests at most {protocol.REQUEST_DEPTH_MAX} levels deep"}
    healthy(kernel)


def test_a_string_too_long_and_too_many_values_are_refused(kernel: Driver) -> None:
    long = kernel.request("watch", {"scope": GLOBALS, "expressions": ["x" * (protocol.REQUEST_TEXT_MAX + 1)]})
    assert error_of(long)["message"] == "a request's strings have at most 100,000 characters"
    many = kernel.request("watch", {"scope": GLOBALS, "expressions": ["x"] * (protocol.REQUEST_ITEMS_MAX + 1)})
    assert error_of(many)["message"] == "a request holds at most 50,000 values"
    healthy(kernel)


def test_an_op_that_is_not_a_string_gets_a_sentence(kernel: Driver) -> None:
    for op in (["values"], {"op": "values"}, 7, None):
        error = error_of(kernel.request(op, {}))  # type: ignore[arg-type]
        assert error == {"kind": "bad-request", "message": 'op must be a string naming an operation, such as "values"'}
    assert error_of(kernel.request("no_such_op", {}))["message"] == "unknown op 'no_such_op'"
    healthy(kernel)


@pytest.mark.parametrize("expression", ["(" * 300 + "1" + ")" * 300, "-" * 999 + "1", "[" * 400 + "]" * 400])
def test_deeply_nested_expressions_get_a_sentence_not_an_internal_error(kernel: Driver, expression: str) -> None:
    watch = ok_result(kernel.request("watch", {"scope": GLOBALS, "expressions": [expression]}))["rows"][0]
    assert watch["kind"] in ("scalar", "error", "sequence"), watch
    if watch["kind"] == "error":
        assert watch["error"].startswith("does not compile: ")
    target = kernel.request("structure", {"scope": GLOBALS, "target": {"expression": expression}})
    assert target["ok"] or error_of(target)["kind"] == "bad-request", target
    validation = kernel.request("validate", {"expression": expression})
    assert validation["ok"], validation
    healthy(kernel)


def test_the_frontends_depth_bound_and_the_probes_agree() -> None:
    def request(levels: int) -> dict:
        return {"id": 1, "op": "values", "args": {"x": nested(levels)}}

    check_shape(request(protocol.REQUEST_DEPTH_MAX - 3))
    with pytest.raises(ProbeError):
        check_shape(request(protocol.REQUEST_DEPTH_MAX - 2))


def test_a_reply_that_strict_json_cannot_carry_is_made_sendable() -> None:
    reply = {"id": 3, "result": {"rows": [{"name": "a\ud800", "summary": "\udfff", "mean": float("nan"),
                                           "path": [{"kind": "key", "name": "\ud83d"}]}]}}
    packed = json.dumps(sendable(reply), ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert json.loads(packed)["result"]["rows"][0] == {
        "name": "a\\ud800", "summary": "\\udfff", "mean": None, "path": [{"kind": "key", "name": "\\ud83d"}]}
