"""The last COUNTER_HISTORY samples of every counter, and each thread's CPU time at the previous sample.

Only numbers are kept (never a user object), so the history costs a few KB however
long the kernel runs. Every list of one counter lines up with the sample times: a
counter that appeared later (CUDA once initialised) is padded with None before it.
"""

from __future__ import annotations

import collections
import threading
from typing import Mapping

from ..protocol_live import COUNTER_HISTORY


class CounterHistory:
    """A ring of samples: one time and one value per counter each."""

    def __init__(self, capacity: int = COUNTER_HISTORY) -> None:
        self.capacity = capacity
        self.times: collections.deque[float] = collections.deque(maxlen=capacity)
        self.values: dict[str, collections.deque[float | None]] = {}
        # By (ident, native id): a new thread may be given an ended thread's ident.
        self.lock = threading.Lock()

    def record(self, when: float, values: Mapping[str, float | None]) -> dict[str, list[float | None]]:
        """Add one sample and return every counter's history, oldest first, this sample last."""
        with self.lock:
            for key in values:
                if key not in self.values:
                    padding = [None] * len(self.times)
                    self.values[key] = collections.deque(padding, maxlen=self.capacity)
            self.times.append(when)
            for key, ring in self.values.items():
                ring.append(values.get(key))
            return {key: list(ring) for key, ring in self.values.items()}

    def __len__(self) -> int:
        return len(self.times)


HISTORY = CounterHistory()
