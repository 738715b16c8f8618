"""The checked step without a kernel: armed on this thread, it notes what a step did and changes nothing."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest
import torch

from jupyterlab_ml_debugger.probe import protocol
from jupyterlab_ml_debugger.probe.checks import checked_step

pytestmark = pytest.mark.timeout(60)


def line_of(marker: str) -> int:
    """The line of this file that ends with the comment ``marker``."""
    with open(__file__, encoding="utf-8") as source:
        for number, text in enumerate(source, 1):
            if text.rstrip().endswith(f"# {marker}"):
                return number
    raise LookupError(marker)


def modes() -> list:
    return torch.overrides._get_current_function_mode_stack()


@pytest.fixture(autouse=True)
def disarmed():
    yield
    checked_step.disarm()
    assert modes() == []


def setup(seed: int = 0) -> tuple[torch.nn.Module, torch.optim.Optimizer, torch.Tensor, torch.Tensor]:
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    return model, torch.optim.Adam(model.parameters(), lr=0.01), torch.randn(16, 4), torch.randn(16)


def train_step(model: torch.nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor) -> dict:
    """A step with the three mistakes in it; returns what it computed."""
    opt.zero_grad()
    pred = model(x)
    loss = ((pred - y) ** 2).mean()  # broadcast
    scale = torch.as_tensor(np.array([0.5]))  # float64
    try:
        torch.ones(2, device="meta") + torch.ones(2)  # devices
    except RuntimeError:
        pass
    loss.backward()
    opt.step()
    return {"loss": loss.detach(), "scale": scale, "params": [p.detach().clone() for p in model.parameters()]}


def test_the_module_answers_to_its_alias() -> None:
    assert sys.modules[protocol.CHECKED_MODULE_ALIAS] is checked_step
    assert __import__(protocol.CHECKED_MODULE_ALIAS).report()["state"] in ("idle", "done")


def test_a_checked_step_notes_each_mistake_with_its_line_and_ends_at_optimizer_step() -> None:
    assert "armed" in checked_step.arm()
    assert checked_step.report() == {"state": "armed", "findings": []}
    train_step(*setup())
    report = checked_step.report()
    assert report["state"] == "done"
    assert modes() == []  # optimizer.step() returned: the mode is gone, so it costs nothing
    found = {f["kind"]: f for f in report["findings"]}
    assert set(found) == {"broadcast", "float64", "devices"}
    assert all(f["path"] == __file__ for f in report["findings"])
    assert found["broadcast"]["line"] == line_of("broadcast")
    assert found["broadcast"]["message"] == "sub broadcast [16, 1] and [16] to [16, 16]: 256 elements from at most 16"
    assert found["float64"]["line"] == line_of("float64")
    assert "as_tensor made a float64 tensor [1]" in found["float64"]["message"]
    assert found["devices"]["line"] == line_of("devices")
    assert found["devices"]["message"] == "add got tensors on cpu and meta"


def test_results_are_those_of_an_unchecked_run() -> None:
    plain = train_step(*setup())
    checked_step.arm()
    checked = train_step(*setup())
    assert torch.equal(plain["loss"], checked["loss"])
    assert plain["scale"].dtype == checked["scale"].dtype == torch.float64
    assert all(torch.equal(a, b) for a, b in zip(plain["params"], checked["params"]))


def test_nothing_is_noted_after_disarm_and_repeats_are_noted_once() -> None:
    checked_step.arm()
    for _ in range(5):
        torch.ones(3) * torch.ones(3, 1)  # repeated
    assert [f["line"] for f in checked_step.report()["findings"]] == [line_of("repeated")]
    assert checked_step.disarm() == "checked step ended: 1 finding"
    torch.ones(3) - torch.ones(3, 1)
    torch.as_tensor(np.ones(2))
    assert len(checked_step.report()["findings"]) == 1
    assert checked_step.report()["state"] == "done"


def test_ordinary_ops_are_not_findings() -> None:
    checked_step.arm()
    a = torch.ones(4, 3)
    a + torch.ones(3)  # broadcast to the larger input: nothing grows
    a * torch.tensor(2.0)
    torch.ones(2, device="meta") + torch.tensor(1.0)  # a CPU scalar goes with any device
    torch.ones(2, dtype=torch.float64) * 3.0  # asked for, then float64 in and out
    torch.ones(2).double() + torch.ones(2).to(torch.float64)
    torch.ones(2, 1) @ torch.ones(1, 2)  # an outer product is no broadcast
    assert checked_step.report()["findings"] == []


def test_a_user_mode_entered_before_arming_keeps_its_place() -> None:
    with torch.device("cpu"):
        checked_step.arm()
        assert len(modes()) == 2
    # the with block popped its own mode, not the checked step's
    assert [type(m).__name__ for m in modes()] == ["CheckedMode"]
    torch.ones(2) + torch.ones(2, 1)
    assert checked_step.report()["findings"][0]["kind"] == "broadcast"
    checked_step.disarm()
    assert modes() == []


def test_a_step_on_another_thread_does_not_end_this_threads_check() -> None:
    checked_step.arm()
    other = threading.Thread(target=lambda: train_step(*setup()))
    other.start()
    other.join()
    assert checked_step.report() == {"state": "armed", "findings": []}  # modes are per thread
    train_step(*setup())
    assert checked_step.report()["state"] == "done"


def test_a_step_that_raises_ends_with_its_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.core.events import EventManager

    class Shell:
        events = EventManager(None, {"post_run_cell": None})

    monkeypatch.setattr(checked_step.namespace, "shell", lambda: Shell)
    checked_step.arm()
    with pytest.raises(RuntimeError):
        torch.ones(3) + torch.ones(3, device="meta")  # never reaches optimizer.step()
    assert checked_step.report()["state"] == "armed"
    Shell.events.trigger("post_run_cell", None)
    assert checked_step.report()["state"] == "done" and modes() == []
    assert Shell.events.callbacks["post_run_cell"] == []


def test_a_float32_tensor_promoted_by_a_numpy_target_is_noted() -> None:
    checked_step.arm()
    pred = torch.ones(4)
    target = torch.from_numpy(np.zeros(4))  # from_numpy itself is not seen by modes
    pred - target  # promoted
    (finding,) = checked_step.report()["findings"]
    assert finding["line"] == line_of("promoted")
    assert finding["message"] == "sub promoted float32 to float64 [4] (a float64 input came in)"
