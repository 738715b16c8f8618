"""Property test: any request built from the protocol's own description gets a reply over the
real comm, never an internal error, and the kernel stays healthy.

The ops and their arguments are read from the docstrings of protocol.py, protocol_live.py
and protocol_checks.py (``op`` args ``{"key"?: Type, ...}``): a new op or argument is
covered as soon as it is documented. Each argument is drawn either well formed for its
documented type or as any JSON value, so both the happy paths and every kind of wrong
input reach the op.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jupyterlab_ml_debugger.bench.driver import Driver
from jupyterlab_ml_debugger.probe import dispatch, protocol, protocol_checks, protocol_live

pytestmark = pytest.mark.timeout(600)

DOC = "\n".join(m.__doc__ or "" for m in (protocol, protocol_live, protocol_checks))
_OP = re.compile(r"``(\w+)`` args ``(\{.*?\})``", re.S)
_KEY = re.compile(r'"(\w+)"(\??):\s*((?:"[^"]*"(?:\s*\|\s*"[^"]*")*)|\[[^\]]*\](?:\s*\|\s*\[[^\]]*\])*'
                  r'|[\w.]+(?:\s*\|\s*[\w.]+)*)')

SETUP = """
import numpy as np
x = 3
values = [1.5, float("nan"), None]
table = {"a": [1, 2], "b": {"c": "text"}}
array = np.arange(12.0).reshape(3, 4)
s = "\\ud800"
def fails():
    raise ValueError("planted")
"""
NAMES = ["x", "values", "table", "array", "s", "fails", "missing"]


def documented_args() -> dict[str, list[tuple[str, bool, str]]]:
    """Each documented op's arguments: (key, required, type text)."""
    found: dict[str, list[tuple[str, bool, str]]] = {}
    for match in _OP.finditer(DOC):
        body = " ".join(match.group(2).split())
        found[match.group(1)] = [(key, not optional, kind) for key, optional, kind in _KEY.findall(body)]
    return found


ARGS = documented_args()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
names = st.sampled_from(NAMES * 4) | st.text(max_size=12)
steps = st.one_of(
    st.fixed_dictionaries({"kind": st.just("name"), "name": names}),
    st.fixed_dictionaries({"kind": st.sampled_from(["name", "global", "attr"]), "name": names}),
    st.fixed_dictionaries({"kind": st.sampled_from(["index", "key", "frame"]), "index": st.integers(-3, 50)}),
    json_values)
paths = st.lists(steps, max_size=4) | json_values
scopes = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["globals", "globals", "globals", "live"])}),
    st.fixed_dictionaries({"kind": st.just("frame"), "index": st.integers(-1, 2),
                           "frames": st.lists(st.fixed_dictionaries(
                               {"path": st.text(max_size=10), "name": names, "line": st.integers(0, 99)}), max_size=2)}),
    json_values)
expressions = st.sampled_from(["x + 1", "values[0]", "fails()", "(", "x := 1", "array.sum()", "s"]) \
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
targets = st.one_of(st.fixed_dictionaries({"path": paths}), st.fixed_dictionaries({"expression": expressions}),
                    json_values)
numbers = st.integers(1, 5_000) | st.integers(-5, 10**12) | st.floats(-1.0, 1e12, allow_nan=False)


def for_type(kind: str) -> st.SearchStrategy[Any]:
    """A value of the documented type (four times in five), or any JSON value."""
    literals = re.findall(r'"([^"]*)"', kind)
    typed = {
        "Scope": scopes, "Target": targets, "[PathStep]": paths, "[str]": st.lists(expressions, max_size=3),
        "str": expressions, "bool": st.booleans(), "int": numbers, "float": numbers, "seq": numbers,
        "[int]": st.lists(st.integers(-3, 300), max_size=3),
    }.get(kind)
    if literals:
        typed = st.sampled_from(literals)
    elif kind.startswith("[int"):
        typed = st.lists(st.integers(-3, 5), max_size=2)
    if typed is None:
        return json_values
    return st.sampled_from([True, True, True, True, False]).flatmap(lambda well: typed if well else json_values)


@st.composite
def requests(draw: st.DrawFn) -> tuple[Any, Any]:
    """(op, args) for a documented op, or now and then a malformed one."""
    op = draw(st.sampled_from(sorted(dispatch.OPS)))
    args: dict[str, Any] = {}
    for key, required, kind in ARGS.get(op, []):
        if required or draw(st.booleans()):
            args[key] = draw(for_type(kind))
    if draw(st.sampled_from(range(10))) == 7:
        args[draw(st.text(max_size=6))] = draw(json_values)
    if draw(st.sampled_from(range(20))) == 7:
        return draw(json_values | st.text(max_size=8)), args
    return op, args


def test_every_op_is_documented() -> None:
    undocumented = [op for op in dispatch.OPS if f"``{op}``" not in DOC]
    assert undocumented == []
    assert {"values", "children", "watch", "structure", "slice", "threads"} <= ARGS.keys()


@pytest.fixture(scope="module")
def prepared(kernel: Driver) -> Driver:
    kernel.execute(SETUP, silent=True)
    return kernel


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(request=requests())
def test_every_request_gets_a_reply_that_is_not_an_internal_error(prepared: Driver, request: tuple[Any, Any]) -> None:
    op, args = request
    reply = prepared.request(op, args, timeout=20)
    assert set(reply) >= {"id", "v", "ok"}
    event(f"{op if type(op) is str else 'malformed op'}: {'ok' if reply['ok'] else reply['error']['kind']}")
    if not reply["ok"]:
        error = reply["error"]
        assert error["kind"] in protocol.ERROR_KINDS
        assert error["kind"] != "internal", (op, args, error["message"])
        assert isinstance(error["message"], str) and error["message"]


def test_the_kernel_is_healthy_after_the_property_run(prepared: Driver) -> None:
    assert prepared.execute("print(1 + 1)").text.strip() == "2"
    assert prepared.request("hello")["ok"]
