"""Every thread's stack of a kernel read from outside its process by ``py-spy dump``: the one
command any route runs, always on a kernel's own process id, with a time limit.

OutsideStacks::

    {"ok": bool, "message": str | None, "elapsed_ms": float,
     "threads": [{"id": int, "name": str | None, "gil": bool, "active": bool,
                  "frames": [{"name": str, "path": str, "line": int | None, "native": bool}]}]}

Frames are innermost first; ``native`` marks C/C++ frames (``--native``), whose line is None.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sysconfig
import time
from typing import Any

Json = dict[str, Any]
TIME_LIMIT_S = 10.0

_REFUSED = ("operation not permitted", "permission denied", "eperm", "ptrace")
REFUSED_MESSAGE = (
    "The operating system refused to let the server read the kernel's process (ptrace): py-spy said "
    "\u201c{detail}\u201d. Run JupyterLab as the kernel's user with /proc/sys/kernel/yama/ptrace_scope "
    "set to 0, or give the server the CAP_SYS_PTRACE capability (in Docker: --cap-add SYS_PTRACE).")


def executable() -> str | None:
    """py-spy beside this Python (its wheel installs it there), else on PATH."""
    beside = os.path.join(sysconfig.get_path("scripts"), "py-spy")
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which("py-spy")


def version() -> str | None:
    """py-spy's version, or None when it is not installed."""
    path = executable()
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip().removeprefix("py-spy ").strip() or None


def failed(message: str, started: float | None = None) -> Json:
    """An OutsideStacks that says why there are none."""
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    return {"ok": False, "message": message, "elapsed_ms": elapsed, "threads": []}


async def dump(pid: int, time_limit_s: float = TIME_LIMIT_S) -> Json:
    """The stacks of process ``pid`` (a kernel's own, found by the caller), or why they cannot be read."""
    started = time.perf_counter()
    path = executable()
    if path is None:
        return failed("py-spy is not installed in the server's environment: run "
                      "`pip install py-spy` there (it comes with jupyterlab-ml-debugger), then try again.", started)
    process = await asyncio.create_subprocess_exec(
        path, "dump", "--native", "--json", "--pid", str(pid),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), time_limit_s)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return failed(f"py-spy did not finish reading the kernel's stacks within {time_limit_s:g} s and was "
                      "stopped; try again, or read the stacks in a terminal with `py-spy dump --pid "
                      f"{pid}`.", started)
    errors = err.decode("utf-8", "replace").strip()
    if process.returncode != 0:
        detail = errors.splitlines()[-1] if errors else f"exit code {process.returncode}"
        if any(word in errors.lower() for word in _REFUSED):
            return failed(REFUSED_MESSAGE.format(detail=detail), started)
        return failed(f"py-spy could not read the kernel's stacks: {detail}", started)
    try:
        threads = [_thread(t) for t in json.loads(out)]
    except (ValueError, TypeError, KeyError) as bad:
        return failed(f"py-spy's answer could not be read ({bad}); update py-spy and try again.", started)
    return {"ok": True, "message": None, "elapsed_ms": (time.perf_counter() - started) * 1000, "threads": threads}


def _thread(thread: Json) -> Json:
    return {
        "id": int(thread.get("os_thread_id") or thread["thread_id"]),
        "name": thread.get("thread_name"),
        "gil": bool(thread.get("owns_gil")),
        "active": bool(thread.get("active")),
        "frames": [_frame(f) for f in thread.get("frames", [])],
    }


def _frame(frame: Json) -> Json:
    native = frame.get("module") is not None
    line = frame.get("line")
    return {
        "name": str(frame.get("name", "")),
        "path": str(frame.get("filename", "")),
        "line": line if isinstance(line, int) and line > 0 and not native else None,
        "native": native,
    }
