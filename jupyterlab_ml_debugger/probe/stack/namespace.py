"""Snapshots of the user namespace and of frame locals, taken without calling anything on the values."""

from __future__ import annotations

import sys
from types import FrameType, ModuleType
from typing import Any, Mapping

from ..ownership import is_probe_object

Items = list[tuple[str, Any]]

# IPython's own helpers, present in every namespace and never the user's data.
_ALWAYS_HIDDEN = frozenset({"In", "Out", "exit", "quit", "get_ipython"})


def shell() -> Any:
    """The running IPython shell, or None outside IPython."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def user_namespace() -> dict[str, Any]:
    """The dict the user's cells run in."""
    running = shell()
    if running is not None:
        return running.user_ns
    return sys.modules["__main__"].__dict__


def _hidden_values() -> Mapping[str, Any]:
    return getattr(shell(), "user_ns_hidden", None) or {}


def is_hidden(name: str, value: Any, hidden: Mapping[str, Any]) -> bool:
    """True for names the user did not make: private, IPython's own, modules, or the probe's functions."""
    if name.startswith("_") or name in _ALWAYS_HIDDEN:
        return True
    # A hidden name rebound by the user is the user's again (as IPython's %who decides).
    if name in hidden and hidden[name] is value:
        return True
    # type() rather than isinstance(): isinstance may read a user-defined __class__.
    # The probe's helpers imported into a notebook are tools, like the modules they come from.
    return issubclass(type(value), ModuleType) or is_probe_object(value)


def visible_items(namespace: Mapping[str, Any]) -> Items:
    """The namespace's user-made (name, value) pairs, in insertion order."""
    hidden = _hidden_values()
    # Copying a dict runs in C under the GIL, so a cell writing meanwhile cannot break the walk.
    snapshot = dict(namespace)
    return [(k, v) for k, v in snapshot.items() if type(k) is str and not is_hidden(k, v, hidden)]


def global_items() -> Items:
    """The user namespace as (name, value) pairs, hidden names left out."""
    return visible_items(user_namespace())


def frame_items(frame: FrameType) -> Items:
    """A frame's locals as (name, value) pairs; a module-level frame is filtered like the namespace."""
    # On 3.11 f_locals of a frame running on another thread is a snapshot; never write to it.
    local_vars = frame.f_locals
    if local_vars is frame.f_globals:
        return visible_items(local_vars)
    # Names that are not identifiers are the compiler's (a comprehension's iterator, ``.0``).
    return [(k, v) for k, v in list(local_vars.items()) if type(k) is str and k.isidentifier()]


def frame_global_items(frame: FrameType) -> Items:
    """The globals a frame sees, filtered like the user namespace (its own module's when not the user's)."""
    return visible_items(frame.f_globals)


def lookup(items: Items, name: str) -> Any:
    """The value bound to ``name`` in a snapshot; LookupError when it is not there."""
    for key, value in items:
        if key == name:
            return value
    raise LookupError(f"{name!r} is no longer defined")
