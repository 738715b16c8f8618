"""Containers that only grow are flagged by path; bounded, stopped or rebound ones are not."""

from __future__ import annotations

from jupyterlab_ml_debugger.probe.counters.container_growth import MIN_SAMPLES, ContainerGrowth
from jupyterlab_ml_debugger.probe.counters.reach_walk import Reach


def reach(**lengths: int | tuple[int, int]) -> Reach:
    """One walk: each path's length (and, as a pair, the identity of the object there)."""
    found = {}
    for path, length in lengths.items():
        ident, length = (length if isinstance(length, tuple) else (1, length))
        found[path.replace("__", ".")] = (ident, length, "dict", "str")
    return Reach(found, len(found), None, 1.0)


def flags_over(lengths: list[int], growth: ContainerGrowth | None = None, **fixed: int) -> list[dict]:
    growth = growth or ContainerGrowth()
    flags: list[dict] = []
    for step, length in enumerate(lengths):
        flags = growth.record(float(step), reach(Processes___procinfo=length, **fixed))
    return flags


def test_a_dict_that_gains_an_entry_every_sample_is_flagged_by_path_and_rate() -> None:
    growth = ContainerGrowth()
    assert flags_over(list(range(MIN_SAMPLES - 1)), growth) == []
    flags = growth.record(float(MIN_SAMPLES), reach(Processes___procinfo=MIN_SAMPLES))
    assert [f["message"] for f in flags] == ["`Processes._procinfo` grew by 20 entries in 20 s (never shrank)."]
    assert flags[0]["kind"] == "container-leak" and flags[0]["counter"] is None
    assert flags[0]["containers"] == [{"path": "Processes._procinfo", "length": 20, "delta": 20}]


def test_a_list_cleared_each_epoch_is_never_flagged() -> None:
    epochs = [step % 8 for step in range(60)]
    assert flags_over(epochs) == []


def test_a_history_that_stopped_growing_is_no_longer_flagged() -> None:
    assert flags_over(list(range(30)))
    assert flags_over(list(range(30)) + [29] * (MIN_SAMPLES // 2 + 1)) == []


def test_a_container_that_stays_the_same_size_is_not_flagged() -> None:
    assert flags_over([5] * 40) == []


def test_a_name_rebound_to_a_new_dict_starts_over() -> None:
    growth = ContainerGrowth()
    for step in range(30):
        growth.record(float(step), reach(Processes___procinfo=(1, step)))
    assert growth.record(30.0, reach(Processes___procinfo=(2, 31))) == []
