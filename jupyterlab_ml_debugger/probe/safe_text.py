"""Bounded text for values, built without running the user's code.

Only :func:`user_repr` runs user code (a value's own ``repr``), on request, in a
daemon thread with a timeout.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from . import protocol

TEXT_MAX = 80
NAME_MAX = 100
# A repr of more digits than this costs quadratic time (and Python may refuse it).
INT_DIGITS_MAX = 40

_qualname = type.__dict__["__qualname__"].__get__
_module = type.__dict__["__module__"].__get__


class ReprTimeout(TimeoutError):
    """The value's ``repr`` did not return in time; its thread was left to finish."""


def cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def type_name(tp: type) -> str:
    """``module.Qualname`` (bare for builtins), read from the type's own slots.

    A class's ``__module__`` may be any object and its ``__qualname__`` a str subclass: only an
    exact str module is used, and the qualname is copied by ``str``'s own method."""
    qualname = str.__str__(_qualname(tp))
    module = module_name(tp)
    if module is None or module == "builtins":
        return cap(qualname, NAME_MAX)
    return cap(f"{module}.{qualname}", NAME_MAX)


def module_name(tp: type) -> str | None:
    """The module a class names as its own, when that is a plain str (a class may set any object)."""
    module = _module(tp)
    return module if type(module) is str else None


def short_type(tp: type) -> str:
    """The bare qualified name, for summaries (``Tensor``, ``DataFrame``)."""
    return cap(str.__str__(_qualname(tp)).rpartition("<locals>.")[2], NAME_MAX)


def object_text(value: object) -> str:
    """``<pkg.Class object at 0x...>`` without calling the value's ``__repr__``."""
    return f"<{type_name(type(value))} object at {id(value):#x}>"


def builtin_text(value: object, limit: int = TEXT_MAX) -> str | None:
    """Bounded text for exact builtin scalars and strings; None for anything else."""
    tp = type(value)
    if value is None or tp in (bool, float, complex):
        return cap(repr(value), limit)
    if tp is int:
        return int_text(value)
    if tp is str:
        return text_repr(value, limit)
    if tp in (bytes, bytearray):
        return bytes_repr(value, limit)
    return None


def int_text(value: int) -> str:
    """An int's digits, or its magnitude when the digits would be too many."""
    bits = value.bit_length()
    if bits * math.log10(2) < INT_DIGITS_MAX:
        return repr(value)
    digits = int(bits * math.log10(2)) + 1
    sign = "-" if value < 0 else ""
    return f"{sign}int of about {digits} digits"


def text_repr(value: str, limit: int = TEXT_MAX) -> str:
    """``repr`` of at most ``limit`` characters of ``value`` (sliced first: no huge repr)."""
    body = repr(str.__getitem__(value, slice(0, limit)))
    if len(value) > limit:
        return cap(body, limit + 2) + f"… ({len(value)} chars)"
    return cap(body, limit + 2)


def bytes_repr(value: bytes | bytearray, limit: int = TEXT_MAX) -> str:
    """``repr`` of at most ``limit`` bytes of ``value``."""
    body = repr(bytes(value[:limit]))
    if len(value) > limit:
        return cap(body, limit + 3) + f"… ({len(value)} bytes)"
    return cap(body, limit + 3)


def user_repr(value: object, timeout_ms: float) -> tuple[str, bool]:
    """The value's own ``repr``, capped at REPR_MAX; raises :class:`ReprTimeout` if it hangs.

    The repr runs in a daemon thread so a hanging one costs a thread, not the probe."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            text = repr(value)
            box["text"] = text if type(text) is str else str.__str__(text)
        except BaseException as err:  # the user's repr failing is a fact about the value
            box["text"] = f"<repr raised {type_name(type(err))}: {_message(err)}>"
        finally:
            done.set()

    thread = threading.Thread(target=run, name="ml-debugger-repr", daemon=True)
    # Like the subshell it is started from, the repr thread must never stop at
    # the user's breakpoints: debugpy skips threads carrying this flag.
    thread.pydev_do_not_trace = True  # type: ignore[attr-defined]
    thread.start()
    if not done.wait(max(0.0, timeout_ms) / 1000.0):
        raise ReprTimeout(f"repr did not return within {timeout_ms:g} ms")
    text = box["text"]
    if len(text) > protocol.REPR_MAX:
        return text[: protocol.REPR_MAX], True
    return text, False


def _message(err: BaseException) -> str:
    """The exception's message, or a placeholder when its ``__str__`` fails too."""
    try:
        return cap(str(err), TEXT_MAX)
    except Exception:
        return "(message unavailable)"
