"""The files of one kernel id in the Jupyter runtime directory, as the kernel's crash recorder
(``probe/crash/kernel_files.py``) names them, and the reports this extension keeps beside them."""

from __future__ import annotations

import json
import os
from typing import Any


def faulthandler_path(runtime_dir: str, kernel_id: str) -> str:
    """Every thread's stack, written by faulthandler at a fatal signal."""
    return os.path.join(runtime_dir, f"ml-debugger-{kernel_id}.faulthandler")


def cell_path(runtime_dir: str, kernel_id: str) -> str:
    """The last-cell marker, rewritten as each cell starts."""
    return os.path.join(runtime_dir, f"ml-debugger-{kernel_id}.cell.json")


def report_path(runtime_dir: str, report_id: str) -> str:
    """One crash report, kept until dismissed."""
    return os.path.join(runtime_dir, f"ml-debugger-report-{report_id}.json")


def take_stacks(runtime_dir: str, kernel_id: str) -> str:
    """What faulthandler wrote for the process that just ended, emptied so the next process of this
    kernel id never reports it again. The kernel sets a file it finds written aside as
    ``.previous`` when it arms first (a restart quicker than this read)."""
    path = faulthandler_path(runtime_dir, kernel_id)
    text = _read(path)
    if text:
        try:
            os.truncate(path, 0)
        except OSError:
            pass
    previous = path + ".previous"
    if not text:
        text = _read(previous)
    try:
        os.remove(previous)
    except OSError:
        pass
    return text


def read_marker(runtime_dir: str, kernel_id: str) -> dict[str, Any] | None:
    """The last-cell marker, or None when there is none or it cannot be read."""
    try:
        with open(cell_path(runtime_dir, kernel_id), encoding="utf-8") as handle:
            marker = json.load(handle)
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def forget(runtime_dir: str, kernel_id: str) -> None:
    """Remove the recorder's files of a kernel that was shut down (its reports stay)."""
    stacks = faulthandler_path(runtime_dir, kernel_id)
    for path in (stacks, stacks + ".previous", cell_path(runtime_dir, kernel_id)):
        try:
            os.remove(path)
        except OSError:
            pass


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(1_000_000)
    except OSError:
        return ""
