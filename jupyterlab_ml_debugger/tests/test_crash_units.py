"""The crash report's parts without a kernel: faulthandler's text read into threads, the cause
sentence for each way of ending, and the cgroup counters of both cgroup versions."""

from __future__ import annotations

import os

from jupyterlab_ml_debugger.server import cause, fault_stacks, memory, report
from jupyterlab_ml_debugger.server.ending import Ending, Watched

DUMP = """Fatal Python error: Segmentation fault

Thread 0x00007f0000000002 (most recent call first):
  File "/usr/lib/python3.11/threading.py", line 324 in wait
  File "/usr/lib/python3.11/threading.py", line 1002 in _bootstrap

Current thread 0x00007f0000000001 (most recent call first):
  File "/usr/lib/python3.11/ctypes/__init__.py", line 519 in string_at
  File "/tmp/ipykernel_42/1234.py", line 3 in <module>
  File "/site-packages/IPython/core/interactiveshell.py", line 3577 in run_code

Extension modules: numpy._core._multiarray_umath (total: 1)
"""


def ending(returncode: int, marker: dict | None = None, samples=(), before=None, after=None, limit=None,
           stacks: str = "") -> Ending:
    watched = Watched("k-1", 42, None, cgroup=None, oom_kills=before, limit_bytes=limit, looked_at=100.0)
    watched.samples.extend(samples)
    return Ending(watched, returncode, 102.0, after, stacks, marker)


MARKER = {"execution_count": 7, "cell_id": "c-7", "first_line": "import ctypes", "started_at": 101.0, "pid": 42,
          "main_thread": 0x7F0000000001, "cell_file_prefix": "/tmp/ipykernel_42/",
          "source": "import ctypes\nx = model(batch)\nctypes.string_at(0)\n"}


def test_faulthandler_text_becomes_threads_innermost_first_with_the_main_thread_named():
    error, threads = fault_stacks.parse("old dump\n" + DUMP, main_ident=0x7F0000000001)
    assert error == "Segmentation fault"
    assert [(t["name"], t["current"], len(t["frames"])) for t in threads] == [
        ("Thread 0x00007f0000000002", False, 2), ("MainThread", True, 3)]
    assert threads[1]["frames"][0] == {"path": "/usr/lib/python3.11/ctypes/__init__.py", "line": 519,
                                       "name": "string_at"}
    assert fault_stacks.cell_line(threads, "/tmp/ipykernel_42/") == 3


def test_a_segfault_report_quotes_the_line_it_died_at():
    built = report.build(ending(-11, MARKER, stacks=DUMP))
    assert (built["signal"], built["signal_name"], built["exit_code"], built["oom"]) == (11, "SIGSEGV", None, False)
    assert built["cause"] == ("Segmentation fault in native code (a C extension or the interpreter) while running "
                              "`ctypes.string_at(0)` in In [7], line 3.")
    assert built["last_cell"] == {"execution_count": 7, "cell_id": "c-7", "first_line": "import ctypes", "line": 3}


def test_a_sigkill_the_cgroup_counted_is_out_of_memory_with_the_last_sample():
    built = report.build(ending(-9, MARKER, samples=[(100.0, 21 * 1024 ** 3)], before=0, after=1, limit=22 * 1024 ** 3))
    assert built["oom"] is True and built["memory_limit_bytes"] == 22 * 1024 ** 3
    assert built["cause"] == ("Killed by the out-of-memory killer: resident memory was 21.0 GiB of a 22.0 GiB limit "
                              "2 s before, while running `import ctypes` in In [7].")


def test_a_sigkill_without_cgroup_counters_says_the_cause_cannot_be_known():
    built = report.build(ending(-9, MARKER, samples=[(101.0, 300 * 1024 ** 2)]))
    assert built["oom"] is None
    assert "whether the out-of-memory killer sent it cannot be known here" in built["cause"]
    assert "resident memory was 300 MiB 1 s before" in built["cause"]


def test_an_idle_kernel_names_the_last_cell_it_ran_without_claiming_it_was_running():
    marker = {**MARKER, "started_at": 50.0}
    built = report.build(ending(-15, marker))
    assert built["cause"] == "Ended by SIGTERM, sent by another process, while idle; the last cell run was In [7]."
    assert built["signal_meaning"] == "terminated: another process asked it to stop"


def test_cgroup_v2_and_v1_counters_and_limits(tmp_path):
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.max").write_text("max\n")
    (v2 / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n")
    assert (memory.Cgroup(str(v2), 2).limit_bytes(), memory.Cgroup(str(v2), 2).oom_kills()) == (None, 2)
    v1 = tmp_path / "v1"
    v1.mkdir()
    (v1 / "memory.limit_in_bytes").write_text(f"{400 * 1024 * 1024}\n")
    (v1 / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 1\n")
    assert (memory.Cgroup(str(v1), 1).limit_bytes(), memory.Cgroup(str(v1), 1).oom_kills()) == (400 * 1024 ** 2, 1)
    assert memory.rss_bytes(os.getpid()) > 0 and memory.rss_bytes(2 ** 22 + 12345) is None


def test_sizes_read_as_people_write_them():
    assert (cause.size(21.8 * 1024 ** 3), cause.size(300 * 1024 ** 2)) == ("21.8 GiB", "300 MiB")
