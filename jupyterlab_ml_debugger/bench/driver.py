"""A real-kernel driver (jupyter_client) for the benchmarks and the integration tests.

It does what the frontend does: creates a subshell, boots the probe there from a
private namespace, talks to it over a comm on that subshell, and speaks DAP on the
control channel. One thread reads IOPub and routes each message to whoever waits
for it; the shell channel is only written to (under a lock, zmq sockets are not
thread-safe) and the control channel is used one request at a time.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from .. import __version__
from ..probe import protocol
from .boot import _KERNEL_NAME, _MARKER, PACKAGE_DIR, boot_code, embedded_sources, hideable_dir, kernel_spec_dir


Json = dict[str, Any]

# The key under which a reply dict keeps the comm message's binary buffers (as bytes).
BUFFERS = "_buffers"


class KernelGone(RuntimeError):
    """The kernel restarted or died while a request was waiting for its answer."""


@dataclass
class Execution:
    """One execute_request as seen on IOPub: its output, its error, and whether it finished."""

    msg_id: str
    stdout: list[str] = field(default_factory=list)
    error: Json | None = None
    gone: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def text(self) -> str:
        """Everything the execution printed to stdout."""
        return "".join(self.stdout)


@dataclass
class Pending:
    """A probe request waiting for its reply on IOPub."""

    request_id: int
    op: str
    replies: queue.Queue = field(default_factory=queue.Queue)


class Driver:
    """Start, drive and stop one kernel."""

    def __init__(self, *, package_on_path: bool = True, python: str = sys.executable) -> None:
        self.cwd = tempfile.mkdtemp(prefix="ml-debugger-kernel-")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        if package_on_path:
            env["PYTHONPATH"] = str(PACKAGE_DIR.parent)
        # Without the package, the kernel must not find it through an editable install either.
        hidden = None if package_on_path else hideable_dir()
        self.package_hidden = hidden is not None
        self._spec_dir = kernel_spec_dir(python, hidden)
        specs = KernelSpecManager(kernel_dirs=[self._spec_dir])
        self.km = KernelManager(kernel_name=_KERNEL_NAME, kernel_spec_manager=specs)
        self._env = env
        self.kc: BlockingKernelClient | None = None
        self.subshell_id: str | None = None
        self.comm_id: str | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._shell_lock = threading.Lock()
        self._control_lock = threading.Lock()
        self._executions: dict[str, Execution] = {}
        self._pending: dict[int, Pending] = {}
        self._events: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    # lifecycle

    def start(self, timeout: float = 60) -> None:
        """Start the kernel, the IOPub reader, and wait until the kernel answers."""
        self.km.start_kernel(cwd=self.cwd, env=self._env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self._reader = threading.Thread(target=self._read_iopub, name="iopub-router", daemon=True)
        self._reader.start()
        self._wait_ready(timeout)

    def shutdown(self) -> None:
        """Stop the reader, the channels and the kernel, and remove the temporary directories."""
        self._stop.set()
        self._fail_all("the driver shut the kernel down")
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self.kc is not None:
            self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        for path in (self.cwd, self._spec_dir):
            shutil.rmtree(path, ignore_errors=True)

    def restart(self, timeout: float = 60) -> None:
        """Restart the kernel; anything still waiting fails with KernelGone."""
        self._fail_all("the kernel restarted while this request was pending")
        self.subshell_id = self.comm_id = None
        self.km.restart_kernel(now=True)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.control("kernel_info_request", {}, timeout=2, raise_on_timeout=False) is None:
            if time.monotonic() > deadline:
                raise TimeoutError("the kernel did not answer kernel_info within the timeout")
        # IOPub subscribes asynchronously: only a seen status proves messages reach the reader.
        while not self.execute("pass", silent=True, timeout=1, raise_on_timeout=False).done.is_set():
            if time.monotonic() > deadline:
                raise TimeoutError("the kernel's IOPub did not reach the driver within the timeout")

    def _fail_all(self, reason: str) -> None:
        with self._lock:
            executions, pending = list(self._executions.values()), list(self._pending.values())
            self._executions.clear()
            self._pending.clear()
        for execution in executions:
            execution.gone = reason
            execution.done.set()
        for request in pending:
            request.replies.put(KernelGone(f"{reason} (request {request.request_id}, {request.op})"))

    def _check_alive(self) -> None:
        if not self.km.is_alive():
            self._fail_all("the kernel died while this request was pending")
            raise KernelGone("the kernel died")

    # IOPub routing

    def _read_iopub(self) -> None:
        assert self.kc is not None
        while not self._stop.is_set():
            try:
                msg = self.kc.iopub_channel.get_msg(timeout=0.1)
            except queue.Empty:
                continue
            self._route(msg)

    def _route(self, msg: Json) -> None:
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind == "debug_event":
            self._events.put(content)
        elif kind == "comm_msg":
            data = content.get("data") or {}
            for reply in data["batch"] if isinstance(data.get("batch"), list) else [data]:
                with self._lock:
                    request = self._pending.pop(reply.get("id"), None)
                if request is not None:
                    if msg.get("buffers"):
                        reply[BUFFERS] = [bytes(b) for b in msg["buffers"]]
                    request.replies.put(reply)
        else:
            with self._lock:
                execution = self._executions.get(msg["parent_header"].get("msg_id"))
            if execution is not None:
                self._record(execution, kind, content)

    def _record(self, execution: Execution, kind: str, content: Json) -> None:
        if kind == "stream" and content.get("name") == "stdout":
            execution.stdout.append(content["text"])
        elif kind == "error":
            execution.error = content
        elif kind == "status" and content.get("execution_state") == "idle":
            with self._lock:
                self._executions.pop(execution.msg_id, None)
            execution.done.set()

    # shell

    def _shell_msg(self, msg_type: str, content: Json, subshell_id: str | None) -> Json:
        assert self.kc is not None
        msg = self.kc.session.msg(msg_type, content)
        if subshell_id is not None:
            msg["header"]["subshell_id"] = subshell_id
        return msg

    def _send(self, msg: Json) -> None:
        assert self.kc is not None
        with self._shell_lock:
            self.kc.shell_channel.send(msg)

    def execute_async(
        self, code: str, subshell_id: str | None = None, silent: bool = False
    ) -> Execution:
        """Send an execute_request (on a subshell when given) and return its Execution at once."""
        msg = self._shell_msg("execute_request", {"code": code, "silent": silent,
                                                   "store_history": not silent}, subshell_id)
        execution = Execution(msg["header"]["msg_id"])
        with self._lock:
            self._executions[execution.msg_id] = execution
        self._send(msg)
        return execution

    def wait(
        self, execution: Execution, timeout: float = 60, raise_on_timeout: bool = True
    ) -> Execution:
        """Wait for an execution to finish; raise on a cell error, a restart, or the timeout."""
        deadline = time.monotonic() + timeout
        while not execution.done.wait(0.25):
            self._check_alive()
            if time.monotonic() > deadline:
                if raise_on_timeout:
                    raise TimeoutError(f"the cell did not finish within {timeout} s")
                return execution
        if execution.gone is not None:
            raise KernelGone(execution.gone)
        if execution.error is not None:
            error = execution.error
            raise RuntimeError(f"the cell failed: {error['ename']}: {error['evalue']}")
        return execution

    def execute(self, code: str, subshell_id: str | None = None, silent: bool = False,
                timeout: float = 60, raise_on_timeout: bool = True) -> Execution:
        """Run a cell and wait for it to finish."""
        execution = self.execute_async(code, subshell_id, silent)
        return self.wait(execution, timeout, raise_on_timeout)

    # control

    def control(self, msg_type: str, content: Json, timeout: float = 30,
                raise_on_timeout: bool = True) -> Json | None:
        """Send one control request and return its reply content (None on a tolerated timeout)."""
        assert self.kc is not None
        with self._control_lock:
            msg = self.kc.session.msg(msg_type, content)
            self.kc.control_channel.send(msg)
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                try:
                    reply = self.kc.control_channel.get_msg(timeout=min(left, 0.5))
                except queue.Empty:
                    self._check_alive()
                    continue
                if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                    return reply["content"]
        if raise_on_timeout:
            raise TimeoutError(f"no {msg_type} reply within {timeout} s")
        return None

    def create_subshell(self) -> str:
        """Create a kernel subshell (JEP 91) and remember its id."""
        reply = self.control("create_subshell_request", {})
        assert reply is not None
        if reply.get("status") != "ok":
            raise RuntimeError(f"create_subshell_request failed: {reply}")
        self.subshell_id = reply["subshell_id"]
        return self.subshell_id

    # probe

    def boot(self, mode: str = "installed") -> Json:
        """Boot the probe on the subshell and return its hello: "installed" sends no sources,
        "embedded" forces the sources, "frontend" sends them as the frontend does and lets
        bootstrap.py use the installed copy if the kernel has this version."""
        if mode not in ("installed", "embedded", "frontend"):
            raise ValueError("mode is 'installed', 'embedded' or 'frontend'")
        # A version no installed copy has forces bootstrap.py to load the embedded sources.
        version = __version__ + "+embedded" if mode == "embedded" else __version__
        sources = embedded_sources(version) if mode != "installed" else None
        execution = self.execute(boot_code(sources, version), self.subshell_id, silent=True)
        lines = [line for line in execution.text.splitlines() if line.startswith(_MARKER)]
        if not lines:
            raise RuntimeError(f"the boot cell printed no hello: {execution.text!r}")
        return json.loads(lines[-1][len(_MARKER):])

    def open_comm(self) -> str:
        """Open a comm to the probe's target on the subshell."""
        comm_id = uuid.uuid4().hex
        content = {"comm_id": comm_id, "target_name": protocol.COMM_TARGET, "data": {}}
        self._send(self._shell_msg("comm_open", content, self.subshell_id))
        self.comm_id = comm_id
        return comm_id

    def send_request(self, op: str, args: Json | None = None) -> Pending:
        """Send one probe request over the comm; read the reply with ``reply``."""
        if self.comm_id is None:
            raise RuntimeError("open_comm() first")
        request = Pending(next(self._ids), op)
        with self._lock:
            self._pending[request.request_id] = request
        data = {"id": request.request_id, "op": op, "args": args or {}}
        content = {"comm_id": self.comm_id, "data": data}
        self._send(self._shell_msg("comm_msg", content, self.subshell_id))
        return request

    def send_batch(self, requests: list[tuple[str, Json]]) -> list[Pending]:
        """Send several probe requests in one comm message, as the frontend batches a poll."""
        if self.comm_id is None:
            raise RuntimeError("open_comm() first")
        pending, batch = [], []
        for op, args in requests:
            request = Pending(next(self._ids), op)
            pending.append(request)
            batch.append({"id": request.request_id, "op": op, "args": args})
        with self._lock:
            self._pending.update((p.request_id, p) for p in pending)
        content = {"comm_id": self.comm_id, "data": {"batch": batch}}
        self._send(self._shell_msg("comm_msg", content, self.subshell_id))
        return pending

    def reply(self, request: Pending, timeout: float = 30) -> Json:
        """Wait for a request's reply; KernelGone when the kernel restarted or died meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = request.replies.get(timeout=0.25)
            except queue.Empty:
                self._check_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply to request {request.request_id} ({request.op}) "
                                       f"within {timeout} s") from None
                continue
            if isinstance(answer, Exception):
                raise answer
            return answer

    def request(self, op: str, args: Json | None = None, timeout: float = 30) -> Json:
        """Send a probe request and return its reply."""
        return self.reply(self.send_request(op, args), timeout)

    # DAP

    def dap(self, command: str, arguments: Json | None = None, timeout: float = 30) -> Json:
        """Send one DAP request on the control channel and return its response."""
        content = {"type": "request", "seq": next(self._ids), "command": command,
                   "arguments": arguments or {}}
        reply = self.control("debug_request", content, timeout)
        assert reply is not None
        return reply

    def debug_on(self) -> None:
        """Switch the debugger on as JupyterLab does: initialize, attach, configurationDone."""
        self.dap("initialize", {"clientID": "ml-debugger-driver", "clientName": "ml-debugger-driver",
                                "adapterID": "", "pathFormat": "path", "linesStartAt1": True,
                                "columnsStartAt1": True, "supportsVariableType": True,
                                "supportsVariablePaging": True, "supportsRunInTerminalRequest": True,
                                "locale": "en"})
        self.dap("attach")
        self.dap("debugInfo")
        self.dap("configurationDone")

    def set_breakpoints(self, code: str, lines: list[int]) -> str:
        """Dump a cell's code and set line breakpoints in it; return its source path."""
        source = self.dap("dumpCell", {"code": code})["body"]["sourcePath"]
        reply = self.dap("setBreakpoints", {"breakpoints": [{"line": n} for n in lines],
                                            "source": {"path": source}, "sourceModified": False})
        if not reply.get("success"):
            raise RuntimeError(f"setBreakpoints failed: {reply}")
        return source

    def wait_event(self, event: str, timeout: float = 30) -> Json:
        """Wait for a DAP event on IOPub and return its body; earlier other events are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                content = self._events.get(timeout=0.25)
            except queue.Empty:
                self._check_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no {event} event within {timeout} s") from None
                continue
            if content.get("event") == event:
                return content.get("body") or {}

    def stack_frames(self, thread_id: int) -> list[Json]:
        """The DAP stackTrace of a thread, innermost first."""
        return self.dap("stackTrace", {"threadId": thread_id})["body"]["stackFrames"]


def frame_refs(stack_frames: list[Json]) -> list[Json]:
    """The protocol's FrameRefs for a DAP stackTrace, as the frontend builds them."""
    return [{"path": f["source"]["path"], "name": f["name"], "line": f["line"]} for f in stack_frames]
