"""Reading what faulthandler wrote at a fatal signal: the error line and every thread's frames."""

from __future__ import annotations

import re
from typing import Any

_FATAL = re.compile(r"^Fatal Python error: (?P<error>.*)$")
_THREAD = re.compile(r"^(?P<current>Current thread|Thread) (?P<ident>0x[0-9a-fA-F]+)"
                     r"(?: \[(?P<name>[^\]]*)\])? \(most recent call first\):$")
_FRAME = re.compile(r'^  File "(?P<path>.*)", line (?P<line>\d+|\?+) in (?P<name>.*)$')

Json = dict[str, Any]


def parse(text: str, main_ident: int | None = None) -> tuple[str | None, list[Json]]:
    """The fatal error's words (``Segmentation fault``) and each thread with its frames, innermost
    first, from the last dump in ``text``. The main thread is named MainThread when its id is known."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _FATAL.match(line)]
    if starts:
        lines = lines[starts[-1]:]
    error = None
    threads: list[Json] = []
    current: Json | None = None
    for line in lines:
        fatal = _FATAL.match(line)
        if fatal:
            error = fatal.group("error").strip()
            continue
        header = _THREAD.match(line)
        if header:
            current = {"name": _name(header, main_ident), "current": header.group("current") == "Current thread",
                       "frames": []}
            threads.append(current)
            continue
        frame = _FRAME.match(line)
        if frame and current is not None:
            number = frame.group("line")
            current["frames"].append({"path": frame.group("path"), "line": int(number) if number.isdigit() else 0,
                                      "name": frame.group("name")})
            continue
        if not line.startswith("  "):
            current = None  # a blank line or "Extension modules: ..." ends a thread's frames
    return error, threads


def _name(header: re.Match[str], main_ident: int | None) -> str:
    if header.group("name"):
        return header.group("name")
    ident = int(header.group("ident"), 16)
    if main_ident is not None and ident == main_ident:
        return "MainThread"
    return f"Thread {header.group('ident')}"


def cell_line(threads: list[Json], cell_file_prefix: str | None) -> int | None:
    """The line of the user's cell the crashing thread was at: its innermost frame in a cell file."""
    for thread in threads:
        if not thread["current"]:
            continue
        for frame in thread["frames"]:
            if is_cell_file(frame["path"], cell_file_prefix):
                return frame["line"] or None
    return None


def is_cell_file(path: str, cell_file_prefix: str | None) -> bool:
    """Whether a frame's file is a notebook cell (ipykernel's compiled cell files, or IPython's)."""
    if cell_file_prefix and path.startswith(cell_file_prefix):
        return True
    return path.startswith("<ipython-input-")
