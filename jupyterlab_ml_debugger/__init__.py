"""JupyterLab's visual debugger, made for machine-learning notebooks."""

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the built labextension lives and what it is called, for JupyterLab."""
    return [{"src": "labextension", "dest": "jupyterlab-ml-debugger"}]


def watch_nonfinite(model: object, on: bool = True, mode: str = "auto", update_ratio: bool = False) -> dict:
    """Find the module where the first NaN/Inf is made, and keep the model's gradient health.

    Stops in the debugger at that module when it is on, else raises NonFiniteError; ``on=False``
    removes every hook. ``mode="per-module"`` stops in the module's hook on CUDA too (one sync
    per module); ``update_ratio`` measures each optimizer step (copies the weights meanwhile).
    """
    from .probe import nan_registry

    if not on:
        return nan_registry.stop(model)
    return nan_registry.start(model, type(model).__name__, mode, update_ratio)


def __getattr__(name: str) -> object:
    # NonFiniteError lives with the probe, imported only when asked for.
    if name == "NonFiniteError":
        from .probe.nan_origin import NonFiniteError

        return NonFiniteError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
