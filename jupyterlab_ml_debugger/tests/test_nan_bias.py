"""Output gradients of Linear/Conv/norm modules judged through their bias gradients: the
same origins as a full test, no false alarm when a bias sum overflows, and nothing missed
when the bias gradient never comes or another hook changed the output."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from jupyterlab_ml_debugger import NonFiniteError, watch_nonfinite  # noqa: E402
from jupyterlab_ml_debugger.probe.checks import nan_registry  # noqa: E402
from .nan_watching import no_watch_left, origin_of  # noqa: E402, F401


class ZeroSqrt(nn.Module):
    """Finite forward; the gradient it sends back is NaN: the square root's infinite slope
    at 0 times the 0 it was taken of."""

    def forward(self, x):
        return x + torch.sqrt(x * 0)


class SqrtAtZero(nn.Module):
    """Finite forward; the gradient it sends back is NaN exactly where its input is 0."""

    def forward(self, x):
        return x + torch.sqrt(x.abs()) * 0


@pytest.mark.parametrize("first", [lambda: nn.Linear(4, 8), lambda: nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8))])
def test_an_inf_gradient_landing_on_a_linear_or_norm_output_names_the_module_that_made_it(first):
    torch.manual_seed(0)
    model = nn.Sequential(first(), ZeroSqrt(), nn.Linear(8, 2))
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError, match="'1' \\(ZeroSqrt\\)"):
        model(torch.randn(16, 4)).sum().backward()
    origin = origin_of(model)
    assert (origin["path"], origin["phase"], origin["created"]) == ("1", "backward", True)
    assert origin["inputs"][0]["nan"] == 16 * 8 and origin["inputs"][0]["shape"] == [16, 8]


def test_a_conv_nets_backward_origin_is_found_through_its_batch_norm_and_conv_biases():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), ZeroSqrt(),
                          nn.Conv2d(4, 4, 3, padding=1), nn.Flatten(), nn.Linear(4 * 8 * 8, 2))
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError):
        model(torch.randn(2, 3, 8, 8)).sum().backward()
    assert (origin_of(model)["path"], origin_of(model)["phase"]) == ("2", "backward")


def test_a_bias_gradient_that_overflows_from_finite_output_gradients_is_no_alarm():
    model = nn.Sequential(nn.Linear(3, 2))
    watch_nonfinite(model)
    out = model(torch.ones(4, 3))
    out.backward(torch.full((4, 2), 3e38))  # each element finite; their sum over the batch is not
    assert torch.isinf(model[0].bias.grad).all()
    assert origin_of(model) is None
    assert nan_registry.report()["health"]["params"][1]["flag"] == "nonfinite"


def test_gradients_whose_bias_gradient_never_comes_are_still_judged_at_the_step_end():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), ZeroSqrt(), nn.Linear(8, 2))
    watch_nonfinite(model)
    x = torch.randn(16, 4, requires_grad=True)
    with pytest.raises(NonFiniteError, match="'1' \\(ZeroSqrt\\)"):
        torch.autograd.grad(model(x).sum(), [x])  # the parameters' gradients are never accumulated
    assert origin_of(model)["created"] is True


def test_an_output_another_hook_replaced_is_tested_itself_not_through_the_bias():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), SqrtAtZero(), nn.Linear(8, 2))
    # the user's hook zeroes the negatives: NaN gradients come back at exactly those places,
    # and the hook's own backward drops them before the bias sums what is left
    model[0].register_forward_hook(lambda m, i, o: torch.where(o > 0, o, torch.zeros_like(o)))
    x = torch.randn(16, 4)
    model(x).sum().backward()
    assert torch.isfinite(model[0].bias.grad).all()
    model.zero_grad()
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError, match="'1' \\(SqrtAtZero\\)"):
        model(x).sum().backward()


def test_a_frozen_bias_leaves_the_output_gradient_to_the_full_test():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), ZeroSqrt(), nn.Linear(8, 2))
    model[0].bias.requires_grad_(False)
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError, match="'1' \\(ZeroSqrt\\)"):
        model(torch.randn(16, 4)).sum().backward()
