"""Find live Python frames: the one selected in a stopped debugger, or those of a running cell.

The probe runs on a subshell thread, so it reads other threads' stacks through
``sys._current_frames()``; it never resumes, traces or changes a frame.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import sysconfig
import threading
from types import FrameType
from typing import Iterable, Mapping, Sequence

from ..ownership import is_probe_frame
from . import namespace

MAX_RUNNING_FRAMES = 8

NO_FRAME = "the selected frame is no longer on the stack"

# pydevd's suspend loop sits below the user's frame in the stopped thread.
_DEBUGGER_PART = re.compile(r"(^|[\\/])(debugpy|pydevd[^\\/]*|_pydev[^\\/]*)([\\/]|$)")
_THREADING_FILE = os.path.normcase(os.path.normpath(getattr(threading, "__file__", "") or ""))


# Pure functions of a file name, asked for every frame of every thread each sample: cached.
@functools.lru_cache(maxsize=4096)
def normalise_path(path: str) -> str:
    """Return a path in the form used for comparing a DAP source path with ``co_filename``."""
    if path.startswith("<"):
        return path
    return os.path.normcase(os.path.normpath(path))


def is_debugger_frame(frame: FrameType) -> bool:
    """True for frames of debugpy/pydevd themselves."""
    return _DEBUGGER_PART.search(frame.f_code.co_filename) is not None


@functools.lru_cache(maxsize=4096)
def is_cell_file(path: str) -> bool:
    """True for code compiled from a notebook cell (ipykernel's temp file or IPython's input)."""
    if path.startswith("<ipython-input-"):
        return True
    return os.path.basename(os.path.dirname(path)).startswith("ipykernel_")


def cell_label(path: str) -> str | None:
    """``In [3]`` for the file of the cell IPython ran as execution 3; None for other files."""
    # IPython's compiler maps each cell's file name to its execution count.
    numbers = getattr(getattr(namespace.shell(), "compile", None), "_filename_map", None)
    number = numbers.get(path) if isinstance(numbers, dict) else None
    return f"In [{number}]" if isinstance(number, int) else None


def stack_of(frame: FrameType | None) -> list[FrameType]:
    """The frames from ``frame`` outwards, innermost first."""
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    return stack


def user_stack(frame: FrameType | None) -> list[FrameType]:
    """A thread's stack innermost first, without debugger frames and the threading waits below them."""
    stack = [f for f in stack_of(frame) if not is_debugger_frame(f)]
    start = 0
    while start < len(stack) and _is_threading_frame(stack[start]):
        start += 1
    return stack[start:]


def _is_threading_frame(frame: FrameType) -> bool:
    return normalise_path(frame.f_code.co_filename) == _THREADING_FILE


def thread_names() -> dict[int, str]:
    """Map thread ids to thread names, for the threads the threading module knows."""
    return {t.ident: t.name for t in threading.enumerate() if t.ident is not None}


def candidate_threads() -> dict[int, FrameType]:
    """Every thread's innermost frame, except the calling thread's when it is a
    subshell's: on the main thread (the evaluate fallback) the stopped frames are
    below the caller's own."""
    me = threading.get_ident()
    on_main = threading.current_thread() is threading.main_thread()
    return {ident: f for ident, f in sys._current_frames().items() if ident != me or on_main}


def frame_matches(frame: FrameType, ref: Mapping[str, object]) -> bool:
    """True when a live frame is the one a DAP FrameRef describes (path, function, line)."""
    code = frame.f_code
    return (
        code.co_name == ref["name"]
        and frame.f_lineno == ref["line"]
        and normalise_path(code.co_filename) == normalise_path(str(ref["path"]))
    )


def align(stack: Sequence[FrameType], refs: Sequence[Mapping[str, object]]) -> list[FrameType | None]:
    """Match the DAP list to a stack in order, innermost first; None where a ref has no frame.

    Matching in order picks the k-th occurrence of a recursive function, and skips
    frames the debugger leaves out of its list (library code, for instance).
    """
    matched: list[FrameType | None] = []
    pos = 0
    for ref in refs:
        hit = next((i for i in range(pos, len(stack)) if frame_matches(stack[i], ref)), None)
        if hit is None:
            matched.append(None)
        else:
            matched.append(stack[hit])
            pos = hit + 1
    return matched


def find_stopped(
    refs: Sequence[Mapping[str, object]], index: int, threads: Mapping[int, FrameType] | None = None
) -> tuple[str, FrameType]:
    """Return (thread name, frame) for ``refs[index]``, preferring the thread matching the most refs.

    Raises LookupError with a message the UI can show when no thread holds that frame.
    """
    names = thread_names()
    best: tuple[int, int, str, FrameType] | None = None
    for ident, top in (threads if threads is not None else candidate_threads()).items():
        matched = align(user_stack(top), refs)
        frame = matched[index]
        if frame is None:
            continue
        name = names.get(ident, str(ident))
        score = (sum(f is not None for f in matched), name == "MainThread")
        if best is None or score > best[:2]:
            best = (score[0], score[1], name, frame)
    if best is None:
        raise LookupError(NO_FRAME)
    return best[2], best[3]


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {paths.get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(normalise_path(d) + os.sep for d in dirs if d)


_LIBRARY_DIRS = _library_dirs()


def is_user_frame(frame: FrameType) -> bool:
    """True for frames of cells and the user's own modules; False for stdlib, installed code and the probe."""
    # A probe installed from a checkout lies outside the library directories, like the user's code.
    if is_probe_frame(frame):
        return False
    path = frame.f_code.co_filename
    if is_cell_file(path):
        return True
    if path.startswith("<"):
        return False
    return not normalise_path(path).startswith(_LIBRARY_DIRS)


def cell_frames(stack: Iterable[FrameType]) -> list[FrameType]:
    """The frames above IPython's ``run_code`` (the running cell's), innermost first; [] when idle."""
    inner: list[FrameType] = []
    for frame in stack:
        code = frame.f_code
        if code.co_name == "run_code" and "IPython" in code.co_filename:
            return inner
        inner.append(frame)
    return []


def running_frames(limit: int = MAX_RUNNING_FRAMES) -> list[tuple[str, FrameType]]:
    """(thread name, frame) for the user frames of the cell running on the main thread, innermost first.

    Library frames are left out so that deep calls into torch do not hide the cell's own loop.
    """
    main = threading.main_thread()
    if main.ident == threading.get_ident():
        return []
    top = sys._current_frames().get(main.ident)
    frames = [f for f in cell_frames(user_stack(top)) if is_user_frame(f)]
    return [(main.name, f) for f in frames[:limit]]


def frame_ref(frame: FrameType) -> dict[str, object]:
    """The FrameRef describing a live frame."""
    return {"path": frame.f_code.co_filename, "name": frame.f_code.co_name, "line": frame.f_lineno}
