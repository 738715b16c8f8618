"""bench live's figures: a variant's overhead is the median slowdown of its pairs of blocks, and its
standard error says how far that median can be trusted on a noisy machine."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.bench import live


def pairs_with(slowdowns: list[float], quiet: float = 200.0) -> list[tuple[float, float]]:
    """(quiet, sampled) steps per second whose slowdowns are the ones given."""
    return [(quiet, quiet * (1.0 - s)) for s in slowdowns]


def test_the_overhead_is_the_median_pair_so_one_disturbed_pair_does_not_move_it() -> None:
    assert live.slowdown(pairs_with([0.01, 0.02, 0.03, 0.02, 0.90])) == pytest.approx(0.02)


def test_the_standard_error_grows_with_the_spread_of_the_pairs_and_falls_with_their_number() -> None:
    steady = live.standard_error(pairs_with([0.02] * 10))
    noisy = live.standard_error(pairs_with([-0.12, 0.16] * 5))
    many = live.standard_error(pairs_with([-0.12, 0.16] * 125))
    assert steady == 0.0
    assert noisy > 0.05  # ten pairs this noisy cannot tell 2% from 6%
    assert many == pytest.approx(noisy * (10 / 250) ** 0.5, rel=0.1)  # about one over the root of n


def test_a_variant_not_in_the_benchmark_is_refused_with_the_ones_there_are() -> None:
    with pytest.raises(SystemExit):
        live.run(["--variants", "loaded_1hz,2hz"])
