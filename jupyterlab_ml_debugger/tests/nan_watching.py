"""What the origin-watch tests share: no watch outlives a test, and the origin a watch found."""

from __future__ import annotations

import pytest

from jupyterlab_ml_debugger.probe.checks import nan_registry


@pytest.fixture(autouse=True)
def no_watch_left():
    """Imported into a test module, removes every watch after each of its tests."""
    yield
    for model in list(nan_registry._watches.keys()):
        nan_registry.stop(model)


def origin_of(model):
    """The Origin the watch on ``model`` found, or None."""
    return nan_registry.watch_of(model).origin
