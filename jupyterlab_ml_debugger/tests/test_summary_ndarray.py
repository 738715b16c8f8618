"""NumPy array summaries: figures, exact flags, special dtypes and memory maps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.ndarray import array_stats
from jupyterlab_ml_debugger.probe.objects.summarize import summarize

ALL_EXACT = dict.fromkeys(("min", "max", "mean", "std", "nan", "inf"), True)


def planted(n: int, nans: int, infs: int, dtype: type = np.float32) -> np.ndarray:
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(n) * 2 + 1).astype(dtype)
    idx = rng.permutation(n)[: nans + infs]
    a[idx[:nans]] = np.nan
    a[idx[nans:]] = np.inf
    return a


def assert_matches(stats: dict, a: np.ndarray, rel: float = 1e-5) -> None:
    x = a.astype(np.float64).ravel()
    finite = x[np.isfinite(x)]
    assert (stats["nan"], stats["inf"]) == (int(np.isnan(x).sum()), int(np.isinf(x).sum()))
    assert stats["min"] == pytest.approx(finite.min(), rel=rel)
    assert stats["max"] == pytest.approx(finite.max(), rel=rel)
    assert stats["mean"] == pytest.approx(finite.mean(), rel=rel, abs=1e-6)
    assert stats["std"] == pytest.approx(finite.std(), rel=rel)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_figures_and_counts(dtype: type) -> None:
    a = planted(3 * (1 << 18) + 5, 700, 30, dtype)
    stats = array_stats(a, Budget(10_000))
    assert stats["exact"] == ALL_EXACT
    assert_matches(stats, a, rel=1e-3 if dtype is np.float16 else 1e-5)


def test_strided_transposed_and_reversed_views() -> None:
    base = planted(600 * 500, 900, 40).reshape(600, 500)
    for view in (base.T, base[::-1, 3:400:2], base[10:20]):
        stats = array_stats(view, Budget(10_000))
        assert stats["exact"] == ALL_EXACT
        assert_matches(stats, view)


def test_broadcast_is_exact() -> None:
    a = np.broadcast_to(np.arange(4.0), (10**8, 4))
    stats = array_stats(a, Budget(150))
    assert stats["exact"] == ALL_EXACT and stats["numel"] == 4 * 10**8
    assert (stats["min"], stats["max"], stats["mean"]) == (0.0, 3.0, 1.5)


def test_int_bool_complex() -> None:
    ints = array_stats(np.array([[3, -7], [11, 0]], dtype=np.int16), Budget(1000))
    assert (ints["min"], ints["max"], ints["mean"], ints["nan"]) == (-7, 11, 1.75, 0)
    flags = array_stats(np.array([True, False, False, False]), Budget(1000))
    assert (flags["min"], flags["max"], flags["mean"]) == (0, 1, 0.25)
    z = array_stats(np.array([3 + 4j, np.nan, np.inf, 0]), Budget(1000))
    assert (z["nan"], z["inf"], z["max"]) == (1, 1, 5.0)


def test_object_structured_and_text_arrays_have_no_stats() -> None:
    obj = array_stats(np.array([object(), 1], dtype=object), Budget(1000))
    assert obj["min"] is None and obj["note"] == "object array: no stats"
    rec = np.zeros(3, dtype=[("x", "f4"), ("label", "U8")])
    structured = array_stats(rec, Budget(1000))
    assert structured["note"] == "structured: fields x, label; no stats"
    text = array_stats(np.array(["a", "b"]), Budget(1000))
    assert text["note"] == "dtype <U1: no stats"


def test_empty_and_zero_dim() -> None:
    assert array_stats(np.zeros((0, 3)), Budget(1000))["note"] == "empty"
    scalar = array_stats(np.array(2.5), Budget(1000))
    assert (scalar["shape"], scalar["min"], scalar["std"]) == ([], 2.5, 0.0)


def test_memmap_is_named_and_sampled_over_budget(tmp_path: Path) -> None:
    path = tmp_path / "data.f32"
    a = planted(2 * 10**6, 2000, 0)
    a.tofile(path)
    mm = np.memmap(path, dtype=np.float32, mode="r")
    stats = array_stats(mm, Budget(10_000))
    assert "memory-mapped from" in stats["note"] and "data.f32" in stats["note"]
    assert stats["exact"] == ALL_EXACT and stats["nan"] == 2000
    sampled = array_stats(mm, Budget(0))
    assert not sampled["exact"]["mean"] and not sampled["exact"]["nan"]
    assert sampled["mean"] == pytest.approx(1.0, abs=0.1)


def test_rng_state_unchanged_and_row_small() -> None:
    state = np.random.get_state()
    a = planted(10**6, 10, 10)
    row = summarize("a", a, [], Budget(1000))
    after = np.random.get_state()
    assert all(np.array_equal(x, y) for x, y in zip(state, after))
    assert row["summary"].startswith("ndarray[1000000] float32  min ")
    assert "NaN 10  Inf 10" in row["summary"]
    assert row["size"] == 4 * 10**6 and len(json.dumps(row)) < 2048
