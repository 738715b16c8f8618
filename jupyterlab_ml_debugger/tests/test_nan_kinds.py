"""Modules the origin watch leaves unhooked (ReLU, Flatten, a max pool whose windows do not
overlap) never hide an origin; the ones that could make NaN/Inf keep their hooks."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from jupyterlab_ml_debugger import NonFiniteError, watch_nonfinite  # noqa: E402
from .nan_watching import no_watch_left, origin_of  # noqa: E402, F401


class Plain(nn.Module):
    def forward(self, x):
        return x * 1.0


class LogShift(nn.Module):
    def forward(self, x):
        return torch.log(x - 10)


def test_a_nan_made_after_unhooked_relu_pool_and_flatten_is_found_where_it_was_made():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(1, 2, 3), nn.ReLU(), nn.MaxPool1d(2), nn.Flatten(), LogShift())
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError, match="'4' \\(LogShift\\)"):
        model(torch.randn(3, 1, 10))
    assert origin_of(model)["created"] is True


def test_overlapping_max_pool_windows_that_add_gradients_up_to_inf_are_the_origin():
    # one peak: the three windows that hold it all pick it, so the pool's backward adds
    # their three finite output gradients into one element
    model = nn.Sequential(Plain(), nn.MaxPool1d(3, stride=1))
    watch_nonfinite(model)
    x = torch.tensor([[[0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0]]], requires_grad=True)
    out = model(x)
    with pytest.raises(NonFiniteError):
        out.backward(torch.full_like(out, 3e38))
    origin = origin_of(model)
    assert (origin["path"], origin["phase"], origin["created"]) == ("1", "backward", True)


def test_a_nan_made_after_an_in_place_relu_is_found_where_it_was_made():
    model = nn.Sequential(Plain(), nn.ReLU(inplace=True), LogShift())
    watch_nonfinite(model)
    with pytest.raises(NonFiniteError, match="'2' \\(LogShift\\)"):
        model(torch.randn(4, 3))
