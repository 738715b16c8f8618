"""One sample of the process's counters (Counter Value): memory, device memory, threads, handles, CPU.

Everything is read from ``/proc`` or from the interpreter's own counters: no user code
runs, nothing is imported for the user, and CUDA is only read when the user already
initialised it (initialising it from here breaks forked DataLoader workers).
"""

from __future__ import annotations

import os
import sys
import threading
import tracemalloc
from dataclasses import dataclass

from ..threads import thread_stacks

_PROC = "/proc/self"
_NO_PROC = "read from /proc, which this system does not have"


@dataclass(frozen=True)
class Reading:
    """One counter's value in this sample; ``note`` says why it is missing or what it leaves out."""

    id: str
    label: str
    unit: str
    value: float | None
    note: str | None = None


def _page_size() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


_PAGE = _page_size()


def _read(path: str) -> bytes | None:
    """A small /proc file's bytes, or None when it cannot be read (gone, or no /proc)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def rss() -> Reading:
    """Resident memory now: statm's second field in pages (ru_maxrss is the peak, it only grows)."""
    data = _read(f"{_PROC}/statm")
    fields = data.split() if data else []
    if len(fields) < 2 or _PAGE is None:
        return Reading("rss", "resident memory", "bytes", None, f"Resident memory is {_NO_PROC}.")
    return Reading("rss", "resident memory", "bytes", float(int(fields[1]) * _PAGE))


def py_heap() -> Reading:
    """The memory tracemalloc traces now, when the user turned tracing on."""
    label = "Python heap (tracemalloc)"
    if not tracemalloc.is_tracing():
        note = "tracemalloc is off: run `import tracemalloc; tracemalloc.start()` in a cell to trace it."
        return Reading("py_heap", label, "bytes", None, note)
    return Reading("py_heap", label, "bytes", float(tracemalloc.get_traced_memory()[0]))


def cuda() -> list[Reading]:
    """Allocated and reserved memory per CUDA device; none unless the user's code initialised CUDA."""
    torch_cuda = sys.modules.get("torch.cuda")
    if torch_cuda is None:
        return []
    try:
        if not torch_cuda.is_initialized():
            return []
        found = []
        for device in range(torch_cuda.device_count()):
            found.append(Reading(f"cuda_allocated:{device}", f"CUDA memory allocated on device {device}",
                                 "bytes", float(torch_cuda.memory_allocated(device))))
            found.append(Reading(f"cuda_reserved:{device}", f"CUDA memory reserved on device {device}",
                                 "bytes", float(torch_cuda.memory_reserved(device))))
        return found
    except Exception:  # a broken CUDA setup is the user's to see in their own cells, not a probe failure
        return []


def threads() -> Reading:
    """OS threads of the process (torch's and zmq's native threads included), from /proc."""
    data = _read(f"{_PROC}/status")
    for line in (data or b"").splitlines():
        if line.startswith(b"Threads:"):
            return Reading("threads", "threads (OS)", "count", float(int(line.split()[1])))
    note = f"Python threads only: native threads are {_NO_PROC}."
    return Reading("threads", "threads (Python)", "count", float(threading.active_count()), note)


def child_pids() -> set[int] | None:
    """Pids of the process's children (each thread lists those it started); None when not listed."""
    try:
        tasks = os.listdir(f"{_PROC}/task")
    except OSError:
        return None
    pids: set[int] = set()
    listed = False
    for task in tasks:
        data = _read(f"{_PROC}/task/{task}/children")
        if data is None:  # the thread exited meanwhile, or the kernel does not list children
            continue
        listed = True
        pids.update(int(pid) for pid in data.split())
    return pids if listed else None


def children() -> Reading:
    """Child processes: DataLoader workers, subprocesses the cell started."""
    pids = child_pids()
    if pids is None:
        note = f"Child processes are {_NO_PROC} (/proc/self/task/*/children)."
        return Reading("children", "child processes", "count", None, note)
    return Reading("children", "child processes", "count", float(len(pids)))


def fds() -> Reading:
    """Open file descriptors, not counting the one this listing opens."""
    try:
        count = len(os.listdir(f"{_PROC}/fd")) - 1
    except OSError:
        return Reading("fds", "open file descriptors", "count", None, f"Open file descriptors are {_NO_PROC}.")
    return Reading("fds", "open file descriptors", "count", float(count))


def read_counters() -> list[Reading]:
    """Every counter of this sample, in the order the panel shows them."""
    return [rss(), py_heap(), *cuda(), threads(), children(), fds()]


def python_threads() -> list[tuple[int, int | None, str]]:
    """(ident, native id, name) of each thread running Python now, the kernel's own included
    (debugpy hides them from ``threading.enumerate``)."""
    return [(view.ident, view.native_id, view.name) for view in thread_stacks.snapshot()]
