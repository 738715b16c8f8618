"""Capture the live-inspection replies from a real kernel as fixtures for the decoder's tests.

Run from the repository root: `.venv/bin/python scripts/capture-live-replies.py`.
Writes src/kernel/fixtures/live_replies.json: reply name -> the comm message data as
the frontend receives it.
"""

from __future__ import annotations

import json
import pathlib
import time

from jupyterlab_ml_debugger.bench.driver import Driver

MODULES_KEPT = 25

DEADLOCK = """import threading, time
stats_lock, log_lock = threading.Lock(), threading.Lock()

def update_stats():
    with stats_lock:
        time.sleep(0.3)
        with log_lock:
            pass

def write_log():
    with log_lock:
        time.sleep(0.3)
        with stats_lock:
            pass

for target in (update_stats, write_log):
    threading.Thread(target=target, name=target.__name__, daemon=True).start()
time.sleep(0.8)
"""

FAILS = """import torch
def collate(samples):
    batch = torch.zeros(4, 3)
    try:
        return samples["label"]
    except KeyError as err:
        raise ValueError("sample 2 has no label") from err

collate({})
"""


def capture() -> dict:
    replies: dict[str, dict] = {}
    driver = Driver()
    driver.start()
    try:
        driver.create_subshell()
        driver.boot("installed")
        driver.open_comm()
        driver.execute(DEADLOCK)
        driver.request("threads", {})
        time.sleep(0.3)
        replies["threads_deadlock"] = driver.request("threads", {"max_frames": 4})
        replies["counters"] = driver.request("counters", {})
        execution = driver.execute_async(FAILS)
        execution.done.wait(60)
        replies["postmortem_chain"] = driver.request("postmortem", {})
        replies["modules"] = driver.request("modules", {"requirements": "no-such-requirements.txt"})
    finally:
        driver.shutdown()
    return replies


def anonymised(replies: dict) -> str:
    """The replies as JSON, with this checkout's location replaced and the module list cut to
    its first MODULES_KEPT entries, so the fixture says nothing of the machine it came from."""
    result = replies["modules"]["result"]
    result["modules"] = result["modules"][:MODULES_KEPT]
    text = json.dumps(replies, indent=1, sort_keys=True) + "\n"
    return text.replace(str(pathlib.Path.cwd()), "/project")


if __name__ == "__main__":
    out = pathlib.Path("src/kernel/fixtures/live_replies.json")
    out.write_text(anonymised(capture()))
    print(f"wrote {out}")
