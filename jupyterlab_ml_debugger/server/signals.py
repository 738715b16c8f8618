"""Signal names and what each means when it ends a kernel process."""

from __future__ import annotations

import signal

MEANINGS = {
    "SIGSEGV": "segmentation fault: native code read or wrote memory it does not own",
    "SIGBUS": "bus error: native code touched memory that cannot be accessed (a truncated memory-mapped "
              "file, a misaligned access)",
    "SIGABRT": "aborted: native code called abort(), as a failed C/C++ assertion or a fatal CUDA error does",
    "SIGFPE": "arithmetic error in native code, such as an integer division by zero",
    "SIGILL": "illegal instruction: native code built for another CPU, or a deliberate trap",
    "SIGKILL": "killed: ended at once by the operating system or by another process (the out-of-memory "
               "killer sends this signal)",
    "SIGTERM": "terminated: another process asked it to stop",
    "SIGINT": "interrupted",
    "SIGHUP": "hang-up: its terminal or parent went away",
    "SIGPIPE": "broken pipe: it wrote to a pipe or socket nobody reads",
    "SIGXCPU": "CPU time limit exceeded",
    "SIGXFSZ": "file size limit exceeded",
    "SIGSYS": "bad system call: a sandbox refused one",
}

# Signals whose handler faulthandler installs: the dying process writes its stacks first.
FATAL_WITH_STACKS = frozenset({"SIGSEGV", "SIGBUS", "SIGABRT", "SIGFPE", "SIGILL"})


def name_of(number: int) -> str:
    """``SIGSEGV`` for 11; ``signal 63`` for a number this system does not name."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def meaning_of(name: str) -> str:
    """One phrase saying what the signal means for the process it ended."""
    return MEANINGS.get(name, "ended by a signal")
