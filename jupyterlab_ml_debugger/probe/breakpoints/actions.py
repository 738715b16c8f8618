"""Breakpoint actions: the registry that breakpoint conditions call into on every pass over a line.

The frontend gives each breakpoint with actions the debugpy ``condition`` made by
:func:`condition_expression`; pydevd evaluates it in the user's frame, so
:func:`on_hit` runs on the user's thread and its answer (stop or not) is final.
Condition, hit count and actions combine with AND here: debugpy ORs its own
``condition`` and ``hitCondition`` and resets its counters whenever breakpoints are
re-sent, so those are never used for these breakpoints.
"""

from __future__ import annotations

import sys
import time
from types import FrameType
from typing import Any, Mapping, Optional

from .. import protocol
from ..checks.tensor_check import first_nonfinite
from ..expressions import error_text
from ..secrets import masking
from ..stack.frames import is_debugger_frame
from .action_spec import Spec, SpecError, check_id, hit_matches, parse_spec
from .condition_code import adopt, is_text_pass
from .fingerprint import Fingerprint, describe_change, fingerprint
from .trace_buffer import TraceBuffer
from .trace_values import entry as value_entry
from .trace_values import error_entry, log_text

Json = dict[str, Any]


class _Entry:
    """A registered spec and what it remembers between hits; kept while the spec is unchanged."""

    __slots__ = ("id", "source", "spec", "condition", "idle", "broken", "count", "reported",
                 "suspended", "previous")

    def __init__(self, bp_id: str, spec: Spec | None, broken: str | None = None) -> None:
        self.id = bp_id
        self.spec = spec
        self.broken = broken  # the compile error of a spec that cannot run
        self.source = spec.source if spec is not None else ("broken", broken)
        self.condition = spec.condition if spec is not None else None
        self.idle = spec is None  # broken, or a "once" breakpoint already spent: never stops
        self.count = 0
        self.reported: set[str] = set()
        self.suspended: set[str] = set()
        self.previous: Fingerprint | None = None


_entries: dict[str, _Entry] = {}
_getframe = sys._getframe
# The name breakpoint conditions import; a re-booted probe takes it over.
sys.modules[protocol.ACTIONS_MODULE_ALIAS] = sys.modules[__name__]
buffer = TraceBuffer()


def condition_expression(bp_id: str) -> str:
    """The debugpy ``condition`` that hands a breakpoint's passes to :func:`on_hit`.

    It passes no ``globals(), locals()``: on_hit reads them from its caller, the
    condition's own frame, which has the user's globals and locals. pydevd would
    compile the text on every pass; :mod:`condition_code` swaps in its code object.
    """
    return protocol.CONDITION_TEMPLATE.format(id=check_id(bp_id))


def on_hit(bp_id: str, frame_globals: Optional[Mapping] = None,
           frame_locals: Optional[Mapping] = None) -> bool:
    """Run breakpoint ``bp_id``'s actions for one pass over its line; True means stop there."""
    entry = _entries.get(bp_id)
    if entry is None:  # not (or no longer) ours, e.g. a kernel restarted before the frontend re-sent
        return True
    if frame_globals is None:
        caller = _getframe(1)
        if is_text_pass(caller):
            adopt(caller)  # later passes skip compiling the text
        frame_globals, frame_locals = caller.f_globals, caller.f_locals
    elif frame_locals is None:
        frame_locals = frame_globals
    if entry.idle:
        return _idle(entry)
    condition = entry.condition
    if condition is not None:
        try:
            if not eval(condition, frame_globals, frame_locals):  # noqa: S307
                return False
        except Exception as err:
            _report_once(entry, "condition", f"the condition raised {error_text(err)}; "
                         "it counts as false until the breakpoint is edited", sys._getframe(1))
            return False
    try:
        return _fire(entry, frame_globals, frame_locals, sys._getframe(1))
    except Exception as err:  # a bug of ours: stop, so the user sees the breakpoint, and say why
        _report_once(entry, "internal", f"the probe failed: {error_text(err)}", sys._getframe(1))
        return True


def _idle(entry: _Entry) -> bool:
    if entry.broken is not None:
        _report_once(entry, "broken", entry.broken, sys._getframe(2))
    return False


def _fire(entry: _Entry, frame_globals: Mapping, frame_locals: Mapping, caller: FrameType) -> bool:
    """A hit: count it, and when the hit count rule passes run the actions and trace the row."""
    entry.count += 1
    spec = entry.spec
    assert spec is not None
    if not hit_matches(spec.hit, entry.count):
        return False
    row = _row(entry, caller)
    errors: list[str] = []
    if spec.log is not None:
        row["log"] = log_text(spec.log, frame_globals, frame_locals)
    row["values"] = _record(entry, spec, frame_globals, frame_locals, errors)
    stop, reasons = not spec.keep_going, []
    if spec.check_tensors:
        found = first_nonfinite(frame_globals, frame_locals)
        stop = stop and found is not None
        if found is not None:
            reasons.append(f"NaN/Inf in {found}")
    if spec.changed is not None:
        change = _changed(entry, spec.changed, frame_globals, frame_locals, errors)
        stop = stop and change is not None
        if change is not None:
            reasons.append(f"{spec.changed[0]}: {change}")
    if spec.once:
        entry.idle = row["removed"] = True
    row.update(stopped=stop, reason="; ".join(reasons) or None, error="; ".join(errors) or None)
    _append(row)
    return stop


def _record(entry: _Entry, spec: Spec, frame_globals: Mapping, frame_locals: Mapping,
            errors: list[str]) -> Json:
    """Each recorded expression's number and summary; one that overruns its budget is suspended."""
    values: Json = {}
    for text, code in spec.record:
        if text in entry.suspended:
            continue
        start = time.perf_counter()
        try:
            values[text] = value_entry(eval(code, frame_globals, frame_locals), text)  # noqa: S307
        except Exception as err:
            values[text] = error_entry(err)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        if elapsed_ms > protocol.RECORD_BUDGET_MS:
            # One slow expression would slow every pass of the user's loop: stop running it.
            entry.suspended.add(text)
            errors.append(f"recording {text} took {elapsed_ms:.0f} ms, over its "
                          f"{protocol.RECORD_BUDGET_MS:g} ms budget: suspended until the breakpoint is edited")
    return values


def _changed(entry: _Entry, changed: tuple[str, Any], frame_globals: Mapping, frame_locals: Mapping,
             errors: list[str]) -> str | None:
    """How the watched expression's fingerprint differs from the previous hit's; None if it does not."""
    try:
        current = fingerprint(eval(changed[1], frame_globals, frame_locals))  # noqa: S307
    except Exception as err:
        errors.append(f"stop when changed: {changed[0]} raised {error_text(err)}")
        return None
    before, entry.previous = entry.previous, current
    if before is None or before == current:
        return None
    return describe_change(before, current)


def _row(entry: _Entry, caller: FrameType) -> Json:
    frame = user_frame(caller)
    return {"seq": 0, "time": time.time(), "bp": entry.id, "path": frame.f_code.co_filename,
            "line": frame.f_lineno, "hit": entry.count, "log": None, "values": {}, "error": None,
            "stopped": False, "reason": None, "removed": False}


def user_frame(caller: FrameType) -> FrameType:
    """The frame a breakpoint is in, given the frame that called ``on_hit``.

    Under pydevd that caller is the condition's own eval frame, called from pydevd's
    code, which runs on top of the user's frame; called directly, it is the caller itself.
    """
    frame: FrameType | None = caller
    if caller.f_back is not None and is_debugger_frame(caller.f_back):
        frame = caller.f_back
        while frame is not None and is_debugger_frame(frame):
            frame = frame.f_back
    return frame or caller


def _report_once(entry: _Entry, key: str, message: str, caller: FrameType) -> None:
    """Trace one row saying what went wrong, the first time only (not once per pass)."""
    if key in entry.reported:
        return
    entry.reported.add(key)
    _append({**_row(entry, caller), "error": message})


def _append(row: Json) -> None:
    # Masked as it is recorded: the trace, its CSV and its plots only ever hold masked text.
    buffer.append(masking.mask_tree(row) if masking.active() else row)


def set_actions(raw_specs: list[Any]) -> Json:
    """Replace every registered spec; an unchanged spec keeps its hit count and state.

    A spec that does not compile is registered as broken: its breakpoint never stops and
    says why once in the trace. Returns ``{"ids": [...], "errors": {id: message}}``.
    """
    global _entries
    entries: dict[str, _Entry] = {}
    errors: dict[str, str] = {}
    for raw in raw_specs:
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        key = raw_id if isinstance(raw_id, str) else repr(raw_id)
        try:
            bp_id = check_id(raw_id)
            if bp_id in entries:
                raise SpecError(f"the id {bp_id} is used by two breakpoints")
        except SpecError as err:
            errors[key] = str(err)
            continue
        try:
            fresh = _Entry(bp_id, parse_spec(raw))
        except SpecError as err:
            errors[bp_id] = str(err)
            fresh = _Entry(bp_id, None, str(err))
        old = _entries.get(bp_id)
        entries[bp_id] = old if old is not None and old.source == fresh.source else fresh
    _entries = entries
    return {"ids": list(entries), "errors": errors}


def hit_counts() -> dict[str, int]:
    """Each registered breakpoint's hits so far (passes on which its condition held)."""
    return {bp_id: entry.count for bp_id, entry in _entries.items()}

