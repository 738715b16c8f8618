"""Module Collection / Not My Version in-process: origins, requirement files, and the flags a user acts on."""

from __future__ import annotations

import importlib
import os
import sys
import sysconfig
import types
from pathlib import Path

import pytest

from jupyterlab_ml_debugger.probe import dispatch as api
from jupyterlab_ml_debugger.probe.modules import ops as module_ops
from jupyterlab_ml_debugger.probe.modules.module_origin import Roots, classify, current_roots, norm
from jupyterlab_ml_debugger.probe.modules.requirements_file import RequirementsError, parse_text
from jupyterlab_ml_debugger.probe.modules.version_compare import packaging, same_version, satisfies

from .conftest import ok_result

BOTH = pytest.mark.parametrize("use_packaging", [True, False], ids=["packaging", "own"])
SITE = sysconfig.get_paths()["purelib"]


def _modules(**args: object) -> dict:
    return ok_result(api.handle({"id": 1, "op": "modules", "args": args}))


def _by_name(result: dict) -> dict[str, dict]:
    return {m["name"]: m for m in result["modules"]}


def _flags(result: dict, kind: str) -> dict[str, str]:
    return {f["module"]: f["message"] for f in result["flags"] if f["kind"] == kind}


def _fake_dist(root: Path, name: str, version: str, module: str, module_version: str | None = None) -> None:
    """A dist-info named ``name`` shipping the package ``module`` under ``root``, as pip would leave it."""
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(module + "\n")
    package = root / module
    package.mkdir()
    own = f"__version__ = {module_version!r}\n" if module_version else ""
    (package / "__init__.py").write_text(own)


# origins


def test_origins_of_real_modules() -> None:
    rows = _by_name(_modules())
    assert rows["sys"]["origin"] == "builtin" and rows["sys"]["path"] is None
    assert rows["os"]["origin"] == "stdlib"
    assert rows["pytest"]["origin"] == "site"
    assert rows["pytest"]["distribution"] == "pytest"
    assert rows["pytest"]["version"] == sys.modules["pytest"].__version__
    # The probe's own package and aliases, though on sys.path from this checkout, are not the user's.
    assert not {"jupyterlab_ml_debugger", "_jupyterlab_ml_debugger_actions"} & set(rows)
    assert list(rows) == sorted(rows)
    assert all("." not in name for name in rows)


def test_a_venv_site_inside_the_stdlib_tree_is_site(tmp_path: Path) -> None:
    stdlib = tmp_path / "lib" / "python3"
    site = stdlib / "site-packages"
    roots = Roots(norm(str(tmp_path / "work")), (norm(str(site)),), (norm(str(stdlib)),),
                  (norm(str(tmp_path / "src")),))
    assert classify(str(site / "torch" / "__init__.py"), "torch", roots) == "site"
    assert classify(str(stdlib / "json" / "__init__.py"), "json", roots) == "stdlib"
    assert classify(str(tmp_path / "work" / "model.py"), "model", roots) == "local"
    assert classify(str(tmp_path / "src" / "helpers.py"), "helpers", roots) == "local"
    assert classify(str(tmp_path / "elsewhere" / "x.py"), "x", roots) == "other"
    assert classify("/opt/conda/lib/python3.11/dist-packages/x.py", "x", roots) == "site"
    assert classify(None, "_frozen", roots) == "builtin"


def test_no_module_getattr_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []
    lazy = types.ModuleType("mlprobe_lazy")
    lazy.__getattr__ = lambda name: called.append(name)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mlprobe_lazy", lazy)
    row = _by_name(_modules())["mlprobe_lazy"]
    assert called == []
    assert row["version"] is None and row["origin"] == "builtin"


def test_the_list_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module_ops, "MODULES_MAX", 5)
    result = _modules()
    assert len(result["modules"]) == 5
    assert result["truncated"] is True and result["total"] > 5


def test_requirements_must_be_a_string() -> None:
    reply = api.handle({"id": 1, "op": "modules", "args": {"requirements": ["torch"]}})
    assert reply["ok"] is False and reply["error"]["kind"] == "bad-request"


# requirement files

REQUIREMENTS = """\
# pinned for the course
numpy==1.26.4  # trailing comment
requests[security, socks] >= 2.0, < 3
old-only ; python_version < "3"
new-only ; python_version >= "3"
torch ~= 2.4 \\
    ; sys_platform != "nonexistent-os"
six==1.16.0 --hash=sha256:abc
mypkg @ https://example.org/mypkg-1.0.tar.gz
-r base.txt
-e ./local-package
--index-url https://example.org/simple
./wheels/thing-1.0-py3-none-any.whl
git+https://github.com/example/thing.git@main#egg=thing
"""


@BOTH
def test_a_requirements_file_is_read_as_pip_reads_it(use_packaging: bool) -> None:
    parsed = parse_text(REQUIREMENTS, use_packaging)
    by_name = {r.name: r for r in parsed.requirements}
    assert list(by_name) == ["numpy", "requests", "new-only", "torch", "six", "mypkg"]
    assert by_name["numpy"].specs == (("==", "1.26.4"),)
    assert by_name["numpy"].line == 2
    assert set(by_name["requests"].extras) == {"security", "socks"}
    assert sorted(by_name["requests"].specs) == [("<", "3"), (">=", "2.0")]
    assert by_name["torch"].specs == (("~=", "2.4"),)
    assert by_name["six"].text == "six==1.16.0"
    assert by_name["mypkg"].specs == ()
    assert parsed.skipped == 6  # old-only's marker, -r, -e, --index-url, the wheel path, the git URL


@BOTH
def test_a_line_that_is_no_requirement_names_its_line(use_packaging: bool) -> None:
    with pytest.raises(RequirementsError, match="line 3 is not a requirement: this is not valid"):
        parse_text("numpy\n\nthis is not valid\n", use_packaging)


@BOTH
@pytest.mark.parametrize("version, specs, expected", [
    ("2.13.0+cpu", (("==", "2.13.0"),), True),
    ("2.13.0", (("==", "2.4.1"),), False),
    ("1.26.4", ((">=", "1.20"), ("<", "2")), True),
    ("2.0.0", ((">=", "1.20"), ("<", "2")), False),
    ("2.4.7", (("~=", "2.4"),), True),
    ("2.4.7", (("~=", "2.4.8"),), False),
    ("3.0", (("~=", "2.4"),), False),
    ("1.5", (("!=", "1.5.0"),), False),
    ("2.1.3", (("==", "2.1.*"),), True),
    ("2.2.0", (("==", "2.1.*"),), False),
    ("1.0", (("<=", "1.0.0"), (">", "0.9")), True),
    ("1.0-custom", (("===", "1.0-custom"),), True),
])
def test_versions_against_specifiers(use_packaging: bool, version: str, specs: tuple, expected: bool) -> None:
    assert satisfies(version, specs, use_packaging) is expected


@BOTH
def test_equal_versions_are_spelled_differently(use_packaging: bool) -> None:
    assert same_version("1.0", "1.0.0", use_packaging)
    assert not same_version("0.9", "1.0", use_packaging)
    assert not same_version("2.13.0+cpu", "2.4.1", use_packaging)


def test_packaging_is_used_from_site_packages() -> None:
    assert packaging() is not None


# flags


def test_mismatch_and_missing_against_a_requirements_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy

    (tmp_path / "requirements.txt").write_text("numpy==0.0.1\nsurely-not-installed-pkg==1.0\npytest>=1\n")
    monkeypatch.chdir(tmp_path)
    result = _modules(requirements="requirements.txt")
    assert result["requirements"] == {"path": str(tmp_path / "requirements.txt"), "checked": 3, "error": None}
    assert _flags(result, "mismatch") == {
        "numpy": f"numpy {numpy.__version__} is installed, requirements.txt asks for numpy==0.0.1."}
    assert _flags(result, "missing") == {
        "surely-not-installed-pkg": "surely-not-installed-pkg is not installed, requirements.txt asks for "
                                    "surely-not-installed-pkg==1.0."}


def test_an_unreadable_requirements_file_still_lists_modules(tmp_path: Path) -> None:
    result = _modules(requirements=str(tmp_path / "nope.txt"))
    assert result["requirements"]["checked"] == 0
    assert result["requirements"]["error"] == (
        f"nope.txt could not be read: No such file or directory. The kernel looked for {tmp_path / 'nope.txt'} "
        "on the machine it runs on; a kernel on a gateway or a remote node needs the file there, or its path "
        "on that machine.")
    assert not _flags(result, "mismatch") and "os" in _by_name(result)

    (tmp_path / "bad.txt").write_text("numpy==0.0.1\nnot a requirement at all\n")
    bad = _modules(requirements=str(tmp_path / "bad.txt"))
    assert bad["requirements"]["error"] == "bad.txt line 2 is not a requirement: not a requirement at all."
    assert not _flags(bad, "mismatch")


def test_a_module_older_than_its_installed_files_is_flagged(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "mlprobe-demo", "1.0", "mlprobe_demo", module_version="0.9")
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("mlprobe_demo")  # loaded as a notebook would load it
        result = _modules(requirements=_write(tmp_path / "req.txt", "mlprobe-demo>=1.0\n"))
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("mlprobe_demo", None)
    row = _by_name(result)["mlprobe_demo"]
    assert (row["version"], row["distribution"]) == ("1.0", "mlprobe-demo")
    message = _flags(result, "two-versions")["mlprobe_demo"]
    assert "mlprobe_demo 0.9 is loaded from" in message and f"mlprobe-demo 1.0 is installed in {tmp_path}" in message
    assert _flags(result, "mismatch")["mlprobe-demo"] == \
        "mlprobe-demo 0.9 is loaded, req.txt asks for mlprobe-demo>=1.0."


def test_one_distribution_installed_twice_is_flagged(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _fake_dist(first, "mlprobe-twin", "2.0", "mlprobe_twin")
    _fake_dist(second, "mlprobe-twin", "1.0", "mlprobe_twin")
    sys.path[:0] = [str(first), str(second)]
    try:
        result = _modules()
    finally:
        sys.path.remove(str(first))
        sys.path.remove(str(second))
    assert _flags(result, "two-versions")["mlprobe-twin"] == (
        f"mlprobe-twin is installed twice on sys.path: 2.0 in {first} and 1.0 in {second}; "
        "imports use 2.0, the first.")


def test_a_local_folder_hiding_an_installed_library_is_flagged(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "iniconfig"
    local.mkdir()
    (local / "__init__.py").write_text("")
    shadow = types.ModuleType("iniconfig")
    shadow.__file__ = str(local / "__init__.py")
    monkeypatch.setitem(sys.modules, "iniconfig", shadow)
    monkeypatch.chdir(tmp_path)
    result = _modules()
    row = _by_name(result)["iniconfig"]
    assert (row["origin"], row["distribution"]) == ("local", None)
    message = _flags(result, "shadowed")["iniconfig"]
    assert message.startswith("iniconfig is imported from ./iniconfig/__init__.py, which hides the installed "
                              "iniconfig ")
    assert message.endswith(f" at {os.path.join(SITE, 'iniconfig')}.")
    assert norm(tmp_path) == current_roots().cwd


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)
