"""The Jupyter server extension: crash reports of dead kernels, and stacks read from outside a kernel.

It runs in the Jupyter server's process, never in a kernel: it knows each local kernel's process
through the server's kernel manager and reads the files the kernel's crash recorder writes.
"""

from __future__ import annotations

from typing import Any

from tornado.ioloop import PeriodicCallback

from . import routes
from .store import ReportStore
from .watcher import TICK_S, KernelWatcher


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Start watching the server's kernels and add the routes."""
    runtime_dir = serverapp.kernel_manager.connection_dir
    watcher = KernelWatcher(serverapp.kernel_manager, ReportStore(runtime_dir), runtime_dir)
    web_app = serverapp.web_app
    web_app.settings["ml_debugger_watcher"] = watcher
    web_app.add_handlers(".*$", routes.handlers(web_app.settings["base_url"]))
    PeriodicCallback(watcher.tick, TICK_S * 1000).start()
    serverapp.log.info("jupyterlab_ml_debugger: watching kernels for crashes; reports kept in %s", runtime_dir)
