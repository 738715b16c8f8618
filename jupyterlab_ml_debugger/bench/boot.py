"""How the driver boots the probe the way the frontend does, and the kernelspec it starts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
BOOTSTRAP_PATH = PACKAGE_DIR / "bootstrap.py"
_MARKER = "\x00ml-debugger-boot:"
_KERNEL_NAME = "ml-debugger-driver"


def embedded_sources(version: str) -> dict[str, str]:
    """The package's modules keyed as bootstrap.py expects, with a synthetic ``_version``."""
    root = PACKAGE_DIR.name
    sources = {f"{root}/__init__": (PACKAGE_DIR / "__init__.py").read_text()}
    sources[f"{root}/_version"] = f"__version__ = {version!r}\n"
    for path in sorted((PACKAGE_DIR / "probe").rglob("*.py")):
        key = path.relative_to(PACKAGE_DIR).with_suffix("").as_posix()
        sources[f"{root}/{key}"] = path.read_text()
    return sources


def boot_code(sources: dict[str, str] | None, version: str) -> str:
    """A cell that runs bootstrap.py in a fresh dict and prints the hello; it binds no user names.

    The file and namespace names are src/kernel/bootstrap.ts's, by which the probe knows its own frames."""
    text = BOOTSTRAP_PATH.read_text()
    return (
        "(lambda ns: (exec(compile({text!r}, '<jupyterlab_ml_debugger bootstrap>', 'exec'), ns), "
        "print({marker!r} + __import__('json').dumps(ns['boot']({sources!r}, {version!r})))))"
        "({{'__name__': 'jupyterlab_ml_debugger_bootstrap'}})"
    ).format(text=text, marker=_MARKER, sources=sources or {}, version=version)


# The kernel's first lines when the package must not be importable: an editable install's
# .pth file put the checkout on sys.path at startup, and with it pydevd_plugins/.
_HIDING_LAUNCHER = (
    "import os, sys; hidden = os.path.realpath({hidden!r}); "
    "sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != hidden]; "
    "from ipykernel import kernelapp; kernelapp.launch_new_instance()"
)


def hideable_dir() -> str | None:
    """The directory this package is imported from, when a kernel can start without it (a checkout
    or an editable install); None when it is the site-packages that ipykernel comes from too."""
    parent = PACKAGE_DIR.parent
    return None if (parent / "ipykernel").is_dir() else str(parent)


def kernel_spec_dir(python: str, hidden: str | None = None) -> str:
    """A kernelspec directory whose kernel is ``python -m ipykernel_launcher``, or, with ``hidden``,
    the same kernel started with that directory off its ``sys.path``."""
    root = tempfile.mkdtemp(prefix="ml-debugger-kernels-")
    launch = ["-m", "ipykernel_launcher"] if hidden is None else ["-c", _HIDING_LAUNCHER.format(hidden=hidden)]
    spec = {"argv": [python, *launch, "-f", "{connection_file}"],
            "display_name": "ml-debugger driver", "language": "python"}
    (Path(root) / _KERNEL_NAME).mkdir()
    (Path(root) / _KERNEL_NAME / "kernel.json").write_text(json.dumps(spec))
    return root
