"""JupyterLab's visual debugger, made for machine-learning notebooks."""

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The server extension (crash reports, stacks read from outside a kernel), for Jupyter Server."""
    return [{"module": "jupyterlab_ml_debugger.server"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the built labextension lives and what it is called, for JupyterLab."""
    return [{"src": "labextension", "dest": "jupyterlab-ml-debugger"}]


def watch_nonfinite(model: object, on: bool = True, mode: str = "auto", update_ratio: bool = False,
                    health: bool = True) -> dict:
    """Find the module where the first NaN/Inf is made, and keep the model's gradient health.

    Stops in the debugger at that module when it is on, else raises NonFiniteError; ``on=False``
    removes every hook. ``mode="per-module"`` stops in the module's hook on CUDA too (one sync
    per module); ``update_ratio`` measures each optimizer step (copies the weights meanwhile);
    ``health=False`` keeps no gradient health, only looks for origins, and costs less per step.
    """
    from .probe.checks import nan_registry

    if not on:
        return nan_registry.stop(model)
    return nan_registry.start(model, _name_in_caller(model), mode, update_ratio, health)


def _name_in_caller(value: object) -> str:
    """The name the calling cell knows ``value`` by (its locals, then its globals), else its class.

    Only identity is compared: nothing of the user's runs.
    """
    import sys

    frame = sys._getframe(2)
    for scope in (frame.f_locals, frame.f_globals):
        for name, bound in list(scope.items()):
            if bound is value and isinstance(name, str) and not name.startswith("_"):
                return name
    return type(value).__name__


def __getattr__(name: str) -> object:
    # NonFiniteError lives with the probe, imported only when asked for.
    if name == "NonFiniteError":
        from .probe.checks.nan_origin import NonFiniteError

        return NonFiniteError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
