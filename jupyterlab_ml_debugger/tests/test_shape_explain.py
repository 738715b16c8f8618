"""Shape errors explained from the failed exception's frames: every kind reproduced with real torch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from jupyterlab_ml_debugger.probe.checks import shape_explain, shape_messages  # noqa: E402
from jupyterlab_ml_debugger.probe.stack import last_error, namespace  # noqa: E402

THIS_FILE = Path(__file__).resolve()
SOURCE = THIS_FILE.read_text().splitlines()


def line_of(marker: str) -> int:
    """The 1-based line of this file that ends with ``# <marker>``."""
    hits = [i + 1 for i, text in enumerate(SOURCE) if text.rstrip().endswith(f"# {marker}")]
    assert len(hits) == 1, marker
    return hits[0]


class Encoder(nn.Module):
    """A small image encoder whose layers are reached as ``model.encoder.*``."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.conv1d = nn.Conv1d(2, 4, 3)
        self.conv3d = nn.Conv3d(2, 4, 3)
        self.layers = nn.Sequential(nn.Flatten(), nn.ReLU(), nn.Linear(10, 5))
        self.norm = nn.LayerNorm(10)


class Model(nn.Module):
    """Fails in the way ``mode`` names, always from its own forward."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = Encoder()
        self.weight = nn.Parameter(torch.randn(6, 7))

    def forward(self, x: Any, mode: str) -> Any:
        enc = self.encoder
        if mode == "linear":
            return enc.layers(x)  # linear
        if mode == "conv2d":
            return enc.conv(x)  # conv2d
        if mode == "conv1d":
            return enc.conv1d(x)  # conv1d
        if mode == "conv3d":
            return enc.conv3d(x)  # conv3d
        if mode == "norm":
            return enc.norm(x)  # norm
        if mode == "matmul":
            return x @ self.weight  # matmul
        if mode == "F.linear":
            return F.linear(x, self.weight)  # F.linear
        if mode == "cat":
            return torch.cat([x, x[:3]], dim=1)  # cat
        if mode == "view":
            flat = x * 2
            return flat.view(4, 100)  # view
        if mode == "stride":
            return x.t().view(-1)  # stride
        if mode == "broadcast":
            return x + x[:, :2]  # broadcast
        raise ValueError("not a shape error")  # other


def failure(call: Callable[[], Any]) -> BaseException:
    """The exception ``call`` raises."""
    try:
        call()
    except Exception as err:  # the failure is what the test reads
        return err
    raise AssertionError("the call did not fail")


@pytest.fixture(scope="module")
def model() -> Model:
    return Model()


def explained(model: Model, x: Any, mode: str) -> dict:
    err = failure(lambda: model(x, mode))
    return shape_explain.explain(err, [("lr", 0.1), ("model", model)])


def assert_where(report: dict, marker: str) -> None:
    assert report["where"] == {"path": str(THIS_FILE), "line": line_of(marker), "name": "forward"}


MODULE_CASES = [
    # mode, input shape, kind, module, cls, expects, received
    ("linear", (20, 50), "linear", "model.encoder.layers.2", "Linear", "in_features=10", "[20, 50]"),
    ("conv2d", (4, 3, 28, 28), "conv", "model.encoder.conv", "Conv2d", "in_channels=1", "[4, 3, 28, 28]"),
    ("conv1d", (4, 3, 28), "conv", "model.encoder.conv1d", "Conv1d", "in_channels=2", "[4, 3, 28]"),
    ("conv3d", (4, 3, 8, 8, 8), "conv", "model.encoder.conv3d", "Conv3d", "in_channels=2", "[4, 3, 8, 8, 8]"),
    ("norm", (4, 12), "other", "model.encoder.norm", "LayerNorm", "normalized_shape=[10]", "[4, 12]"),
]


@pytest.mark.parametrize("mode,shape,kind,module,cls,expects,received", MODULE_CASES,
                         ids=[c[0] for c in MODULE_CASES])
def test_a_module_says_what_it_expects_and_what_it_received(
        model: Model, mode: str, shape: tuple, kind: str, module: str, cls: str, expects: str,
        received: str) -> None:
    report = explained(model, torch.randn(*shape), mode)
    assert (report["kind"], report["module"], report["cls"]) == (kind, module, cls)
    assert (report["expects"], report["received"]) == (expects, received)
    assert_where(report, mode)
    assert report["message"].startswith(f"{module} ({cls}) expects {expects} but received {received}")
    assert f"forward, line {line_of(mode)} of test_shape_explain.py" in report["message"]


OPERATION_CASES = [
    # mode, input shape, kind, expects, received
    ("matmul", (4, 5), "matmul", "[*, 6] to multiply [6, 7]", "[4, 5]"),
    ("F.linear", (4, 5), "matmul", "[*, 7] to multiply [7, 6]", "[4, 5]"),
    ("cat", (4, 2), "cat", "size 4 in every dimension except dimension 1", "size 3 in tensor number 1"),
    ("view", (4, 392), "view", "[4, 100] (400 elements)", "[4, 392] (1568 elements)"),
    ("stride", (4, 8), "view", "a tensor whose memory layout allows the view (use .reshape(...))",
     "a non-contiguous tensor"),
    ("broadcast", (2, 3), "broadcast", "size 3 (or 1) at dimension 1", "size 2"),
]


@pytest.mark.parametrize("mode,shape,kind,expects,received", OPERATION_CASES,
                         ids=[c[0] for c in OPERATION_CASES])
def test_an_operation_in_the_users_module_is_read_from_the_message(
        model: Model, mode: str, shape: tuple, kind: str, expects: str, received: str) -> None:
    report = explained(model, torch.randn(*shape), mode)
    assert (report["kind"], report["module"], report["cls"]) == (kind, "model", "Model")
    assert (report["expects"], report["received"]) == (expects, received)
    assert_where(report, mode)
    assert report["message"].startswith("The ")
    assert f"in model (Model) expected {expects}, but got {received}" in report["message"]


def test_a_non_shape_error_is_other_with_its_message(model: Model) -> None:
    report = explained(model, None, "nothing")
    assert report["kind"] == "other"
    assert report["exception"] == "ValueError: not a shape error"
    assert (report["module"], report["expects"], report["received"]) == ("model", None, None)
    assert report["message"].startswith("ValueError: not a shape error (raised in model (Model)")
    assert_where(report, "other")


def test_outside_any_module_the_cell_line_is_where() -> None:
    err = failure(lambda: torch.matmul(torch.randn(2, 4, 5), torch.randn(2, 6, 7)))
    report = shape_explain.explain(err, [])
    assert report["kind"] == "matmul" and report["module"] is None and report["cls"] is None
    assert (report["expects"], report["received"]) == ("a right operand [2, 5, *]", "[2, 6, *]")
    assert report["where"]["name"] == "<lambda>" and report["where"]["path"] == str(THIS_FILE)


def test_a_model_known_only_to_the_failed_frames_is_found_there() -> None:
    def train() -> None:
        net = nn.Sequential(nn.Linear(3, 2))
        net(torch.randn(5, 4))

    report = shape_explain.explain(failure(train), [("unrelated", nn.Linear(1, 1))])
    assert (report["module"], report["expects"], report["received"]) == ("net.0", "in_features=3", "[5, 4]")
    assert report["where"]["name"] == "train"


def test_the_shape_error_behind_a_wrapping_exception_is_explained(model: Model) -> None:
    def step() -> None:
        try:
            model(torch.randn(2, 50), "linear")
        except RuntimeError as err:
            raise ValueError("the training step failed") from err

    report = shape_explain.explain(failure(step), [("model", model)])
    assert report["kind"] == "linear" and report["module"] == "model.encoder.layers.2"
    assert report["exception"].startswith("RuntimeError: mat1 and mat2")


def test_explain_last_reads_the_last_failed_cell(monkeypatch: pytest.MonkeyPatch, model: Model) -> None:
    err = failure(lambda: model(torch.randn(20, 50), "linear"))
    monkeypatch.setattr(sys, "last_value", err, raising=False)
    monkeypatch.setattr(sys, "last_exc", err, raising=False)
    monkeypatch.setattr(namespace, "user_namespace", lambda: {"model": model, "_hidden": 1})
    report = shape_explain.explain_last()
    assert report is not None and report["module"] == "model.encoder.layers.2"
    assert report["id"] == shape_explain.explain_last()["id"]
    monkeypatch.setattr(sys, "last_value", None)
    monkeypatch.setattr(sys, "last_exc", None)
    assert shape_explain.explain_last() is None


def test_a_new_failure_gets_a_new_identity(model: Model) -> None:
    first = failure(lambda: model(torch.randn(20, 50), "linear"))
    again = failure(lambda: model(torch.randn(20, 50), "linear"))
    assert last_error.identity(first) == last_error.identity(first)
    assert last_error.identity(again) != last_error.identity(first)


def test_frames_run_outermost_to_innermost_and_only_user_code_is_users(model: Model) -> None:
    found = last_error.error_frames(failure(lambda: model(torch.randn(20, 50), "linear")))
    assert found[-1].name == "forward" and "torch" in found[-1].path
    users = last_error.user_frames(found)
    assert [f.name for f in users] == ["failure", "<lambda>", "forward"]
    assert last_error.innermost_user_frame(found).line == line_of("linear")
    assert found[-1].local_vars()["self"] is model.encoder.layers[2]


class Loud(Exception):
    """An exception whose ``__str__`` must never run."""

    def __str__(self) -> str:
        raise AssertionError("user code ran")


def test_an_exceptions_own_str_is_never_called() -> None:
    assert last_error.exception_text(Loud("quiet", 3)) == f"{__name__}.Loud: 'quiet', 3"


MESSAGE_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("mm", lambda: torch.mm(torch.randn(4, 5), torch.randn(6, 7)), "matmul"),
    ("matvec", lambda: torch.matmul(torch.randn(4, 5), torch.randn(6)), "matmul"),
    ("dot", lambda: torch.matmul(torch.randn(4), torch.randn(6)), "matmul"),
    ("bmm", lambda: torch.bmm(torch.randn(2, 4, 5), torch.randn(3, 5, 7)), "matmul"),
    ("conv dims", lambda: nn.Conv2d(1, 8, 3)(torch.randn(28, 28)), "conv"),
    ("conv kernel", lambda: nn.Conv2d(1, 8, 5)(torch.randn(1, 1, 3, 3)), "conv"),
    ("cat dims", lambda: torch.cat([torch.randn(4, 2), torch.randn(3)]), "cat"),
    ("stack", lambda: torch.stack([torch.randn(4, 2), torch.randn(3, 2)]), "cat"),
    ("reshape", lambda: torch.randn(4, 392).reshape(-1, 100), "view"),
    ("expand", lambda: torch.randn(3, 2).expand(4, 3), "broadcast"),
    ("lstm", lambda: nn.LSTM(10, 5)(torch.randn(3, 2, 12)), "other"),
    ("batchnorm", lambda: nn.BatchNorm2d(3)(torch.randn(4, 5, 8, 8)), "other"),
    ("attention", lambda: nn.MultiheadAttention(8, 2)(*[torch.randn(3, 2, 6)] * 3), "other"),
    ("bilinear", lambda: nn.Bilinear(3, 4, 5)(torch.randn(2, 3), torch.randn(2, 5)), "linear"),
]


@pytest.mark.parametrize("name,call,kind", MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_every_known_torch_message_is_recognised(name: str, call: Callable[[], Any], kind: str) -> None:
    err = failure(call)
    assert shape_messages.parse(last_error.exception_text(err)) is not None, str(err)
    report = shape_explain.explain(err, [])
    assert report["kind"] == kind
    assert report["expects"] and report["received"]


def test_module_specific_checks_read_the_module_attributes() -> None:
    lstm = nn.LSTM(10, 5)
    report = shape_explain.explain(failure(lambda: lstm(torch.randn(3, 2, 12))), [("rnn", lstm)])
    assert (report["module"], report["expects"], report["received"]) == ("rnn", "input_size=10", "[3, 2, 12]")
    grouped = nn.Conv2d(4, 8, 3, groups=2)
    report = shape_explain.explain(failure(lambda: grouped(torch.randn(1, 6, 8, 8))), [("conv", grouped)])
    assert report["expects"] == "in_channels=4, groups=2"
    bilinear = nn.Bilinear(3, 4, 5)
    report = shape_explain.explain(failure(lambda: bilinear(torch.randn(2, 3), torch.randn(2, 5))), [])
    assert (report["expects"], report["received"]) == ("in2_features=4", "[2, 5]")
