"""The probe's map, as the import-linter contracts in pyproject.toml write it down: the real tree
keeps it, and a copy of the tree with one import against it fails, naming the rule it breaks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jupyterlab_ml_debugger

PACKAGE_DIR = Path(jupyterlab_ml_debugger.__file__).resolve().parent
PROJECT = PACKAGE_DIR.parent
PYPROJECT = PROJECT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is in the test extra")


def lint_imports(package_parent: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` with this project's contracts, over the package found in ``package_parent``."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(PYPROJECT)],
                          cwd=cwd, env={"PYTHONPATH": str(package_parent), "PATH": "", "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=120)


def copy_with(tmp_path: Path, module: str, statement: str) -> Path:
    """A copy of the package whose ``module`` (a path under probe/) ends with a function holding
    ``statement``: an import that is never run still counts."""
    copy = tmp_path / PACKAGE_DIR.name
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("labextension", "__pycache__"))
    target = copy / "probe" / module
    target.write_text(target.read_text() + f"\n\ndef _against_the_map() -> None:\n    {statement}\n")
    return tmp_path


def test_the_probe_keeps_its_map(tmp_path: Path) -> None:
    result = lint_imports(PROJECT, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "statement", "expected"), [
    pytest.param("variables/ops.py", "from ..dispatch import OPS", [
        "probe layers: entry points over the dispatcher over the features over what they share BROKEN",
        "- jupyterlab_ml_debugger.probe.variables.ops -> jupyterlab_ml_debugger.probe.dispatch",
        "Features never import the dispatcher",
    ], id="a feature importing the dispatcher breaks the layers"),
    pytest.param("viewer/ops.py", "from ..watch import rows", [
        "probe features are independent, except where one uses another's model BROKEN",
        "jupyterlab_ml_debugger.probe.viewer is not allowed to import jupyterlab_ml_debugger.probe.watch",
        "name that import in\nignore_imports with a comment saying why",
    ], id="a feature importing another unnamed breaks their independence"),
    pytest.param("checks/data_rules.py", "from . import data_defects", [
        "no import circle among the modules of any package, imports inside functions included BROKEN",
        "No cycles are allowed in jupyterlab_ml_debugger.probe.checks.",
        "- .data_rules -> .data_defects (1 import)",
        "Moving an import into a\nfunction does not break a circle",
    ], id="an import circle inside a function is still a circle"),
    pytest.param("crash/recorder.py", "from ...server import kernel_files", [
        "never import each other BROKEN",
        "jupyterlab_ml_debugger.probe is not allowed to import jupyterlab_ml_debugger.server",
        "They meet\nonly through the files the kernel's crash recorder writes",
    ], id="the probe importing the server extension breaks their separation"),
])
def test_an_import_against_the_map_fails_naming_the_rule(tmp_path: Path, module: str, statement: str,
                                                        expected: list[str]) -> None:
    result = lint_imports(copy_with(tmp_path, module, statement), tmp_path)
    assert result.returncode == 1
    for line in expected:
        assert line in result.stdout
