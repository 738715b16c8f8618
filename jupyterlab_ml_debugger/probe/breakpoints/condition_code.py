"""Hand pydevd a compiled breakpoint condition instead of its text.

pydevd evaluates a breakpoint's ``condition`` with ``eval(text, ...)``, which parses
and compiles the text again on every pass over the line: for the one-call condition
of a breakpoint with actions that is most of what a pass costs. ``eval`` takes a code
object just as well, so on the first pass of each pydevd breakpoint :func:`adopt`
swaps the text for its compiled code. Only conditions made from
``protocol.CONDITION_TEMPLATE`` are touched; a re-send of the breakpoints creates new
pydevd objects, which are adopted on their own first pass.
"""

from __future__ import annotations

from types import CodeType, FrameType

from .. import protocol

CODE_FILENAME = "<ml-debugger condition>"
_PREFIX = protocol.CONDITION_TEMPLATE.split("{id}", 1)[0]
_HANDLER = "handle_breakpoint_condition"
_compiled: dict[str, CodeType] = {}


def is_text_pass(caller: FrameType) -> bool:
    """Whether ``caller`` (the frame that called ``on_hit``) is pydevd's eval of condition text."""
    return caller.f_code.co_filename == "<string>"


def adopt(caller: FrameType) -> bool:
    """Replace the condition text of the pydevd breakpoint being evaluated by its code object.

    ``caller`` is the condition's eval frame; pydevd's handler, one frame down, holds the
    breakpoint as ``pybreakpoint``. Anything unexpected leaves the text in place: the
    swap only saves time, it never changes what the condition does. True when swapped.
    """
    handler = caller.f_back
    if handler is None or handler.f_code.co_name != _HANDLER:
        return False
    breakpoint_object = handler.f_locals.get("pybreakpoint")
    text = getattr(breakpoint_object, "condition", None)
    if not isinstance(text, str) or not text.startswith(_PREFIX):
        return False
    code = _compiled.get(text)
    if code is None:
        try:
            code = compile(text, CODE_FILENAME, "eval")
        except SyntaxError:
            return False
        _compiled[text] = code
    try:
        breakpoint_object.condition = code
    except (AttributeError, TypeError):
        return False
    return True
