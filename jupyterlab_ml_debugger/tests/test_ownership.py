"""What belongs to the probe, decided in one place: its module names, files, frames and functions."""

from __future__ import annotations

import functools
import os
import sys

import jupyterlab_ml_debugger
from jupyterlab_ml_debugger import watch_nonfinite
from jupyterlab_ml_debugger.probe import dispatch, ownership, protocol
from jupyterlab_ml_debugger.probe.budget import Budget
from jupyterlab_ml_debugger.probe.structure import shape_record

PACKAGE_DIR = os.path.dirname(jupyterlab_ml_debugger.__file__)


def test_the_probe_s_modules_and_aliases_are_its_own_and_the_rest_of_the_package_is_not() -> None:
    for name in ("jupyterlab_ml_debugger", "jupyterlab_ml_debugger._version", "jupyterlab_ml_debugger.probe",
                 "jupyterlab_ml_debugger.probe.stack.frames", protocol.ACTIONS_MODULE_ALIAS,
                 protocol.CHECKED_MODULE_ALIAS, "jupyterlab_ml_debugger_bootstrap",
                 "pydevd_plugins.extensions.pydevd_plugin_jupyterlab_ml_debugger_secrets"):
        assert ownership.is_probe_module(name), name
    for name in ("jupyterlab_ml_debugger.tests.test_ownership", "jupyterlab_ml_debugger.bench",
                 "jupyterlab_ml_debugger_notes", "probe", "__main__", "pydevd_plugins.extensions.pydevd_plugin_other",
                 None, 7):
        assert not ownership.is_probe_module(name), name


def test_installed_and_sent_files_of_the_probe_are_its_own() -> None:
    assert ownership.is_probe_file(dispatch.__file__)
    assert ownership.is_probe_file(os.path.join(PACKAGE_DIR, "__init__.py"))
    assert ownership.is_probe_file("<jupyterlab_ml_debugger 0.1.0: jupyterlab_ml_debugger/probe/comm.py>")
    assert ownership.is_probe_file("<jupyterlab_ml_debugger bootstrap>")
    assert not ownership.is_probe_file(__file__)
    assert not ownership.is_probe_file(os.path.join(PACKAGE_DIR, "bench", "driver.py"))
    assert not ownership.is_probe_file("/tmp/ipykernel_1/123.py")
    assert not ownership.is_probe_file("<ipython-input-1-abc>")


def test_a_frame_running_the_probe_is_its_own_and_its_caller_is_not() -> None:
    seen = _Deadline()
    assert Budget.expired(seen) is False  # type: ignore[arg-type]
    assert ownership.is_probe_frame(seen.reader) and seen.reader.f_code.co_name == "expired"
    assert not ownership.is_probe_frame(sys._getframe())


class _Deadline:
    """Stands in for a Budget, keeping the frame of the probe's method that reads its deadline."""

    reader: object = None

    @property
    def _deadline(self) -> float:
        self.reader = sys._getframe(1)
        return float("inf")


def test_the_probe_s_functions_hooks_and_classes_are_its_own_objects_and_their_values_are_not() -> None:
    assert ownership.is_probe_object(watch_nonfinite)
    assert ownership.is_probe_object(shape_record.record)
    assert ownership.is_probe_object(Budget)
    assert ownership.is_probe_object(Budget(10).expired)  # a bound method
    assert ownership.is_probe_object(functools.partial(Budget(10).child, 5))  # as the NaN watch hooks modules
    assert not ownership.is_probe_object(Budget(10))  # a value the user holds stays theirs
    assert not ownership.is_probe_object(test_the_probe_s_functions_hooks_and_classes_are_its_own_objects_and_their_values_are_not)
    assert not ownership.is_probe_object(len)
    assert not ownership.is_probe_object(int)
    assert not ownership.is_probe_object({"hook": shape_record.record})
