"""Load the probe into a kernel and register its comm target.

The frontend runs this file's text on a kernel subshell, inside a private
namespace, then calls ``boot(sources, version)``. It never touches the user's
namespace. When the package installed in the kernel's environment has the
frontend's version it is imported; otherwise the frontend's own copy
(``sources``: a module's path, slash-separated and without ``.py``, -> source
text, embedded at build time; a package is its ``__init__``) is served by a
finder placed first on ``sys.meta_path``, so that ``import
jupyterlab_ml_debugger`` in a cell resolves to the very module the probe runs
from. Stdlib only: this runs before anything of ours is importable.
"""

import importlib
import importlib.abc
import importlib.util
import sys

PACKAGE = "jupyterlab_ml_debugger"


class EmbeddedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the package's modules from source text held in memory."""

    def __init__(self, sources, version):
        self.sources = dict(sources)
        self.version = version

    def find_spec(self, fullname, path=None, target=None):
        key = self._key(fullname)
        if key is None:
            return None
        # A package gets an empty __path__: its submodules, and the relative imports between
        # the probe's feature packages, are found by full name here, never on disk.
        is_package = key.endswith("__init__")
        spec = importlib.util.spec_from_loader(fullname, self, is_package=is_package)
        spec.origin = "<" + PACKAGE + " " + self.version + ": " + key + ".py>"
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        key = self._key(module.__name__)
        code = compile(self.sources[key], module.__spec__.origin, "exec")
        exec(code, module.__dict__)

    def _key(self, fullname):
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        rel = fullname.replace(".", "/")
        if rel + "/__init__" in self.sources:
            return rel + "/__init__"
        if rel in self.sources:
            return rel
        return None


def _forget_package():
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def _drop_old_finders():
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "EmbeddedFinder"]


def _load(sources, version):
    """Return the probe module of this version, loading it if needed."""
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None and getattr(loaded, "__version__", None) == version:
        return importlib.import_module(PACKAGE + ".probe")
    if loaded is None:
        try:
            installed = importlib.import_module(PACKAGE)
        except Exception:
            installed = None
        if installed is not None and getattr(installed, "__version__", None) == version:
            return importlib.import_module(PACKAGE + ".probe")
    if not sources:
        raise RuntimeError(
            "The probe version " + version + " is neither loaded nor installed, "
            "and no embedded copy was sent."
        )
    _forget_package()
    _drop_old_finders()
    sys.meta_path.insert(0, EmbeddedFinder(sources, version))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE + ".probe")


def boot(sources, version):
    """Load the probe, register its comm target, and return its hello."""
    probe = _load(sources, version)
    probe.register_comm_target()
    return probe.hello()
