"""Notices each local kernel's death within a tick (250 ms), samples its memory once a second, and
turns a death into a crash report.

A process that ends with code 0, or while the server shuts it down or restarts it on request, is
not a crash and gets no report.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from . import kernel_files, local_kernels, memory, report
from .ending import Ending, Watched
from .store import ReportStore

TICK_S = 0.25
SAMPLE_EVERY_S = 1.0

log = logging.getLogger(__name__)


class KernelWatcher:
    """Watches every local kernel of one kernel manager."""

    def __init__(self, kernel_manager: Any, store: ReportStore, runtime_dir: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.kernel_manager = kernel_manager
        self.store = store
        self.runtime_dir = runtime_dir
        self.clock = clock
        self.watched: dict[str, Watched] = {}
        self.known: set[str] = set()  # every kernel id this server has managed
        self.failed: set[str] = set()  # kernels whose watch failed, logged once each

    def manages(self, kernel_id: str) -> bool:
        """Whether the id is a kernel this server manages or managed (other servers may share the
        runtime directory: their kernels' reports are theirs)."""
        return kernel_id in self.known or kernel_id in self._ids()

    def _ids(self) -> set[str]:
        return set(self.kernel_manager.list_kernel_ids())

    def tick(self) -> None:
        """One look at every kernel: note new processes, sample, and report the ended ones."""
        now = self.clock()
        ids = self._ids()
        self.known |= ids
        for kernel_id in ids:
            try:
                self._look(kernel_id, now)
            except Exception:  # one kernel's odd state must not stop the watch of the others
                if kernel_id not in self.failed:
                    self.failed.add(kernel_id)
                    log.exception("Watching kernel %s for crashes failed; it gets no crash report", kernel_id)
        for kernel_id in [k for k in self.watched if k not in ids]:
            self._ended_if_so(self.watched.pop(kernel_id), now)
            kernel_files.forget(self.runtime_dir, kernel_id)

    def _look(self, kernel_id: str, now: float) -> None:
        process = local_kernels.process_of(self.kernel_manager, kernel_id)
        watched = self.watched.get(kernel_id)
        if watched is not None and watched.process is not process:
            del self.watched[kernel_id]  # restarted: the old process ended between two looks
            self._ended_if_so(watched, now)
            watched = None
        if watched is None:
            if process is None or process.poll() is not None:
                return
            watched = self.watched[kernel_id] = Watched(kernel_id, process.pid, process)
        if watched.process.poll() is not None:
            del self.watched[kernel_id]
            self._ended_if_so(watched, now)
            return
        manager = self.kernel_manager.get_kernel(kernel_id)
        if getattr(manager, "shutting_down", False):
            watched.asked_to_end = True
        state = getattr(manager, "execution_state", None)
        watched.busy = state == "busy" if state in ("busy", "idle") else None
        watched.looked_at = now
        if now >= watched.next_sample:
            self._sample(watched, now)

    def _sample(self, watched: Watched, now: float) -> None:
        watched.next_sample = now + SAMPLE_EVERY_S
        rss = memory.rss_bytes(watched.pid)
        if rss is not None:
            watched.samples.append((now, rss))
        cgroup = memory.cgroup_of(watched.pid)
        if cgroup is not None:
            watched.cgroup = cgroup
            watched.oom_kills = cgroup.oom_kills()
            watched.limit_bytes = cgroup.limit_bytes()

    def _ended_if_so(self, watched: Watched, now: float) -> None:
        returncode = watched.process.poll()
        if returncode is None or returncode == 0 or watched.asked_to_end:
            return
        marker = kernel_files.read_marker(self.runtime_dir, watched.kernel_id)
        if marker is not None and marker.get("pid") != watched.pid:
            marker = None  # written by another process of this kernel id: this one never armed
        stacks = kernel_files.take_stacks(self.runtime_dir, watched.kernel_id)
        ending = Ending(
            watched=watched, returncode=returncode, ended_at=now,
            oom_kills_after=watched.cgroup.oom_kills() if watched.cgroup is not None else None,
            stacks_text=stacks if marker is not None else "",  # only an armed process writes stacks
            marker=marker)
        try:
            self.store.save(report.build(ending))
        except OSError as err:
            log.error("The crash report of kernel %s could not be written to %s: %s",
                      watched.kernel_id, self.runtime_dir, err)
            return
        log.warning("Kernel %s (pid %s) ended with %s; its crash report is kept in %s",
                    watched.kernel_id, watched.pid, returncode, self.runtime_dir)
