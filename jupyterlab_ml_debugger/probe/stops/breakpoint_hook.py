"""``breakpoint()`` in a cell: route it to debugpy so it stops in the visual debugger.

debugpy's own ``breakpoint`` does nothing while no client is attached, so the hook
is harmless when the debugger is switched off later.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

_previous: list[Callable[..., Any]] = []


def debugpy_module() -> Any:
    """The debugpy the kernel already imported, or None (we never import it ourselves)."""
    return sys.modules.get("debugpy")


def install_breakpointhook() -> bool:
    """Set ``sys.breakpointhook = debugpy.breakpoint``, keeping the old hook; False without debugpy."""
    debugpy = debugpy_module()
    if debugpy is None:
        return False
    if not is_installed():
        _previous.append(sys.breakpointhook)
    # debugpy.breakpoint stops in its first caller outside pydevd: a wrapper of ours
    # in between would become the stopped frame, so the hook is debugpy's own function.
    sys.breakpointhook = debugpy.breakpoint
    return True


def uninstall_breakpointhook() -> None:
    """Restore the hook that was there before ``install_breakpointhook``."""
    if _previous:
        previous = _previous.pop()
        if is_installed():  # a hook the user set since then is theirs: leave it
            sys.breakpointhook = previous


def is_installed() -> bool:
    """Whether ``breakpoint()`` currently goes to debugpy."""
    debugpy = debugpy_module()
    return debugpy is not None and sys.breakpointhook is getattr(debugpy, "breakpoint", None)


def status() -> dict[str, bool]:
    """``{"on": hook installed, "attached": a debug client is connected}``."""
    debugpy = debugpy_module()
    attached = bool(debugpy is not None and debugpy.is_client_connected())
    return {"on": is_installed(), "attached": attached}
