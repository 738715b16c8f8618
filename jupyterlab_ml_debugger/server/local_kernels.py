"""Which kernels of the server's kernel manager run as local processes this server can watch."""

from __future__ import annotations

import subprocess
from typing import Any


def remote_reason(kernel_manager: Any) -> str | None:
    """Why no kernel of this server is local (a gateway), or None when they run here."""
    if type(kernel_manager).__name__.startswith("Gateway"):
        return ("The kernels run on a Kernel Gateway (the server was started with --gateway-url), not as "
                "processes of this machine, so the server cannot watch them or read their stacks. Run "
                "JupyterLab on the kernels' machine to get crash reports and stacks read from outside.")
    return None


def process_of(kernel_manager: Any, kernel_id: str) -> subprocess.Popen | None:
    """The kernel's own local process (its provisioner's Popen), or None when it has none here."""
    if remote_reason(kernel_manager) is not None:
        return None
    try:
        manager = kernel_manager.get_kernel(kernel_id)
    except KeyError:
        return None
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    return process if isinstance(process, subprocess.Popen) else None


def no_process_reason(kernel_manager: Any, kernel_id: str) -> str:
    """The sentence for a managed kernel that has no local process right now."""
    remote = remote_reason(kernel_manager)
    if remote is not None:
        return remote
    return ("The kernel has no local process right now (it is starting, restarting, or runs through a "
            "provisioner on another machine), so its stacks cannot be read from outside. Try again once it runs.")
