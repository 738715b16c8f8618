"""The origin watch on real torch models: it names the module that made the first NaN/Inf,
keeps gradient health, changes nothing it watches, and leaves no hook behind."""

from __future__ import annotations

import copy
import math

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from jupyterlab_ml_debugger import NonFiniteError, watch_nonfinite  # noqa: E402
from jupyterlab_ml_debugger.probe.checks import nan_registry  # noqa: E402
from jupyterlab_ml_debugger.probe.protocol import HEALTH_HISTORY  # noqa: E402
from .nan_watching import no_watch_left, origin_of  # noqa: E402, F401

HOOK_DICTS = ("_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
              "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_backward_hooks",
              "_backward_pre_hooks")


class LogShift(nn.Module):
    """Makes NaN: the log of values shifted below zero."""

    def forward(self, x):
        return torch.log(x - 10)


class Sqrt(nn.Module):
    """Finite forward; its gradient is Inf where its input is exactly 0."""

    def forward(self, x):
        return torch.sqrt(x)


class InplaceLog(nn.Module):
    """Makes NaN in place, in the very tensor it was given."""

    def forward(self, x):
        return x.sub_(10).log_()


class Pair(nn.Module):
    def forward(self, x):
        return x * 2, None


class Named(nn.Module):
    def forward(self, pair):
        return {"doubled": pair[0], "mask": pair[0] > 0, "count": (pair[0] > 0).sum()}


class Taker(nn.Module):
    def forward(self, d):
        return d["doubled"] * d["mask"]


class Silent(nn.Module):
    def forward(self, x):
        return None


def test_a_forward_nan_is_reported_where_it_was_made_not_where_it_passed():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.ReLU(), LogShift()), nn.Linear(4, 2))
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError) as caught:
        model(torch.randn(3, 4))
    origin = origin_of(model)
    assert (origin["path"], origin["cls"], origin["phase"], origin["created"]) == ("1.1", "LogShift", "forward", True)
    assert origin["path"] != "2"  # the Linear after it only passed the NaN on
    assert origin["inputs"][0]["nan"] == 0 and origin["outputs"][0]["nan"] == 12
    message = str(caught.value)
    assert "'1.1' (LogShift)" in message and "forward" in message and "created" in message
    assert isinstance(caught.value, FloatingPointError)


def test_a_nan_in_the_data_is_reported_as_passed_on_by_the_first_module():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    watch_nonfinite(model)
    x = torch.randn(3, 4)
    x[1, 2] = float("nan")
    with pytest.raises(NonFiniteError, match="passed them on"):
        model(x)
    assert (origin_of(model)["path"], origin_of(model)["created"]) == ("0", False)


def test_an_inf_gradient_made_in_backward_is_reported_with_its_module():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), Sqrt(), nn.Linear(8, 2))
    watch_nonfinite(model)
    out = model(torch.randn(16, 4))  # the ReLU leaves exact zeros: sqrt's gradient is Inf there
    with pytest.raises(NonFiniteError) as caught:
        out.sum().backward()
    origin = origin_of(model)
    assert (origin["path"], origin["phase"], origin["created"]) == ("2", "backward", True)
    assert origin["inputs"][0]["inf"] > 0
    assert "'2' (Sqrt)" in str(caught.value) and "backward" in str(caught.value)


def test_device_mode_reads_flags_at_the_step_boundary_and_names_the_same_origins():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), LogShift(), nn.Linear(4, 2))
    assert watch_nonfinite(model, mode="device")["mode"] == "device"
    out = model(torch.randn(3, 4))  # flags are not read in the forward pass
    with pytest.raises(NonFiniteError, match="'1' \\(LogShift\\)"):
        out.sum().backward()
    assert origin_of(model)["created"] is True

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), Sqrt(), nn.Linear(8, 2))
    watch_nonfinite(model, mode="device")
    with pytest.raises(NonFiniteError, match="backward pass"):
        model(torch.randn(16, 4)).sum().backward()
    assert (origin_of(model)["path"], origin_of(model)["phase"]) == ("2", "backward")


def test_a_shared_module_is_hooked_once_and_named_by_its_first_path():
    shared = LogShift()
    model = nn.Sequential(nn.Linear(4, 4), shared, nn.Linear(4, 4), shared)
    reply = watch_nonfinite(model)
    assert reply["modules"] == 4  # root, 0, 1 (also 3), 2
    assert len(shared._forward_hooks) == 1
    with pytest.raises(NonFiniteError):
        model(torch.randn(2, 4))
    assert origin_of(model)["path"] == "1"


def test_an_in_place_module_that_makes_nan_is_its_origin():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(inplace=True), InplaceLog(), nn.Linear(4, 2))
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError):
        model(torch.randn(3, 4))
    assert (origin_of(model)["path"], origin_of(model)["created"]) == ("2", True)


def test_tuples_dicts_none_and_integer_or_bool_tensors_pass_through_untouched():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), Pair(), Named(), Taker())
    side = Silent()
    model.add_module("side", nn.Identity())
    reference = copy.deepcopy(model)
    watch_nonfinite(model)
    watch_nonfinite(side)
    x = torch.randn(3, 4)
    assert side(x) is None
    assert torch.equal(model(x), reference(x))
    assert origin_of(model) is None and origin_of(side) is None


def test_watching_twice_keeps_one_set_of_hooks_and_re_arms():
    model = nn.Sequential(nn.Linear(4, 4), LogShift())
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError):
        model(torch.randn(2, 4))
    again = watch_nonfinite(model)
    assert again["on"] and again["modules"] == 3
    assert [len(m._forward_hooks) for m in model.modules()] == [1, 1, 1]
    assert origin_of(model) is None  # looking for a new first NaN/Inf
    with pytest.raises(NonFiniteError):
        model(torch.randn(2, 4))


def test_a_compiled_model_is_refused_with_a_clear_message():
    model = nn.Sequential(nn.Linear(4, 4))
    compiled = torch.compile(model)
    with pytest.raises(TypeError, match="torch.compile'd model is not supported"):
        watch_nonfinite(compiled)
    assert not model[0]._forward_hooks and not model._forward_hooks


def _hook_state(model):
    return [{name: list(getattr(m, name, {}) or {}) for name in HOOK_DICTS} for m in model.modules()]


def _step(model, x, seed):
    torch.manual_seed(seed)
    out = model(x)
    loss = out.pow(2).mean()
    loss.backward()
    grads = [p.grad.clone() for p in model.parameters()]
    return out.detach(), grads, torch.get_rng_state()


def test_the_watch_changes_no_value_gradient_or_rng_state_and_removal_leaves_no_hook():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.3), nn.ReLU(inplace=True), nn.Linear(16, 4))
    model.register_forward_hook(lambda m, i, o: None)  # the user's own hook stays
    plain = copy.deepcopy(model)
    before = _hook_state(model)
    x = torch.randn(5, 8)

    watch_nonfinite(model)
    watched = _step(model, x, seed=7)
    unwatched = _step(plain, x, seed=7)
    assert torch.equal(watched[0], unwatched[0])
    assert all(torch.equal(a, b) for a, b in zip(watched[1], unwatched[1]))
    assert torch.equal(watched[2], unwatched[2])

    watch_nonfinite(model, on=False)
    assert _hook_state(model) == before
    assert all(p._backward_hooks is None and p._post_accumulate_grad_hooks is None
               for p in model.parameters())
    assert torch.equal(_step(model, x, seed=3)[0], _step(plain, x, seed=3)[0])


def test_removing_the_watch_in_the_middle_of_a_step_is_safe():
    class Remover(nn.Module):
        def forward(self, x):
            watch_nonfinite(model, on=False)
            return x

    model = nn.Sequential(nn.Linear(4, 4), Remover(), nn.Linear(4, 2))
    watch_nonfinite(model)
    model(torch.randn(2, 4)).sum().backward()
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    assert nan_registry.watch_of(model) is None


def test_gradient_health_equals_a_manual_computation_and_keeps_a_bounded_history():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 1))
    reply = watch_nonfinite(model, update_ratio=True)
    assert "KiB" in reply["note"]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(10, 6)
    for _ in range(HEALTH_HISTORY + 5):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        before = {name: p.detach().clone() for name, p in model.named_parameters()}
        grads = {name: p.grad.norm().item() for name, p in model.named_parameters()}
        opt.step()
    health = nan_registry.report()["health"]
    assert health["step"] == HEALTH_HISTORY + 4
    assert "KiB) before each optimizer.step()" in health["update_note"]
    for row in health["params"]:
        p = dict(model.named_parameters())[row["path"]]
        old = before[row["path"]]
        assert math.isclose(row["grad_norm"], grads[row["path"]], rel_tol=1e-5)
        # the weight's norm is read when the report is made: after the last optimizer.step()
        assert math.isclose(row["ratio"], grads[row["path"]] / p.norm().item(), rel_tol=1e-5)
        assert not math.isclose(row["ratio"], grads[row["path"]] / old.norm().item(), rel_tol=1e-5)
        assert math.isclose(row["update_ratio"], (p.detach() - old).norm().item() / old.norm().item(),
                            rel_tol=1e-4)
        assert len(row["history"]) == HEALTH_HISTORY
        assert row["flag"] is None
    assert [w["steps"] for w in nan_registry.report()["watches"]] == [HEALTH_HISTORY + 5]


def test_health_flags_vanishing_and_exploding_gradients():
    model = nn.Sequential(nn.Linear(3, 3, bias=False), nn.Linear(3, 1, bias=False))
    with torch.no_grad():
        model[0].weight.fill_(1e-6)
        model[1].weight.fill_(1e-4)
    watch_nonfinite(model)
    (model(torch.full((2, 3), 1e4)).sum() * 1e6).backward()
    flags = {row["path"]: row["flag"] for row in nan_registry.report()["health"]["params"]}
    assert flags["0.weight"] == "exploding"
    model.zero_grad()
    (model(torch.full((2, 3), 1e-12)).sum()).backward()
    flags = {row["path"]: row["flag"] for row in nan_registry.report()["health"]["params"]}
    assert flags["1.weight"] == "vanishing"


def test_a_watch_is_removed_by_the_label_the_checks_section_lists() -> None:
    from jupyterlab_ml_debugger.probe.checks import nan_registry

    model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.ReLU())
    nan_registry.start(model, "net")
    assert any(m._forward_hooks for m in model.modules())
    nan_registry.stop_labelled("net")
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())
    with pytest.raises(LookupError):
        nan_registry.stop_labelled("net")
