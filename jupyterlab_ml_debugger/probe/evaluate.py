"""The probe over DAP ``evaluate``: the fallback for kernels without subshells.

Without a subshell, a stopped cell holds the only shell, so the frontend asks
through the debugger's ``evaluate`` in the selected frame. The request travels
as a JSON string literal, and the reply comes back as hexadecimal text: the
repr of a hex string is the string in quotes, which the frontend reads without
having to parse Python's string escapes.
"""

from __future__ import annotations

import json

from .dispatch import handle


def handle_encoded(request_json: str) -> str:
    """Answer one JSON-encoded request with the reply's JSON as UTF-8 hex."""
    try:
        request = json.loads(request_json)
    except ValueError:
        request = None
    return json.dumps(handle(request), separators=(",", ":")).encode("utf-8").hex()
