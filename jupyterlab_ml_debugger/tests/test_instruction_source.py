"""The expression at a thread's current instruction is read from that expression's own text:
what a blocked thread waits on and calls is named as before, and a frame in a long file is
read without parsing the file (a parse that held the GIL and stalled the running cell)."""

from __future__ import annotations

import sys
import threading
import time
from types import FrameType

import pytest

from jupyterlab_ml_debugger.probe.threads import call_site, instruction_source, wait_chain, wait_source

pytestmark = pytest.mark.timeout(60)


class Gate:
    def __init__(self) -> None:
        self._lock = threading.Lock()


def top_frame(thread: threading.Thread) -> FrameType:
    """The thread's innermost Python frame, once it is blocked (its frame stops moving)."""
    for _ in range(200):
        frame = sys._current_frames().get(thread.ident or 0)
        if frame is not None and frame.f_code.co_name.startswith("blocked_"):
            return frame
        time.sleep(0.01)
    raise AssertionError("the thread never blocked")


def test_a_with_on_a_held_lock_names_the_lock_as_written() -> None:
    gate = Gate()
    gate._lock.acquire()
    done = threading.Event()

    def blocked_in_with() -> None:
        with gate._lock, threading.RLock():
            done.set()

    thread = threading.Thread(target=blocked_in_with, daemon=True)
    thread.start()
    try:
        frame = top_frame(thread)
        found = wait_chain.thread_wait(thread.ident or 0, [frame])
        assert found is not None and found.label == "gate._lock"
        assert found.target is gate._lock
    finally:
        gate._lock.release()
        thread.join(5)
    assert done.is_set()


def test_a_call_names_its_callee_and_its_receiver() -> None:
    stop = threading.Event()

    def blocked_in_sleep() -> None:
        while not stop.is_set():
            time.sleep(
                0.05)

    thread = threading.Thread(target=blocked_in_sleep, daemon=True)
    thread.start()
    try:
        frame = top_frame(thread)
        for _ in range(100):  # between two sleeps the frame stands at the loop's test
            callee = call_site.callee(frame)
            if callee is not None:
                break
            time.sleep(0.005)
        assert callee is not None and callee.name == "time.sleep" and callee.text == "time.sleep"
        assert call_site.blocking_phrase(callee) == "sleeps in time.sleep"
    finally:
        stop.set()
        thread.join(5)


def test_a_frame_is_read_without_parsing_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    monkeypatch.setattr(wait_source, "_build_index", lambda lines: parsed.append(len(lines)))
    frame = sys._getframe()
    line = frame.f_lineno + 1
    here = instruction_source.callee_at(frame)  # this frame stands at the call of callee_at
    assert here is not None and here.text == "instruction_source.callee_at"
    assert here.span[0] == line
    assert parsed == []
