"""The ``counters`` op (Counter Value, Memory Leak / Handle Leak): one sample, its history and leak flags."""

from __future__ import annotations

import time
from typing import Any, Callable

from ..budget import Budget
from ..stack import namespace
from ..threads import thread_cpu
from . import leak_hints, readings
from .counter_history import CounterHistory, HISTORY

# The part of the sample that per-thread CPU times may take.
CPU_BUDGET_MS = 50

Json = dict[str, Any]


def sample(history: CounterHistory = HISTORY, search: leak_hints.GrowthSearch = leak_hints.SEARCH) -> Json:
    """Counters: read every counter once, add the sample to the history, flag what only grows."""
    start = time.perf_counter()
    read = readings.read_counters()
    threads = readings.python_threads()
    cpu, _ = thread_cpu.sample(((ident, native_id) for ident, native_id, _ in threads), Budget(CPU_BUDGET_MS))
    now = time.time()
    histories = history.record(now, {r.id: r.value for r in read})
    flags = leak_hints.leak_flags(read, histories, namespace.global_items, search)
    return {
        "time": now,
        "samples": len(history),
        "counters": [{"id": r.id, "label": r.label, "unit": r.unit, "value": r.value,
                      "history": histories[r.id], "note": r.note} for r in read],
        "cpu": [{"id": ident, "name": name, "cpu_ms": cpu[ident][0], "share": cpu[ident][1]}
                for ident, _, name in threads if ident in cpu],
        "flags": flags,
        "elapsed_ms": (time.perf_counter() - start) * 1000.0,
    }


def _counters(args: Json) -> Json:
    return sample()


OPS: dict[str, Callable[[Json], Json]] = {"counters": _counters}
