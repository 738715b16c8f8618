"""Keep freed activations in the process heap while a CPU benchmark runs.

glibc returns large freed blocks to the system and page-faults fresh ones in on the next
step; how many depends on the order of frees, so it differs from run to run (2,000 to
10,000 faults per conv-net step measured) and swings a step-time ratio by several per
cent whichever variant is ahead. Raising the mmap and trim thresholds keeps the heap, so
every variant reuses the same memory and the ratio measures the work done, not the
allocator's luck.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed on 64-bit
TRIM_THRESHOLD = 1 << 30


def keep_heap() -> str | None:
    """Raise glibc's thresholds for this process; what was set, or None where it cannot be."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return None
    if not (mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)):
        return None
    return f"glibc heap kept: mmap threshold {MMAP_THRESHOLD >> 20} MiB, trim threshold {TRIM_THRESHOLD >> 30} GiB"
