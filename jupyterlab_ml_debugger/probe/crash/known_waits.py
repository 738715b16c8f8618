"""Waits known by the frames they run in, named better than by the call on top: a DataLoader
loop waiting for a batch from its workers, and a cell waiting for what the user types into an
``input()`` box, which is no hang."""

from __future__ import annotations

from dataclasses import dataclass
from types import FrameType


@dataclass(frozen=True)
class KnownWait:
    """What the thread waits for, and whether waiting on it long is a hang."""

    phrase: str
    hang: bool


_WAITS = {
    ("torch.utils.data.dataloader", "_get_data"): KnownWait("waits for a batch from the DataLoader's workers", True),
    ("ipykernel.kernelbase", "_input_request"): KnownWait("waits for the user's input", False),
}


def known_wait(stack: list[FrameType]) -> KnownWait | None:
    """The known wait whose frame is on the stack (innermost first), if any."""
    for frame in stack:
        module = frame.f_globals.get("__name__")
        found = _WAITS.get((module, frame.f_code.co_name)) if type(module) is str else None
        if found is not None:
            return found
    return None
