"""Thread states (Active Thread, Blocked Thread, Blocking Module): the classification from its
signals, the phrases, and the callables named at a thread's call, without running user code."""

from __future__ import annotations

import os
import queue
import select
import socket
import sys
import threading
import time
from typing import Callable

import pytest

from jupyterlab_ml_debugger.probe.threads import call_site, thread_stacks, thread_state, wait_chain
from jupyterlab_ml_debugger.probe.threads.thread_state import Signals

pytestmark = pytest.mark.timeout(60)


def counting(state: str | None) -> tuple[Callable[[], str | None], list[int]]:
    """An OS-state reader answering ``state`` that counts how often it is read."""
    reads: list[int] = []

    def read() -> str | None:
        reads.append(1)
        return state

    return read, reads


@pytest.mark.parametrize(("signals", "os_state", "expected", "reads"), [
    pytest.param(Signals(paused=True), "R", "blocked", 0, id="paused by the debugger"),
    pytest.param(Signals(wait="waits for lock ready", share=0.9), "R", "blocked", 0, id="a held lock"),
    pytest.param(Signals(call="sleeps in time.sleep", in_call=True, share=0.0), "S", "blocked", 0, id="a sleep"),
    pytest.param(Signals(call="sleeps in time.sleep", in_call=True, share=None), "R", "blocked", 0,
                 id="a sleep before any share"),
    pytest.param(Signals(call="sleeps in time.sleep", in_call=True, share=0.95), "R", "active", 1,
                 id="short sleeps in a busy loop"),
    pytest.param(Signals(in_call=False, share=None), "S", "active", 0, id="seen between two instructions"),
    pytest.param(Signals(in_call=True, share=0.9), "S", "active", 0, id="a busy thread waiting for the GIL"),
    pytest.param(Signals(in_call=True, share=None), "R", "active", 1, id="native code on a CPU"),
    pytest.param(Signals(in_call=True, share=0.0), "S", "blocked", 1, id="asleep in native code"),
    pytest.param(Signals(in_call=True, share=0.0), None, "blocked", 1, id="no CPU used, no /proc"),
    pytest.param(Signals(in_call=True, share=None), "D", "blocked", 1, id="uninterruptible I/O"),
    pytest.param(Signals(in_call=True, share=None), "S", "unknown", 1, id="asleep before any share"),
])
def test_a_thread_is_classified_by_its_strongest_signal(signals: Signals, os_state: str | None,
                                                        expected: str, reads: int) -> None:
    read, seen = counting(os_state)
    assert thread_state.classify(signals, read) == expected
    assert len(seen) == reads  # the run state is read only when the stack and CPU share leave it open


def waiting(kind: str, label: str, noun: str, **extra: object) -> wait_chain.Waiting:
    return wait_chain.Waiting(ident=1, kind=kind, label=label, target=object(), noun=noun, **extra)


@pytest.mark.parametrize(("wait", "phrase"), [
    (waiting("lock", "ready", "Lock"), "waits for lock ready"),
    (waiting("rlock", "self._lock", "RLock"), "waits for RLock self._lock"),
    (waiting("rlock", "cond", "RLock", through="Condition"), "waits to enter Condition cond"),
    (waiting("condition", "cv", "Condition"), "waits on Condition cv for a notify"),
    (waiting("semaphore", "slots", "BoundedSemaphore"), "waits for BoundedSemaphore slots"),
    (waiting("queue-get", "q", "Queue"), "waits on queue q"),
    (waiting("queue-put", "jobs", "Queue"), "waits for space in queue jobs"),
    (waiting("event", "done", "Event"), "waits for Event done to be set"),
    (waiting("join", "t", "Thread", owner=7), "joins thread loader"),
    (waiting("join", "t", "Thread", owner=8), "joins thread t"),
])
def test_a_wait_is_said_in_a_short_phrase(wait: wait_chain.Waiting, phrase: str) -> None:
    assert thread_state.wait_phrase(wait, {7: "loader"}) == phrase


def test_builtin_callables_are_named_by_the_module_the_user_imports() -> None:
    assert call_site.builtin_name(time.sleep) == ("time", "sleep")
    assert call_site.builtin_name(os.read) == ("os", "read")
    assert call_site.builtin_name(select.select) == ("select", "select")
    assert call_site.builtin_name(socket.socket.__mro__[1].__dict__["recv"]) == ("socket", "socket.recv")
    assert call_site.builtin_name(type(threading.Lock()).__dict__["acquire"]) == ("threading", "lock.acquire")
    assert call_site.builtin_name(lambda: None) is None
    assert call_site.builtin_name(42) is None


@pytest.mark.parametrize(("callee", "phrase"), [
    (call_site.Callee("time.sleep", "time", "sleep"), "sleeps in time.sleep"),
    (call_site.Callee("sock.recv", "socket", "socket.recv"), "waits for I/O in socket.recv"),
    (call_site.Callee("ep.poll", "select", "epoll.poll"), "waits for I/O in epoll.poll"),
    (call_site.Callee("os.waitpid", "os", "waitpid"), "waits for a child process in os.waitpid"),
    (call_site.Callee("locks[0].acquire", "threading", "lock.acquire"), "waits for a lock in locks[0].acquire"),
    (call_site.Callee("time.monotonic", "time", "monotonic"), None),
    (call_site.Callee("model"), None),
])
def test_only_calls_known_to_block_say_what_they_wait_for(callee: call_site.Callee, phrase: str | None) -> None:
    assert call_site.blocking_phrase(callee) == phrase


class Spy:
    """Records every attribute read made on it while ``watching``."""

    watching = False
    seen: list[str] = []

    def __init__(self) -> None:
        self.sock = socket.socket()

    def __getattribute__(self, name: str):
        if type(self).watching:
            type(self).seen.append(name)
        return object.__getattribute__(self, name)


def test_a_method_is_found_in_the_class_dicts_without_reading_the_users_attributes() -> None:
    spy = Spy()
    try:
        frame = sys._getframe()
        Spy.watching = True
        found = call_site.resolve_callable(("spy", "sock", "recv"), frame)
        missing = call_site.resolve_callable(("spy", "nothing"), frame)
        Spy.watching = False
    finally:
        Spy.watching = False
        spy.sock.close()
    assert Spy.seen == []
    assert call_site.builtin_name(found) == ("socket", "socket.recv")
    assert missing is call_site.MISSING


def state_of(name: str, until: Callable[[thread_state.ThreadState], bool]) -> thread_state.ThreadState:
    """The ThreadState of the named thread, read until ``until`` holds (5 s at most)."""
    found = thread_state.UNKNOWN
    for _ in range(250):
        view = next((v for v in thread_stacks.snapshot() if v.name == name), None)
        if view is not None:
            found = thread_state.describe(view, wait_chain.thread_wait(view.ident, view.stack), None, {})
            if until(found):
                return found
        time.sleep(0.02)
    raise AssertionError(f"{name} never satisfied the test; the last state: {found}")


def test_a_thread_started_on_a_library_function_is_blocked_in_that_library() -> None:
    jobs: queue.Queue = queue.Queue()
    sleeper = threading.Thread(target=time.sleep, args=(0.5,), name="bare-sleep", daemon=True)
    taker = threading.Thread(target=jobs.get, name="bare-get", daemon=True)
    sleeper.start()
    taker.start()
    try:
        slept = state_of("bare-sleep", lambda s: s.state == "blocked")
        took = state_of("bare-get", lambda s: s.state == "blocked")
    finally:
        jobs.put(None)
    assert (slept.blocked_on, slept.blocking_module) == ("sleeps in time.sleep", "time")
    # Called as threading's ``self._target``, the queue has no name of the user's: its type names it.
    assert (took.blocked_on, took.blocking_module) == ("waits on queue Queue", "queue")
