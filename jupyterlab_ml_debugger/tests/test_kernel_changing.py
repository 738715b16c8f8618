"""Reads that race the running cell: a dict the cell keeps changing is read again and again from the
subshell, and no reply is the probe's own failure ("dictionary changed size during iteration")."""

from __future__ import annotations

import time

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

# The dict changes size all the time, and never takes more memory; its tensors make a listing
# long enough for the cell to run in the middle of it.
GROWING = """import torch

d = {i: torch.zeros(100) for i in range(100)}
stop = False
while not stop:
    d[len(d)] = 0
    del d[len(d) - 1]
"""
READS = 60
CHANGING = "changing while read; refresh to try again"


def test_reads_of_a_dict_the_cell_keeps_changing_never_fail_inside_the_probe(kernel: Driver) -> None:
    execution = kernel.execute_async(GROWING)
    path = [{"kind": "name", "name": "d"}]
    target = {"scope": {"kind": "live"}, "target": {"path": path}}
    try:
        for _ in range(200):
            live = ok_result(kernel.request("values", {"scope": {"kind": "live"}}))
            if live["running"] and "d" in {row["name"] for row in live["rows"]}:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the cell never started growing d")
        for _ in range(READS):
            listed = ok_result(kernel.request("children", {"scope": {"kind": "globals"}, "path": path}))
            assert listed["rows"], "a dict's children are its entries, or one row saying it kept changing"
            for row in listed["rows"]:
                assert row["kind"] != "error" or row["summary"] == CHANGING, row
        for op, args in (("structure", target), ("scan", {"scope": {"kind": "live"}}),
                         ("watch", {"scope": {"kind": "live"}, "expressions": ["d"]}), ("counters", {})):
            for _ in range(5):
                ok_result(kernel.request(op, args))
    finally:
        kernel.execute("stop = True", kernel.subshell_id, silent=True)
    kernel.wait(execution, timeout=60)
