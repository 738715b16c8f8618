"""What can be read of a kernel's memory without privileges: its resident size, and the memory
cgroup it lives in (the limit, and how many processes the out-of-memory killer ended there).

Both cgroup versions: v2 (``memory.max``, ``memory.events``) and v1 (``memory.limit_in_bytes``,
``memory.oom_control``); a limit of "max" or v1's near-2**63 means none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

CGROUP_ROOT = "/sys/fs/cgroup"
_V1_UNLIMITED = 1 << 60


@dataclass(frozen=True)
class Cgroup:
    """A memory cgroup's directory and version."""

    path: str
    version: int

    def limit_bytes(self) -> int | None:
        """Its memory limit, or None when it has none or it cannot be read."""
        name = "memory.max" if self.version == 2 else "memory.limit_in_bytes"
        text = _read(os.path.join(self.path, name))
        if text is None or not text.strip().isdigit():
            return None
        value = int(text)
        return None if value >= _V1_UNLIMITED else value

    def oom_kills(self) -> int | None:
        """How many processes the out-of-memory killer has ended in it, or None when not readable."""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        text = _read(os.path.join(self.path, name))
        if text is None:
            return None
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
        return None


def rss_bytes(pid: int) -> int | None:
    """The process's resident memory (VmRSS), or None once it is gone."""
    text = _read(f"/proc/{pid}/status")
    if text is None:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            parts = line.split()
            return int(parts[1]) * 1024 if len(parts) > 1 and parts[1].isdigit() else None
    return None


def cgroup_of(pid: int, root: str = CGROUP_ROOT) -> Cgroup | None:
    """The memory cgroup the process is in, where its counters can be read; else None."""
    text = _read(f"/proc/{pid}/cgroup")
    if text is None:
        return None
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        path = path.lstrip("/")
        if "memory" in controllers.split(","):
            candidate = Cgroup(os.path.join(root, "memory", path), 1)
            if os.path.exists(os.path.join(candidate.path, "memory.oom_control")):
                return candidate
        if controllers == "":
            for base in (root, os.path.join(root, "unified")):
                candidate = Cgroup(os.path.join(base, path), 2)
                if os.path.exists(os.path.join(candidate.path, "memory.events")):
                    return candidate
    return None


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None
