"""Module Collection / Not My Version on a real kernel: a notebook's own file hiding a library, and requirements."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

from jupyterlab_ml_debugger.bench.driver import Driver

from .conftest import ok_result

pytestmark = pytest.mark.timeout(120)

SITE = sysconfig.get_paths()["purelib"]

# iniconfig is installed in the kernel's environment and nothing in a kernel imports it.
SHADOW_CELL = """import sys, time
assert "iniconfig" not in sys.modules
import iniconfig
time.sleep(3)
"""


def _flags(result: dict, kind: str) -> dict[str, str]:
    return {f["module"]: f["message"] for f in result["flags"] if f["kind"] == kind}


def test_a_notebook_file_hiding_a_library_is_flagged_while_the_cell_runs(kernel: Driver) -> None:
    (Path(kernel.cwd) / "iniconfig.py").write_text('"""the notebook\'s own helpers"""\n')
    execution = kernel.execute_async(SHADOW_CELL)
    for _ in range(100):
        result = ok_result(kernel.request("modules"))
        if "iniconfig" in _flags(result, "shadowed"):
            break
    assert not execution.done.is_set(), "the reply should arrive while the cell still runs"
    kernel.wait(execution)
    assert execution.error is None, execution.error

    row = next(m for m in result["modules"] if m["name"] == "iniconfig")
    assert row["origin"] == "local" and row["distribution"] is None
    assert os.path.samefile(row["path"], Path(kernel.cwd) / "iniconfig.py")
    message = _flags(result, "shadowed")["iniconfig"]
    assert message.startswith("iniconfig is imported from ./iniconfig.py, which hides the installed iniconfig ")
    assert message.endswith(f" at {os.path.join(SITE, 'iniconfig')}.")


def test_requirements_next_to_the_notebook_are_checked(kernel: Driver) -> None:
    (Path(kernel.cwd) / "requirements.txt").write_text(
        "# the course's pins\nnumpy==0.0.1\ntorch>=2\nsurely-not-installed-pkg==1.0\n-r more.txt\n")
    execution = kernel.execute("import numpy, torch\nprint(numpy.__version__)")
    assert execution.error is None, execution.error
    numpy_version = execution.text.strip()

    result = ok_result(kernel.request("modules", {"requirements": "requirements.txt"}))
    assert os.path.samefile(result["requirements"]["path"], Path(kernel.cwd) / "requirements.txt")
    assert (result["requirements"]["checked"], result["requirements"]["error"]) == (3, None)
    assert _flags(result, "mismatch") == {
        "numpy": f"numpy {numpy_version} is installed, requirements.txt asks for numpy==0.0.1."}
    assert list(_flags(result, "missing")) == ["surely-not-installed-pkg"]
    # torch's "+cpu" local version and numpy's own __version__ are no second version.
    assert not {"numpy", "torch"} & set(_flags(result, "two-versions"))

    rows = {m["name"]: m for m in result["modules"]}
    assert (rows["numpy"]["origin"], rows["numpy"]["distribution"], rows["numpy"]["version"]) == \
        ("site", "numpy", numpy_version)
    assert rows["torch"]["version"].startswith("2.")
    assert rows["os"]["origin"] == "stdlib" and rows["sys"]["origin"] == "builtin"
    assert result["total"] == len(result["modules"]) and result["truncated"] is False


def test_a_bad_requirements_argument_is_refused(kernel: Driver) -> None:
    reply = kernel.request("modules", {"requirements": 7})
    assert reply["ok"] is False and reply["error"]["kind"] == "bad-request"
    missing = ok_result(kernel.request("modules", {"requirements": "nope/requirements.txt"}))
    error = missing["requirements"]["error"]
    assert error.startswith("requirements.txt could not be read: No such file or directory. The kernel looked for ")
    # The path as the kernel resolved it, on its own machine, from its own working directory.
    assert f"for {missing['requirements']['path']} on the machine it runs on" in error
    assert not _flags(missing, "mismatch") and missing["modules"]
