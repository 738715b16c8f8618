"""The Code Trace: a bounded ring of breakpoint-hit rows, and a pusher that batches them to a sink.

Rows are appended on the user's thread (inside a breakpoint condition) and read on
the subshell (the ``trace`` op) or on the pusher's own thread, so every access holds
one lock. Sequence numbers start at 1 and never restart, not even on ``clear``.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable, Optional

from . import protocol

Json = dict[str, Any]
Sink = Callable[[Json], Any]


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


class Pusher:
    """Sends new rows to a sink in batches, at most once every ``interval_s``.

    A tight loop with a tracing breakpoint appends thousands of rows a second; the
    frontend gets a few messages a second instead of one per hit.
    """

    def __init__(self, buffer: TraceBuffer, interval_s: float = protocol.TRACE_PUSH_INTERVAL_S,
                 max_rows: int = protocol.TRACE_PUSH_MAX_ROWS) -> None:
        self._buffer = buffer
        self._interval_s = interval_s
        self._max_rows = max_rows
        self._sink: Optional[Sink] = None
        self._cursor = buffer.next_seq
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_push = 0.0

    def set_sink(self, sink: Optional[Sink]) -> None:
        """Push to ``sink`` from now on (None: stop pushing); it gets only rows newer than this call."""
        with self._lock:
            self._sink = sink
            self._cursor = self._buffer.next_seq
        if sink is not None:
            self._start()

    def drop_sink(self, sink: Sink) -> None:
        """Stop pushing to ``sink`` if it is still the current one (a closed comm)."""
        with self._lock:
            if self._sink == sink:
                self._sink = None

    def notify(self) -> None:
        """Rows were appended: push them within ``interval_s``."""
        if self._sink is not None:
            self._wake.set()

    def flush(self) -> int:
        """Push the pending rows now (one batch); returns how many were sent."""
        with self._lock:
            sink = self._sink
            rows, nxt, dropped = self._buffer.since(self._cursor, self._max_rows)
            if sink is None or not (rows or dropped):
                return 0
            self._cursor = nxt
        self._last_push = time.monotonic()
        payload = {"event": "trace", "rows": rows, "next": nxt, "dropped": dropped,
                   "v": protocol.PROTOCOL_VERSION}
        try:
            sink(payload)
        except Exception:  # a closed comm: the rows stay in the buffer for the ``trace`` op
            self.drop_sink(sink)
        if nxt < self._buffer.next_seq:
            self._wake.set()
        return len(rows)

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            thread = threading.Thread(target=self._run, name="ml-debugger-trace-push", daemon=True)
            # Never stop at the user's breakpoints, like the subshell this data would otherwise wait on.
            thread.pydev_do_not_trace = True  # type: ignore[attr-defined]
            self._thread = thread
        thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            wait = self._last_push + self._interval_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._wake.clear()
            self.flush()
