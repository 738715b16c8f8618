"""The probe's comm target: each comm message is one request, answered by one comm message,
or a batch ``{"batch": [request, ...]}``, answered by one ``{"batch": [reply, ...]}``."""

from __future__ import annotations

from typing import Any

from . import protocol
from .dispatch import BUFFERS_KEY, handle, handle_batch


def _comm_manager() -> Any:
    """The running ipykernel's comm manager."""
    from IPython import get_ipython

    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        raise RuntimeError("The probe's comm needs a running ipykernel; none was found.")
    return kernel.comm_manager


def _on_open(comm: Any, open_msg: dict[str, Any]) -> None:
    """Answer every message on a newly opened comm."""

    def on_msg(msg: dict[str, Any]) -> None:
        # Runs on the thread that received the message: the subshell's when the comm rides one.
        data = msg["content"]["data"]
        if isinstance(data, dict) and "batch" in data:
            comm.send({"batch": handle_batch(data["batch"])})
            return
        reply = handle(data)
        buffers = reply.pop(BUFFERS_KEY, None)
        comm.send(reply, buffers=buffers)

    comm.on_msg(on_msg)


def register_comm_target() -> None:
    """Register (or, after a re-boot, replace) the handler for ``protocol.COMM_TARGET``."""
    _comm_manager().register_target(protocol.COMM_TARGET, _on_open)
