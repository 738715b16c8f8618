"""What the server knew of a kernel process when it ended: the facts a crash report is made of."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .memory import Cgroup

SAMPLES_KEPT = 30


@dataclass
class Watched:
    """One live kernel process and the readings taken of it while it ran."""

    kernel_id: str
    pid: int
    process: Any  # the provisioner's subprocess.Popen
    samples: deque = field(default_factory=lambda: deque(maxlen=SAMPLES_KEPT))  # (unix time, rss bytes)
    cgroup: Cgroup | None = None
    oom_kills: int | None = None  # the cgroup's count at the last sample
    limit_bytes: int | None = None
    busy: bool | None = None  # the server's execution state at the last look
    looked_at: float = 0.0  # when that was (unix time)
    asked_to_end: bool = False  # a shutdown or restart was under way while it still ran
    next_sample: float = 0.0


@dataclass
class Ending:
    """How and when one process ended, and what it left behind."""

    watched: Watched
    returncode: int
    ended_at: float
    oom_kills_after: int | None
    stacks_text: str
    marker: dict[str, Any] | None
