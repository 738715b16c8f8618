"""Capture the ``hang`` replies from a real kernel as fixtures for the decoder's tests.

Run from the repository root: `.venv/bin/python scripts/capture-hang-replies.py`.
Writes src/kernel/fixtures/hang_replies.json: reply name -> the comm message data as the
frontend receives it: a cell waiting on a held lock, and a DataLoader loop whose worker exited.
"""

from __future__ import annotations

import json
import pathlib
import time

from jupyterlab_ml_debugger.bench.driver import Driver

THRESHOLD_S = 1.0

LOADER = """
import os
from torch.utils.data import DataLoader, Dataset, dataloader

class ExitsInWorker(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, index):
        os._exit(0)

loader = DataLoader(ExitsInWorker(), num_workers=1)
# PyTorch would notice the exit at its next check, 5 s on: a minute, to capture what comes before.
dataloader._MultiProcessingDataLoaderIter._try_get_data.__defaults__ = (60.0,)
"""


def hung(driver: Driver) -> dict:
    """The first reply that says hung, asked twice a second as the view does."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        reply = driver.request("hang", {"threshold_s": THRESHOLD_S})
        if reply["result"]["hung"]:
            return reply
        time.sleep(0.5)
    raise RuntimeError("no hang seen within 20 s")


def capture() -> dict:
    replies: dict[str, dict] = {}
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot("installed")
        driver.open_comm()
        replies["hang_idle"] = driver.request("hang", {})
        driver.execute("import threading\nready = threading.Lock()\nready.acquire()")
        running = driver.execute_async("with ready:\n    pass")
        replies["hang_lock"] = hung(driver)
        driver.execute("ready.release()", driver.subshell_id)
        driver.wait(running)
        driver.execute(LOADER)
        running = driver.execute_async("for batch in loader:\n    pass")
        replies["hang_dead_worker"] = hung(driver)
        driver.km.interrupt_kernel()
        running.done.wait(30)
    finally:
        driver.shutdown()
    return replies


def anonymised(replies: dict) -> str:
    """The replies as JSON, with this checkout's location replaced."""
    text = json.dumps(replies, indent=1, sort_keys=True) + "\n"
    return text.replace(str(pathlib.Path.cwd()), "/project")


if __name__ == "__main__":
    out = pathlib.Path("src/kernel/fixtures/hang_replies.json")
    out.write_text(anonymised(capture()))
    print(f"wrote {out}")
