"""Whether a stand is a hang, and of which kind: waiting (no CPU used) or spinning (a core busy
inside a native call). Pure: the readings come from the look."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .standing import Stand

# At most this share of a core used while standing still: the thread waits.
WAIT_SHARE = 0.05
# At least this share of a core used while the whole stack stood still at a call: it spins in native
# code. On a machine whose cores are all busy a spinning thread gets less: then more than WAIT_SHARE,
# and on a CPU or ready for one when looked at, is enough.
SPIN_SHARE = 0.8


@dataclass(frozen=True)
class Verdict:
    """How long the thread stood, how, and whether that is past the threshold."""

    since_s: float
    kind: str | None
    hung: bool


def _share(used_from: float | None, cpu: float, seconds: float) -> float | None:
    """CPU seconds per wall second since a sighting; None when either reading is missing."""
    if used_from is None or seconds <= 0:
        return None
    return max(0.0, cpu - used_from) / seconds


def judge(stand: Stand, now: float, cpu: float | None, in_call: bool, threshold_s: float,
          runnable: Callable[[], bool] = lambda: False) -> Verdict:
    """The verdict on one look.

    Waiting is measured from the innermost frame that stood still, so a library's own polling
    loop inside a wait (a DataLoader's queue read with a 5 s timeout, say) does not restart
    it. Spinning needs the whole stack still: a loop whose steps spend most of their time in one
    native call reads as spinning only while no step ends. ``runnable`` (the operating system
    shows the thread on a CPU or ready for one) is asked only when the share alone does not
    say. Where the thread's CPU time cannot be read, a top frame standing past the threshold is
    a hang of unknown kind.
    """
    since_top = now - stand.top.first
    if cpu is None:
        return Verdict(since_top, None, since_top >= threshold_s)
    if stand.still is not None:
        since = now - stand.still.first
        share = _share(stand.still.cpu, cpu, since)
        if share is not None and share < WAIT_SHARE:
            return Verdict(since, "waiting", since >= threshold_s)
    share = _share(stand.top.cpu, cpu, since_top)
    busy = share is not None and (share >= SPIN_SHARE or (share >= WAIT_SHARE and runnable()))
    if stand.whole and in_call and busy:
        return Verdict(since_top, "spinning", since_top >= threshold_s)
    return Verdict(since_top, None, False)
