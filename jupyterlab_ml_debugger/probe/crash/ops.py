"""The ``hang`` op: whether the running cell's main thread is stuck, how, where, and its DataLoader workers.

Reply shape: Hang in ``protocol_live.py``. Polled while a cell runs, so it reads one thread's
stack and one CPU time: no locals, no other thread's wait. The first-seen times of the main
thread's frames are kept between calls (``standing.py``); nothing of the user's runs.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..protocol_live import HANG_FRAMES_MAX, HANG_THRESHOLD_S
from ..requests import number
from ..secrets import masking
from ..stack import frames
from ..threads import call_site, thread_cpu, thread_stacks, thread_state, wait_chain
from . import dataloader_workers, known_waits, standing, verdict

Json = dict[str, Any]

_standing = standing.Standing()
# The previous look's (monotonic time, CPU seconds) of the main thread, for its share since then.
_previous: tuple[float, float | None] | None = None


def _cell_part(stack: list[Any]) -> list[Any]:
    """The frames of the running cell, innermost first, down to its outermost cell frame; [] when
    the thread runs no cell (the kernel's own loop is waiting for work, not hung)."""
    bottom = next((depth for depth in range(len(stack) - 1, -1, -1)
                   if frames.is_cell_file(stack[depth].f_code.co_filename)), None)
    return [] if bottom is None else stack[:bottom + 1]


def _share_since_previous(now: float, cpu: float | None) -> float | None:
    """The main thread's share of a core since the previous look; this look becomes the previous."""
    global _previous
    before, _previous = _previous, (now, cpu)
    if before is None or before[1] is None or cpu is None or now <= before[0]:
        return None
    return max(0.0, cpu - before[1]) / (now - before[0])


def _waits_on(view: thread_stacks.ThreadView, share: float | None, names: dict[int, str]) -> str | None:
    """The Threads section's phrase for what a blocked main thread waits on; None when it is not blocked."""
    waiting = wait_chain.thread_wait(view.ident, view.stack)
    return thread_state.describe(view, waiting, share, names).blocked_on


def hang(args: Json) -> Json:
    """Hang: see protocol_live. ``threshold_s`` (default HANG_THRESHOLD_S) is how long a stand lasts
    before it is a hang."""
    threshold = number(args, "threshold_s", HANG_THRESHOLD_S)
    budget = Budget(protocol.DEFAULT_BUDGET_MS)
    views = thread_stacks.snapshot()
    main = next((v for v in views if v.kind == "main"), None)
    now = time.monotonic()
    cell = _cell_part(main.stack) if main is not None else []
    cpu = thread_cpu.cpu_seconds(main.ident, main.native_id) if main is not None else None
    share = _share_since_previous(now, cpu)
    reply: Json = {"hung": False, "since_s": None, "kind": None, "threshold_s": threshold, "stack": [],
                   "waits_on": None, "workers": []}
    if main is None or not cell:
        _standing.forget()
        reply["elapsed_ms"] = round(budget.elapsed_ms(), 2)
        return reply
    # The cell's globals are the user's namespace, where a DataLoader may keep its workers.
    reply["workers"] = dataloader_workers.workers(main.stack, cell[-1].f_globals)
    stand = _standing.look(cell, now, cpu)
    found = verdict.judge(stand, now, cpu, call_site.in_call(cell[0]), threshold,
                          lambda: thread_cpu.os_state(main.native_id) == "R")
    stack, _ = thread_stacks.stack_json(dataclasses.replace(main, stack=cell), HANG_FRAMES_MAX, False, budget, 0.0)
    known = known_waits.known_wait(cell)
    waits_on = known.phrase if known is not None else _waits_on(main, share, thread_stacks.names_of(views))
    reply.update(hung=found.hung and (known is None or known.hang), since_s=round(found.since_s, 3),
                 kind=found.kind, stack=stack, waits_on=waits_on)
    reply["elapsed_ms"] = round(budget.elapsed_ms(), 2)
    return reply


# Source lines and wait labels can quote a value: masked as the threads op masks them.
OPS: dict[str, Callable[[Json], Json]] = masking.masking({"hang": hang})
