"""Shared fixtures for the real-kernel tests: one kernel per test module, probe booted on a subshell."""

from __future__ import annotations

from typing import Iterator

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver


def connect_probe(driver: Driver, mode: str = "installed") -> dict:
    """Create a subshell, boot the probe there, open its comm; return the boot's hello."""
    driver.create_subshell()
    hello = driver.boot(mode)
    driver.open_comm()
    return hello


@pytest.fixture(scope="module")
def kernel() -> Iterator[Driver]:
    """A started kernel with the installed probe booted on a subshell and its comm open."""
    driver = Driver()
    driver.start()
    try:
        connect_probe(driver)
        yield driver
    finally:
        driver.shutdown()


def rows_by_name(rows: list[dict]) -> dict[str, dict]:
    """Index reply rows by their name."""
    return {row["name"]: row for row in rows}


def ok_result(reply: dict) -> dict:
    """The result of a successful reply, failing the test with the probe's error otherwise."""
    assert reply["ok"], reply.get("error")
    return reply["result"]
