"""The kernel side of the extension: answers the frontend's requests over a comm."""

from . import protocol
from .api import handle, hello
from .budget import Budget
from .comm import register_comm_target
from .evaluate import handle_encoded
from .summarize import summarize as _summarize


def summarize_value(name: str, value: object, budget_ms: float = protocol.DEFAULT_VALUE_BUDGET_MS) -> dict:
    """The Variable Values row for one value, as the debugger sidebar shows it."""
    return _summarize(name, value, [{"kind": "name", "name": name}], Budget(budget_ms))


__all__ = ["handle", "handle_encoded", "hello", "register_comm_target", "summarize_value"]
