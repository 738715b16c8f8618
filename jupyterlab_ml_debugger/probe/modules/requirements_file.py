"""Parse a pip requirements file into the requirements it pins, as pip reads it but without installing anything."""

from __future__ import annotations

import os
import platform
import re
import sys
from dataclasses import dataclass

from .installed_dists import dist_key
from .version_compare import OPERATORS, Packaging, Spec, packaging, satisfies

FILE_MAX_BYTES = 1 << 20
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_LINE = re.compile(rf"^(?P<name>{_NAME})\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$")
_SPEC = re.compile(r"^(" + "|".join(re.escape(op) for op in OPERATORS) + r")\s*([A-Za-z0-9_.*+!-]+)$")
_COMMENT = re.compile(r"(^|\s)#.*$")
# pip's per-requirement options (``--hash=...``) follow the requirement after whitespace.
_OPTIONS = re.compile(r"\s+--?[A-Za-z].*$")
_CLAUSE = re.compile(r"""^\s*(\w+)\s*(==|!=|<=|>=|<|>|~=)\s*['"]([^'"]*)['"]\s*$""")

# (name, extras, specifiers, marker) as either parser reads a line
Parsed = tuple[str, tuple[str, ...], tuple[Spec, ...], str | None]


@dataclass(frozen=True)
class Requirement:
    """One requirement line: who, which versions, and the text to quote back to the user."""

    name: str
    key: str
    specs: tuple[Spec, ...]
    extras: tuple[str, ...]
    marker: str | None
    text: str
    line: int


@dataclass(frozen=True)
class RequirementsFile:
    """The requirements that apply here; ``skipped`` counts option, path and URL lines and false markers."""

    requirements: tuple[Requirement, ...]
    skipped: int


class RequirementsError(ValueError):
    """The file cannot be read or has a line that is no requirement; the message is a sentence."""


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, content) with comments removed and backslash continuations joined."""
    found: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined, pending = (pending + line).strip(), ""
        if joined:
            found.append((start, joined))
    if pending.strip():
        found.append((start, pending.strip()))
    return found


def _is_not_a_name(line: str) -> bool:
    """Options (``-r``, ``-e``, ``--index-url``), local paths and URLs: nothing to compare a version with."""
    head = line.split(";")[0].split("@")[0].strip().lower()  # "name @ url" names its package
    return head.startswith(("-", ".", "/", "~")) or "://" in head or head.endswith((".whl", ".zip", ".tar.gz"))


def _own_requirement(line: str) -> Parsed | None:
    """(name, extras, specs, marker) by a small grammar; None when the line does not fit it."""
    body, _, marker = line.partition(";")
    match = _LINE.match(body.strip())
    if match is None:
        return None
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    rest = match.group("rest").strip()
    if rest.startswith("@"):
        return match.group("name"), extras, (), marker.strip() or None
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    specs = []
    for part in (rest.split(",") if rest else []):
        spec = _SPEC.match(part.strip())
        if spec is None:
            return None
        specs.append((spec.group(1), spec.group(2)))
    return match.group("name"), extras, tuple(specs), marker.strip() or None


def _packaging_requirement(line: str, pk: Packaging) -> Parsed | None:
    try:
        req = pk.Requirement(line)
    except pk.InvalidRequirement:
        return None
    specs = tuple((s.operator, s.version) for s in req.specifier)
    marker = str(req.marker) if req.marker is not None else None
    return req.name, tuple(sorted(req.extras)), specs, marker


def _marker_env() -> dict[str, str]:
    return {"python_version": "%d.%d" % sys.version_info[:2], "python_full_version": platform.python_version(),
            "sys_platform": sys.platform, "os_name": os.name, "platform_system": platform.system(),
            "platform_machine": platform.machine(), "implementation_name": sys.implementation.name,
            "platform_python_implementation": platform.python_implementation()}


def _clause_holds(clause: str, env: dict[str, str]) -> bool:
    """``name op 'value'``; anything it cannot read counts as true, so the requirement is still checked."""
    match = _CLAUSE.match(clause)
    if match is None or match.group(1) not in env:
        return True
    name, op, value = match.groups()
    if name.endswith("_version"):
        return satisfies(env[name], ((op, value),), use_packaging=False) is not False
    return {"==": env[name] == value, "!=": env[name] != value}.get(op, True)


def marker_applies(marker: str | None) -> bool:
    """A simple reading of an environment marker: ``or`` of ``and`` of comparisons; parentheses count as true."""
    if not marker or "(" in marker:
        return True
    env = _marker_env()
    return any(all(_clause_holds(c, env) for c in re.split(r"\s+and\s+", part))
               for part in re.split(r"\s+or\s+", marker))


def parse_line(line: str, number: int, use_packaging: bool = True) -> Requirement | None:
    """One logical line as a Requirement; None for option/path/URL lines; RequirementsError if it is none."""
    if _is_not_a_name(line):
        return None
    line = _OPTIONS.sub("", line)
    pk = packaging() if use_packaging else None
    parsed = _packaging_requirement(line, pk) if pk is not None else _own_requirement(line)
    if parsed is None:
        raise RequirementsError(f"line {number} is not a requirement: {line[:80]}")
    name, extras, specs, marker = parsed
    text = line.partition(";")[0].strip()
    return Requirement(name, dist_key(name), specs, extras, marker, text, number)


def _applies(requirement: Requirement, use_packaging: bool) -> bool:
    """Whether the requirement's marker holds here (packaging's evaluation when it is available)."""
    if requirement.marker is None:
        return True
    pk = packaging() if use_packaging else None
    if pk is None:
        return marker_applies(requirement.marker)
    try:
        return bool(pk.Marker(requirement.marker).evaluate())
    except Exception:  # an unknown marker variable: check the requirement rather than hide it
        return True


def parse_text(text: str, use_packaging: bool = True) -> RequirementsFile:
    """Every requirement that applies here; RequirementsError naming the first line that is none."""
    found, skipped = [], 0
    for number, line in logical_lines(text):
        requirement = parse_line(line, number, use_packaging)
        if requirement is None or not _applies(requirement, use_packaging):
            skipped += 1
        else:
            found.append(requirement)
    return RequirementsFile(tuple(found), skipped)


def read_file(path: str) -> RequirementsFile:
    """Read and parse a requirements file; RequirementsError with a sentence when that fails."""
    label = os.path.basename(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(FILE_MAX_BYTES + 1)
    except OSError as err:
        # The kernel may run on another machine (a gateway's node) than the server and browser.
        raise RequirementsError(f"{label} could not be read: {err.strerror or err}. The kernel looked for "
                                f"{path} on the machine it runs on; a kernel on a gateway or a remote "
                                "node needs the file there, or its path on that machine.") from err
    if len(data) > FILE_MAX_BYTES:
        raise RequirementsError(f"{label} is larger than {FILE_MAX_BYTES >> 20} MiB; it was not read.")
    try:
        return parse_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise RequirementsError(f"{label} is not UTF-8 text.") from err
    except RequirementsError as err:
        raise RequirementsError(f"{label} {err}.") from err
