"""The finiteness test every watch hook runs: one NaN or Inf anywhere is found, in small
tensors and in the large ones summed as rows, and a finite sum that overflows is no alarm."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from jupyterlab_ml_debugger.probe.checks.nan_facts import ROWS, ROWS_FROM, is_finite  # noqa: E402


@pytest.mark.parametrize("numel", [7, ROWS_FROM, ROWS_FROM + ROWS, ROWS_FROM + 3])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_one_bad_element_anywhere_is_found(numel, bad):
    for where in (0, numel // 2, numel - 1):
        t = torch.zeros(numel)
        t[where] = bad
        assert not is_finite(torch, t)
    assert is_finite(torch, torch.zeros(numel))


def test_finite_values_whose_sum_overflows_are_finite_in_every_layout():
    big = torch.full((ROWS_FROM,), 3e38)
    assert is_finite(torch, big) and is_finite(torch, big[:7]) and is_finite(torch, big.view(2, -1).t())
    big[-1] = float("nan")
    assert not is_finite(torch, big.view(2, -1).t())
