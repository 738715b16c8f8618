"""The one sentence that says why a kernel ended, and whether the out-of-memory killer did it."""

from __future__ import annotations

from .ending import Ending

GiB = 1024 ** 3
MiB = 1024 ** 2


def oom_verdict(ending: Ending, signal_name: str | None) -> bool | None:
    """True: the cgroup counted an out-of-memory kill as it died; False: it did not, or the way it
    ended is not how that killer ends a process; None: cannot be known here."""
    if signal_name != "SIGKILL":
        return False
    before, after = ending.watched.oom_kills, ending.oom_kills_after
    if before is None or after is None:
        return None
    return after > before


def size(num_bytes: float) -> str:
    if num_bytes >= GiB:
        return f"{num_bytes / GiB:.1f} GiB"
    return f"{num_bytes / MiB:.0f} MiB"


def memory_phrase(ending: Ending) -> str | None:
    """"resident memory was 21.8 GiB of a 22 GiB limit 2 s before", from the last sample."""
    if not ending.watched.samples:
        return None
    t, rss = ending.watched.samples[-1]
    ago = max(0, round(ending.ended_at - t))
    limit = ending.watched.limit_bytes
    of_limit = f" of a {size(limit)} limit" if limit else ""
    return f"resident memory was {size(rss)}{of_limit} {ago} s before"


def where(ending: Ending, line: int | None, line_text: str | None) -> str:
    """"while running `model(x)` in In [7], line 3", or what is known of the last cell."""
    marker = ending.marker
    count = marker.get("execution_count") if marker else None
    if not marker or count is None:
        return "before any cell ran in it (or before the crash recorder was armed)"
    cell = f"In [{count}]"
    code = line_text or marker.get("first_line")
    quoted = f"`{code}` " if code else ""
    at_line = f", line {line}" if line else ""
    started = marker.get("started_at")
    running = line is not None or ending.watched.busy or (
        isinstance(started, (int, float)) and started >= ending.watched.looked_at)
    if running:
        return f"while running {quoted}in {cell}{at_line}"
    return f"while idle; the last cell run was {cell}"


def sentence(ending: Ending, signal_name: str | None, oom: bool | None, line: int | None,
             line_text: str | None) -> str:
    """The likely cause in one sentence, or a sentence saying it cannot be known."""
    place = where(ending, line, line_text)
    memory = memory_phrase(ending)
    if signal_name is None:
        code = ending.returncode
        return (f"The kernel process exited with code {code} without a Python error {place}: native code or a "
                f"library called os._exit({code}) or C's exit({code}).")
    if signal_name == "SIGKILL":
        if oom:
            detail = f": {memory}" if memory else ""
            return f"Killed by the out-of-memory killer{detail}, {place}."
        if oom is False:
            return (f"Killed by SIGKILL from outside the kernel, {place}; its memory cgroup counted no "
                    "out-of-memory kill, so another process or a person sent it.")
        known = f" ({memory})" if memory else ""
        return (f"Killed by SIGKILL {place}; whether the out-of-memory killer sent it cannot be known here, "
                f"since no memory cgroup counters of the kernel could be read{known}.")
    if signal_name in ("SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE"):
        kind = {"SIGSEGV": "Segmentation fault", "SIGBUS": "Bus error", "SIGILL": "Illegal instruction",
                "SIGFPE": "Arithmetic error"}[signal_name]
        return f"{kind} in native code (a C extension or the interpreter) {place}."
    if signal_name == "SIGABRT":
        return f"Aborted: native code called abort() (a failed C/C++ assertion or a fatal CUDA error) {place}."
    return f"Ended by {signal_name}, sent by another process, {place}."
