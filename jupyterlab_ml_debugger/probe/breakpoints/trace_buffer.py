"""The Code Trace: a bounded ring of breakpoint-hit rows.

Rows are appended on the user's thread (inside a breakpoint condition) and read on
the subshell (the ``trace`` op, which the frontend calls with ``since``), so every
access holds one lock. Sequence numbers start at 1 and never restart, not even on ``clear``.
"""

from __future__ import annotations

import collections
import threading
from typing import Any

from .. import protocol

Json = dict[str, Any]


class TraceBuffer:
    """The last ``capacity`` rows; each gets the next ``seq``."""

    def __init__(self, capacity: int = protocol.TRACE_CAPACITY) -> None:
        self._rows: collections.deque[Json] = collections.deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._next = 1
        self._cleared_below = 1  # rows below this seq were cleared on purpose, not dropped

    def append(self, row: Json) -> int:
        """Give ``row`` its ``seq`` (set in place) and keep it; returns that seq."""
        with self._lock:
            seq = row["seq"] = self._next
            self._next += 1
            self._rows.append(row)
            return seq

    @property
    def next_seq(self) -> int:
        """The seq the next appended row will get."""
        return self._next

    def since(self, since: int, limit: int) -> tuple[list[Json], int, int]:
        """(rows with seq >= since, at most ``limit``; the seq to ask from next; rows lost to overflow)."""
        with self._lock:
            oldest = self._rows[0]["seq"] if self._rows else self._next
            dropped = max(0, oldest - max(since, self._cleared_below))
            start = max(since, oldest)
            skip = start - oldest
            rows = [self._rows[i] for i in range(skip, min(len(self._rows), skip + max(0, limit)))]
            # A client ahead of us (our seq restarted with the kernel) is sent back to our next seq.
            nxt = rows[-1]["seq"] + 1 if rows else min(start, self._next)
            return rows, nxt, dropped

    def clear(self) -> int:
        """Forget every row; returns how many there were."""
        with self._lock:
            count = len(self._rows)
            self._rows.clear()
            self._cleared_below = self._next
            return count

