"""The NaN/Inf scan without a kernel: paths, counts, first indexes, the unchanged-tensor cache, bounds."""

from __future__ import annotations

import gc
import sys
import weakref
from types import FrameType

import pytest
import torch

from jupyterlab_ml_debugger.probe.checks import nonfinite_scan, tensor_check
from jupyterlab_ml_debugger.probe.stack import namespace
from jupyterlab_ml_debugger.probe.budget import Budget

pytestmark = pytest.mark.timeout(60)

NAN, INF = float("nan"), float("inf")


class Net(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = torch.nn.Linear(4, 8)
        self.fc2 = torch.nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))


class Holder:
    def __init__(self, inner: torch.Tensor) -> None:
        self.inner = inner
        self.name = "holder"


@pytest.fixture(autouse=True)
def fresh_cache():
    nonfinite_scan._finite.clear()
    yield
    nonfinite_scan._finite.clear()


def training_frame() -> FrameType:
    """A stopped-looking function frame: a model with a NaN gradient, Adam state with an Inf."""
    torch.manual_seed(0)
    model = Net()
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(3, 4)).sum().backward()
    opt.step()
    model.fc2.weight.grad[1, 5] = NAN
    model.fc2.weight.grad[0, 7] = NAN
    opt.state[model.fc2.bias]["exp_avg"][1] = INF
    batch = [torch.ones(3), torch.tensor([1.0, -INF, NAN])]
    logs = {"loss": torch.tensor(NAN), "lr": 0.1}
    holder = Holder(torch.tensor([[0.0, 1.0], [INF, 2.0]]))
    counts = torch.arange(6)
    mask = torch.ones(4, dtype=torch.bool)
    assert {"batch", "logs", "holder", "counts", "mask"} <= set(locals())  # what the scan starts from
    return sys._getframe()


def scan(frame: FrameType, ms: float = 5_000) -> dict:
    return nonfinite_scan.scan(namespace.frame_items(frame), Budget(ms))


def by_path(result: dict) -> dict[str, dict]:
    return {f["path"]: f for f in result["findings"]}


def test_finds_every_bad_tensor_with_its_path_counts_and_first_index() -> None:
    result = scan(training_frame())
    found = by_path(result)
    assert list(found) == ["model.fc2.weight.grad", "batch[1]", "logs['loss']", "holder.inner",
                           "opt.state[model.fc2.bias].exp_avg"]
    grad = found["model.fc2.weight.grad"]
    assert (grad["nan"], grad["inf"], grad["first"]) == (2, 0, [0, 7])
    assert grad["shape"] == [2, 8] and grad["dtype"] == "float32" and grad["device"] == "cpu"
    assert (found["batch[1]"]["nan"], found["batch[1]"]["inf"], found["batch[1]"]["first"]) == (1, 1, [1])
    assert found["logs['loss']"]["first"] == [] and found["logs['loss']"]["shape"] == []
    assert found["holder.inner"]["first"] == [1, 0]
    assert found["opt.state[model.fc2.bias].exp_avg"]["inf"] == 1
    # 4 params + 4 grads, 2 batch items, a scalar, an attribute, 2 int/bool tensors, 4 x 3 Adam state
    assert result["tensors"] == 8 + 2 + 1 + 1 + 2 + 12
    assert result["skipped"] == 0 and result["truncated"] is False and result["cut"] is None


def test_an_optimizer_alone_names_state_by_parameter_position() -> None:
    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(2, 4)).sum().backward()
    opt.step()
    opt.state[model.fc1.bias]["momentum_buffer"][0] = NAN
    found = by_path(nonfinite_scan.scan([("opt", opt)], Budget(5_000)))
    assert list(found) == ["opt.state[1].momentum_buffer"]


def test_a_second_scan_skips_unchanged_tensors_and_sees_in_place_changes() -> None:
    frame = training_frame()
    first = scan(frame)
    again = scan(frame)
    # every finite float tensor is remembered; the bad ones and the int/bool ones are read again
    assert again["skipped"] == first["tensors"] - 5 - 2
    assert by_path(again) == by_path(first)

    frame.f_locals["batch"][0][2] = INF  # an in-place write bumps the tensor's _version
    model = frame.f_locals["model"]
    with torch.no_grad():
        model.fc1.weight.mul_(NAN)
    third = scan(frame)
    assert by_path(third)["batch[0]"]["first"] == [2]
    assert by_path(third)["model.fc1.weight"]["nan"] == 32
    assert third["skipped"] == again["skipped"] - 2


def test_the_cache_keeps_no_tensor_alive() -> None:
    t = torch.ones(5)
    ref = weakref.ref(t)
    nonfinite_scan.scan([("t", t)], Budget(1_000))
    assert nonfinite_scan.known_finite(t)
    del t
    gc.collect()
    assert ref() is None


def test_int_and_bool_tensors_are_counted_never_flagged() -> None:
    items = [("ids", torch.arange(10)), ("mask", torch.zeros(3, dtype=torch.bool)),
             ("bytes", torch.full((2,), 255, dtype=torch.uint8))]
    result = nonfinite_scan.scan(items, Budget(1_000))
    assert result["findings"] == [] and result["tensors"] == 3


def test_a_huge_expanded_tensor_is_read_through_its_storage() -> None:
    row = torch.tensor([1.0, NAN, INF])
    huge = row.expand(10**9, 3)  # 3e9 elements, 12 bytes of storage
    found = by_path(nonfinite_scan.scan([("huge", huge)], Budget(2_000)))["huge"]
    assert (found["nan"], found["inf"], found["first"]) == (10**9, 10**9, [0, 1])
    assert found["shape"] == [10**9, 3]


def test_bfloat16_and_transposed_tensors_report_row_major_first_index() -> None:
    t = torch.zeros(3, 4)
    t[2, 0] = NAN
    t[1, 3] = INF
    found = by_path(nonfinite_scan.scan([("b", t.bfloat16()), ("tt", t.t())], Budget(2_000)))
    assert found["b"]["first"] == [1, 3] and found["b"]["dtype"] == "bfloat16"
    assert found["tt"]["first"] == [0, 2]


def test_the_device_reduction_agrees_with_the_host_one() -> None:
    t = torch.randn(5, 7, 3).transpose(0, 1)
    t[4, 2, 1] = NAN
    t[6, 0, 0] = -INF
    data, repeat = tensor_check.checkable(torch, t)
    host = tensor_check.host_facts(torch, data, repeat, Budget(1_000))
    assert host == tensor_check.device_facts(torch, data, repeat) == (1, 1, [4, 2, 1])
    big = torch.full((4,), 3e38)  # the sum overflows, yet every element is finite
    assert tensor_check.device_facts(torch, big, 1) == (0, 0, None)
    assert tensor_check.device_suspects(torch, [t, big, torch.ones(2)]) == [True, True, False]


def test_a_time_budget_cuts_the_scan_and_says_where() -> None:
    items = [(f"t{i}", torch.ones(10)) for i in range(50)]
    result = nonfinite_scan.scan(items, Budget(0))
    assert result["truncated"] is True
    assert result["cut"].startswith("time: the time ran out at t0")
    assert result["tensors"] == 0


def test_the_count_bound_cuts_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nonfinite_scan, "MAX_TENSORS", 3)
    items = [(f"t{i}", torch.ones(2)) for i in range(5)]
    result = nonfinite_scan.scan(items, Budget(1_000))
    assert result["tensors"] == 3 and result["cut"] == "count: stopped after 3 tensors, at t3"


def test_tensors_below_the_depth_bound_are_reported_as_a_cut() -> None:
    deep = {"runs": [{"w": torch.tensor([NAN])}]}
    result = nonfinite_scan.scan([("cfg", deep)], Budget(1_000))
    assert result["findings"] == []
    assert result["cut"].startswith("depth: cfg['runs'][0]['w']")


def test_values_with_properties_and_getattr_are_never_evaluated() -> None:
    class Lazy:
        def __init__(self) -> None:
            self.ok = torch.tensor([INF])

        @property
        def boom(self) -> torch.Tensor:
            raise AssertionError("a property was evaluated")

        def __getattr__(self, name: str) -> torch.Tensor:
            raise AssertionError("__getattr__ was called")

    found = by_path(nonfinite_scan.scan([("lazy", Lazy())], Budget(1_000)))
    assert list(found) == ["lazy.ok"] and found["lazy.ok"]["inf"] == 1


def test_a_walk_through_values_without_tensors_stays_within_the_budget() -> None:
    wide = [[{"k": i} for i in range(256)] for _ in range(256)]
    budget = Budget(5)
    result = nonfinite_scan.scan([(f"w{i}", wide) for i in range(3)] + [("z", torch.ones(2))], budget)
    assert result["cut"].startswith("time: the time ran out at w0[")
    assert budget.elapsed_ms() < 500


def test_queued_device_tensors_are_read_in_one_batch() -> None:
    # no GPU here: CPU tensors take the device path, queued as a scan queues CUDA ones
    bad, good = torch.tensor([1.0, NAN]), torch.ones(3)
    run = nonfinite_scan._Scan(torch, Budget(1_000))
    for order, (path, t) in enumerate([("bad", bad), ("good", good)]):
        run.queue.append((order, path, t, nonfinite_scan._stamp(t), *tensor_check.checkable(torch, t)))
    run._flush()
    assert [(f["path"], f["nan"], f["first"]) for _, f in run.findings] == [("bad", 1, [1])]
    assert run.read == 2 and run.queue == []
    assert nonfinite_scan.known_finite(good) and not nonfinite_scan.known_finite(bad)
