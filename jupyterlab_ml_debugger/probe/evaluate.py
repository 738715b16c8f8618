"""The probe over DAP ``evaluate``: the fallback for kernels without subshells.

Without a subshell, a stopped cell holds the only shell, so the frontend asks
through the debugger's ``evaluate`` in the selected frame. The request travels
as a JSON string literal, and the reply comes back as hexadecimal text: the
repr of a hex string is the string in quotes, which the frontend reads without
having to parse Python's string escapes.
"""

from __future__ import annotations

import json

from . import protocol
from .dispatch import BUFFERS_KEY, handle


def handle_encoded(request_json: str) -> str:
    """Answer one JSON-encoded request with the reply's JSON as UTF-8 hex."""
    try:
        request = json.loads(request_json)
    except ValueError:
        request = None
    reply = handle(request)
    if reply.pop(BUFFERS_KEY, None) is not None:
        # Binary data never travels as text: this view needs the comm.
        message = ("this view sends binary data, which needs the comm: wait until the kernel "
                   "is idle, or use ipykernel 7 or later to see it while stopped")
        reply = {"id": reply.get("id"), "v": protocol.PROTOCOL_VERSION, "ok": False,
                 "error": {"kind": "bad-request", "message": message}}
    return json.dumps(reply, separators=(",", ":")).encode("utf-8").hex()
