"""The ``threads`` op on a real kernel: deadlocks, a spiking thread and library waits, read from the subshell."""

from __future__ import annotations

import time
from typing import Callable

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import connect_probe, ok_result

pytestmark = pytest.mark.timeout(120)

LOCK_DEADLOCK = """import threading, time
a = threading.Lock()
b = threading.Lock()

def forward():
    with a:
        time.sleep(0.2)
        with b:
            pass

def backward():
    with b:
        time.sleep(0.2)
        with a:
            pass

for target in (forward, backward):
    threading.Thread(target=target, name=target.__name__, daemon=True).start()
"""

MAIN_DEADLOCK = """import threading, time
r1 = threading.RLock()
r2 = threading.RLock()

def worker():
    with r2:
        time.sleep(0.3)
        with r1:
            pass

with r1:
    threading.Thread(target=worker, name="worker", daemon=True).start()
    time.sleep(0.3)
    with r2:
        pass
"""

SPIN = """import threading, time

def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass

threading.Thread(target=spin, args=(6,), name="spinner", daemon=True).start()
"""

LIBRARY_WAITS = """import threading, queue
sem = threading.Semaphore(0)
jobs = queue.Queue()
full = queue.Queue(maxsize=1)
full.put("first")
done = threading.Event()

def take():
    with sem:
        pass

def consume():
    jobs.get()

def produce():
    full.put("second")

def sleeper():
    done.wait()

napper = threading.Thread(target=sleeper, name="sleeper", daemon=True)

def joiner():
    napper.join()

napper.start()
for target in (take, consume, produce, joiner):
    threading.Thread(target=target, name=target.__name__, daemon=True).start()
"""
RELEASE_LIBRARY_WAITS = "sem.release(); jobs.put(1); full.get(); done.set()"

STATES = """import threading, time, queue
ready = threading.Lock()
ready.acquire()
gate = threading.Event()
q = queue.Queue()
stop = threading.Event()

def nap():
    time.sleep(60)

def busy():
    n = 0
    while not stop.is_set():
        n += 1

def wait_ready():
    with ready:
        pass

def wait_gate():
    gate.wait()

def take():
    q.get()

for target in (nap, busy, wait_ready, wait_gate, take):
    threading.Thread(target=target, name=target.__name__, daemon=True).start()
"""
RELEASE_STATES = "stop.set(); ready.release(); gate.set(); q.put(1)"
STATE_KEYS = ("state", "blocked_on", "blocking_module")


def poll_threads(driver: Driver, until: Callable[[dict], bool], args: dict | None = None,
                 attempts: int = 60, every: float = 0.1) -> dict:
    """The first ``threads`` result that satisfies ``until``, read every ``every`` seconds."""
    result: dict = {}
    for _ in range(attempts):
        time.sleep(every)
        result = ok_result(driver.request("threads", args or {}))
        if until(result):
            return result
    raise AssertionError(f"no threads reply satisfied the test; the last: {result}")


def by_name(result: dict) -> dict[str, dict]:
    """Index the reply's threads by name."""
    return {t["name"]: t for t in result["threads"]}


def test_two_threads_taking_two_locks_in_opposite_order_are_a_deadlock(kernel: Driver) -> None:
    kernel.execute(LOCK_DEADLOCK)
    result = poll_threads(kernel, lambda r: bool(r["deadlocks"]))

    deadlock, = result["deadlocks"]
    assert not deadlock["main"]
    assert {link["name"] for link in deadlock["cycle"]} == {"forward", "backward"}
    assert {link["waits_for"] for link in deadlock["cycle"]} == {"a", "b"}
    assert "forward waits for b held by backward" in deadlock["text"]
    threads = by_name(result)
    assert threads["forward"]["state"] == "blocked"
    assert threads["backward"]["wait"]["owner_name"] == "forward"
    assert threads["backward"]["frames"][0]["code"] == "with a:"
    assert threads["MainThread"]["kind"] == "main"
    assert result["threads"][0]["name"] == "MainThread"
    kinds = {t["kind"] for t in result["threads"]}
    assert {"kernel", "probe", "user"} <= kinds


def test_the_main_thread_in_a_cycle_with_a_worker_over_two_rlocks() -> None:
    driver = Driver()
    driver.start()
    try:
        connect_probe(driver)
        driver.execute_async(MAIN_DEADLOCK)  # never finishes: the kernel is shut down below
        result = poll_threads(driver, lambda r: bool(r["deadlocks"]))
        deadlock, = result["deadlocks"]
        assert deadlock["main"]
        first, second = deadlock["cycle"]
        assert (first["name"], first["waits_for"]) == ("MainThread", "r2")
        assert (second["name"], second["waits_for"]) == ("worker", "r1")
        assert deadlock["text"] == ("Deadlock: MainThread waits for r2 held by worker; "
                                    "worker waits for r1 held by MainThread.")
        main = by_name(result)["MainThread"]
        assert main["wait"]["kind"] == "rlock"
        assert main["wait"]["owner_known"]
        assert any(f["user"] and f["code"] == "with r2:" for f in main["frames"])
    finally:
        driver.shutdown()


def test_a_busy_thread_is_named_spiking_on_the_second_sample(kernel: Driver) -> None:
    kernel.execute(SPIN)
    first = ok_result(kernel.request("threads", {"locals": False}))
    assert by_name(first)["spinner"]["cpu_ms"] is not None
    # Every later sample is a second one; other work on a busy machine can take the core
    # from the spinner for a moment, so the spinner has its seconds to show it.
    result = poll_threads(kernel, lambda r: r["spiking"] is not None, {"locals": False}, attempts=8, every=0.6)

    assert result["interval_ms"] is not None
    assert result["spiking"]["name"] == "spinner"
    assert result["spiking"]["share"] >= 0.5
    assert by_name(result)["spinner"]["cpu_share"] == result["spiking"]["share"]


def test_semaphore_queue_event_and_join_waits_say_what_they_wait_for(kernel: Driver) -> None:
    kernel.execute(LIBRARY_WAITS)
    names = ("take", "consume", "produce", "sleeper", "joiner")
    try:
        result = poll_threads(kernel, lambda r: all((by_name(r).get(n) or {}).get("wait") for n in names))
    finally:
        kernel.execute(RELEASE_LIBRARY_WAITS)
    threads = by_name(result)

    take = threads["take"]["wait"]
    assert (take["kind"], take["label"], take["detail"]) == ("semaphore", "sem", "value 0, 1 waiting")
    consume = threads["consume"]["wait"]
    assert (consume["kind"], consume["label"]) == ("queue-get", "jobs")
    assert consume["detail"].startswith("empty")
    produce = threads["produce"]["wait"]
    assert (produce["kind"], produce["label"], produce["detail"]) == ("queue-put", "full", "full: 1 of 1 items")
    assert "space in Queue full" in produce["text"]
    sleeper = threads["sleeper"]["wait"]
    assert (sleeper["kind"], sleeper["label"], sleeper["detail"]) == ("event", "done", "not set")
    joiner = threads["joiner"]["wait"]
    assert (joiner["kind"], joiner["label"], joiner["owner_name"]) == ("join", "napper", "sleeper")
    assert all(threads[n]["state"] == "blocked" for n in names)


def test_each_thread_is_active_or_blocked_and_names_what_it_waits_on_and_where(kernel: Driver) -> None:
    kernel.execute(STATES)
    names = ("nap", "wait_ready", "wait_gate", "take")
    try:
        # The busy thread shows active once a second sample gives it a CPU share, if not before.
        result = poll_threads(kernel, lambda r: all((by_name(r).get(n) or {}).get("state") == "blocked" for n in names)
                              and (by_name(r).get("busy") or {}).get("state") == "active",
                              {"locals": False}, attempts=20, every=0.5)
    finally:
        kernel.execute(RELEASE_STATES)
    threads = by_name(result)

    def state(name: str) -> tuple:
        return tuple(threads[name][key] for key in STATE_KEYS)

    assert state("nap") == ("blocked", "sleeps in time.sleep", "time")
    assert state("busy") == ("active", None, None)
    assert state("wait_ready") == ("blocked", "waits for lock ready", "threading")
    assert state("wait_gate") == ("blocked", "waits for Event gate to be set", "threading")
    assert state("take") == ("blocked", "waits on queue q", "queue")
    # The thread answering is the probe's, busy answering; none of the kernel's is the user's.
    probe, = (t for t in result["threads"] if t["kind"] == "probe" and t["state"] == "active")
    assert probe["blocked_on"] is None
    assert {t["name"] for t in result["threads"] if t["kind"] == "user"} >= {"nap", "busy", "take"}
    assert not any(t["kind"] == "user" and t["name"] in ("Control", "IOPub") for t in result["threads"])
