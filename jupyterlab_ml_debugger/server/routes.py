"""The REST routes under the server's base URL, each behind Jupyter's authentication (a token or
the login cookie, with its XSRF check) and its authorizer's "kernels" permission.

- ``GET ml-debugger/crashes?kernel=<kernel id>`` -> ``{"reports": [CrashReport]}``, newest first
- ``DELETE ml-debugger/crashes/<report id>`` -> 204
- ``POST ml-debugger/kernels/<kernel id>/stacks`` -> OutsideStacks (``py-spy dump`` of that kernel)
- ``GET ml-debugger/status`` -> ``{"pyspy": {"available": bool, "version": str | None},
  "local_kernels": bool}``

A request that fails gets a 4xx with ``{"message": sentence}``. No route takes a path or a
command from the client: ids are checked against what the server manages.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from . import local_kernels, pyspy
from .store import REPORT_ID, ReportStore
from .watcher import KernelWatcher

KERNEL_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class _Handler(APIHandler):
    auth_resource = "kernels"

    @property
    def watcher(self) -> KernelWatcher:
        return self.settings["ml_debugger_watcher"]

    @property
    def store(self) -> ReportStore:
        return self.watcher.store

    def fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.finish(json.dumps({"message": message}))

    def unknown_kernel(self, kernel_id: str) -> None:
        self.fail(404, f"This server has no kernel {kernel_id!r}, now or before: open the notebook whose "
                       "kernel you mean, or start its kernel again.")


class CrashesHandler(_Handler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        kernel_id = self.get_query_argument("kernel", "")
        if not KERNEL_ID.match(kernel_id):
            self.fail(400, "Say which kernel's crash reports you want: ml-debugger/crashes?kernel=<kernel id>.")
            return
        if not self.watcher.manages(kernel_id):
            self.unknown_kernel(kernel_id)
            return
        self.finish(json.dumps({"reports": self.store.of_kernel(kernel_id)}))


class CrashHandler(_Handler):
    @web.authenticated
    @authorized
    async def delete(self, report_id: str) -> None:
        if not REPORT_ID.match(report_id):
            self.fail(400, "A crash report id is 32 hexadecimal digits, as the report's \"id\" says.")
            return
        if not self.store.remove(report_id):
            self.fail(404, "There is no crash report with this id: it was dismissed already, or its file in "
                           "the Jupyter runtime directory was removed.")
            return
        self.set_status(204)
        self.finish()


class StacksHandler(_Handler):
    _busy: set[str] = set()

    @web.authenticated
    @authorized
    async def post(self, kernel_id: str) -> None:
        if not self._empty_body():
            self.fail(400, "This request takes no body (or an empty JSON object): the server reads the stacks "
                           "of the kernel the URL names, with a fixed command.")
            return
        manager = self.kernel_manager
        if not KERNEL_ID.match(kernel_id) or kernel_id not in manager.list_kernel_ids():
            self.unknown_kernel(kernel_id)
            return
        process = local_kernels.process_of(manager, kernel_id)
        if process is None or process.poll() is not None:
            self.finish(json.dumps(pyspy.failed(local_kernels.no_process_reason(manager, kernel_id))))
            return
        if kernel_id in self._busy:
            self.fail(409, "The kernel's stacks are being read already; wait for that reading to finish.")
            return
        self._busy.add(kernel_id)
        try:
            result = await pyspy.dump(process.pid)
        finally:
            self._busy.discard(kernel_id)
        self.finish(json.dumps(result))

    def _empty_body(self) -> bool:
        body = self.request.body.strip()
        if not body:
            return True
        try:
            return json.loads(body) == {}
        except ValueError:
            return False


class StatusHandler(_Handler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        version = await asyncio.get_running_loop().run_in_executor(None, pyspy.version)
        remote = local_kernels.remote_reason(self.kernel_manager)
        self.finish(json.dumps({"pyspy": {"available": version is not None, "version": version},
                                "local_kernels": remote is None}))


def handlers(base_url: str) -> list[tuple[str, Any]]:
    """The routes, under the server's base URL."""
    root = url_path_join(base_url, "ml-debugger")
    return [
        (url_path_join(root, "crashes") + "/?", CrashesHandler),
        (url_path_join(root, "crashes", "([^/]+)") + "/?", CrashHandler),
        (url_path_join(root, "kernels", "([^/]+)", "stacks") + "/?", StacksHandler),
        (url_path_join(root, "status") + "/?", StatusHandler),
    ]
