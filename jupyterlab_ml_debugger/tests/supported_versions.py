"""The versions this package supports, as pyproject.toml declares them, and what an environment
holds: the ranges users read in the README and those `make test` installs are checked against
these."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

PROJECT = Path(__file__).resolve().parents[2]

# The server's environment needs the first two (JupyterLab, or Notebook 7 on it), the kernel's the
# last two: pyproject's dependencies, its `notebook` extra and its `kernel` extra.
SUPPORTED = ("jupyterlab", "notebook", "ipykernel", "debugpy")


def pyproject() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text())


def declared() -> dict[str, SpecifierSet]:
    """Each supported package's range, by name (other requirements left out)."""
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    requirements = map(Requirement, [*project["dependencies"], *extras["notebook"], *extras["kernel"]])
    return {req.name: req.specifier for req in requirements if req.name in SUPPORTED}


def floor(spec: SpecifierSet) -> Version:
    """The oldest version a range admits, from its ``>=`` bound."""
    (lowest,) = [Version(s.version) for s in spec if s.operator == ">="]
    return lowest


def in_release_line(version: Version, line: Version) -> bool:
    """Whether ``version`` is of the release line ``line`` names: 6.29.5 is of 6.29, not of 6.29.4."""
    return version.release[: len(line.release)] == line.release


def _near_bounds(*specs: SpecifierSet) -> list[Version]:
    """Versions at and either side of every bound the ranges name: where two ranges can differ."""
    found = {Version("0"), Version("999")}
    for spec in specs:
        for bound in spec:
            release = Version(bound.version.removesuffix(".*")).release
            release += (0,) * (3 - len(release))
            found.add(Version(".".join(map(str, release))))
            for i, part in enumerate(release):
                found.add(Version(".".join(map(str, (*release[:i], part + 1)))))
                if part:
                    found.add(Version(".".join(map(str, (*release[:i], part - 1, 999)))))
    return sorted(found)


def within(inner: SpecifierSet, outer: SpecifierSet) -> bool:
    """Whether every version ``inner`` admits is one ``outer`` admits (and ``inner`` admits some)."""
    admitted = [v for v in _near_bounds(inner, outer) if v in inner]
    return bool(admitted) and all(v in outer for v in admitted)


def same_range(a: SpecifierSet, b: SpecifierSet) -> bool:
    return within(a, b) and within(b, a)


def installed(environment: Path, name: str) -> Version | None:
    """The version of ``name`` a virtual environment holds, read from its metadata, or None."""
    found = list(environment.glob(f"lib/python3*/site-packages/{name}-*.dist-info"))
    if not found:
        return None
    (info,) = found
    return Version(info.name.removeprefix(f"{name}-").removesuffix(".dist-info"))
