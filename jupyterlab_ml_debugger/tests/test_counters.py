"""Counter Value and Memory Leak / Handle Leak in-process: samples, history, flags and what grows."""

from __future__ import annotations

import os
import threading
import tracemalloc

import pytest

from jupyterlab_ml_debugger.probe.counters import growth_walk, leak_hints, ops as counter_ops, reach_walk, readings as counters
from jupyterlab_ml_debugger.probe.threads import thread_cpu
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.counters.counter_history import CounterHistory
from jupyterlab_ml_debugger.probe.counters.readings import Reading

MIB = 1 << 20
RSS = Reading("rss", "resident memory", "bytes", None)
FDS = Reading("fds", "open file descriptors", "count", None)


class Batch:
    """A user object whose attribute grows."""

    def __init__(self) -> None:
        self.seen: list[int] = []


class Loud(list):
    """A list whose own ``__len__`` must never run."""

    def __len__(self) -> int:
        raise AssertionError("the probe ran a user __len__")


def reach(items: list[tuple[str, object]]) -> reach_walk.Reach:
    """One sample's walk from ``items`` as the roots."""
    return reach_walk.walk(items, Budget(5000))


def flags_for(reading: Reading, values: list[float], items=lambda: []) -> list[dict]:
    """The flags after feeding ``values`` one sample at a time to a fresh history and search."""
    history, search = CounterHistory(), leak_hints.GrowthSearch()
    found: list[dict] = []
    for value in values:
        histories = history.record(0.0, {reading.id: value})
        found = leak_hints.leak_flags([reading], histories, reach(items()), search)
    return found


def test_memory_that_only_grows_is_flagged_with_its_growth() -> None:
    values = [200 * MIB + step * 4 * MIB for step in range(12)]
    [flag] = flags_for(RSS, values)
    assert (flag["counter"], flag["kind"]) == ("rss", "memory-leak")
    assert flag["growth"] == 44 * MIB
    assert flag["samples"] == 12
    assert flag["message"].startswith("Resident memory grew 44 MiB over the last 12 samples without falling")


def test_a_sawtooth_is_not_a_leak() -> None:
    values = [200 * MIB + (step % 4) * 20 * MIB for step in range(24)]
    assert flags_for(RSS, values) == []


def test_growth_below_the_threshold_is_not_a_leak() -> None:
    assert flags_for(RSS, [200 * MIB + step * MIB for step in range(12)]) == []


def test_memory_that_rose_while_warming_up_and_then_stayed_flat_is_not_a_leak() -> None:
    values = [200 * MIB + step * 40 * MIB for step in range(6)] + [400 * MIB] * 10
    assert flags_for(RSS, values) == []


def test_allocator_jitter_does_not_hide_a_leak() -> None:
    values = [200 * MIB + step * 4 * MIB - (step % 2) * MIB // 2 for step in range(12)]
    assert [f["counter"] for f in flags_for(RSS, values)] == ["rss"]


def test_file_descriptors_that_only_grow_are_a_handle_leak() -> None:
    [flag] = flags_for(FDS, [float(20 + step) for step in range(10)])
    assert flag["kind"] == "handle-leak"
    assert flag["message"].startswith("Open file descriptors grew by 9 over the last 10 samples without falling")


def test_a_flag_names_the_container_that_grew_most() -> None:
    history: list[bytes] = []
    other: list[int] = []

    def items() -> list[tuple[str, object]]:
        return [("history", history), ("other", other)]

    store, search = CounterHistory(), leak_hints.GrowthSearch()
    for step in range(12):
        history.extend([b"x"] * 1000)
        other.append(step)
        flags = leak_hints.leak_flags([RSS], store.record(float(step), {"rss": 200 * MIB + step * 4 * MIB}),
                                      reach(items()), search)
    [flag] = flags
    # Compared with the walk taken when memory first looked suspicious (4 samples in),
    # at the first flagged sample (8 in); later samples within 5 s keep that answer.
    assert flag["containers"] == [{"path": "history", "length": 8000, "delta": 4000},
                                  {"path": "other", "length": 8, "delta": 4}]
    assert flag["message"].endswith("; `history` grew by 4,000 items.")
    assert flag["cut"] is None


def test_one_item_reads_in_the_singular() -> None:
    rise = leak_hints.Rise(samples=9, first=20.0, last=29.0, recent=21.0)
    text = leak_hints.message(FDS, rise, [{"path": "handles", "length": 3, "delta": 1}], [])
    assert text.endswith("without falling; `handles` grew by 1 item.")


def test_a_second_leak_soon_after_the_first_is_compared_with_its_own_start() -> None:
    snapshots: list[bytes] = []
    store, search = CounterHistory(), leak_hints.GrowthSearch(every_s=3600.0)  # every walk is "recent"
    samples = 0

    def leak() -> list[dict]:
        nonlocal samples
        snapshots.clear()
        for step in range(12):
            snapshots.extend([b"x"] * 1000)
            samples += 1
            flags = leak_hints.leak_flags([RSS], store.record(float(samples), {"rss": 200 * MIB + step * 4 * MIB}),
                                          reach([("snapshots", snapshots)]), search)
        return flags

    first, second = leak(), leak()  # memory falls back to 200 MiB in between: a new rise
    # Both compared with the walk taken 4 samples into their own rise, at their first flagged sample.
    expected = [{"path": "snapshots", "length": 8000, "delta": 4000}]
    assert [f["containers"] for f in first] == [expected]
    assert [f["containers"] for f in second] == [expected]
    assert second[0]["message"].endswith("; `snapshots` grew by 4,000 items.")


def test_object_counts_by_type_show_what_was_created_between_two_walks() -> None:
    before = growth_walk.take(reach([]), Budget(5000))
    kept = [Batch() for _ in range(500)]
    after = growth_walk.take(reach([]), Budget(5000))
    grown = {g["type"]: g for g in growth_walk.grown_types(before, after)}
    name = f"{__name__}.Batch"
    assert name in grown, grown
    assert grown[name]["delta"] == 500 and grown[name]["count"] >= 500
    assert len(kept) == 500


def test_containers_one_level_below_globals_are_found_by_path_without_user_len() -> None:
    batch, state, loud = Batch(), {"losses": [1.0]}, Loud([1, 2])
    items = [("batch", batch), ("state", state), ("loud", loud), ("rows", [[0], [0, 1]])]
    before = growth_walk.take(reach(items), Budget(5000))
    batch.seen.extend(range(30))
    state["losses"].extend([0.5] * 20)
    list.extend(loud, [3] * 10)
    after = growth_walk.take(reach(items), Budget(5000))
    grown = {g["path"]: g["delta"] for g in growth_walk.grown_containers(before, after)}
    assert grown == {"batch.seen": 30, "state['losses']": 20, "loud": 10}
    assert after.lengths["rows[1]"] == 2


def test_a_search_cut_by_its_bound_says_so() -> None:
    walk = reach_walk.walk([("a", [1])], Budget(0))
    assert walk.cut is not None and "stopped" in walk.cut


def test_history_pads_a_counter_that_appears_later_and_keeps_the_last_samples() -> None:
    history = CounterHistory(capacity=3)
    history.record(1.0, {"rss": 1.0})
    history.record(2.0, {"rss": 2.0, "cuda_allocated:0": 5.0})
    found = history.record(3.0, {"rss": 3.0, "cuda_allocated:0": 6.0})
    assert found == {"rss": [1.0, 2.0, 3.0], "cuda_allocated:0": [None, 5.0, 6.0]}
    found = history.record(4.0, {"rss": 4.0})
    assert found == {"rss": [2.0, 3.0, 4.0], "cuda_allocated:0": [5.0, 6.0, None]}
    assert len(history) == 3


def _by_id(result: dict) -> dict[str, dict]:
    return {c["id"]: c for c in result["counters"]}


def test_a_sample_reads_the_process_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(thread_cpu, "MIN_INTERVAL_S", 0.0)
    history, search = CounterHistory(), leak_hints.GrowthSearch()
    first = _by_id(counter_ops.sample(history, search))
    handle = open(os.devnull)
    ready, release = threading.Event(), threading.Event()
    worker = threading.Thread(target=lambda: (ready.set(), release.wait()), name="waiter")
    worker.start()
    ready.wait()
    try:
        result = counter_ops.sample(history, search)
    finally:
        release.set()
        worker.join()
        handle.close()
    second = _by_id(result)
    assert second["fds"]["value"] == first["fds"]["value"] + 1
    assert second["threads"]["value"] == first["threads"]["value"] + 1
    assert second["threads"]["label"] == "threads (OS)"
    assert second["rss"]["value"] > 0 and second["rss"]["history"][-1] == second["rss"]["value"]
    assert second["children"]["value"] == 0
    assert result["samples"] == 2 and len(second["fds"]["history"]) == 2
    cpu = {t["name"]: t for t in result["cpu"]}
    assert cpu["MainThread"]["cpu_ms"] > 0 and cpu["MainThread"]["share"] is not None
    # new since the previous sample, which saw every thread: all its time is since then
    assert cpu["waiter"]["share"] is not None and cpu["waiter"]["share"] < 0.5
    assert not any(c.startswith("cuda") for c in second)


def test_cpu_times_are_read_at_most_once_a_second_for_every_section(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = thread_cpu.cpu_seconds
    monkeypatch.setattr(thread_cpu, "cpu_seconds", lambda ident, native: reads.append(ident) or real(ident, native))
    monkeypatch.setattr(thread_cpu, "_last", None)
    history, search = CounterHistory(), leak_hints.GrowthSearch()
    first = counter_ops.sample(history, search)
    count = len(reads)
    second = counter_ops.sample(history, search)
    assert count > 0 and len(reads) == count  # the second sample, within a second, read nothing
    assert second["cpu"] == first["cpu"]
    monkeypatch.setattr(thread_cpu, "MIN_INTERVAL_S", 0.0)
    counter_ops.sample(history, search)
    assert len(reads) > count


def test_python_heap_is_read_only_while_tracemalloc_traces() -> None:
    off = counters.py_heap()
    assert off.value is None and "tracemalloc.start()" in (off.note or "")
    tracemalloc.start()
    try:
        kept = [bytes(1000) for _ in range(100)]
        on = counters.py_heap()
    finally:
        tracemalloc.stop()
    assert on.value is not None and on.value >= 100 * 1000 and on.note is None
    assert len(kept) == 100


def test_the_growth_walk_and_type_hints_name_nothing_of_the_probe() -> None:
    """The probe is loaded in this process as in a kernel: its modules, their aliases and its objects stay out."""
    from jupyterlab_ml_debugger.probe import dispatch  # noqa: F401  (every feature loaded, aliases included)

    found = reach_walk.take(Budget(5000))
    assert not [p for p in found.containers if "jupyterlab_ml_debugger" in p], list(found.containers)[:20]
    assert not [name for name, _ in reach_walk.user_modules() if "jupyterlab_ml_debugger" in name]
    types, _ = growth_walk.type_counts(Budget(5000))
    assert types is not None
    assert "list" not in types and "cell" not in types and "frame" not in types


def test_a_module_of_the_users_files_is_walked_and_judged_again_when_its_name_is_rebound(tmp_path, monkeypatch) -> None:
    """Modules are judged once (with torch imported, judging them all took 10 ms a sample), yet a
    module put in a name's place, or a move of the working directory, is judged anew."""
    import importlib
    import sys
    import types

    (tmp_path / "my_cache.py").write_text("SEEN = {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "my_cache", raising=False)
    mine = importlib.import_module("my_cache")
    assert dict(reach_walk.user_modules()).get("my_cache") is mine
    assert "my_cache.SEEN" in reach_walk.take(Budget(5000)).containers

    installed = types.ModuleType("my_cache")
    installed.__file__ = os.path.join(os.sep, "opt", "lib", "site-packages", "my_cache.py")
    monkeypatch.setitem(sys.modules, "my_cache", installed)
    assert "my_cache" not in dict(reach_walk.user_modules())

    monkeypatch.setitem(sys.modules, "my_cache", mine)
    assert dict(reach_walk.user_modules()).get("my_cache") is mine
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(tmp_path)])
    assert "my_cache" not in dict(reach_walk.user_modules())


def test_a_module_of_the_users_imported_or_dropped_between_samples_is_seen_at_the_next(tmp_path, monkeypatch) -> None:
    """A look that finds sys.modules as it was reuses its answer: one import or one removal
    in between is still noticed."""
    import importlib
    import sys

    (tmp_path / "my_first.py").write_text("SEEN = []\n")
    (tmp_path / "my_second.py").write_text("SEEN = []\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("my_first", "my_second"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    first = importlib.import_module("my_first")
    assert "my_first" in dict(reach_walk.user_modules())
    assert dict(reach_walk.user_modules()).get("my_first") is first

    second = importlib.import_module("my_second")
    assert dict(reach_walk.user_modules()).get("my_second") is second
    del sys.modules["my_first"]
    assert sorted(n for n, _ in reach_walk.user_modules() if n.startswith("my_")) == ["my_second"]


class CountedSearch(leak_hints.GrowthSearch):
    """A growth search that counts its walks of every object."""

    def __init__(self) -> None:
        super().__init__()
        self.walks = 0

    def _take(self, reach: reach_walk.Reach):  # type: ignore[no-untyped-def]
        self.walks += 1
        return super()._take(reach)


def test_open_files_that_climb_and_fall_with_a_dataloaders_batches_cost_one_walk_not_one_per_climb() -> None:
    """A DataLoader passes each batch as file descriptors: open files climb and fall by the batches
    in flight. Only a climb past every earlier count (as a leak keeps making) earns a walk."""
    store, search = CounterHistory(), CountedSearch()
    band = [18, 21, 24, 27, 19, 22, 25, 27, 18, 20, 23, 26, 19, 23, 27, 18] * 3
    for step, open_files in enumerate(band):
        flags = leak_hints.leak_flags([FDS], store.record(float(step), {"fds": float(open_files)}), reach([]), search)
        assert flags == []
    assert search.walks == 1  # the first climb, before there was a band to compare with

    handles: list[object] = []
    leaked = []
    for step in range(len(band), len(band) + 10):  # now a leak: 3 more files each sample, new highs
        handles.extend(object() for _ in range(3))
        leaked = leak_hints.leak_flags([FDS], store.record(float(step), {"fds": 27.0 + len(handles)}),
                                       reach([("handles", handles)]), search)
    [flag] = leaked
    assert flag["counter"] == "fds" and flag["containers"][0]["path"] == "handles"
