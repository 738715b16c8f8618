"""The release files in dist/ and the environment `make test-wheel` installs the wheel into, as a
user who never clones the repository gets them: a prebuilt extension that JupyterLab lists without
Node.js, and a kernel that imports the installed package."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from .supported_versions import PROJECT, declared, installed

WHEEL_VENV = PROJECT / ".venv-wheel"
LABEXTENSION = "share/jupyter/labextensions/jupyterlab-ml-debugger"
VERSION = json.loads((PROJECT / "package.json").read_text())["version"]

pytestmark = pytest.mark.skipif(
    not ((WHEEL_VENV / "bin" / "jupyter").exists() and list((PROJECT / "dist").glob("*.whl"))),
    reason="run `make test-wheel`, which builds dist/ and installs the wheel in .venv-wheel")


def only(pattern: str) -> Path:
    (found,) = (PROJECT / "dist").glob(pattern)
    return found


def test_the_wheel_carries_the_production_bundle_and_the_type_provider() -> None:
    wheel = only("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    data = f"jupyterlab_ml_debugger-{VERSION}.data/data/{LABEXTENSION}"
    package = json.loads(zipfile.ZipFile(wheel).read(f"{data}/package.json"))
    assert f"{data}/install.json" in names
    assert f"{data}/{package['jupyterlab']['_build']['load']}" in names
    assert not [n for n in names if n.endswith(".js.map")], "a development bundle: build it with `npm run build:prod`"
    assert [n for n in names if re.fullmatch(r"pydevd_plugins/extensions/pydevd_plugin_\w+\.py", n)]
    assert not [n for n in names if "/tests/" in n]


def test_the_sdist_installs_without_nodejs() -> None:
    """It carries the built bundle, so the build hook skips npm (its skip-if-exists file)."""
    names = tarfile.open(only("*.tar.gz")).getnames()
    assert f"jupyterlab_ml_debugger-{VERSION}/jupyterlab_ml_debugger/labextension/static/style.js" in names


def test_jupyterlab_lists_the_prebuilt_extension_without_nodejs() -> None:
    """Listed once, as installed by the Python package (not linked for development), under the
    environment's own share/."""
    path = str(WHEEL_VENV / "bin")
    assert shutil.which("node", path=path) is None
    listing = subprocess.run([str(WHEEL_VENV / "bin" / "jupyter"), "labextension", "list"],
                             env={**os.environ, "PATH": path}, capture_output=True, text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert listing.returncode == 0, text
    sections: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("/"):
            sections[line] = lines = []
        elif line.startswith(" ") and sections:
            lines.append(line.strip())
    ours = {folder: found for folder, lines in sections.items()
            if (found := [line for line in lines if line.startswith("jupyterlab-ml-debugger ")])}
    expected = f"jupyterlab-ml-debugger v{VERSION} enabled OK (python, jupyterlab_ml_debugger)"
    assert ours == {str(WHEEL_VENV / "share/jupyter/labextensions"): [expected]}, text


def test_the_kernel_imports_the_installed_package(tmp_path: Path) -> None:
    """The package the frontend finds in the kernel is this version, from site-packages, with the
    type provider debugpy loads beside it."""
    code = ("import jupyterlab_ml_debugger as p, pydevd_plugins.extensions as e; "
            "print(p.__version__, p.__file__, *e.__path__, sep='\\n')")
    run = subprocess.run([str(WHEEL_VENV / "bin" / "python"), "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=True)
    version, package, *providers = run.stdout.split()
    site = next(WHEEL_VENV.glob("lib/python3*/site-packages"))
    assert version == VERSION
    assert Path(package).is_relative_to(site)
    assert any(Path(p).is_relative_to(site) for p in providers)


def test_the_environment_holds_supported_releases() -> None:
    """JupyterLab as the wheel requires it, ipykernel and debugpy as its `kernel` extra asks."""
    ranges = declared()
    for name in ("jupyterlab", "ipykernel", "debugpy"):
        version = installed(WHEEL_VENV, name)
        assert version is not None and version in ranges[name], (
            f"the wheel's environment got {name} {version}, not one of {name}{ranges[name]}")


def test_the_server_extension_is_enabled_by_the_wheel_alone() -> None:
    """The Crash and Hang view's server routes: enabled by the config file the wheel installs,
    with nothing run by hand."""
    config = WHEEL_VENV / "etc/jupyter/jupyter_server_config.d/jupyterlab_ml_debugger.json"
    assert json.loads(config.read_text())["ServerApp"]["jpserver_extensions"]["jupyterlab_ml_debugger"] is True
    listing = subprocess.run([str(WHEEL_VENV / "bin" / "jupyter"), "server", "extension", "list"],
                             env={**os.environ, "PATH": str(WHEEL_VENV / "bin")}, capture_output=True,
                             text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(r"jupyterlab_ml_debugger enabled\s*\n\s*- Validating jupyterlab_ml_debugger\.\.\.\s*\n"
                     r"\s*jupyterlab_ml_debugger\s+\S+\s+OK", text), text
