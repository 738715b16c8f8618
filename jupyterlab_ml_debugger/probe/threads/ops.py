"""The ``threads`` op: every thread's stack, CPU share and wait, and the deadlocks among them.

Reply shape: Threads in ``protocol_live.py``. It only reads: no thread is paused, nothing
of the user's runs, and every step stops when the call's budget runs out, saying so.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..protocol_live import THREADS_MAX, THREAD_FRAMES_MAX
from ..requests import bad, integer, number
from ..secrets import masking
from . import thread_cpu, thread_stacks, thread_state, wait_chain

Json = dict[str, Any]

# A thread using at least this share of a core since the previous sample is Spiking.
SPIKING_SHARE = 0.5


def parse_args(args: Json) -> Json:
    """The validated options, defaults filled in; a ``bad-request`` ProbeError says what is wrong."""
    with_locals = args.get("locals", True)
    if not isinstance(with_locals, bool):
        raise bad("locals must be true or false")
    counts = {}
    for key, default in (("max_threads", THREADS_MAX), ("max_frames", THREAD_FRAMES_MAX)):
        counts[key] = integer(args.get(key, default), key)
        if counts[key] < 1:
            raise bad(f"{key} must be at least 1")
    return {"locals": with_locals, **counts,
            "budget_ms": number(args, "budget_ms", protocol.DEFAULT_BUDGET_MS),
            "value_budget_ms": number(args, "value_budget_ms", protocol.DEFAULT_VALUE_BUDGET_MS)}


def threads(args: Json) -> Json:
    """Threads: the main and user threads first, at most ``max_threads``; see protocol_live.

    A stack longer than ``max_frames`` is not a cut: each thread's ``frames_total`` says so.
    """
    opts = parse_args(args)
    budget = Budget(opts["budget_ms"])
    views = thread_stacks.snapshot()
    shown = views[: opts["max_threads"]]
    names = thread_stacks.names_of(views)
    cuts: list[str] = []
    if len(shown) < len(views):
        cuts.append(f"{len(shown)} of {len(views)} threads shown (max_threads {opts['max_threads']})")

    cpu, interval_ms = thread_cpu.sample(((v.ident, v.native_id) for v in views), budget)
    if budget.expired():
        cuts.append("CPU time may be missing for some threads: the budget ran out")
    waits, states = _examine(shown, cpu, names, budget, cuts)
    if wait_chain.find_holders(waits.values(), {v.ident: v.stack for v in views}, budget):
        cuts.append(f"the search for lock holders stopped when the {opts['budget_ms']:g} ms budget ran out")

    rows_cut = False
    found = []
    for view in shown:
        stack, cut = thread_stacks.stack_json(view, opts["max_frames"], opts["locals"], budget,
                                              opts["value_budget_ms"])
        rows_cut = rows_cut or cut
        found.append(_thread_json(view, states[view.ident], cpu, stack, waits.get(view.ident), names))
    if rows_cut:
        cuts.append(f"some local values were left out when the {opts['budget_ms']:g} ms budget ran out")
    main = threading.main_thread().ident
    return {"threads": found, "total": len(views), "spiking": _spiking(views, cpu),
            "deadlocks": wait_chain.deadlocks(waits, names, main), "interval_ms": interval_ms,
            "truncated": bool(cuts), "cut": "; ".join(cuts) or None, "elapsed_ms": budget.elapsed_ms()}


def _thread_json(view: thread_stacks.ThreadView, state: thread_state.ThreadState, cpu: thread_cpu.Sample,
                 stack: list[Json], wait: wait_chain.Waiting | None, names: dict[int, str]) -> Json:
    """The protocol Thread."""
    cpu_ms, share = cpu.get(view.ident, (None, None))
    return {"id": view.ident, "native_id": view.native_id, "name": view.name, "kind": view.kind,
            "daemon": view.daemon, **state.json(), "cpu_ms": cpu_ms, "cpu_share": share,
            "frames": stack, "frames_total": len(view.stack),
            "wait": wait_chain.wait_json(wait, names) if wait is not None else None}


def _examine(shown: list[thread_stacks.ThreadView], cpu: thread_cpu.Sample, names: dict[int, str], budget: Budget,
             cuts: list[str]) -> tuple[dict[int, wait_chain.Waiting], dict[int, thread_state.ThreadState]]:
    """The waits of the blocked threads and every shown thread's state, while the budget lasts."""
    waits: dict[int, wait_chain.Waiting] = {}
    states: dict[int, thread_state.ThreadState] = {}
    skipped = 0
    me = threading.get_ident()
    for view in shown:
        if view.ident == me:
            # The thread answering is busy answering, whatever the budget left: nothing to examine.
            states[view.ident] = thread_state.ACTIVE
            continue
        if budget.expired():
            states[view.ident] = thread_state.UNKNOWN
            skipped += 1
            continue
        wait = wait_chain.thread_wait(view.ident, view.stack)
        if wait is not None:
            waits[view.ident] = wait
        states[view.ident] = thread_state.describe(view, wait, cpu.get(view.ident, (None, None))[1], names)
    if skipped:
        cuts.append(f"{skipped} threads were not checked for waits when the budget ran out")
    return waits, states


def _spiking(views: list[thread_stacks.ThreadView], cpu: thread_cpu.Sample) -> Json | None:
    """The thread with the highest CPU share since the previous sample, when it is at least SPIKING_SHARE."""
    best = max(((share, v) for v in views if (share := cpu.get(v.ident, (0.0, None))[1]) is not None),
               key=lambda pair: pair[0], default=None)
    if best is None or best[0] < SPIKING_SHARE:
        return None
    return {"id": best[1].ident, "name": best[1].name, "share": best[0]}


# Source lines and wait labels can quote a value: masked as values are.
OPS: dict[str, Callable[[Json], Json]] = masking.masking({"threads": threads})
