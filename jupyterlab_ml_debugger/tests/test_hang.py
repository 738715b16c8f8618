"""The ``hang`` op's logic without a kernel: how a stand is timed and judged, and how a DataLoader
worker's end is read without reaping it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from types import FrameType

import pytest

from jupyterlab_ml_debugger.probe.crash import dataloader_workers, known_waits, standing, verdict
from jupyterlab_ml_debugger.probe.stack import frames

pytestmark = pytest.mark.timeout(60)


def _stack_of(thread: threading.Thread) -> list[FrameType]:
    return frames.stack_of(sys._current_frames()[thread.ident])


def _parked_at(thread: threading.Thread, name: str) -> list[FrameType]:
    """The thread's stack once a frame of ``name`` is on it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        stack = _stack_of(thread)
        if any(f.f_code.co_name == name for f in stack):
            return stack
        time.sleep(0.01)
    raise AssertionError(f"the thread never reached {name}")


def test_a_thread_that_stays_keeps_its_first_seen_time_and_one_that_moves_starts_afresh() -> None:
    gates = [threading.Lock(), threading.Lock()]
    reached = [threading.Event(), threading.Event()]
    for gate in gates:
        gate.acquire()

    def step(n: int) -> None:
        reached[n].set()
        if n == 0:
            gates[0].acquire()  # C code: the step's own frame is the top, at one instruction
        else:
            gates[1].acquire()

    def loop() -> None:
        for n in range(2):
            step(n)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    reached[0].wait(5)
    stand = standing.Standing()
    first = stand.look(_parked_at(thread, "step"), now=100.0, cpu=1.0)
    assert first.still is None and not first.whole
    again = stand.look(_stack_of(thread), now=105.0, cpu=1.0)
    assert again.whole and again.top.first == 100.0 and again.still.first == 100.0

    gates[0].release()
    reached[1].wait(5)
    time.sleep(0.05)
    # The second call of step waits at another line: it starts afresh, and so does everything
    # it calls; the loop's frame, at the same call, stood still.
    moved = stand.look(_stack_of(thread), now=110.0, cpu=1.0)
    assert not moved.whole
    assert moved.top.first == 110.0
    assert moved.still is not None and moved.still.first == 100.0
    gates[1].release()
    thread.join(5)


def test_a_look_keeps_no_frame_alive() -> None:
    gate = threading.Event()

    def holds_a_big_local() -> None:
        big = bytearray(10)  # noqa: F841 (a local the frame owns)
        gate.wait()

    thread = threading.Thread(target=holds_a_big_local, daemon=True)
    thread.start()
    stack = _parked_at(thread, "holds_a_big_local")
    stand = standing.Standing()
    stand.look(stack, now=1.0, cpu=0.0)
    top = next(f for f in stack if f.f_code.co_name == "holds_a_big_local")
    before = sys.getrefcount(top)
    stand.look(stack, now=2.0, cpu=0.0)
    assert sys.getrefcount(top) == before
    gate.set()
    thread.join(5)


def _stand(top_first: float, still_first: float | None, whole: bool, cpu_then: float = 0.0) -> standing.Stand:
    top = standing.Seen(top_first, cpu_then, 1, 2)
    still = standing.Seen(still_first, cpu_then, 1, 2) if still_first is not None else None
    return standing.Stand(top, still, whole)


@pytest.mark.parametrize(("stand", "cpu", "in_call", "expected"), [
    pytest.param(_stand(0.0, 0.0, True), 0.1, True, verdict.Verdict(40.0, "waiting", True),
                 id="a stack standing still for 40 s on no CPU waits, past a 30 s threshold"),
    pytest.param(_stand(35.0, 0.0, False), 0.1, False, verdict.Verdict(40.0, "waiting", True),
                 id="a polling loop inside a wait restarts the top, not the wait"),
    pytest.param(_stand(20.0, 20.0, True), 0.1, True, verdict.Verdict(20.0, "waiting", False),
                 id="20 s of waiting is not yet a hang"),
    pytest.param(_stand(0.0, 0.0, True), 39.0, True, verdict.Verdict(40.0, "spinning", True),
                 id="a core busy at a call with the whole stack still spins in native code"),
    pytest.param(_stand(0.0, 0.0, True), 39.0, False, verdict.Verdict(40.0, None, False),
                 id="a core busy away from a call instruction is Python running: no hang"),
    pytest.param(_stand(35.0, 0.0, False), 30.0, True, verdict.Verdict(5.0, None, False),
                 id="a busy thread whose inner frames move is working: no hang"),
    pytest.param(_stand(0.0, 0.0, True), None, True, verdict.Verdict(40.0, None, True),
                 id="without a CPU reading, a top frame standing past the threshold is a hang"),
])
def test_a_stand_is_judged(stand: standing.Stand, cpu: float | None, in_call: bool,
                           expected: verdict.Verdict) -> None:
    assert verdict.judge(stand, 40.0, cpu, in_call, 30.0) == expected


@pytest.mark.parametrize(("runnable", "kind"), [(True, "spinning"), (False, None)])
def test_a_thread_given_part_of_a_busy_machine_spins_when_it_is_ready_to_run(runnable: bool, kind: str | None) -> None:
    # A third of a core in 40 s: all a spinning thread gets where other processes fill the cores.
    found = verdict.judge(_stand(0.0, 0.0, True), 40.0, 13.0, True, 30.0, lambda: runnable)
    assert found == verdict.Verdict(40.0, kind, kind is not None)


def _in_module(module: str, source: str, name: str):
    """A function defined as if in ``module``: its frames name that module."""
    namespace = {"__name__": module}
    exec(compile(source, f"<{module}>", "exec"), namespace)
    return namespace[name]


def test_a_wait_for_the_users_input_is_named_and_no_hang() -> None:
    gate = threading.Lock()
    gate.acquire()
    request = _in_module("ipykernel.kernelbase", "def _input_request(gate):\n    gate.acquire()\n", "_input_request")
    thread = threading.Thread(target=request, args=(gate,), daemon=True)
    thread.start()
    found = known_waits.known_wait(_parked_at(thread, "_input_request"))
    assert found == known_waits.KnownWait("waits for the user's input", hang=False)
    gate.release()
    thread.join(5)
    assert known_waits.known_wait(_stack_of(threading.current_thread())) is None


def _exits(code: int) -> None:
    os._exit(code)


def _sleeps() -> None:
    time.sleep(60)


@pytest.fixture()
def fork() -> multiprocessing.context.BaseContext:
    if not hasattr(os, "fork") or not os.path.isdir("/proc/self"):
        pytest.skip("reads children through /proc")
    return multiprocessing.get_context("fork")


def _zombie(process: multiprocessing.Process) -> None:
    """Wait until the child has ended, without reaping it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(f"/proc/{process.pid}/stat", "rb") as stat:
            if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                return
        time.sleep(0.02)
    raise AssertionError("the child did not end")


def test_an_ended_worker_shows_its_exit_code_or_signal_and_stays_unreaped(fork) -> None:
    exited = fork.Process(target=_exits, args=(3,))
    killed = fork.Process(target=_sleeps)
    alive = fork.Process(target=_sleeps)
    # Each start() reaps the children that ended before it: the one that exits starts last.
    for process in (alive, killed, exited):
        process.start()
    try:
        os.kill(killed.pid, signal.SIGKILL)
        _zombie(exited)
        _zombie(killed)
        assert dataloader_workers.worker_json(exited) == {"pid": exited.pid, "alive": False, "exitcode": 3,
                                                          "signal_name": None}
        assert dataloader_workers.worker_json(killed) == {"pid": killed.pid, "alive": False, "exitcode": None,
                                                          "signal_name": "SIGKILL"}
        assert dataloader_workers.worker_json(alive)["alive"] is True
        # Looking reaped nothing: multiprocessing still has to collect them itself.
        assert exited._popen.returncode is None and killed._popen.returncode is None
    finally:
        alive.kill()
        for process in (exited, killed, alive):
            process.join(5)
    # Once multiprocessing has reaped one, its own return code is read.
    assert dataloader_workers.worker_json(killed)["signal_name"] == "SIGKILL"
    assert dataloader_workers.worker_json(exited)["exitcode"] == 3


class _Endless:
    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> int:
        time.sleep(60)
        return index


def test_the_workers_of_a_dataloader_the_user_holds_are_found() -> None:
    torch_data = pytest.importorskip("torch.utils.data")
    loader = torch_data.DataLoader(_Endless(), num_workers=2, persistent_workers=True)
    iterator = iter(loader)
    try:
        pids = sorted(w.pid for w in iterator._workers)
        # Through the iterator, and through the DataLoader that keeps it, each worker once.
        found = dataloader_workers.workers([], {"it": iterator, "loader": loader, "other": 3})
        assert [w["pid"] for w in found] == pids
        assert all(w["alive"] for w in found)
        assert dataloader_workers.workers([], {"numbers": [1, 2]}) == []
    finally:
        iterator._shutdown_workers()


def test_a_look_writes_nothing_to_the_frames_so_a_tracer_started_later_sees_every_line() -> None:
    gate = threading.Lock()
    gate.acquire()
    thread = threading.Thread(target=lambda: gate.acquire(), daemon=True)
    thread.start()
    time.sleep(0.05)
    stand = standing.Standing()
    stand.look(_stack_of(thread), now=1.0, cpu=0.0)
    assert stand.look(_stack_of(thread), now=2.0, cpu=0.0).whole
    assert all(f.f_trace is None for f in _stack_of(thread))
    gate.release()
    thread.join(5)
