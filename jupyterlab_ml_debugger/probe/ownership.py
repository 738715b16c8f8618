"""What belongs to the probe itself: its modules, files, frames and functions, which no view shows.

The probe is what the frontend sends a kernel (``scripts/embed-probe.js``): the package's
``__init__`` and ``_version`` and everything under ``probe/``; with it go the short aliases
that breakpoint conditions import and the bootstrap that loads it. Installed, its files lie
in the package's folder; sent as source, its modules keep their names and their code is
compiled under ``<jupyterlab_ml_debugger VERSION: path.py>`` (``bootstrap.py``), the
bootstrap's own under ``<jupyterlab_ml_debugger bootstrap>`` (``src/kernel/bootstrap.ts``).
"""

from __future__ import annotations

import functools
import os
import types
from typing import Any

from . import protocol

PACKAGE = __name__.split(".", 1)[0]
_PROBE = __name__.rsplit(".", 1)[0]  # this module is PACKAGE.probe.ownership
# The frontend runs bootstrap.py in a namespace of this name; its finder's methods run on every import.
BOOTSTRAP_NAME = PACKAGE + "_bootstrap"
_NAMES = frozenset({PACKAGE, PACKAGE + "._version", BOOTSTRAP_NAME,
                    protocol.ACTIONS_MODULE_ALIAS, protocol.CHECKED_MODULE_ALIAS})
# Every file name the sent copy and the frontend's bootstrap compile their code under starts so.
_SENT_PREFIX = "<" + PACKAGE + " "
# The package's plugins for debugpy (pydevd_plugins/ beside it): the type provider, the secrets mask.
_DEBUGPY_PLUGINS = "pydevd_plugins.extensions.pydevd_plugin_" + PACKAGE


def _installed_files() -> tuple[str, tuple[str, ...]]:
    """The installed probe's folder and the package's own files beside it; empty when sent as source."""
    here = globals().get("__file__")
    if not isinstance(here, str) or not os.path.isabs(here):
        return "", ()
    probe_dir = os.path.dirname(_norm(here))
    package_dir = os.path.dirname(probe_dir)
    return probe_dir + os.sep, (os.path.join(package_dir, "__init__.py"), os.path.join(package_dir, "_version.py"))


def _norm(path: str) -> str:
    """A path as compared here: absolute, normalised, case-folded where the system folds it."""
    return os.path.normcase(os.path.abspath(path))


_PROBE_DIR, _PACKAGE_FILES = _installed_files()
_function_module = types.FunctionType.__dict__["__module__"].__get__
_method_function = types.MethodType.__dict__["__func__"].__get__
_partial_function = functools.partial.__dict__["func"].__get__
_class_module = type.__dict__["__module__"].__get__
# A hook may be a partial of a bound method: unwrapped this many times at most.
_WRAPS_MAX = 4


def is_probe_module(name: object) -> bool:
    """True for the name of one of the probe's modules, installed or sent, one of its aliases, or one
    of the package's plugins for debugpy."""
    if type(name) is not str:
        return False
    return name in _NAMES or name == _PROBE or name.startswith(_PROBE + ".") or name.startswith(_DEBUGPY_PLUGINS)


@functools.lru_cache(maxsize=4096)
def is_probe_file(path: str) -> bool:
    """True for a file the probe's code was loaded or compiled from."""
    if path.startswith("<"):
        return path.startswith(_SENT_PREFIX)
    if not _PROBE_DIR or not os.path.isabs(path):
        return False
    where = _norm(path)
    return where.startswith(_PROBE_DIR) or where in _PACKAGE_FILES


def is_probe_frame(frame: types.FrameType) -> bool:
    """True for a frame running the probe's code (its module's name or its file says so)."""
    return is_probe_module(frame.f_globals.get("__name__")) or is_probe_file(frame.f_code.co_filename)


def is_probe_object(value: Any) -> bool:
    """True for a function, bound method, partial or class the probe defined (its hooks on the
    user's model, its helpers imported into a notebook); read through the types' own slots."""
    for _ in range(_WRAPS_MAX):
        tp = type(value)
        if tp is types.MethodType:
            value = _method_function(value)
        elif tp is functools.partial:
            value = _partial_function(value)
        else:
            break
    tp = type(value)
    if tp is types.FunctionType:
        return is_probe_module(_function_module(value))
    if issubclass(tp, type):
        return is_probe_module(_class_module(value))
    return False
