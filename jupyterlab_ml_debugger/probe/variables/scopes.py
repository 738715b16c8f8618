"""The Scope pattern: which names a frame sees as local, enclosing or global, and what each hides.

Rows grouped this way carry two more keys (see Row in ``protocol.py``): ``scope`` and
``shadows``. Only names and code objects are read; no value is touched beyond the
summaries ``summarize`` makes.
"""

from __future__ import annotations

import builtins
from types import CodeType, FrameType
from typing import AbstractSet, Any, Mapping

from ..budget import Budget
from ..objects import summarize
from ..stack import namespace

# ``_`` is bound in builtins by an interactive session's display hook: not a name
# the user picked, so underscore names are never flagged.
BUILTIN_NAMES = frozenset(name for name in vars(builtins) if not name.startswith("_"))

# (name, value, scope) for each value of one group of rows.
Scoped = list[tuple[str, Any, str]]


def local_scope(name: str, code: CodeType) -> str:
    """"enclosing" for a free variable the frame reads from an enclosing function, else "local"."""
    return "enclosing" if name in code.co_freevars else "local"


def global_names(frame_globals: Mapping[str, Any]) -> frozenset[str]:
    """Names bound in a module's globals but underscore ones (modules kept: a local ``np`` hides one)."""
    # A snapshot of the keys: copying a dict runs in C, nothing of the user's is called.
    return frozenset(k for k in dict(frame_globals) if type(k) is str and not k.startswith("_"))


def shadows(name: str, scope: str, seen_globals: AbstractSet[str]) -> str | None:
    """"global" for a local or enclosing name also bound as a global, "builtin" for a builtin's name."""
    if scope != "global" and name in seen_globals:
        return "global"
    if name in BUILTIN_NAMES:
        return "builtin"
    return None


def local_scoped(frame: FrameType) -> Scoped:
    """A function frame's locals, each "local" or "enclosing"; [] at module level, where locals are globals."""
    if frame.f_locals is frame.f_globals:
        return []
    code = frame.f_code
    return [(n, v, local_scope(n, code)) for n, v in namespace.frame_items(frame)]


def scoped_rows(
    scoped: Scoped, prefix: list, budget: Budget, value_ms: float,
    seen_globals: AbstractSet[str], step: str = "name",
) -> tuple[list[dict], bool]:
    """Rows for tagged values, each with ``scope`` and ``shadows``; ``step`` is their first path step's kind."""
    rows, cut = summarize.summarize_items([(n, v) for n, v, _ in scoped], prefix, budget, value_ms)
    for row, (name, _, scope) in zip(rows, scoped):
        row["scope"] = scope
        row["shadows"] = shadows(name, scope, seen_globals)
        row["path"][len(prefix)]["kind"] = step
    return rows, cut


def frame_rows(frame: FrameType, budget: Budget, value_ms: float, max_rows: int) -> tuple[list[dict], bool]:
    """A stopped frame's locals, then the globals it sees (reached by a "global" path step).

    A global hidden by a local of the same name is listed too, so both show.
    """
    local = local_scoped(frame)
    glob = [(n, v, "global") for n, v in namespace.frame_global_items(frame)]
    seen = global_names(frame.f_globals)
    rows, cut = scoped_rows(local, [], budget, value_ms, seen)
    room = max(0, max_rows - len(rows))
    more, more_cut = scoped_rows(glob[:room], [], budget, value_ms, seen, step="global")
    return rows + more, cut or more_cut or len(glob) > room
