"""What a thread's top frame is calling right now, and whether that call is one that blocks.

A thread inside C code (``time.sleep``, ``sock.recv``, ``select.select``) has the Python
frame that called it on top, stopped at the call instruction. The call's position names
the call in the source; its callee is resolved by dict lookups (the frame's namespaces,
instance dicts, then the class dicts of the receiver's type) and named from the builtin
callable's own slots. Nothing of the user's runs: no ``getattr`` on user objects, no repr.
"""

from __future__ import annotations

import dis
import types
from dataclasses import dataclass
from types import FrameType
from typing import Any

from ..objects import attributes
from . import instruction_source, wait_source
from .wait_source import MISSING

# Instructions during which a frame may be inside C code it called: calls, entering and
# leaving a ``with``, and stepping an iterator.
_CALL_NAMES = ("CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_EX", "CALL_FUNCTION_KW", "CALL_KW",
               "PRECALL", "FOR_ITER", "WITH_EXCEPT_START")
CALL_OPS = frozenset(dis.opmap[n] for n in _CALL_NAMES if n in dis.opmap) | wait_source.WITH_OPS

# The builtin callables whose names are read from their own slots: exact C types, no user hooks.
_FUNCTION_TYPES = (types.BuiltinFunctionType,)
_DESCRIPTOR_TYPES = (types.MethodDescriptorType, types.WrapperDescriptorType, types.ClassMethodDescriptorType)
_module_of = type.__dict__["__module__"].__get__

# C modules named as the user imports them.
_PUBLIC_MODULES = {"_socket": "socket", "_thread": "threading", "posix": "os", "nt": "os", "_queue": "queue",
                   "_io": "io", "_ssl": "ssl", "_multiprocessing": "multiprocessing", "_signal": "signal"}

_SLEEPS = frozenset({("time", "sleep")})
_IO = frozenset(
    {("select", name) for name in ("select", "poll.poll", "epoll.poll", "devpoll.poll", "kqueue.control")}
    | {("socket", f"socket.{name}") for name in ("recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg",
                                                 "recvmsg_into", "_accept", "connect", "connect_ex", "send",
                                                 "sendall", "sendto", "sendmsg")}
    | {("ssl", f"_SSLSocket.{name}") for name in ("read", "write", "do_handshake")}
    | {("os", name) for name in ("read", "readv", "pread", "write")}
    | {("io", f"{cls}.{name}") for cls in ("FileIO", "BufferedReader", "BufferedRWPair", "BufferedRandom",
                                            "TextIOWrapper")
       for name in ("read", "read1", "readinto", "readline", "readall", "peek")})
_CHILDREN = frozenset({("os", name) for name in ("wait", "waitpid", "wait3", "wait4", "waitid")})
_SIGNALS = frozenset({("signal", name) for name in ("pause", "sigwait", "sigwaitinfo", "sigtimedwait")})
_LOCKS = frozenset({("threading", f"{cls}.{name}") for cls in ("lock", "RLock")
                    for name in ("acquire", "acquire_lock", "__enter__")}
                   | {("multiprocessing", "SemLock.acquire"), ("multiprocessing", "SemLock.__enter__")})
_QUEUES = frozenset({("queue", "SimpleQueue.get")})


@dataclass(frozen=True)
class Callee:
    """The callable a frame is calling: as written, and, for a builtin, its module and qualified name."""

    text: str
    module: str | None = None
    qualname: str | None = None

    @property
    def name(self) -> str:
        """``time.sleep``, ``socket.recv``: the function with its module, a method with its class."""
        if self.qualname is None:
            return self.text
        if "." in self.qualname or self.module is None:
            return self.qualname
        return f"{self.module}.{self.qualname}"


def in_call(frame: FrameType) -> bool:
    """Whether the frame stands at an instruction that may be inside C code it called;
    False for any other instruction, where the thread was running Python when it was seen."""
    raw = frame.f_code.co_code
    lasti = frame.f_lasti
    return 0 <= lasti < len(raw) and raw[lasti - lasti % 2] in CALL_OPS


def callee(frame: FrameType) -> Callee | None:
    """The callable the frame's current call instruction calls; None without source or positions."""
    expr = instruction_source.callee_at(frame)
    if expr is None:
        return None
    found = resolve_callable(expr.chain, frame) if expr.chain is not None else MISSING
    named = builtin_name(found) if found is not MISSING else None
    if named is None:
        return Callee(expr.text)
    return Callee(expr.text, *named)


def resolve_callable(chain: tuple[str, ...], frame: FrameType) -> Any:
    """What ``a.b.c`` names in the frame; the last step may also be found in the class dicts of
    the type of ``a.b`` (a method), never through ``getattr``. MISSING when it is not found."""
    if len(chain) == 1:
        return wait_source.resolve_chain(chain, frame)
    owner = wait_source.resolve_chain(chain[:-1], frame)
    if owner is MISSING:
        return MISSING
    found = wait_source.own_attribute(owner, chain[-1])
    if found is not MISSING:
        return found
    for cls_dict in attributes.mro_dicts(type(owner)):
        if chain[-1] in cls_dict:
            return cls_dict[chain[-1]]
    return MISSING


def builtin_name(obj: Any) -> tuple[str | None, str] | None:
    """(public module, qualified name) of a builtin function or method descriptor; None for
    anything else (a Python function would have a frame of its own on top)."""
    tp = type(obj)
    if tp in _FUNCTION_TYPES:
        qualname = obj.__qualname__
        module = obj.__module__
        if type(module) is not str:
            owner = obj.__self__
            module = None if issubclass(type(owner), types.ModuleType) else _module_of(type(owner))
    elif tp in _DESCRIPTOR_TYPES:
        qualname = obj.__qualname__
        module = _module_of(obj.__objclass__)
    else:
        return None
    if type(qualname) is not str:
        return None
    module = module if type(module) is str else None
    return _PUBLIC_MODULES.get(module, module) if module is not None else None, qualname


def blocking_phrase(found: Callee) -> str | None:
    """What a thread inside this call waits for, as a short phrase; None for a call not known to block."""
    key = (found.module, found.qualname)
    if key in _SLEEPS:
        return f"sleeps in {found.name}"
    if key in _IO:
        return f"waits for I/O in {found.name}"
    if key in _CHILDREN:
        return f"waits for a child process in {found.name}"
    if key in _SIGNALS:
        return f"waits for a signal in {found.name}"
    if key in _LOCKS:
        return f"waits for a lock in {found.text}"
    if key in _QUEUES:
        return f"waits on a queue in {found.text}"
    return None
