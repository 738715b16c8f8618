"""The ``counters`` op (Counter Value, Memory Leak / Handle Leak): one sample, its history and leak flags.

Each sample walks the user's containers once; the walk feeds both the containers that only
grow and, when a counter only grows, the hint of what grows with it.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ..budget import Budget
from ..secrets import masking
from ..threads import thread_cpu
from . import leak_hints, reach_walk, readings
from .container_growth import GROWTH, ContainerGrowth
from .counter_history import CounterHistory, HISTORY

# The part of the sample that per-thread CPU times may take.
CPU_BUDGET_MS = 50
# The part the walk of the user's containers may take, once a sample (at most once a second).
REACH_BUDGET_MS = 50

Json = dict[str, Any]


def sample(history: CounterHistory = HISTORY, search: leak_hints.GrowthSearch = leak_hints.SEARCH,
           growth: ContainerGrowth = GROWTH) -> Json:
    """Counters: read every counter once, add the sample to the history, flag what only grows."""
    start = time.perf_counter()
    read = readings.read_counters()
    threads = readings.python_threads()
    cpu, _ = thread_cpu.sample(((ident, native_id) for ident, native_id, _ in threads), Budget(CPU_BUDGET_MS))
    now = time.time()
    histories = history.record(now, {r.id: r.value for r in read})
    reach = reach_walk.take(Budget(REACH_BUDGET_MS))
    flags = leak_hints.leak_flags(read, histories, reach, search) + growth.record(now, reach)
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


# A leak's hints name containers by path and where their objects come from: masked as values are.
OPS: dict[str, Callable[[Json], Json]] = masking.masking({"counters": _counters})
