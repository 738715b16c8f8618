"""Per-thread CPU time, each thread's share of a core since the previous sample (Spiking Thread),
and the operating system's run state of a thread (on a CPU, or asleep).

Linux reads ``/proc/self/task/<native id>/stat``: a thread that has exited has no file,
so it is skipped. ``time.pthread_getcpuclockid`` is the fallback where there is no
``/proc``: it takes the pthread id, which names nothing once the thread has exited.

Each file read lets the GIL go and takes it back, and every take-back stalls the running
cell for a moment: a dozen threads read ten times a second cost a training loop 15% on two
cores. So a sample younger than MIN_INTERVAL_S is answered again instead of read anew, by
the Threads and the Counters sections alike.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Iterable

from ..budget import Budget

# Thread id -> (CPU ms, share of a core since the previous sample).
Sample = dict[int, tuple[float, float | None]]

_TASK_DIR = "/proc/self/task"
_HAS_PROC = os.path.isdir(_TASK_DIR)
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") and "SC_CLK_TCK" in os.sysconf_names else 100

# The previous sample: monotonic time, (id, native id) -> CPU seconds, and whether every
# thread was read. A new thread reusing an old id gets a new native id, so it never
# inherits another thread's time.
_previous: tuple[float, dict[tuple[int, int | None], float], bool] | None = None
_previous_lock = threading.Lock()
# The last answer: monotonic time, (id, native id) -> (CPU ms, share), interval ms.
_last: tuple[float, dict[tuple[int, int | None], tuple[float, float | None]], float | None] | None = None
MIN_INTERVAL_S = 1.0


def cpu_seconds(ident: int, native_id: int | None) -> float | None:
    """The CPU seconds (user + system) a thread has used, or None when it cannot be read."""
    if _HAS_PROC:
        return _proc_seconds(native_id) if native_id is not None else None
    clock = getattr(time, "pthread_getcpuclockid", None)
    if clock is None:
        return None
    try:
        return time.clock_gettime(clock(ident))
    except (OSError, OverflowError, ValueError):
        return None


def _stat_fields(native_id: int) -> list[bytes] | None:
    """The fields of a thread's ``stat`` file after its name, from the state on; None once it exited."""
    try:
        with open(f"{_TASK_DIR}/{native_id}/stat", "rb") as stat:
            text = stat.read()
    except OSError:  # the thread exited between the listing and this read
        return None
    # The name field (in parentheses) may hold spaces: count fields after its closing one.
    return text[text.rfind(b")") + 2:].split()


def _proc_seconds(native_id: int) -> float | None:
    fields = _stat_fields(native_id)
    try:
        return (int(fields[11]) + int(fields[12])) / _TICKS if fields is not None else None
    except (IndexError, ValueError):
        return None


def os_state(native_id: int | None) -> str | None:
    """The thread's run state as Linux reports it now: "R" on a CPU or ready to run, "S" asleep,
    "D" in uninterruptible I/O, ...; None where it cannot be read (no ``/proc``, thread gone).

    Read fresh, not from the shared sample: a second-old state would contradict the stack."""
    if not _HAS_PROC or native_id is None:
        return None
    fields = _stat_fields(native_id)
    if not fields:
        return None
    return fields[0].decode("ascii", "replace")


def sample(threads: Iterable[tuple[int, int | None]], budget: Budget) -> tuple[Sample, float | None]:
    """``({id: (cpu_ms, cpu_share)}, interval_ms)`` for the threads read before the budget ran out.

    The share is CPU seconds per wall second since the previous call: a thread that a
    complete previous sample did not see started since, so all its time counts; None
    where the previous sample was cut short. The interval is None on the first call.
    This sample becomes the previous one. Within MIN_INTERVAL_S of the last read, the last
    read is answered for the threads it saw (a thread started since reads as unknown).
    """
    global _previous, _last
    now = time.monotonic()
    keys = list(threads)
    last = _last
    if last is not None and now - last[0] < MIN_INTERVAL_S:
        return {key[0]: last[1][key] for key in keys if key in last[1]}, last[2]
    seconds: dict[tuple[int, int | None], float] = {}
    complete = True
    for key in keys:
        if budget.expired():
            complete = False
            break
        used = cpu_seconds(*key)
        if used is not None:
            seconds[key] = used
    with _previous_lock:
        before, _previous = _previous, (now, seconds, complete)
    interval = now - before[0] if before is not None else None
    read: dict[tuple[int, int | None], tuple[float, float | None]] = {}
    for key, used in seconds.items():
        share = None
        if before is not None and interval:
            earlier = before[1].get(key, 0.0 if before[2] else None)
            share = None if earlier is None else max(0.0, used - earlier) / interval
        read[key] = (round(used * 1000.0, 1), None if share is None else round(share, 3))
    interval_ms = None if interval is None else round(interval * 1000.0, 1)
    _last = (now, read, interval_ms)
    return {key[0]: value for key, value in read.items()}, interval_ms
