"""Type Structure through the subshell comm of a real kernel."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(180)

SETUP = """import torch
from torch import nn
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
"""
GLOBALS = {"kind": "globals"}
MODEL = {"path": [{"kind": "name", "name": "model"}]}


def nodes_by_path(tree: dict) -> dict[str, dict]:
    """Each positional ModuleNode read into a dict by the tree's ``fields``, by path."""
    nodes = [dict(zip(tree["fields"], node)) for node in tree["modules"]]
    return {node["path"]: node for node in nodes}


def test_structure_of_a_global_model_gives_parameter_shapes(kernel: Driver) -> None:
    kernel.execute(SETUP)
    result = ok_result(kernel.request("structure", {"scope": GLOBALS, "target": MODEL}))
    nodes = nodes_by_path(result["modules"])
    assert list(nodes) == ["", "0", "1", "2"]
    assert nodes["0"]["params"] == [["weight", [8, 4], "float32"], ["bias", [8], "float32"]]
    assert nodes["2"]["params"][0] == ["weight", [2, 8], "float32"]
    assert result["modules"]["params"] == 4 * 8 + 8 + 8 * 2 + 2
    assert result["object"]["class"] == "torch.nn.modules.container.Sequential"
    assert result["truncated"] is False


def test_recorded_shapes_come_back_after_the_users_forward(kernel: Driver) -> None:
    kernel.execute(SETUP)
    on = {"scope": GLOBALS, "target": {"expression": "model"}, "on": True}
    assert ok_result(kernel.request("record_shapes", on)) == {"on": True, "modules": 4}
    kernel.execute("y = model(torch.zeros(5, 4))")
    result = ok_result(kernel.request("structure", {"scope": GLOBALS, "target": MODEL}))
    nodes = nodes_by_path(result["modules"])
    assert nodes["2"]["io"] == {"in": [[5, 8]], "out": [[5, 2]]}
    off = {**on, "on": False}
    assert ok_result(kernel.request("record_shapes", off)) == {"on": False, "modules": 4}
    hooks = kernel.execute("print(sum(len(m._forward_hooks) for m in model.modules()))")
    assert hooks.text.strip() == "0"
