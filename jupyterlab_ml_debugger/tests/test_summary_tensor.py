"""Tensor summaries: the figures a user reads, their exact flags, and no side effects."""

from __future__ import annotations

import json
import math
import threading
import warnings

import numpy as np
import pytest
import torch

from jupyterlab_ml_debugger.probe.objects import reduction
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.objects.summarize import summarize
from jupyterlab_ml_debugger.probe.objects.tensor import tensor_stats

ALL_EXACT = dict.fromkeys(("min", "max", "mean", "std", "nan", "inf"), True)


def planted(n: int, nans: int, infs: int, seed: int = 0) -> torch.Tensor:
    """``n`` normal values (mean 1, std 2) with NaN and +/-Inf at fixed random spots."""
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(n, generator=g) * 2 + 1
    idx = torch.randperm(n, generator=g)[: nans + infs]
    t[idx[:nans]] = float("nan")
    t[idx[nans : nans + infs // 2]] = float("inf")
    t[idx[nans + infs // 2 :]] = float("-inf")
    return t


def reference(t: torch.Tensor) -> dict:
    """Float64 nan-aware figures over the finite elements, via numpy."""
    a = t.detach().double().numpy().ravel()
    finite = a[np.isfinite(a)]
    return {
        "min": finite.min(),
        "max": finite.max(),
        "mean": finite.mean(),
        "std": finite.std(ddof=1),
        "nan": int(np.isnan(a).sum()),
        "inf": int(np.isinf(a).sum()),
    }


def assert_matches(stats: dict, ref: dict, rel: float = 1e-5) -> None:
    assert stats["nan"] == ref["nan"] and stats["inf"] == ref["inf"]
    assert stats["min"] == pytest.approx(ref["min"], rel=rel)
    assert stats["max"] == pytest.approx(ref["max"], rel=rel)
    assert stats["mean"] == pytest.approx(ref["mean"], rel=rel, abs=1e-6)
    assert stats["std"] == pytest.approx(ref["std"], rel=rel)


@pytest.mark.parametrize("n", [1, 1000, 3 * (1 << 18) + 17])
def test_float32_counts_and_figures_match_reference(n: int) -> None:
    t = planted(n, n // 100, n // 1000 * 2) if n > 1 else torch.tensor([2.5])
    stats = tensor_stats(t, Budget(10_000))
    assert stats["exact"] == ALL_EXACT
    if n == 1:
        assert (stats["min"], stats["max"], stats["mean"], stats["std"]) == (2.5, 2.5, 2.5, None)
        return
    assert_matches(stats, reference(t))


def test_every_chunk_dirty_still_exact() -> None:
    t = planted(10**6, 10**4, 10**3)
    stats = tensor_stats(t, Budget(10_000))
    assert stats["nan"] == 10**4 and stats["inf"] == 10**3
    assert stats["exact"] == ALL_EXACT
    assert_matches(stats, reference(t))


def test_device_path_gives_the_same_figures() -> None:
    """The one-sync path used for CUDA tensors, run here on the CPU."""
    t = planted(3 * (1 << 18), 500, 40)
    assert_matches(tensor_stats(t, Budget(10_000), deferred=True), reference(t))


def test_large_offset_keeps_std_precise() -> None:
    g = torch.Generator().manual_seed(1)
    t = torch.randn(1 << 19, generator=g) * 0.01 + 1000.0
    assert_matches(tensor_stats(t, Budget(10_000)), reference(t), rel=1e-4)


def test_all_nan_has_counts_and_no_figures() -> None:
    stats = tensor_stats(torch.full((5, 5), float("nan")), Budget(1000))
    assert stats["nan"] == 25 and stats["inf"] == 0
    assert stats["min"] is None and stats["mean"] is None and stats["std"] is None


def test_huge_finite_float32_values_do_not_read_as_inf() -> None:
    t = torch.tensor([3e38, 3e38, -3e38, 1.0])
    stats = tensor_stats(t, Budget(1000))
    assert stats["inf"] == 0 and stats["nan"] == 0
    assert stats["max"] == pytest.approx(3e38, rel=1e-6)
    assert stats["mean"] == pytest.approx(3e38 / 4, rel=1e-5)


def test_broadcast_billion_elements_is_exact() -> None:
    e = torch.arange(1000, dtype=torch.float32).expand(10**6, 1000)
    stats = tensor_stats(e, Budget(150))
    assert stats["numel"] == 10**9
    assert stats["exact"] == ALL_EXACT
    assert (stats["min"], stats["max"], stats["mean"]) == (0.0, 999.0, 499.5)
    assert stats["std"] == pytest.approx(np.arange(1000).std(), rel=1e-6)
    assert "repeated 1000000 times" in stats["note"]


def test_broadcast_nan_counts_scale_with_repeats() -> None:
    e = torch.tensor([1.0, float("nan"), float("inf")]).expand(4, 3)
    stats = tensor_stats(e, Budget(1000))
    assert (stats["nan"], stats["inf"], stats["mean"]) == (4, 4, 1.0)


def test_views_of_a_larger_storage() -> None:
    base = planted(4000 * 300, 3000, 100).view(4000, 300)
    for view in (base[100:3000, 5:200], base.t(), base[::3, ::7]):
        stats = tensor_stats(view, Budget(10_000))
        assert stats["exact"] == ALL_EXACT
        assert_matches(stats, reference(view))


def test_over_budget_marks_estimates_and_keeps_counts_when_possible() -> None:
    t = planted(3 * 10**7, 30_000, 3000)
    for ms in (0, 15):
        stats = tensor_stats(t, Budget(ms))
        assert not stats["exact"]["mean"] and not stats["exact"]["min"]
        assert stats["mean"] == pytest.approx(1.0, abs=0.05)
        assert stats["std"] == pytest.approx(2.0, rel=0.05)
        if stats["exact"]["nan"]:
            assert (stats["nan"], stats["inf"]) == (30_000, 3000)
        else:
            assert "estimated" in stats["note"]
            assert stats["nan"] == pytest.approx(30_000, rel=0.5)


def test_counting_only_mode_keeps_counts_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """With reduction made unaffordable after the first chunk, counts stay exact."""
    monkeypatch.setattr(reduction, "_can_reduce", lambda *args: False)
    t = planted(10**6, 1234, 56)
    stats = tensor_stats(t, Budget(10_000))
    assert (stats["nan"], stats["inf"]) == (1234, 56)
    assert stats["exact"]["nan"] and not stats["exact"]["mean"]
    assert "estimated" in stats["note"]
    assert stats["mean"] == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
def test_float_dtypes(dtype: torch.dtype) -> None:
    t = planted(10_000, 100, 10).to(dtype)
    stats = tensor_stats(t, Budget(1000))
    assert stats["dtype"] == str(dtype).removeprefix("torch.")
    assert_matches(stats, reference(t), rel=1e-3)


def test_integer_and_bool() -> None:
    ints = torch.arange(-5, 10, dtype=torch.int64)
    stats = tensor_stats(ints, Budget(1000))
    assert (stats["min"], stats["max"], stats["nan"], stats["inf"]) == (-5, 9, 0, 0)
    assert isinstance(stats["min"], int) and stats["mean"] == 2.0
    flags = torch.tensor([True, False, True, True])
    stats = tensor_stats(flags, Budget(1000))
    assert (stats["min"], stats["max"], stats["mean"]) == (0, 1, 0.75)
    assert "fraction True" in stats["note"]
    unsigned = tensor_stats(torch.tensor([7, 3, 9], dtype=torch.uint16), Budget(1000))
    assert (unsigned["min"], unsigned["max"]) == (3, 9)


def test_complex_counts_and_magnitudes() -> None:
    z = torch.tensor([3 + 4j, complex("nan"), complex(float("inf"), 0), 0j], dtype=torch.complex64)
    stats = tensor_stats(z, Budget(1000))
    assert (stats["nan"], stats["inf"]) == (1, 1)
    assert (stats["min"], stats["max"], stats["mean"]) == (0.0, 5.0, 2.5)
    assert "magnitudes" in stats["note"]


def test_sparse_stats_over_stored_values() -> None:
    dense = torch.zeros(100, 100)
    dense[1, 2], dense[50, 3], dense[7, 7] = 4.0, float("nan"), -2.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CSR support is "beta"
        csr = dense.to_sparse_csr()
    for sparse in (dense.to_sparse(), csr):
        stats = tensor_stats(sparse, Budget(1000))
        assert (stats["nan"], stats["min"], stats["max"]) == (1, -2.0, 4.0)
        assert "stats over 3 stored values" in stats["note"]
        assert stats["shape"] == [100, 100]


def test_quantized_stats_over_dequantized_values() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # quantized creation is deprecated, not gone
        q = torch.quantize_per_tensor(torch.tensor([[-1.0, 0.5], [2.0, 0.0]]), 0.5, 0, torch.qint8)
    stats = tensor_stats(q, Budget(1000))
    assert (stats["min"], stats["max"], stats["mean"]) == (-1.0, 2.0, 0.375)
    assert "quantized" in stats["note"]


def test_meta_empty_and_zero_dim() -> None:
    meta = tensor_stats(torch.empty(3, 4, device="meta"), Budget(1000))
    assert meta["shape"] == [3, 4] and meta["min"] is None and meta["note"] == "meta tensor: no data"
    empty = tensor_stats(torch.empty(0, 5), Budget(1000))
    assert empty["numel"] == 0 and empty["min"] is None and empty["note"] == "empty"
    scalar = tensor_stats(torch.tensor(float("nan")), Budget(1000))
    assert scalar["shape"] == [] and scalar["nan"] == 1


def test_gradients_are_read_without_side_effects() -> None:
    leaf = torch.nn.Parameter(torch.randn(4, 5))
    version = leaf._version
    stats = tensor_stats(leaf, Budget(1000))
    assert stats["requires_grad"] and stats["has_grad"] is False
    assert leaf.grad is None and leaf._version == version
    hidden = leaf * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading a non-leaf's .grad would warn
        assert tensor_stats(hidden, Budget(1000))["has_grad"] is False
    hidden.retain_grad()
    hidden.sum().backward()
    assert tensor_stats(hidden, Budget(1000))["has_grad"] is True
    row = summarize("w", leaf, [], Budget(1000))
    assert row["summary"].startswith("Parameter[4, 5] float32 cpu  min ")
    assert row["summary"].endswith("grad")


def test_no_state_changes_rng_or_version() -> None:
    t = planted(10**6, 10, 10)
    torch_rng, np_rng = torch.get_rng_state(), np.random.get_state()
    version, before = t._version, t.clone()
    tensor_stats(t, Budget(0))
    tensor_stats(t, Budget(10_000))
    assert torch.equal(torch.get_rng_state(), torch_rng)
    assert all(np.array_equal(a, b) for a, b in zip(np.random.get_state(), np_rng))
    assert t._version == version and torch.equal(t.nan_to_num(), before.nan_to_num())


def test_row_text_marks_estimates_and_stays_small() -> None:
    t = planted(10**6, 10**4, 1000)
    row = summarize("t", t, [{"kind": "name", "name": "t"}], Budget(0))
    assert row["kind"] == "tensor" and row["nonfinite"]
    assert "~" in row["summary"]
    assert len(json.dumps(row)) < 2048
    exact = summarize("t", t, [], Budget(10_000))
    assert "NaN 10000  Inf 1000" in exact["summary"] and "~" not in exact["summary"]
    assert exact["size"] == 4 * 10**6
    assert math.isfinite(exact["stats"]["std"])


def test_nan_and_opposite_infinities_print_no_warning() -> None:
    # A warning raised on the probe's thread would be printed into the user's cell output.
    t = torch.zeros(3 * 2**18)
    t[::7] = float("inf")
    t[3::7] = float("-inf")
    t[5::11] = float("nan")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stats = tensor_stats(t, Budget(5000))
        tensor_stats(t, Budget(0.001))
    assert caught == []
    assert stats["nan"] == int(torch.isnan(t).sum())
    assert stats["inf"] == int(torch.isinf(t).sum())


def test_summary_from_another_thread_matches_the_main_thread() -> None:
    # The probe answers on a subshell thread; the figures must not depend on it.
    t = torch.randn(2**20)
    t[::1000] = float("nan")
    here = tensor_stats(t, Budget(5000))
    there: dict = {}
    worker = threading.Thread(target=lambda: there.update(tensor_stats(t, Budget(5000))))
    worker.start()
    worker.join()
    assert there == here
