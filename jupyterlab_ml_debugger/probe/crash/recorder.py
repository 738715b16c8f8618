"""The crash recorder, armed once per kernel process: faulthandler writes every thread's stack
to a file at a fatal signal, and IPython's ``pre_run_cell`` event rewrites the last-cell marker.

Nothing runs per statement: faulthandler's handler costs nothing until a fatal signal, and the
marker is one small file written as each cell starts.

Both live in the runtime directory of the kernel's connection file (``kernel-<id>.json``):
``ml-debugger-<id>.faulthandler`` (kept open; a non-empty one left by an earlier process of this
id is first set aside as ``.previous``) and ``ml-debugger-<id>.cell.json``, each cell the user
runs on the main shell: ``{"execution_count", "cell_id", "first_line", "source" (at most
SOURCE_MAX characters), "started_at", "pid", "main_thread", "cell_file_prefix"}``.
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
import threading
import time
from typing import Any, Callable

from . import kernel_files

# Set on our pre_run_cell callbacks, so a re-armed probe (a newer embedded copy) drops the old one.
_MARK = "_ml_debugger_crash_recorder"
FIRST_LINE_MAX = 200
SOURCE_MAX = 20_000  # the cell's text, for the report to quote the line it died at

_state: dict[str, Any] = {"pid": None, "armed": False, "reason": None, "file": None, "marker": None}


def arm() -> dict[str, Any]:
    """Arm the recorder in this kernel process (once) and say whether it is armed, and if not why."""
    if _state["pid"] != os.getpid():
        _state.update(pid=os.getpid(), armed=False, reason=None, file=None)
        try:
            _state["reason"] = _arm()
        except OSError as err:
            _state["reason"] = f"the crash files could not be written in the Jupyter runtime directory: {err}"
        _state["armed"] = _state["reason"] is None
    return {"armed": _state["armed"], "reason": _state["reason"]}


def _arm() -> str | None:
    """Open the files and hook the shell; the reason it cannot, or None once armed."""
    shell = _shell()
    if shell is None:
        return "the probe is not running in an IPython kernel, so there is no cell to record"
    path = kernel_files.connection_file()
    if path is None:
        return "the kernel has no connection file, so the server cannot find its crash files"
    kid = kernel_files.kernel_id(path)
    if kid is None:
        return (f"the kernel's connection file {os.path.basename(path)!r} is not named kernel-<id>.json, "
                "so no Jupyter server knows it by that id")
    runtime_dir = os.path.dirname(path)
    stacks = kernel_files.faulthandler_path(runtime_dir, kid)
    _set_aside(stacks)
    handle = open(stacks, "w", encoding="utf-8")  # kept open: faulthandler writes to its fd
    faulthandler.enable(handle, all_threads=True)
    _state["file"] = handle
    marker = _Marker(kernel_files.cell_path(runtime_dir, kid))
    marker.write(_marker(None, None, None))
    _state["marker"] = marker
    _hook(shell, _on_pre_run_cell(shell, marker))
    return None


def disarm() -> None:
    """Unhook the last-cell marker and stop faulthandler (the benchmark measures with and without)."""
    shell = _shell()
    if shell is not None:
        _hook(shell, None)
    faulthandler.disable()
    for key in ("file", "marker"):
        if _state[key] is not None:
            _state[key].close()
    _state.update(pid=None, armed=False, reason=None, file=None, marker=None)


def _set_aside(path: str) -> None:
    """Keep the stacks of an earlier process of this kernel id (the server may not have read them)."""
    try:
        if os.path.getsize(path) > 0:
            os.replace(path, path + ".previous")
    except FileNotFoundError:
        pass


def _shell() -> Any:
    """The running IPython shell, or None."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _hook(shell: Any, callback: Callable[[Any], None] | None) -> None:
    """Replace any callback of ours on ``pre_run_cell`` with ``callback`` (None: remove it)."""
    for old in [c for c in shell.events.callbacks["pre_run_cell"] if getattr(c, _MARK, False)]:
        shell.events.unregister("pre_run_cell", old)
    if callback is not None:
        setattr(callback, _MARK, True)
        shell.events.register("pre_run_cell", callback)


def _cell_file_prefix() -> str | None:
    """Where ipykernel compiles cells to (its cell files' directory), for the server to find the line."""
    compiler = sys.modules.get("ipykernel.compiler")
    return compiler.get_tmp_directory() + os.sep if compiler is not None else None


def _marker(execution_count: int | None, cell_id: str | None, source: str | None) -> dict[str, Any]:
    return {"execution_count": execution_count, "cell_id": cell_id,
            "first_line": _first_line(source) if source else None, "source": source[:SOURCE_MAX] if source else None,
            "started_at": time.time(), "pid": os.getpid(), "main_thread": threading.main_thread().ident,
            "cell_file_prefix": _cell_file_prefix()}


def _first_line(source: str) -> str | None:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:FIRST_LINE_MAX]
    return None


class _Marker:
    """The last-cell marker's file, kept open: each cell costs one ``pwrite`` (a few microseconds;
    writing a new file and renaming it costs a quarter of a millisecond). A shorter marker is padded
    with spaces over the longer one before it, so the file is whole JSON after every write."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        self.length = 0

    def write(self, marker: dict[str, Any]) -> None:
        data = json.dumps(marker).encode("utf-8", "backslashreplace")
        data += b" " * (self.length - len(data))
        os.pwrite(self.fd, data, 0)
        self.length = len(data)

    def close(self) -> None:
        os.close(self.fd)


def _cell_number(shell: Any, info: Any) -> int | None:
    """The In [N] this cell runs as. IPython 9 counts it up before ``pre_run_cell``, IPython 8 after;
    the inputs stored so far (In[0] is empty) count the same in both."""
    if not getattr(info, "store_history", False):
        return None
    return len(shell.history_manager.input_hist_parsed)


def _on_pre_run_cell(shell: Any, file: _Marker) -> Callable[[Any], None]:
    """The callback that records each cell the user runs on the main shell (not the probe's subshell)."""

    def record(info: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        source = getattr(info, "raw_cell", None) or ""
        marker = _marker(_cell_number(shell, info), getattr(info, "cell_id", None), source)
        try:
            file.write(marker)
        except (OSError, ValueError):
            pass  # a full disk must not fail the user's cell; the report then names an older cell

    return record
