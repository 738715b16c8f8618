"""Nothing of the user's runs when the probe reads values: every reading op, over a real comm, on
objects that record each call of their code (``user_code_spy.Spy``), placed everywhere a value can be.

The one op that runs user code on purpose, ``repr``, is checked to do so.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver, frame_refs

from .user_code_spy import SPY_SOURCE

pytestmark = pytest.mark.timeout(300)

SETUP = """import dataclasses, os, sys, tempfile, threading, time
import numpy as np
import torch
import pandas as pd

spy = Spy("a global")
spy_list = [Spy("in a list"), 1]
spy_dict = {"a": Spy("in a dict")}
spy_keyed = {Spy("a key"): 1}
spy_set = {Spy("in a set")}
spy_tuple = (Spy("in a tuple"), torch.tensor([1.0, float("nan")]))
spy_error = SpyError("an exception kept in a global")

class Holder:
    pass

holder = Holder()
holder.inner = Spy("an attribute")
holder.items = [Spy("an attribute's item")]

class Registry:
    item = Spy("a class attribute")
    entries = {"one": Spy("in a class attribute")}

@dataclasses.dataclass
class Config:
    items: list[Spy]
    one: Spy

config = Config([Spy("a field's item")], Spy("a field"))

class Odd:
    pass

Odd.__module__ = Spy("a class's module")
odd = Odd()
nan_tensor = torch.tensor([1.0, float("nan")])

class SpyTensor(torch.Tensor):
    def __getattribute__(self, name):
        _spy_note("tensor.__getattribute__", name)
        return torch.Tensor.__getattribute__(self, name)

class SpyArray(np.ndarray):
    def __array_finalize__(self, obj):
        _spy_note("__array_finalize__")

spy_tensor = torch.tensor([1.0, 2.0]).as_subclass(SpyTensor)
spy_array = np.arange(4.0).view(SpyArray)
frame = pd.DataFrame({"n": [1.0, 2.0, 2.0, None], "o": [Spy("a cell"), "x", "x", None]})
growing = [Spy("in a growing list")]

_spy_dir = tempfile.mkdtemp()
with open(os.path.join(_spy_dir, "spy_user_module.py"), "w") as _f:
    _f.write("items = []\\n")
sys.path.insert(0, _spy_dir)
import spy_user_module
spy_user_module.items.append(Spy("a module's global's item"))
spy_user_module.hidden = Spy("a module's global")
spy_user_module.__version__ = Spy("a module's version")
del spy_user_module
_spy_stop = threading.Event()
"""

RUNNING = """def hold():
    spy_local = Spy("a running cell's local")
    local_list = [spy_local, torch.zeros(2)]
    while not _spy_stop.is_set():
        time.sleep(0.005)

hold()
"""

FAILING = """def fail():
    spy_failing = Spy("a failed cell's local")
    try:
        raise ValueError("failed on purpose")
    except ValueError as err:
        raise SpyError("a failed cell's exception") from err

fail()
"""

STOPPING = """def stop_here():
    spy_stopped = Spy("a stopped frame's local")
    pair = [spy_stopped, nan_tensor]
    return len(pair)

stop_here()
"""
STOP_LINE = 4  # return len(pair)

GLOBALS = {"kind": "globals"}
LIVE = {"kind": "live"}
NAMES = ["spy", "spy_list", "spy_dict", "spy_keyed", "spy_set", "spy_tuple", "spy_error", "holder", "Registry",
         "config", "odd", "frame", "growing", "Spy", "spy_tensor", "spy_array"]


def name(n: str) -> dict:
    return {"kind": "name", "name": n}


# Paths through every place a spy sits, from the namespace.
GLOBAL_PATHS = [
    *[[name(n)] for n in NAMES],
    [name("spy_list"), {"kind": "index", "index": 0}],
    [name("spy_dict"), {"kind": "key", "index": 0}],
    [name("spy_keyed"), {"kind": "key", "index": 0}],
    [name("spy_set"), {"kind": "index", "index": 0}],
    [name("spy_tuple"), {"kind": "index", "index": 0}],
    [name("holder"), {"kind": "attr", "name": "inner"}],
    [name("holder"), {"kind": "attr", "name": "items"}],
    [name("Registry"), {"kind": "attr", "name": "item"}],
    [name("Registry"), {"kind": "attr", "name": "entries"}],
    [name("frame"), {"kind": "index", "index": 1}],
]


def spy_calls(kernel: Driver) -> list[list[Any]]:
    """The calls the spies recorded since the last look, and the log cleared (read on the probe's subshell)."""
    code = "print(__import__('json').dumps(_spy_calls)); _spy_calls.clear()"
    return json.loads(kernel.execute(code, kernel.subshell_id, silent=True).text)


def read(kernel: Driver, op: str, args: dict | None = None, errors: tuple[str, ...] = ()) -> dict:
    """One request whose reply is ok, or an error of one of ``errors`` that says what is wrong;
    the spies must have recorded no call."""
    reply = kernel.request(op, args or {}, timeout=60)
    if not reply["ok"]:
        error = reply["error"]
        assert error["kind"] in errors, f"{op} {args}: {error}"
        assert error["message"].strip(), f"{op} {args}: an error without a sentence"
    calls = spy_calls(kernel)
    assert calls == [], f"{op} {json.dumps(args)} ran the user's code: {calls}"
    return reply


@pytest.fixture(scope="module")
def spied(kernel: Driver) -> Driver:
    kernel.execute(SPY_SOURCE)
    kernel.execute(SETUP)
    spy_calls(kernel)
    return kernel


def read_values_and_children(kernel: Driver, scope: dict, paths: list[list[dict]]) -> None:
    for grouped in ({}, {"group": "scope"}):
        read(kernel, "values", {"scope": scope, **grouped})
    for path in paths:
        read(kernel, "children", {"scope": scope, "path": path}, errors=("no-value",))


def test_values_children_and_structure_run_none_of_the_users_code(spied: Driver) -> None:
    read_values_and_children(spied, GLOBALS, GLOBAL_PATHS)
    for path in GLOBAL_PATHS:
        read(spied, "structure", {"scope": GLOBALS, "target": {"path": path}})


def test_checks_and_viewers_run_none_of_the_users_code(spied: Driver) -> None:
    scanned = read(spied, "scan", {"scope": GLOBALS})["result"]
    assert {"nan_tensor", "spy_tuple[1]"} <= {f["path"] for f in scanned["findings"]}
    read(spied, "watch", {"scope": GLOBALS, "expressions": NAMES})
    for n in NAMES:
        target = {"path": [name(n)]}
        for op in ("slice", "histogram", "table", "data_defects", "nan_watch"):
            extra = {"on": True} if op == "nan_watch" else {}
            read(spied, op, {"scope": GLOBALS, "target": target, **extra}, errors=("bad-request",))
        read(spied, "record_shapes", {"scope": GLOBALS, "target": target, "on": True}, errors=("bad-request",))
    read(spied, "data_defects", {"scope": GLOBALS, "target": {"path": [name("frame")]}, "label": "o"})
    read(spied, "table", {"scope": GLOBALS, "target": {"path": [name("frame")]}})


def test_process_views_run_none_of_the_users_code(spied: Driver) -> None:
    read(spied, "threads", {"locals": True})
    read(spied, "modules")
    for _ in range(3):
        read(spied, "counters")


def test_the_growth_search_of_a_leak_runs_none_of_the_users_code(spied: Driver) -> None:
    """Memory that only grows sends the counters looking for what grows: every type by name, a
    few instances of each grown type, and the containers that hold them."""
    spied.execute("_spy_ballast = []")
    flags = []
    for _ in range(12):
        spied.execute("_spy_ballast.append(b'x' * (48 << 20)); growing.extend(Spy('more') for _ in range(200))",
                      silent=True)
        flags = read(spied, "counters")["result"]["flags"]
    spied.execute("del _spy_ballast", silent=True)
    leak = next(f for f in flags if f["counter"] == "rss")
    assert "__main__.Spy" in {t["type"] for t in leak["types"]}


def test_a_running_cells_locals_are_read_without_the_users_code(spied: Driver) -> None:
    execution = spied.execute_async(RUNNING)
    try:
        for _ in range(100):
            live = read(spied, "values", {"scope": LIVE})["result"]
            if live["frames"] and live["frames"][0]["name"] == "hold":
                break
        else:
            raise AssertionError("the running cell's frame never showed")
        local = [{"kind": "frame", "index": 0}, name("spy_local")]
        items = [{"kind": "frame", "index": 0}, name("local_list")]
        read_values_and_children(spied, LIVE, [local, items, [*items, {"kind": "index", "index": 0}]])
        read(spied, "structure", {"scope": LIVE, "target": {"path": local}})
        read(spied, "scan", {"scope": LIVE})
        read(spied, "watch", {"scope": LIVE, "expressions": ["spy_local", "local_list", "spy"]})
        read(spied, "threads", {"locals": True})
        read(spied, "counters")
    finally:
        spied.execute("_spy_stop.set()", spied.subshell_id, silent=True)
    spied.wait(execution, timeout=60)


def test_a_failed_cells_locals_are_read_without_the_users_code(spied: Driver) -> None:
    failed = spied.execute_async(FAILING)
    assert failed.done.wait(60), "the failing cell never finished"
    spy_calls(spied)
    report = read(spied, "postmortem")["result"]
    rows = [row["name"] for link in report["error"]["chain"] for f in link["frames"] for row in f["rows"]]
    assert "spy_failing" in rows
    read(spied, "explain_error")


def test_repr_runs_the_users_repr_on_purpose(spied: Driver) -> None:
    reply = spied.request("repr", {"scope": GLOBALS, "path": [name("spy")]})
    assert reply["result"]["text"] == "Spy(a global)"
    assert "__repr__" in [call[0] for call in spy_calls(spied)]


def test_a_stopped_frames_values_are_read_without_the_users_code(spied: Driver) -> None:
    spied.debug_on()
    spied.set_breakpoints(STOPPING, [STOP_LINE])
    execution = spied.execute_async(STOPPING)
    thread_id = spied.wait_event("stopped", timeout=60)["threadId"]
    try:
        spy_calls(spied)
        scope = {"kind": "frame", "frames": frame_refs(spied.stack_frames(thread_id)), "index": 0}
        local = [name("spy_stopped")]
        pair = [name("pair")]
        read_values_and_children(spied, scope, [local, pair, [*pair, {"kind": "index", "index": 0}]])
        read(spied, "structure", {"scope": scope, "target": {"path": pair}})
        scanned = read(spied, "scan", {"scope": scope})["result"]
        assert "pair[1]" in {f["path"] for f in scanned["findings"]}
        read(spied, "watch", {"scope": scope, "expressions": ["spy_stopped", "pair"]})
    finally:
        spied.set_breakpoints(STOPPING, [])
        spied.dap("continue", {"threadId": thread_id})
    spied.wait(execution, timeout=60)
