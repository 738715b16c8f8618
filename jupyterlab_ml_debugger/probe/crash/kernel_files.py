"""Where this kernel's crash files go: the runtime dir of its connection file, named by its id.

The server extension's ``server/kernel_files.py`` names the same files from its side.
"""

from __future__ import annotations

import os
import re
import sys

# jupyter_client names a connection file kernel-<kernel id>.json in the server's runtime dir.
_CONNECTION_FILE = re.compile(r"^kernel-(?P<id>[A-Za-z0-9._-]+)\.json$")


def connection_file() -> str | None:
    """The running ipykernel's connection file, or None outside a started ipykernel."""
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    if kernelapp is None or not kernelapp.IPKernelApp.initialized():
        return None
    path = kernelapp.IPKernelApp.instance().connection_file
    if not path:
        return None
    if not os.path.isabs(path):
        path = os.path.join(kernelapp.IPKernelApp.instance().connection_dir, path)
    return path


def kernel_id(path: str) -> str | None:
    """The kernel id a connection file's name carries, or None for another name."""
    match = _CONNECTION_FILE.match(os.path.basename(path))
    return match.group("id") if match else None


def faulthandler_path(runtime_dir: str, kid: str) -> str:
    """Where faulthandler writes every thread's stack at a fatal signal."""
    return os.path.join(runtime_dir, f"ml-debugger-{kid}.faulthandler")


def cell_path(runtime_dir: str, kid: str) -> str:
    """The last-cell marker, rewritten as each cell starts."""
    return os.path.join(runtime_dir, f"ml-debugger-{kid}.cell.json")
