"""JupyterLab's visual debugger, made for machine-learning notebooks."""

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the built labextension lives and what it is called, for JupyterLab."""
    return [{"src": "labextension", "dest": "jupyterlab-ml-debugger"}]
