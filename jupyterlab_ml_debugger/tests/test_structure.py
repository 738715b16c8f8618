"""Type Structure in-process: module trees of real torch models, object structures, shape recording."""

from __future__ import annotations

import array
import dataclasses
import datetime
import json
import time
import typing

import attrs
import pytest
import torch
from torch import nn

from jupyterlab_ml_debugger.probe import protocol
from jupyterlab_ml_debugger.probe.structure import module_tree, object_structure, ops as structure_ops, shape_record
from jupyterlab_ml_debugger.probe.budget import Budget


def tree_of(model: nn.Module, max_nodes: int = 20_000, ms: float = 3_000) -> tuple[dict, str | None]:
    """The ModuleTree as the frontend gets it (through JSON), its nodes zipped with
    ``fields`` into dicts as a reader does, and the cut sentence."""
    tree, cut = module_tree.walk(model, max_nodes, Budget(ms))
    return as_objects(json.loads(json.dumps(tree))), cut


def as_objects(tree: dict) -> dict:
    """The ModuleTree with each positional ModuleNode read into a dict by ``fields``."""
    assert tree["fields"] == list(protocol.MODULE_FIELDS)
    assert all(len(node) == len(tree["fields"]) for node in tree["modules"])
    return {**tree, "modules": [dict(zip(tree["fields"], node)) for node in tree["modules"]]}


def by_path(tree: dict) -> dict[str, dict]:
    return {node["path"]: node for node in tree["modules"]}


def describe(value: object) -> dict:
    structure, cut = object_structure.describe(value, Budget(1000))
    assert cut is None
    return json.loads(json.dumps(structure))


class SmallCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.head = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean((2, 3)))


def test_cnn_tree_lists_every_module_with_its_own_tensors_and_counts() -> None:
    model = SmallCNN()
    model.head.weight.requires_grad_(False)
    tree, cut = tree_of(model)
    nodes = by_path(tree)
    assert cut is None
    assert list(nodes) == ["", "features", "features.0", "features.1", "features.2", "head"]
    conv = nodes["features.0"]
    assert conv["params"] == [["weight", [8, 3, 3, 3], "float32"], ["bias", [8], "float32"]]
    assert conv["own"] == conv["total"] == 8 * 27 + 8
    assert nodes["features.1"]["buffers"][0] == ["running_mean", [8], "float32"]
    assert nodes["features.2"]["device"] is None and conv["device"] == "cpu"
    assert [n["depth"] for n in tree["modules"]] == [0, 1, 2, 2, 2, 1]
    total = sum(p.numel() for p in model.parameters())
    assert nodes[""]["total"] == tree["params"] == total
    assert tree["trainable"] == total - 80
    assert nodes["head"]["trainable"] == 10 and tree["param_tensors"] == 6
    assert tree["shared"] == 0 and tree["recording"] is False


def test_hooks_training_and_the_shared_module_are_reported() -> None:
    model = SmallCNN()
    model.alias = model.features  # the same Sequential by a second path
    model.head.register_forward_hook(lambda *a: None)
    model.head.register_forward_pre_hook(lambda *a: None)
    model.features.eval()
    tree, _ = tree_of(model)
    nodes = by_path(tree)
    assert nodes["head"]["hooks"] == {"forward": 1, "forward_pre": 1}
    assert nodes["features.0"]["hooks"] is None
    assert nodes["features"]["training"] is False and nodes[""]["training"] is True
    assert nodes["alias"]["shared"] == "features"
    assert not any(path.startswith("alias.") for path in nodes)  # its subtree is not repeated
    assert nodes["alias"]["total"] == nodes["features"]["total"]
    assert nodes[""]["total"] == sum(p.numel() for p in model.parameters())
    assert tree["shared"] == 1


def test_a_tied_weight_counts_once_in_every_subtree() -> None:
    model = nn.Module()
    model.embed = nn.Embedding(100, 16)
    model.decoder = nn.Sequential(nn.Linear(16, 16), nn.Linear(16, 100, bias=False))
    model.decoder[1].weight = model.embed.weight
    tree, _ = tree_of(model)
    nodes = by_path(tree)
    assert nodes["decoder.1"]["own"] == 1600
    assert nodes["decoder"]["total"] == 16 * 16 + 16 + 1600
    assert nodes[""]["total"] == 1600 + 16 * 16 + 16 == sum(p.numel() for p in model.parameters())
    assert tree["param_tensors"] == 3


def test_transformer_paths_and_totals() -> None:
    layer = nn.TransformerEncoderLayer(32, 4, 64)
    model = nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
    tree, _ = tree_of(model)
    nodes = by_path(tree)
    wire = json.dumps(module_tree.walk(model, 20_000, Budget(3_000))[0])
    assert list(nodes) == ["", *(name for name, _ in model.named_modules() if name)]
    attn = nodes["layers.1.self_attn"]
    assert attn["params"][0] == ["in_proj_weight", [96, 32], "float32"]
    assert nodes["layers.1.self_attn.out_proj"]["depth"] == 4
    assert nodes[""]["total"] == sum(p.numel() for p in model.parameters())
    assert len(wire) <= 400 * len(tree["modules"])


def test_a_model_on_the_meta_device_is_walked_without_data() -> None:
    with torch.device("meta"):
        model = nn.Sequential(nn.Linear(1000, 1000), nn.LayerNorm(1000))
    tree, _ = tree_of(model)
    nodes = by_path(tree)
    assert nodes["0"]["device"] == "meta" and nodes["0"]["params"][0][1] == [1000, 1000]
    assert tree["params"] == 1000 * 1000 + 1000 + 2000


def test_mixed_devices_say_mixed() -> None:
    model = nn.Linear(2, 2)
    model.bias = nn.Parameter(torch.zeros(2, device="meta"))
    assert tree_of(model)[0]["modules"][0]["device"] == "mixed"


def test_a_hundred_thousand_parameter_tensors_are_counted_quickly() -> None:
    model = nn.ModuleDict({"table": nn.ParameterList([nn.Parameter(torch.zeros(2)) for _ in range(100_000)])})
    start = time.perf_counter()
    tree, cut = tree_of(model)
    assert time.perf_counter() - start < 2.0
    table = by_path(tree)["table"]
    assert table["own"] == 200_000 and tree["param_tensors"] == 100_000
    assert len(table["params"]) == module_tree.LIST_MAX
    assert cut is not None and "table" in cut and "counts cover all" in cut


def test_a_bounded_walk_says_where_and_why_it_stopped() -> None:
    model = nn.Sequential(*[nn.Sequential(nn.Linear(2, 2), nn.ReLU()) for _ in range(10)])
    tree, cut = tree_of(model, max_nodes=5)
    assert len(tree["modules"]) == 5
    assert cut is not None and "before 1.0" in cut and "limit is 5 modules" in cut
    _, cut = module_tree.walk(model, 100, Budget(0))
    assert cut is not None and "time budget" in cut


def test_the_structure_op_marks_a_cut_walk_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    model = nn.Sequential(*[nn.Linear(2, 2) for _ in range(10)])
    monkeypatch.setattr(structure_ops, "_target", lambda args: model)
    result = structure_ops.structure({"max_nodes": 3})
    assert result["truncated"] is True and "limit is 3 modules" in result["cut"]
    assert result["type"] == "torch.nn.modules.container.Sequential"
    assert result["object"]["class"] == "torch.nn.modules.container.Sequential"


def test_shape_recording_sees_the_users_forward_and_changes_nothing() -> None:
    model = SmallCNN()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    modules = list(module_tree.submodules(model))
    assert shape_record.start(model, modules) == 6
    assert shape_record.start(model, module_tree.submodules(model)) == 6  # idempotent
    assert all(len(m._forward_hooks) == 1 for m in modules)
    with torch.no_grad():
        model.eval()
        model(torch.randn(2, 3, 10, 10))
        model.train()
    tree, _ = tree_of(model)
    nodes = by_path(tree)
    assert tree["recording"] is True and nodes["head"]["hooks"] is None
    assert nodes["features.0"]["io"] == {"in": [[2, 3, 10, 10]], "out": [[2, 8, 8, 8]]}
    assert nodes["head"]["io"] == {"in": [[2, 8]], "out": [[2, 10]]}
    assert shape_record.stop(model, module_tree.submodules(model)) == 6
    assert all(not m._forward_hooks for m in modules)
    assert by_path(tree_of(model)[0])["head"]["io"] is None
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert model.training and all(p.grad is None for p in model.parameters())


def test_the_recording_hook_keeps_no_tensor_and_never_raises() -> None:
    out = shape_record.shapes(({"a": torch.zeros(1, 2)}, [torch.zeros(3)] * 20, None, 7))
    assert out[:2] == [[1, 2], [3]] and out[-1] == shape_record.MORE
    assert len(out) == shape_record.IO_MAX + 1
    assert all(type(entry) in (list, str) for entry in out)
    assert all(type(d) is int for entry in out if isinstance(entry, list) for d in entry)

    class Unhashable(nn.Linear):
        __hash__ = None  # type: ignore[assignment]

    assert shape_record.record(Unhashable(1, 1), (), None) is None


class Inventive:
    calls: typing.ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.real = 1
        self.me = self

    def __getattr__(self, name: str) -> int:
        Inventive.calls.append(name)
        return 42

    @property
    def computed(self) -> int:
        raise AssertionError("a property was evaluated")

    def method(self) -> None:
        pass


def test_getattr_and_properties_are_never_run() -> None:
    s = describe(Inventive())
    assert Inventive.calls == []
    assert [a["name"] for a in s["attributes"]] == ["real", "me"]
    assert s["attributes"][1]["type"] == "jupyterlab_ml_debugger.tests.test_structure.Inventive"
    assert s["properties"] == ["computed"] and s["methods"] == 1
    assert s["mro"][-1] == "object" and s["flavor"] is None and s["shape"] is None


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self) -> None:
        self.a = 1.5


def test_slots_without_values_have_no_type() -> None:
    s = describe(Slotted())
    assert s["slots"] == [{"name": "a", "type": "float"}, {"name": "b", "type": None}]
    assert s["attributes"] == []


class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    pass


def test_metaclass_and_c_types() -> None:
    assert describe(WithMeta())["metaclass"] == "jupyterlab_ml_debugger.tests.test_structure.Meta"
    moment = describe(datetime.datetime(2024, 1, 2))
    assert moment["class"] == "datetime.datetime" and moment["metaclass"] is None
    assert "year" in moment["properties"] and moment["attributes"] == []
    numbers = describe(array.array("d", [1.0, 2.0]))
    assert numbers["class"] == "array.array" and "typecode" in numbers["properties"]


def test_cycles_say_cycle() -> None:
    d: dict = {"x": [torch.zeros(3, 4)] * 16}
    d["self"] = d
    assert describe(d)["shape"] == "dict[str → list[16] of Tensor[3, 4] float32 | …cycle]"
    loop: list = [1]
    loop.append(loop)
    assert describe(loop)["shape"] == "list[2] of int | …cycle"


def test_nested_container_shapes() -> None:
    batch = {"images": [torch.zeros(3, 4)] * 16, "labels": [torch.zeros(3, 4)] * 16}
    assert describe(batch)["shape"] == "dict[str → list[16] of Tensor[3, 4] float32]"
    assert describe((1, "a", torch.zeros(2)))["shape"] == "tuple[int, str, Tensor[2] float32]"
    assert describe([torch.zeros(1), torch.zeros(2)])["shape"] == "list[2] of Tensor (shapes vary)"


@dataclasses.dataclass
class Config:
    lr: float
    layers: list[int]
    note: "str"
    weights: torch.Tensor = dataclasses.field(default_factory=lambda: torch.zeros(2))


class Point(typing.NamedTuple):
    x: int
    y: float


@attrs.define
class Run:
    name: str
    steps: int


def test_dataclass_namedtuple_and_attrs_fields() -> None:
    config = describe(Config(0.1, [1, 2], "hi"))
    assert config["flavor"] == "dataclass"
    assert [(f["name"], f["declared"], f["actual"]) for f in config["fields"]] == [
        ("lr", "float", "float"), ("layers", "list[int]", "list"), ("note", "str", "str"),
        ("weights", "torch.Tensor", "torch.Tensor")]
    assert config["fields"][0]["summary"] == "0.1" and config["attributes"] == []
    point = describe(Point(1, 2))
    assert point["flavor"] == "namedtuple"
    assert [(f["declared"], f["actual"]) for f in point["fields"]] == [("int", "int"), ("float", "int")]
    run = describe(Run("a", 3))
    assert run["flavor"] == "attrs" and [f["actual"] for f in run["fields"]] == ["str", "int"]
    assert {s["name"] for s in run["slots"]} == {"name", "steps"}


def test_pydantic_fields() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        lr: float
        tags: list[str] = []

    s = describe(Model(lr=0.5))
    assert s["flavor"] == "pydantic"
    assert [(f["name"], f["declared"], f["actual"]) for f in s["fields"]] == [
        ("lr", "float", "float"), ("tags", "list[str]", "list")]
