"""How long the viewer's ``slice`` op takes to fetch one 512 x 512 heatmap of a 10^8-element tensor."""

from __future__ import annotations

import statistics
import time
from typing import Any

from ..probe import protocol
from ..probe.viewer.tensor_slice import slice_2d

SIDE = 10_000
REPEATS = 15


def slice_512_ms(torch: Any, device: str = "cpu", repeats: int = REPEATS) -> float:
    """Median milliseconds of the in-process slice (500 x 500: every 20th row and column) of a
    [10000, 10000] float32 tensor on ``device``, each including its one copy to the host."""
    t = torch.rand(SIDE, SIDE, device=device)
    slice_2d(t, [0, 1], [0, 0], protocol.SLICE_MAX)  # first call: lazy imports, kernel warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        slice_2d(t, [0, 1], [0, 0], protocol.SLICE_MAX)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)
