"""Benchmark ``device``: tensor summaries on a CUDA device, in-process.

For float32 tensors of n elements with NaN and Inf planted at known places, and a
bfloat16 and a broadcast tensor, it summarises each on the device and reports the
figures against a reference computed on the device, the host syncs the summary
made (counted by PyTorch's sync debug mode), the device memory it allocated at
peak, and its time against ``torch.isnan(t).sum()`` alone. Without a CUDA device
it says so and measures nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from typing import Any

from ..probe.budget import Budget
from ..probe.protocol import DEFAULT_VALUE_BUDGET_MS
from ..probe.objects.tensor import tensor_stats

REPEATS = 5
DEFAULT_SIZES = (10**7, 10**8)


def _planted(torch: Any, n: int, dtype: Any) -> Any:
    t = torch.randn(n, device="cuda").to(dtype)
    t[7::1000] = float("nan")
    t[503::10000] = float("inf")
    return t


def _syncs(torch: Any, work: Any) -> tuple[Any, int]:
    """Run ``work`` counting the host syncs PyTorch's sync debug mode reports."""
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("warn")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = work()
    finally:
        torch.cuda.set_sync_debug_mode("default")
    return result, sum("synchroniz" in str(w.message) for w in caught)


def _timed_ms(torch: Any, work: Any) -> float:
    times = []
    for _ in range(REPEATS):
        torch.cuda.synchronize()
        start = time.perf_counter()
        work()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3)


def _case(torch: Any, name: str, t: Any, budget_ms: float) -> dict[str, Any]:
    stats, syncs = _syncs(torch, lambda: tensor_stats(t, Budget(budget_ms)))
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    tensor_stats(t, Budget(budget_ms))
    extra = torch.cuda.max_memory_allocated() - base
    flat = t.float() if t.dtype == torch.bfloat16 else t
    ours = _timed_ms(torch, lambda: tensor_stats(t, Budget(budget_ms)))
    isnan = _timed_ms(torch, lambda: int(torch.isnan(flat).sum()))
    return {
        "case": name,
        "numel": t.numel(),
        "ours_ms": ours,
        "isnan_sum_ms": isnan,
        "ratio_to_isnan_sum": round(ours / isnan, 3) if isnan else None,
        "host_syncs": syncs,
        "extra_device_bytes": int(extra),
        "tensor_bytes": t.numel() * t.element_size(),
        "nan": stats["nan"],
        "inf": stats["inf"],
        "nan_expected": int(torch.isnan(flat).sum()),
        "inf_expected": int(torch.isinf(flat).sum()),
        "exact": stats["exact"],
        "device": stats["device"],
    }


def run(argv: list[str]) -> dict[str, Any]:
    """Parse the benchmark's flags and measure."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench device")
    parser.add_argument("--sizes", type=lambda s: [int(float(x)) for x in s.split(",")],
                        default=list(DEFAULT_SIZES))
    parser.add_argument("--budget-ms", type=float, default=DEFAULT_VALUE_BUDGET_MS)
    args = parser.parse_args(argv)
    import torch

    if not torch.cuda.is_available():
        return {"device": None, "note": "no CUDA device: nothing measured"}
    cases = [_case(torch, f"float32 n={n}", _planted(torch, n, torch.float32), args.budget_ms)
             for n in args.sizes]
    cases.append(_case(torch, "bfloat16 n=1e7", _planted(torch, 10**7, torch.bfloat16),
                       args.budget_ms))
    wide = torch.zeros(1000, device="cuda").expand(10**6, 1000)
    cases.append(_case(torch, "broadcast 1e9 over 4 KB", wide, args.budget_ms))
    return {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "cases": cases}
