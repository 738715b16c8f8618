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
    assert "3 kept, 0 broken" in result.stdout


def test_a_feature_importing_the_dispatcher_breaks_the_layers(tmp_path: Path) -> None:
    result = lint_imports(copy_with(tmp_path, "variables/ops.py", "from ..dispatch import OPS"), tmp_path)
    assert result.returncode == 1
    assert "probe layers: entry points over the dispatcher over the features over what they share BROKEN" \
        in result.stdout
    assert "jupyterlab_ml_debugger.probe.variables.ops -> jupyterlab_ml_debugger.probe.dispatch" in result.stdout
    assert "Features never import the dispatcher" in result.stdout


def test_a_feature_importing_another_unnamed_breaks_their_independence(tmp_path: Path) -> None:
    result = lint_imports(copy_with(tmp_path, "viewer/ops.py", "from ..watch import rows"), tmp_path)
    assert result.returncode == 1
    assert "probe features are independent, except where one uses another's model BROKEN" in result.stdout
    assert "jupyterlab_ml_debugger.probe.viewer is not allowed to import jupyterlab_ml_debugger.probe.watch" \
        in result.stdout


def test_an_import_circle_inside_a_function_is_still_a_circle(tmp_path: Path) -> None:
    result = lint_imports(copy_with(tmp_path, "checks/data_rules.py", "from . import data_defects"), tmp_path)
    assert result.returncode == 1
    assert "no import circle among the modules of any package, imports inside functions included BROKEN" \
        in result.stdout
    assert "No cycles are allowed in jupyterlab_ml_debugger.probe.checks." in result.stdout
    assert "- .data_rules -> .data_defects (1 import)" in result.stdout
    assert "Moving an import into a\nfunction does not break a circle" in result.stdout
