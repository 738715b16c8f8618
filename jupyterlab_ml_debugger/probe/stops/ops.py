"""The Stops op: ``breakpoint_hook`` routes (or stops routing) a cell's ``breakpoint()`` to debugpy."""

from __future__ import annotations

from typing import Any, Callable

from ..requests import bad
from . import breakpoint_hook

Json = dict[str, Any]


def breakpoint_hook_op(args: Json) -> Json:
    """``{"on": bool}`` -> ``{"on": bool, "attached": bool}``: whether ``breakpoint()`` reaches debugpy."""
    on = args.get("on")
    if not isinstance(on, bool):
        raise bad("on must be true or false")
    if on:
        breakpoint_hook.install_breakpointhook()
    else:
        breakpoint_hook.uninstall_breakpointhook()
    return breakpoint_hook.status()


OPS: dict[str, Callable[[Json], Json]] = {"breakpoint_hook": breakpoint_hook_op}
