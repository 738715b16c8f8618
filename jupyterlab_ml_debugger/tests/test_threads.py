"""The ``threads`` op in this process, on real threads: stacks, waits, owners, deadlocks and bounds."""

from __future__ import annotations

import inspect
import os
import sys
import threading
import time
from typing import Callable, Iterator

import pytest

from jupyterlab_ml_debugger.probe import dispatch as api, protocol
from jupyterlab_ml_debugger.probe.threads import thread_cpu, wait_chain, wait_objects, wait_source

pytestmark = pytest.mark.timeout(60)


def threads_reply(**args: object) -> dict:
    """The reply to a ``threads`` request answered here, on the test's own thread."""
    return api.handle({"id": 1, "op": "threads", "args": args})


def threads_result(**args: object) -> dict:
    reply = threads_reply(**args)
    assert reply["ok"], reply.get("error")
    return reply["result"]


def poll(until: Callable[[dict], bool], **args: object) -> dict:
    """The first result that satisfies ``until``, read every 20 ms for up to 5 s."""
    result: dict = {}
    for _ in range(250):
        result = threads_result(**args)
        if until(result):
            return result
        time.sleep(0.02)
    raise AssertionError(f"no threads reply satisfied the test; the last: {result}")


def thread_named(result: dict, name: str) -> dict | None:
    return next((t for t in result["threads"] if t["name"] == name), None)


def waiting(name: str) -> Callable[[dict], bool]:
    """Until the named thread is shown blocked, with the wait the wait chain found."""
    return lambda r: (thread_named(r, name) or {}).get("state") == "blocked" and thread_named(r, name)["wait"]


@pytest.fixture
def started() -> Iterator[Callable[..., threading.Thread]]:
    """Start daemon threads by name; each is joined (briefly) when the test ends."""
    made: list[threading.Thread] = []

    def start(target: Callable[[], object], name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        made.append(thread)
        return thread

    yield start
    for thread in made:
        thread.join(timeout=5)


class Worker:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def run(self) -> None:
        with self._lock:
            pass


def test_a_with_on_an_attribute_names_the_lock_and_says_its_owner_is_unknown(started) -> None:
    worker = Worker()
    worker._lock.acquire()  # taken without a `with`: no frame can show who holds it
    try:
        started(worker.run, "worker")
        result = poll(waiting("worker"))
    finally:
        worker._lock.release()
    wait = thread_named(result, "worker")["wait"]
    assert (wait["kind"], wait["label"]) == ("lock", "self._lock")
    assert wait["owner"] is None and not wait["owner_known"]
    assert "owner unknown" in wait["text"]
    assert wait["object"].startswith("_thread.lock at 0x")


def test_a_lock_held_inside_a_with_names_its_holder(started) -> None:
    gate, held, done = threading.Lock(), threading.Event(), threading.Event()

    def holder() -> None:
        with gate:
            held.set()
            done.wait(5)

    def waiter() -> None:
        with gate:
            pass

    holding = started(holder, "holder")
    held.wait(5)
    started(waiter, "waiter")
    try:
        result = poll(waiting("waiter"))
    finally:
        done.set()
    wait = thread_named(result, "waiter")["wait"]
    assert (wait["label"], wait["owner"], wait["owner_name"]) == ("gate", holding.ident, "holder")
    assert wait["holders"] == [holding.ident] and wait["owner_known"]
    assert wait["text"] == "Waits for Lock gate, held by holder."
    assert thread_named(result, "holder")["wait"]["kind"] == "event"


def test_entering_a_condition_waits_on_its_rlock_and_names_the_condition(started) -> None:
    cond, held, done = threading.Condition(), threading.Event(), threading.Event()

    def holder() -> None:
        with cond:
            held.set()
            done.wait(5)

    def enter() -> None:
        with cond:
            pass

    holding = started(holder, "holder")
    held.wait(5)
    started(enter, "enter")
    try:
        result = poll(waiting("enter"))
    finally:
        done.set()
    wait = thread_named(result, "enter")["wait"]
    assert (wait["kind"], wait["label"], wait["owner"]) == ("rlock", "cond", holding.ident)
    assert wait["text"] == "Waits to enter Condition cond (its RLock, count 1), held by holder."


def test_the_with_blocks_a_frame_is_inside_resolve_by_lookups_and_never_rerun_a_call() -> None:
    holder = Worker()
    with holder._lock, threading.RLock():
        frame = sys._getframe()
        held = list(wait_source.held_exprs(frame, wait_source.index_of(frame)))

        def later() -> list:
            inner = sys._getframe()
            return list(wait_source.held_exprs(inner, wait_source.index_of(inner)))

    assert [e.text for e in held] == ["holder._lock", "threading.RLock()"]
    assert wait_source.resolve(held[0], frame) is holder._lock
    assert wait_source.resolve(held[1], frame) is wait_source.MISSING
    assert later() == []  # a function defined inside a with does not run inside it


def test_an_rlock_names_its_owner_and_count() -> None:
    for lock in (threading.RLock(), threading._PyRLock()):
        assert wait_objects.rlock_owner(lock) == (None, 0)
        with lock, lock:
            assert wait_objects.rlock_owner(lock) == (threading.get_ident(), 2)
            assert wait_objects.is_locked(lock)
        assert not wait_objects.is_locked(lock)


def test_cycles_are_found_once_each_and_chains_into_them_are_not_cycles() -> None:
    edges = {1: 2, 2: 1, 3: 1, 4: 5, 5: 6, 6: 4, 7: 7, 8: 9}
    assert sorted(sorted(c) for c in wait_chain.find_cycles(edges)) == [[1, 2], [4, 5, 6], [7]]
    assert wait_chain.find_cycles({1: 2, 2: 3}) == []


def test_two_threads_taking_two_locks_in_opposite_order_are_reported_as_a_deadlock(started) -> None:
    a, b = threading.Lock(), threading.Lock()
    both = threading.Barrier(2)

    def forward() -> None:
        with a:
            both.wait()
            b.acquire(timeout=3)  # a deadlock that ends by itself, so the test can

    def backward() -> None:
        with b:
            both.wait()
            a.acquire(timeout=3)

    started(forward, "forward")
    started(backward, "backward")
    result = poll(lambda r: bool(r["deadlocks"]))
    deadlock, = result["deadlocks"]
    assert not deadlock["main"]
    assert {(link["name"], link["waits_for"]) for link in deadlock["cycle"]} == {("forward", "b"), ("backward", "a")}
    assert deadlock["text"] in (
        "Deadlock: forward waits for b held by backward; backward waits for a held by forward.",
        "Deadlock: backward waits for a held by forward; forward waits for b held by backward.")


def test_asked_from_the_main_thread_its_stack_starts_at_the_caller_not_in_the_probe() -> None:
    assert threading.current_thread() is threading.main_thread()  # as a notebook calling handle() in-process
    epochs = 3
    result = threads_result()
    main = next(t for t in result["threads"] if t["kind"] == "main")
    names = [f["name"] for f in main["frames"]]
    assert names[:3] == ["threads_reply", "threads_result",
                         "test_asked_from_the_main_thread_its_stack_starts_at_the_caller_not_in_the_probe"]
    assert main["frames_total"] == len(inspect.stack()) + 2
    rows = {row["name"]: row["summary"] for row in main["frames"][2]["rows"]}
    assert rows["epochs"] == str(epochs)


def test_a_thousand_threads_are_bounded_by_max_threads_and_all_counted(started) -> None:
    release = threading.Event()
    crowd = [threading.Thread(target=release.wait, name=f"crowd-{n}", daemon=True) for n in range(1000)]
    for thread in crowd:
        thread.start()
    try:
        reply = threads_reply(max_threads=20, max_frames=2)
    finally:
        release.set()
        for thread in crowd:
            thread.join(timeout=5)
    assert reply["ok"], reply.get("error")
    result = reply["result"]
    assert len(result["threads"]) == 20
    assert result["total"] >= 1001
    assert result["truncated"]
    assert f"20 of {result['total']} threads shown" in result["cut"]
    assert result["threads"][0]["kind"] == "main"
    assert all(len(t["frames"]) <= 2 for t in result["threads"])


def test_huge_locals_are_summarised_briefly_and_a_spent_budget_leaves_them_out(started) -> None:
    release = threading.Event()

    def hoard() -> None:
        big = list(range(2_000_000))
        blob = "x" * 10_000_000
        table = {n: str(n) for n in range(100_000)}
        release.wait(10)
        del big, blob, table

    started(hoard, "hoard")
    try:
        result = poll(lambda r: waiting("hoard")(r) and any(
            "table" in [row["name"] for row in f["rows"]] for f in thread_named(r, "hoard")["frames"]))
        spent = threads_result(budget_ms=0.001)
    finally:
        release.set()
    frame = next(f for f in thread_named(result, "hoard")["frames"] if f["name"] == "hoard")
    rows = {row["name"]: row for row in frame["rows"]}
    assert rows["big"]["summary"].startswith("list[2000000]")
    assert all(len(row["summary"]) <= protocol.SUMMARY_MAX for row in rows.values())
    assert frame["user"] and frame["code"] == "release.wait(10)"
    assert all(f["rows"] == [] for t in spent["threads"] for f in t["frames"])
    assert spent["truncated"] and "budget" in spent["cut"]
    # The thread answering is active, budget or not; the ones left unexamined say they are unknown.
    answering = next(t for t in spent["threads"] if t["id"] == threading.get_ident())
    assert answering["state"] == "active" and thread_named(spent, "hoard")["state"] == "unknown"


def test_a_frame_without_source_is_unknown_rather_than_guessed(started) -> None:
    lock = threading.Lock()
    scope: dict = {"lock": lock}
    exec(compile("def hidden():\n    with lock:\n        pass\n", "<generated>", "exec"), scope)
    lock.acquire()
    try:
        started(scope["hidden"], "hidden")
        # Seen as it starts, it runs: wait until it sits in the ``with``.
        result = poll(lambda r: (thread_named(r, "hidden") or {}).get("frames", [{}])[0].get("name") == "hidden"
                      and thread_named(r, "hidden")["state"] != "active")
    finally:
        lock.release()
    thread = thread_named(result, "hidden")
    # Asleep with no CPU used it is blocked (unknown before a CPU share is known), but not on
    # what the missing source would have said.
    assert thread["wait"] is None
    assert thread["blocked_on"] in (None, "waits in native code called from hidden")
    assert thread["frames"][0]["code"] is None


class Spy:
    """Records every attribute read, comparison and repr made while ``watching``."""

    watching = False
    seen: list[str] = []

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def __getattribute__(self, name: str):
        if type(self).watching:
            type(self).seen.append(f"getattr {name}")
        return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:
        type(self).seen.append("eq")
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        type(self).seen.append("repr")
        return "Spy()"


def test_nothing_user_defined_runs_while_a_wait_is_resolved(started) -> None:
    spy = Spy()

    def guarded() -> None:
        with spy.lock:
            pass

    spy.lock.acquire()
    try:
        started(guarded, "guarded")
        poll(waiting("guarded"))
        Spy.seen.clear()
        Spy.watching = True
        result = threads_result(locals=False)
        Spy.watching = False
    finally:
        Spy.watching = False
        spy.lock.release()
    assert Spy.seen == []
    assert thread_named(result, "guarded")["wait"]["label"] == "spy.lock"


def test_threads_that_come_and_go_while_being_read_are_skipped_quietly() -> None:
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            brief = threading.Thread(target=time.sleep, args=(0.001,), daemon=True)
            brief.start()
            brief.join()

    churner = threading.Thread(target=churn, name="churn", daemon=True)
    churner.start()
    try:
        replies = [threads_reply(max_frames=3) for _ in range(30)]
    finally:
        stop.set()
        churner.join(timeout=5)
    assert all(reply["ok"] for reply in replies), [r.get("error") for r in replies if not r["ok"]]
    gone = threading.Thread(target=lambda: None)
    gone.start()
    gone.join()
    # join returns a moment before the system thread is gone; then its time is unreadable, quietly.
    task = f"/proc/self/task/{gone.native_id}"
    for _ in range(100):
        if not os.path.exists(task):
            break
        time.sleep(0.01)
    assert thread_cpu.cpu_seconds(gone.ident, gone.native_id) is None


@pytest.mark.parametrize("args, message", [
    ({"locals": "yes"}, "locals must be true or false"),
    ({"max_threads": 0}, "max_threads must be at least 1"),
    ({"max_frames": 2.5}, "max_frames must be an integer"),
    ({"budget_ms": -1}, "budget_ms must be a positive number"),
])
def test_bad_arguments_are_refused_with_a_sentence(args: dict, message: str) -> None:
    reply = threads_reply(**args)
    assert not reply["ok"]
    assert reply["error"] == {"kind": "bad-request", "message": message}
