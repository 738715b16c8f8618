"""The kernel side of the extension: answers the frontend's requests over a comm."""

from . import protocol
from .budget import Budget
from .checks import nan_registry  # notebook 04 reads the origin watch's report from here
from .checks.data_defects import data_defects as _data_defects
from .comm import register_comm_target
from .dispatch import handle, hello
from .evaluate import handle_encoded
from .objects.summarize import summarize as _summarize
from .structure.ops import set_recording as _set_recording
from .structure.ops import structure_of_value as _structure_of_value


def summarize_value(name: str, value: object, budget_ms: float = protocol.DEFAULT_VALUE_BUDGET_MS) -> dict:
    """The Variable Values row for one value, as the debugger sidebar shows it."""
    return _summarize(name, value, [{"kind": "name", "name": name}], Budget(budget_ms))


def structure_of(value: object, budget_ms: float = protocol.STRUCTURE_BUDGET_MS) -> dict:
    """The Type Structure of one value (for a model, its module tree), as the sidebar shows it."""
    return _structure_of_value(value, protocol.STRUCTURE_MAX_NODES, Budget(budget_ms))


def record_shapes(model: object, on: bool = True) -> int:
    """Start (or stop) recording the shapes each submodule sees in your forward passes.

    Passive forward hooks, no extra pass; returns how many modules are hooked (or unhooked).
    """
    return _set_recording(model, on)["modules"]


def explain_last_error() -> dict | None:
    """The Checks section's explanation of the last failed cell's exception (a ShapeError dict).

    None when no cell has failed; read from the exception's own frames, no hook needed.
    """
    from .checks.shape_explain import explain_last

    return explain_last()


def data_defects(frame: object, label: str | None = None, other: object = None) -> dict:
    """The Checks section's data defects of a DataFrame, Series, 2-D array or tensor (a DataDefects dict).

    ``label``: the class column to check for imbalance; ``other``: a second dataset to find shared rows in.
    """
    return _data_defects(frame, label, other)


def scopes_of(frame: object) -> list[tuple[str, str, str | None]]:
    """Each local of a function frame: its scope (local or enclosing) and what it shadows.

    The same classification Variable Values shows with "Group by Scope"; shadows is
    "builtin", "global" or None.
    """
    from .variables.scopes import global_names, local_scoped, shadows

    seen = global_names(frame.f_globals)  # type: ignore[attr-defined]
    return [(name, scope, shadows(name, scope, seen)) for name, _, scope in local_scoped(frame)]  # type: ignore[arg-type]


__all__ = ["data_defects", "explain_last_error", "handle", "handle_encoded", "hello", "nan_registry",
           "record_shapes", "register_comm_target", "scopes_of", "structure_of", "summarize_value"]
