"""The probe's comm target: each comm message is one request, answered by one comm message,
or a batch ``{"batch": [request, ...]}``, answered by one ``{"batch": [reply, ...]}``.

Every message is answered. ipykernel packs a reply as strict UTF-8 JSON when it is sent,
after the op has returned: a lone surrogate anywhere in it (a name, a dict key, a value's
text) or a non-finite float fails there, and the frontend would wait for nothing. Such a
reply is sent again with that text escaped; one that still cannot be sent becomes an
``internal`` error with the same id.
"""

from __future__ import annotations

import math
from typing import Any

from . import protocol
from .dispatch import handle, handle_batch, internal_message


def _comm_manager() -> Any:
    """The running ipykernel's comm manager."""
    from IPython import get_ipython

    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        raise RuntimeError("The probe's comm needs a running ipykernel; none was found.")
    return kernel.comm_manager


def sendable(value: Any) -> Any:
    """``value`` with every str that UTF-8 cannot encode escaped (``'\\ud800'``) and every
    non-finite float as None; dicts and lists are copied, anything else is kept."""
    if type(value) is str:
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if type(value) is float:
        return value if math.isfinite(value) else None
    if type(value) is dict:
        return {sendable(k): sendable(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return [sendable(v) for v in value]
    return value


def _failed(data: Any, err: Exception) -> dict[str, Any]:
    """An ``internal`` error in place of a reply (or each reply of a batch) that could not be sent."""
    error = {"kind": "internal", "message": f"the reply could not be sent: {internal_message(err)}"}

    def one(reply: Any) -> dict[str, Any]:
        request_id = reply.get("id") if type(reply) is dict else None
        return {"id": request_id, "v": protocol.PROTOCOL_VERSION, "ok": False, "error": error}

    if type(data) is dict and "batch" in data:
        return {"batch": [one(reply) for reply in data["batch"]]}
    return one(data)


def send(comm: Any, data: dict[str, Any]) -> None:
    """Send a reply; escaped when it cannot be packed as it is; an error when even that fails.

    Always as JSON text, never with binary buffers: jupyter_server's relay to a Kernel Gateway
    (``--gateway-url``) decodes a binary message as UTF-8, fails, and stops relaying anything
    more to every connection of the kernel."""
    try:
        comm.send(data)
        return
    except (UnicodeError, ValueError, TypeError):
        pass
    try:
        comm.send(sendable(data))
    except Exception as err:  # nothing of the reply can travel: say so under its id
        comm.send(_failed(data, err))


def _on_open(comm: Any, open_msg: dict[str, Any]) -> None:
    """Answer every message on a newly opened comm."""

    def on_msg(msg: dict[str, Any]) -> None:
        # Runs on the thread that received the message: the subshell's when the comm rides one.
        data = msg["content"]["data"]
        if isinstance(data, dict) and "batch" in data:
            send(comm, {"batch": handle_batch(data["batch"])})
            return
        send(comm, handle(data))

    comm.on_msg(on_msg)


def register_comm_target() -> None:
    """Register (or, after a re-boot, replace) the handler for ``protocol.COMM_TARGET``."""
    _comm_manager().register_target(protocol.COMM_TARGET, _on_open)
