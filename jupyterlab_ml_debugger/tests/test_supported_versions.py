"""The supported versions agree wherever they are written: the ranges pyproject.toml declares (what
pip enforces), the README's table (what users read), the JupyterLab the bundle is built against, and
what `make test` installs (what is tested: the oldest supported release of each, and newer ones)."""

from __future__ import annotations

import json
import re

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from .supported_versions import (
    PROJECT,
    SUPPORTED,
    declared,
    floor,
    in_release_line,
    installed,
    pyproject,
    same_range,
    within,
)

README_SECTION = "## Supported versions"
# `make test`'s environments: the editable install, and the kernel without subshells.
DEV_VENV = PROJECT / ".venv"
OLD_KERNEL = PROJECT / ".venv-ipykernel6"


def readme_ranges() -> dict[str, SpecifierSet]:
    """The ranges of the README's "Supported versions" table: a backticked requirement per row."""
    text = (PROJECT / "README.md").read_text()
    assert README_SECTION in text, f'README.md has no "{README_SECTION}" section with the table of ranges'
    section = text.split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    ranges = {}
    for row in (line for line in section.splitlines() if line.startswith("|")):
        for quoted in re.findall(r"`([^`]+)`", row):
            try:
                req = Requirement(quoted)
            except InvalidRequirement:
                continue
            if req.name in SUPPORTED:
                ranges[req.name] = req.specifier
                break
    return ranges


def requirements_make_test_installs() -> list[tuple[str, Requirement]]:
    """Each requirement of a supported package that `make test` installs, with where it is written."""
    test_extra = pyproject()["project"]["optional-dependencies"]["test"]
    found = [("pyproject.toml's test extra", Requirement(r)) for r in test_extra]
    makefile = (PROJECT / "Makefile").read_text()
    quoted = re.findall(rf'"((?:{"|".join(SUPPORTED)})\b[^"]*)"', makefile)
    found += [("the Makefile", Requirement(r)) for r in quoted]
    return [(where, req) for where, req in found if req.name in SUPPORTED]


def test_each_supported_package_has_a_range_with_both_bounds() -> None:
    ranges = declared()
    assert sorted(ranges) == sorted(SUPPORTED)
    for name, spec in ranges.items():
        assert {s.operator for s in spec} == {">=", "<"}, (
            f"{name}{spec}: declare the oldest supported release and the first unsupported one")


def test_the_readme_states_the_declared_ranges() -> None:
    stated, ranges = readme_ranges(), declared()
    assert sorted(stated) == sorted(ranges), "README.md's table and pyproject.toml name different packages"
    for name, spec in ranges.items():
        assert same_range(stated[name], spec), (
            f"README.md says {name}{stated[name]}, pyproject.toml declares {name}{spec}: make them agree")


def test_jupyterlab_is_the_one_the_bundle_is_built_against() -> None:
    """The bundle asks for the shared JupyterLab packages of @jupyterlab/core-meta's release: an
    older JupyterLab would give it versions it was not built for."""
    core = json.loads((PROJECT / "package.json").read_text())["devDependencies"]["@jupyterlab/core-meta"]
    assert core.startswith("~"), f"@jupyterlab/core-meta is {core}: a ~ range names one JupyterLab minor release"
    jupyterlab = declared()["jupyterlab"]
    assert same_range(SpecifierSet(f"~={core[1:]}"), jupyterlab), (
        f"the bundle is built against JupyterLab {core}, pyproject.toml declares jupyterlab{jupyterlab}")


def test_what_make_test_installs_is_supported() -> None:
    ranges, tested = declared(), requirements_make_test_installs()
    for name in SUPPORTED:
        assert any(req.name == name for _, req in tested), f"`make test` installs no {name}: nothing tests its range"
    for where, req in tested:
        assert within(req.specifier, ranges[req.name]), (
            f"{where} installs {req}, outside the declared {req.name}{ranges[req.name]}")


@pytest.mark.skipif(not (OLD_KERNEL.exists() and DEV_VENV.exists()),
                    reason="run `make test` to create .venv and .venv-ipykernel6")
def test_make_test_runs_the_oldest_supported_release_of_each() -> None:
    """JupyterLab and Notebook in the editable install, ipykernel and debugpy in the kernel without
    subshells: each of the release line that its range's lower bound names."""
    ranges = declared()
    held = {name: installed(DEV_VENV, name) for name in ("jupyterlab", "notebook")}
    held |= {name: installed(OLD_KERNEL, name) for name in ("ipykernel", "debugpy")}
    for name, version in held.items():
        oldest = floor(ranges[name])
        assert version is not None and in_release_line(version, oldest), (
            f"`make test` runs {name} {version} where the oldest supported, {oldest}, belongs: pin that "
            "release in the Makefile or the test extra, or raise the declared range")
