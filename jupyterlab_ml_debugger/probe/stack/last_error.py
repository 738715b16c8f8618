"""The last exception a user's cell raised, and its frames, read without running user code.

IPython records a cell's uncaught exception in ``sys.last_type``, ``sys.last_value`` and
``sys.last_traceback`` (and ``sys.last_exc`` on Python 3.12+) when it shows the traceback;
ipykernel keeps only the formatted text. An exception the cell caught itself is never
recorded. The traceback keeps the failed frames alive, so their code, line and locals can
be read after the fact: the shape-error explanation reads them, and a postmortem view can.
"""

from __future__ import annotations

import functools
import sys
import uuid
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any, Iterator

from .. import protocol, safe_text
from . import frames

# Frames of these packages are never the user's code, wherever the package is installed
# (an editable torch, say); the probe's own are told by ``frames.is_user_frame``.
_LIBRARY_PACKAGES = ("torch", "IPython", "ipykernel", "debugpy")

# Chained exceptions followed at most, against a cycle built by hand.
_CHAIN_MAX = 16

# The C slots behind ``exc.args`` and the chain: an exception class may override the attributes.
_args = BaseException.__dict__["args"].__get__
_traceback = BaseException.__dict__["__traceback__"].__get__
_cause = BaseException.__dict__["__cause__"].__get__
_context = BaseException.__dict__["__context__"].__get__
_suppress_context = BaseException.__dict__["__suppress_context__"].__get__
_mro = type.__dict__["__mro__"].__get__
_class_dict = type.__dict__["__dict__"].__get__
_module_of = type.__dict__["__module__"].__get__

# KeyError's ``__str__`` shows its one argument's repr (``KeyError: 'Dog'``); the others show str.
_KEY_ERROR_STR = KeyError.__dict__["__str__"]


@dataclass(frozen=True)
class ErrorFrame:
    """One frame of a failed call: the frame object and the line the exception passed."""

    frame: FrameType
    line: int

    @property
    def path(self) -> str:
        """The file the frame's code came from (a cell's temporary file for a cell)."""
        return self.frame.f_code.co_filename

    @property
    def name(self) -> str:
        """The function's name (``<module>`` for a cell's top level)."""
        return self.frame.f_code.co_name

    def local_vars(self) -> dict[str, Any]:
        """The frame's locals: a plain dict read from the finished frame, no user code runs."""
        found = self.frame.f_locals
        return found if isinstance(found, dict) else dict(found)

    def ref(self) -> dict[str, Any]:
        """The frame as a FrameRef-like ``{"path", "line", "name"}``."""
        return {"path": self.path, "line": self.line, "name": self.name}


def last_exception() -> BaseException | None:
    """The exception of the last cell that failed, or None when no cell has failed."""
    found = getattr(sys, "last_exc", None)
    if found is None:
        found = getattr(sys, "last_value", None)
    return found if issubclass(type(found), BaseException) else None


def traceback_of(exc: BaseException) -> TracebackType | None:
    """The traceback the exception was raised with (``sys.last_traceback`` is the same object)."""
    return _traceback(exc)


def error_frames(exc: BaseException) -> list[ErrorFrame]:
    """The frames the exception passed through, outermost first and innermost last."""
    found = []
    tb = traceback_of(exc)
    while tb is not None:
        found.append(ErrorFrame(tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return found


def chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then the one it was raised from or while handling, and so on."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < _CHAIN_MAX:
        seen.add(id(current))
        yield current
        cause = _cause(current)
        current = cause if cause is not None else None if _suppress_context(current) else _context(current)


def exception_type_name(tp: type) -> str:
    """The class as a traceback names it: ``KeyError``, ``InvalidDataset`` for a cell's own class,
    ``pkg.module.Error`` for the rest."""
    return safe_text.type_name(tp).removeprefix("__main__.")


def _inherited_str(tp: type) -> object:
    """The ``__str__`` the class inherits, read from the classes' own dicts (no metaclass code runs)."""
    for klass in _mro(tp):
        found = _class_dict(klass).get("__str__")
        if found is not None:
            return found
    return None


def _single_arg_text(arg: object, quoted: bool) -> str:
    """The one argument as Python shows it: a str as it is (its repr for KeyError), else safe text."""
    if type(arg) is str:
        return safe_text.text_repr(arg, protocol.REPR_MAX) if quoted else arg
    return safe_text.builtin_text(arg) or safe_text.object_text(arg)


# Attributes a built-in exception's own ``__str__`` reads besides ``args`` (OSError's
# filenames, SyntaxError's source line, UnicodeError's object, ImportError's name).
_STR_FIELDS = ("filename", "filename2", "msg", "text", "object", "name", "path")
_PLAIN = (str, bytes, int, float, bool, type(None))


def _plain(value: object, depth: int = 0) -> bool:
    """A value whose ``str`` is the interpreter's own: builtin scalars, and tuples/lists of them."""
    if type(value) in _PLAIN:
        return True
    return depth < 3 and type(value) in (tuple, list) and all(_plain(v, depth + 1) for v in value)


def _builtin_str(exc: BaseException) -> str | None:
    """What Python itself prints after the type, for an exception of a built-in class holding only
    plain values (``[Errno 2] No such file or directory: 'x.csv'``, a SyntaxError's message);
    None where its ``__str__`` could reach user code."""
    tp = type(exc)
    if _module_of(tp) != "builtins" or not _plain(_args(exc)):
        return None
    for name in _STR_FIELDS:
        # built-in classes only: their descriptors are the interpreter's own getters
        found = next((d for d in (_class_dict(k).get(name) for k in _mro(tp)) if d is not None), None)
        if found is not None and not _plain(found.__get__(exc, tp)):
            return None
    return str(exc)


def exception_text(exc: BaseException) -> str:
    """``RuntimeError: mat1 and mat2 ...``, built from the arguments without the class's ``__str__``
    (a built-in class's own, on plain values, is the interpreter's code and is used)."""
    args = _args(exc)
    builtin = _builtin_str(exc)
    if builtin is not None:
        message = builtin
    elif len(args) == 1:
        message = _single_arg_text(args[0], _inherited_str(type(exc)) is _KEY_ERROR_STR)
    else:
        message = ", ".join(safe_text.builtin_text(a) or safe_text.object_text(a) for a in args)
    name = exception_type_name(type(exc))
    return safe_text.cap(f"{name}: {message}" if message else name, protocol.REPR_MAX)


def _package_of(frame: FrameType) -> str:
    name = frame.f_globals.get("__name__")
    return name if type(name) is str else ""


@functools.lru_cache(maxsize=4096)  # asked for every frame of every thread each sample
def is_library_package(module_name: str) -> bool:
    """True for a module of torch, IPython, ipykernel or debugpy."""
    return any(module_name == p or module_name.startswith(p + ".") for p in _LIBRARY_PACKAGES)


def is_user_code(frame: FrameType) -> bool:
    """True for a cell's frame or one of the user's own modules; False for libraries and the probe."""
    if frames.is_cell_file(frame.f_code.co_filename):
        return True
    if is_library_package(_package_of(frame)):
        return False
    return frames.is_user_frame(frame)


def user_frames(found: list[ErrorFrame]) -> list[ErrorFrame]:
    """The frames of user code, in the same order."""
    return [f for f in found if is_user_code(f.frame)]


def innermost_user_frame(found: list[ErrorFrame]) -> ErrorFrame | None:
    """The deepest frame of user code: where the user's own code made the failing call."""
    mine = user_frames(found)
    return mine[-1] if mine else None


class _Identities:
    """Numbers exceptions in the order they are first asked about.

    Holding the last numbered exception keeps its address from being reused by a new
    one while it is compared; ``sys.last_value`` holds that same object anyway.
    """

    def __init__(self) -> None:
        self.last: BaseException | None = None
        self.count = 0
        # A probe loaded again (a new embedded copy) must not give out the numbers again.
        self.prefix = uuid.uuid4().hex[:8]

    def of(self, exc: BaseException) -> str:
        if exc is not self.last:
            self.last = exc
            self.count += 1
        return f"{self.prefix}-{self.count}"


_IDENTITIES = _Identities()


def identity(exc: BaseException) -> str:
    """A text that stays the same while this exception is the last one, and changes with a new one.

    A cell that fails again the same way raises a new exception, so it gets a new identity.
    """
    return _IDENTITIES.of(exc)
