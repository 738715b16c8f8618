"""Reads that fail: a value that cannot be read, and a container the running cell changes while it is read.

Some values fail to read with no user code involved: a nested tensor has no sizes, a pandas
object with broken internals raises inside pandas. A walk over many values notes such a value
by its path and goes on with the rest. And the running cell may grow a dict, set or deque
while the probe iterates it ("dictionary changed size during iteration"): such a read is tried
once more, and a second race is said in words, never as the probe's own failure.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from .. import safe_text
from ..stack import last_error

T = TypeVar("T")

CHANGING = "changing while read; refresh to try again"
REASON_MAX = 120
_RACES = ("changed size during iteration", "mutated during iteration")


class Changing(Exception):
    """A container changed under two reads in a row; the message is CHANGING."""

    def __init__(self) -> None:
        super().__init__(CHANGING)


def is_changing(err: BaseException) -> bool:
    """Whether ``err`` is a builtin container's complaint that it changed while iterated."""
    return type(err) is RuntimeError and any(race in safe_text.cap(str(err), 200) for race in _RACES)


def twice(read: Callable[[], T]) -> T:
    """``read()``, once more when a container changed under it; Changing when it changed again."""
    for _ in range(2):
        try:
            return read()
        except RuntimeError as err:
            if not is_changing(err):
                raise
    raise Changing()


def reason(err: BaseException) -> str:
    """``RuntimeError: …``, bounded, built without the exception's own ``__str__``."""
    if is_changing(err) or type(err) is Changing:
        return CHANGING
    return safe_text.cap(last_error.exception_text(err), REASON_MAX)


def note(path: str, err: BaseException) -> str:
    """``model.nt could not be read (RuntimeError: …)``, or ``logs was changing while read; …``."""
    if is_changing(err) or type(err) is Changing:
        return f"{path} was {CHANGING}"
    return f"{path} could not be read ({reason(err)})"


def notes_text(notes: list[str], shown: int = 3) -> str:
    """The first ``shown`` notes and how many more, as one sentence."""
    text = "; ".join(notes[:shown])
    return text + (f"; and {len(notes) - shown} more" if len(notes) > shown else "")
