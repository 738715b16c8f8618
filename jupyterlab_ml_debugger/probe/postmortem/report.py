"""The last failed cell's exception, its chain and its frames (Postmortem, Exception Stack Trace / Nested Exception).

Everything is read from the exception objects IPython kept (``probe/stack/last_error.py``):
nothing is re-run, no ``__str__`` or ``__repr__`` of the user's runs, and the chain's
links are read through BaseException's own slots, so a class overriding them cannot
run code here. The traceback keeps the failed frames, so their locals can be summarised.
"""

from __future__ import annotations

import builtins
import linecache
import sys
from dataclasses import dataclass
from types import FrameType
from typing import Any, Iterator

from .. import protocol, safe_text
from ..budget import Budget
from ..objects import summarize
from ..ownership import is_probe_frame
from ..stack import last_error, namespace

CHAIN_MAX = 16
CODE_MAX = 200

Json = dict[str, Any]

_cause = BaseException.__dict__["__cause__"].__get__
_context = BaseException.__dict__["__context__"].__get__
_suppress_context = BaseException.__dict__["__suppress_context__"].__get__


@dataclass(frozen=True)
class Link:
    """One exception of the chain: how it relates to the one before, and how deep in groups it sits."""

    exc: BaseException
    relation: str
    depth: int


def _exception(value: object) -> BaseException | None:
    return value if issubclass(type(value), BaseException) else None  # type: ignore[return-value]


def next_in_chain(exc: BaseException) -> tuple[BaseException, str] | None:
    """What ``exc`` was raised from ("cause"), else what it was raised while handling ("context")."""
    cause = _exception(_cause(exc))
    if cause is not None:
        return cause, "cause"
    context = _exception(_context(exc))
    if context is not None and not _suppress_context(exc):
        return context, "context"
    return None


def group_type() -> type | None:
    """BaseExceptionGroup: builtin from Python 3.11, else the ``exceptiongroup`` backport if loaded."""
    found = getattr(builtins, "BaseExceptionGroup", None)
    if found is None:
        found = getattr(sys.modules.get("exceptiongroup"), "BaseExceptionGroup", None)
    return found


def _group_field(exc: BaseException, name: str) -> Any:
    """A group's ``exceptions`` or ``message``, read through BaseExceptionGroup's own descriptor;
    None when ``exc`` is not a group."""
    group = group_type()
    if group is None or not issubclass(type(exc), group):
        return None
    return group.__dict__[name].__get__(exc, type(exc))


def group_members(exc: BaseException) -> list[BaseException]:
    """The exceptions an exception group holds, in order; [] for any other exception."""
    members = _group_field(exc, "exceptions")
    if type(members) is not tuple:
        return []
    return [m for m in members if _exception(m) is not None]


def chain_links(exc: BaseException, limit: int = CHAIN_MAX) -> tuple[list[Link], bool]:
    """The raised exception, each group member below its group (with its own chain), then the cause
    or context chain; at most ``limit`` links, truncated True when more were left out.

    An exception already listed ends its branch, so a cycle built by hand ends the walk.
    """
    links: list[Link] = []
    seen: set[int] = set()
    pending: list[Link] = [Link(exc, "raised", 0)]
    while pending:
        link = pending.pop()
        if id(link.exc) in seen:
            continue
        if len(links) >= limit:
            return links, True
        seen.add(id(link.exc))
        links.append(link)
        # A stack: the members (and their chains) come out before the group's own chain.
        following = next_in_chain(link.exc)
        if following is not None:
            pending.append(Link(following[0], following[1], link.depth))
        for member in reversed(group_members(link.exc)):
            pending.append(Link(member, "group", link.depth + 1))
    return links, False


def exception_text(exc: BaseException) -> str:
    """``ValueError: bad batch``; a group as Python words it, ``ExceptionGroup: two failures (2 sub-exceptions)``."""
    members = _group_field(exc, "exceptions")
    if type(members) is not tuple:
        return last_error.exception_text(exc)
    message, count = _group_field(exc, "message"), len(members)
    text = message if type(message) is str else safe_text.object_text(message)
    plural = "" if count == 1 else "s"
    name = last_error.exception_type_name(type(exc))
    return safe_text.cap(f"{name}: {text} ({count} sub-exception{plural})", protocol.REPR_MAX)


def source_line(path: str, line: int) -> str | None:
    """The stripped source line from linecache (where ipykernel keeps cells' code), or None."""
    text = linecache.getline(path, line).strip()
    return safe_text.cap(text, CODE_MAX) if text else None


def frame_entry(found: last_error.ErrorFrame) -> Json:
    """A ThreadFrame for one frame of a traceback, its rows still empty."""
    return {"path": found.path, "name": found.name, "line": found.line,
            "user": last_error.is_user_code(found.frame), "code": source_line(found.path, found.line),
            "rows": []}


def kept_frames(exc: BaseException, max_frames: int) -> tuple[list[last_error.ErrorFrame], bool]:
    """The traceback's frames outermost first, the probe's left out (an error raised through one of
    its hooks), cut to the innermost ``max_frames`` (they matter most)."""
    found = [f for f in last_error.error_frames(exc) if not is_probe_frame(f.frame)]
    if len(found) <= max_frames:
        return found, False
    return found[-max_frames:], True


def _innermost_first(chain: list[tuple[list[last_error.ErrorFrame], list[Json]]]) -> Iterator[tuple[FrameType, Json]]:
    """Every user frame, the raised exception's innermost first: the order the budget is spent in."""
    for found, entries in chain:
        for error_frame, entry in reversed(list(zip(found, entries))):
            if entry["user"]:
                yield error_frame.frame, entry


def fill_rows(chain: list[tuple[list[last_error.ErrorFrame], list[Json]]], budget: Budget, value_ms: float) -> bool:
    """Summarise the locals of user frames within the budget; True when the budget left some out.

    A frame met in two links (tracebacks share their outer frames) is summarised once.
    """
    done: dict[int, list[Json]] = {}
    cut = False
    for frame, entry in _innermost_first(chain):
        if id(frame) in done:
            entry["rows"] = done[id(frame)]
            continue
        if budget.expired():
            cut = True
            continue
        rows, truncated = summarize.summarize_items(namespace.frame_items(frame), [], budget, value_ms)
        done[id(frame)] = entry["rows"] = rows
        cut = cut or truncated
    return cut


def postmortem(exc: BaseException | None, budget: Budget, value_ms: float, max_frames: int) -> Json | None:
    """The ``error`` of a Postmortem reply for ``exc``; None when no cell has failed."""
    if exc is None:
        return None
    links, truncated = chain_links(exc)
    chain, framed = [], []
    for link in links:
        found, cut = kept_frames(link.exc, max_frames)
        entries = [frame_entry(f) for f in found]
        truncated = truncated or cut
        framed.append((found, entries))
        chain.append({"type": last_error.exception_type_name(type(link.exc)), "text": exception_text(link.exc),
                      "relation": link.relation, "depth": link.depth, "frames": entries})
    truncated = fill_rows(framed, budget, value_ms) or truncated
    return {"id": last_error.identity(exc), "chain": chain, "truncated": truncated}
