"""A CrashReport (the JSON the view shows) from what the server knew when a kernel process ended.

CrashReport::

    {"id": str, "kernel_id": str, "ended_at": ISO str, "pid": int,
     "exit_code": int | None, "signal": int | None, "signal_name": str | None,
     "signal_meaning": str | None, "cause": str, "oom": bool | None,
     "last_cell": {"execution_count": int | None, "cell_id": str | None, "first_line": str | None,
                   "line": int | None} | None,
     "threads": [{"name": str, "current": bool, "frames": [{"path": str, "line": int, "name": str}]}],
     "memory": [{"t": unix seconds, "rss_bytes": int}], "memory_limit_bytes": int | None,
     "recorder_armed": bool}

Frames are innermost first, as faulthandler writes them; ``oom`` None means it cannot be known.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from . import cause, fault_stacks, signals
from .ending import Ending

Json = dict[str, Any]


def build(ending: Ending) -> Json:
    """The report of one ended process."""
    watched, marker = ending.watched, ending.marker
    signal_number = -ending.returncode if ending.returncode < 0 else None
    signal_name = signals.name_of(signal_number) if signal_number is not None else None
    main_ident = marker.get("main_thread") if marker else None
    _, threads = fault_stacks.parse(ending.stacks_text, main_ident if isinstance(main_ident, int) else None)
    prefix = marker.get("cell_file_prefix") if marker else None
    line = fault_stacks.cell_line(threads, prefix if isinstance(prefix, str) else None)
    oom = cause.oom_verdict(ending, signal_name)
    return {
        "id": uuid.uuid4().hex,
        "kernel_id": watched.kernel_id,
        "ended_at": datetime.datetime.fromtimestamp(ending.ended_at, datetime.timezone.utc).isoformat(),
        "pid": watched.pid,
        "exit_code": ending.returncode if signal_number is None else None,
        "signal": signal_number,
        "signal_name": signal_name,
        "signal_meaning": signals.meaning_of(signal_name) if signal_name else None,
        "cause": cause.sentence(ending, signal_name, oom, line, _line_text(marker, line)),
        "oom": oom,
        "last_cell": _last_cell(marker, line),
        "threads": threads,
        "memory": [{"t": t, "rss_bytes": rss} for t, rss in watched.samples],
        "memory_limit_bytes": watched.limit_bytes,
        "recorder_armed": marker is not None,
    }


def _last_cell(marker: Json | None, line: int | None) -> Json | None:
    if marker is None or marker.get("execution_count") is None:
        return None
    return {"execution_count": marker.get("execution_count"), "cell_id": marker.get("cell_id"),
            "first_line": marker.get("first_line"), "line": line}


def _line_text(marker: Json | None, line: int | None) -> str | None:
    """The text of the cell's line the process died at, stripped, when the marker holds the source."""
    source = marker.get("source") if marker else None
    if not isinstance(source, str) or not line:
        return None
    lines = source.splitlines()
    text = lines[line - 1].strip() if line <= len(lines) else ""
    return text[:200] or None
