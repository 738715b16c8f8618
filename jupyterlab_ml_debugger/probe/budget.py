"""Time budgets: a deadline on ``time.perf_counter`` shared by nested work."""

from __future__ import annotations

import time


class Budget:
    """A deadline ``ms`` milliseconds from now; children never outlive their parent."""

    def __init__(self, ms: float, *, _deadline: float | None = None) -> None:
        now = time.perf_counter()
        self._start = now
        self._deadline = now + max(0.0, ms) / 1000.0 if _deadline is None else _deadline

    def remaining_ms(self) -> float:
        """Milliseconds left, never negative."""
        return max(0.0, (self._deadline - time.perf_counter()) * 1000.0)

    def elapsed_ms(self) -> float:
        """Milliseconds since this budget was made."""
        return (time.perf_counter() - self._start) * 1000.0

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return time.perf_counter() >= self._deadline

    def child(self, ms: float) -> Budget:
        """A budget of ``ms`` milliseconds, cut short by this one's deadline."""
        deadline = min(self._deadline, time.perf_counter() + max(0.0, ms) / 1000.0)
        return Budget(0.0, _deadline=deadline)
