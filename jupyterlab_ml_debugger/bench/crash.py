"""What the crash recorder costs a training step, how soon a kernel's death becomes a crash report,
and how long py-spy takes to read every stack of a 20-thread kernel.

A Jupyter server of this environment (with the server extension) runs on a free port with a
runtime directory of its own, and one kernel in it:

- ``arm_overhead``: in that kernel a conv net's SGD step (one thread) runs as a cell of its own
  (``run_cell``, so IPython's ``pre_run_cell`` fires as for a cell the user runs), in blocks of 5
  with the recorder armed and not in turn, ``--steps`` times each after ``--warmup``: the median over
  rounds of the ratio of a round's two block medians (blocks side by side share the machine's
  state; the overall medians, ``step_ms``, drift by a few percent between runs). ``pre_run_cell_us`` is what arming adds to that event alone (median of
  500 calls), the part of the ratio that is not the machine's noise.
- ``pyspy_dump_ms``: with 19 parked threads beside the main one, the median wall time of
  ``--dumps`` ``POST ml-debugger/kernels/<id>/stacks`` calls (py-spy's run and the route's).
- ``report_ms``: the kernel is killed with SIGKILL from here; the time until ``GET
  ml-debugger/crashes`` lists its report (polled every 10 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

Json = dict[str, Any]
STEPS = 30
WARMUP = 5
DUMPS = 5
TOKEN = "ml-debugger-bench"

SETUP = """
import statistics, time, threading, torch
from IPython import get_ipython
from jupyterlab_ml_debugger.probe.crash import recorder
nn = torch.nn
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
    nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x, y = torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,))
torch.set_num_threads(1)  # one core: the step's time depends less on what else the machine runs
STEP = "opt.zero_grad()\\nloss = nn.functional.cross_entropy(model(x), y)\\nloss.backward()\\nopt.step()\\n"

def timed_steps(steps, warmup, block=5):
    shell = get_ipython()
    times = {True: [], False: []}
    for armed in (True, False):
        recorder.arm() if armed else recorder.disarm()
        for _ in range(warmup):
            shell.run_cell(STEP, store_history=True)
    rounds = 0
    ratios = []
    while len(times[False]) < steps:
        for armed in ((True, False) if rounds % 2 else (False, True)):  # neither always goes first
            recorder.arm() if armed else recorder.disarm()
            for _ in range(block):
                started = time.perf_counter()
                shell.run_cell(STEP, store_history=True)
                times[armed].append(time.perf_counter() - started)
        # Each round's two blocks ran side by side: their ratio leaves out the machine's drift.
        ratios.append(statistics.median(times[True][-block:]) / statistics.median(times[False][-block:]))
        rounds += 1
    return {"armed_ms": statistics.median(times[True]) * 1000, "plain_ms": statistics.median(times[False]) * 1000,
            "ratio": statistics.median(ratios), "pre_run_cell_us": _event_cost(shell)}


def _event_cost(shell, calls=500):
    # What arming adds to IPython's pre_run_cell event of one cell, in microseconds (median).
    from IPython.core.interactiveshell import ExecutionInfo
    info = ExecutionInfo(STEP, True, False, True, None)
    medians = {}
    for armed in (False, True):
        recorder.arm() if armed else recorder.disarm()
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            shell.events.trigger("pre_run_cell", info)
            times.append(time.perf_counter() - started)
        medians[armed] = statistics.median(times)
    return (medians[True] - medians[False]) * 1e6

stop = threading.Event()
parked = [threading.Thread(target=stop.wait, name=f"parked-{i}", daemon=True) for i in range(19)]
for thread in parked:
    thread.start()
"""


class Server:
    """A Jupyter server of this environment on a free port, with a runtime directory of its own."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="ml-debugger-bench-crash-")
        self.runtime = os.path.join(self.dir, "runtime")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=self.runtime)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--port={self.port}", "--no-browser", "--allow-root",
             f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={self.dir}",
             "--ServerApp.jpserver_extensions={'jupyterlab_ml_debugger': True}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.call("GET", "api/status")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def call(self, method: str, path: str, body: bytes | None = None) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", data=body, method=method,
                                         headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else None

    def stop(self) -> None:
        """Stop the server (it shuts its kernels down) and remove its directories."""
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)


def execute(kc: BlockingKernelClient, code: str) -> None:
    reply = kc.execute_interactive(code, silent=True, timeout=600, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the benchmark's cell failed: {reply['content'].get('evalue')}")


def printed(kc: BlockingKernelClient, expression: str) -> str:
    """What the kernel prints for ``print(expression)``, run silently (no history, no marker)."""
    text: list[str] = []

    def hook(msg: Json) -> None:
        if msg["msg_type"] == "stream":
            text.append(msg["content"]["text"])

    kc.execute_interactive(f"print({expression})", silent=True, timeout=600, output_hook=hook)
    return "".join(text).strip()


def measure(steps: int, warmup: int, dumps: int) -> Json:
    server = Server()
    try:
        kernel_id = server.call("POST", "api/kernels", json.dumps({"name": "python3"}).encode())["id"]
        kc = BlockingKernelClient(connection_file=os.path.join(server.runtime, f"kernel-{kernel_id}.json"))
        kc.load_connection_file()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        execute(kc, SETUP)
        step = json.loads(printed(kc, f"__import__('json').dumps(timed_steps({steps}, {warmup}))"))
        timings = []
        for _ in range(dumps):
            started = time.perf_counter()
            stacks = server.call("POST", f"ml-debugger/kernels/{kernel_id}/stacks", b"")
            timings.append((time.perf_counter() - started) * 1000)
        pid = int(printed(kc, "__import__('os').getpid()"))
        killed = time.perf_counter()
        os.kill(pid, signal.SIGKILL)
        while not server.call("GET", f"ml-debugger/crashes?kernel={kernel_id}")["reports"]:
            time.sleep(0.01)
        report_ms = (time.perf_counter() - killed) * 1000
        kc.stop_channels()
    finally:
        server.stop()
    return {
        "arm_overhead": round(step["ratio"], 4),
        "report_ms": round(report_ms, 1),
        "pyspy_dump_ms": round(statistics.median(timings), 1),
        "step_ms": {"armed": round(step["armed_ms"], 3), "plain": round(step["plain_ms"], 3)},
        "pre_run_cell_us": round(step["pre_run_cell_us"], 1),
        "pyspy_threads": len(stacks["threads"]) if stacks.get("ok") else stacks.get("message"),
        "steps": steps,
    }


def run(argv: list[str]) -> Json:
    """Parse this benchmark's flags and run it."""
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_ml_debugger.bench crash")
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--dumps", type=int, default=DUMPS)
    args = parser.parse_args(argv)
    return measure(args.steps, args.warmup, args.dumps)
