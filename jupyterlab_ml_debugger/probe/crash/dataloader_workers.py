"""The DataLoader worker processes of the kernel, and whether each is alive, exited or killed.

Found without importing torch (nothing when its DataLoader module is not loaded) and without
user code: the ``_workers`` list of each multi-process DataLoader iterator that a frame of the
main thread runs (a loop waiting for a batch) or that the user's namespace holds (an iterator,
or a DataLoader's kept one), read from instance dicts. multiprocessing's own table of
children cannot tell a worker (``start()`` drops its target), and ``active_children()``
would join the finished ones. A worker's state is read without reaping it: the return code
multiprocessing already has, else ``/proc/<pid>/stat`` (a zombie's exit status is field 52).
``poll()`` is never called.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Any

from ..objects import attributes

Json = dict[str, Any]

_LOADER_MODULE = "torch.utils.data.dataloader"
_ITERATOR_CLASS = "_MultiProcessingDataLoaderIter"
_HAS_PROC = os.path.isdir("/proc/self")
# Fields of /proc/<pid>/stat after the name: state, ppid, ... exit_code (field 52).
_STATE, _PPID, _EXIT_CODE = 0, 1, 49
WORKERS_MAX = 64
# The user's names looked at for DataLoaders and their iterators: a namespace is rarely larger.
NAMES_MAX = 5000
_mro = type.__dict__["__mro__"].__get__


def _own(obj: Any, name: str) -> Any:
    """``obj.name`` from its instance dict only; None when absent."""
    found = attributes.instance_dict(obj)
    return found.get(name) if found is not None else None


def _module_attr(module: str, name: str) -> Any:
    """A loaded module's global, read from its dict; None when the module is not loaded."""
    loaded = sys.modules.get(module)
    found = attributes.instance_dict(loaded) if loaded is not None else None
    return found.get(name) if found is not None else None


def _is_instance(obj: Any, cls: Any) -> bool:
    """Whether ``cls`` is in the MRO of ``obj``'s type, read through ``type``'s own slot."""
    return cls is not None and cls in _mro(type(obj))


def _iterators(stack: list[FrameType], names: dict, loader_class: Any, iterator_class: Any) -> list[Any]:
    """The multi-process DataLoader iterators: those that frames of the DataLoader module run as
    ``self`` (a loop waiting for a batch), and those the user's namespace holds, directly or as a
    DataLoader's kept iterator (``persistent_workers``)."""
    loader_file = _module_attr(_LOADER_MODULE, "__file__")
    found: list[Any] = []
    # A frame's locals dict is read, never a user object's attributes.
    held = [frame.f_locals.get("self") for frame in stack if frame.f_code.co_filename == loader_file]
    for value in list(names.values())[:NAMES_MAX]:
        held.append(_own(value, "_iterator") if _is_instance(value, loader_class) else value)
    for obj in held:
        if _is_instance(obj, iterator_class) and not any(obj is seen for seen in found):
            found.append(obj)
    return found


def worker_processes(stack: list[FrameType], names: dict) -> list[Any]:
    """The DataLoader workers' Process objects, each once, in pid order; ``names`` is the
    user's namespace."""
    iterator_class = _module_attr(_LOADER_MODULE, _ITERATOR_CLASS)
    if iterator_class is None:
        return []
    by_pid: dict[int, Any] = {}
    for iterator in _iterators(stack, names, _module_attr(_LOADER_MODULE, "DataLoader"), iterator_class):
        workers = _own(iterator, "_workers")
        for process in workers[:WORKERS_MAX] if type(workers) is list else ():
            pid = _own(_own(process, "_popen"), "pid")
            if type(pid) is int:
                by_pid.setdefault(pid, process)
    return [by_pid[pid] for pid in sorted(by_pid)[:WORKERS_MAX]]


def signal_name(number: int) -> str:
    """``SIGKILL`` for 9; ``signal 64`` for a number without a name here."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _ended(code: int | None, signum: int | None) -> Json:
    return {"alive": False, "exitcode": code, "signal_name": signal_name(signum) if signum else None}


def _proc_state(pid: int) -> Json | None:
    """A child's state from /proc, without reaping it; None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:  # reaped already by someone else: it has ended
        return _ended(None, None)
    fields = text[text.rfind(b")") + 2:].split()
    try:
        state, ppid = fields[_STATE], int(fields[_PPID])
    except (IndexError, ValueError):
        return None
    if ppid != os.getpid():  # the pid was reaped and reused by another process
        return _ended(None, None)
    if state not in (b"Z", b"X"):
        return {"alive": True, "exitcode": None, "signal_name": None}
    try:
        status = int(fields[_EXIT_CODE])
    except (IndexError, ValueError):
        return _ended(None, None)
    # The status as waitpid reports it: a signal number in the low 7 bits, else the exit code.
    return _ended(None, status & 0x7F) if status & 0x7F else _ended((status >> 8) & 0xFF, None)


def worker_json(process: Any) -> Json:
    """The protocol Worker: pid, alive, exit code or the signal that killed it."""
    popen = _own(process, "_popen")
    pid = _own(popen, "pid")
    code = _own(popen, "returncode")
    if type(code) is int:  # multiprocessing already reaped it: negative means killed by that signal
        state = _ended(code, None) if code >= 0 else _ended(None, -code)
    else:
        state = (_proc_state(pid) if _HAS_PROC else None) or {"alive": True, "exitcode": None, "signal_name": None}
    return {"pid": pid, **state}


def workers(stack: list[FrameType], names: dict) -> list[Json]:
    """Every DataLoader worker found as a protocol Worker."""
    return [worker_json(p) for p in worker_processes(stack, names)]
