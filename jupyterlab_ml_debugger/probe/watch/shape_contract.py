"""Shape contracts on watches: ``images :: B 3 H W`` checked against the value's shape.

A contract is a list of dimensions: a number must match exactly, a name binds to the
size it first meets and must then agree everywhere in the request (across every
contract of it), and one ``*`` matches any number of dimensions. Pure: the shapes come
from the watch rows, which were read without running user code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

Json = dict[str, Any]
Dim = Union[int, str]  # a size, a name, or STAR

STAR = "*"
CONTRACT_MAX = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Rows whose stats carry the value's shape.
_SHAPED_KINDS = ("tensor", "ndarray")


class ContractError(ValueError):
    """A contract that does not parse; the message is the sentence to show."""


@dataclass(frozen=True)
class Contract:
    """A parsed contract: its text and its dimensions in order."""

    text: str
    dims: tuple[Dim, ...]

    @property
    def star(self) -> int | None:
        """The position of ``*``, or None."""
        return self.dims.index(STAR) if STAR in self.dims else None


@dataclass(frozen=True)
class Binding:
    """Where a name first got its size."""

    size: int
    expression: str
    axis: int


def parse(text: str) -> Contract:
    """The contract ``text`` states; ContractError with a sentence when it is not one."""
    if len(text) > CONTRACT_MAX:
        raise ContractError(f"a contract has at most {CONTRACT_MAX} characters")
    tokens = text.split()
    if not tokens:
        raise ContractError("the contract is empty: write its dimensions, such as B 3 H W")
    dims = tuple(_dim(token) for token in tokens)
    if dims.count(STAR) > 1:
        raise ContractError("use * at most once in a contract")
    return Contract(" ".join(tokens), dims)


def _dim(token: str) -> Dim:
    if token == STAR:
        return STAR
    if token.isdigit() and token.isascii():
        return int(token)
    if _NAME.fullmatch(token):
        return token
    raise ContractError(f"{token!r} is not a dimension: write a number, a name or *")


def shape_of_row(row: Json) -> list[int] | str:
    """The shape a watch row shows, or the sentence saying why it has none."""
    if row.get("kind") == "error":
        return "not checked: the expression failed"
    stats = row.get("stats")
    if row.get("kind") in _SHAPED_KINDS and isinstance(stats, dict) and isinstance(stats.get("shape"), list):
        return stats["shape"]
    name = str(row.get("type") or "value").rpartition(".")[2]
    return f"a {name} has no shape: a contract needs a tensor or an array"


def check(items: Sequence[tuple[str, list[int] | str, str]]) -> list[Json]:
    """``{"ok", "message"}`` for each (expression, shape or why none, contract), names shared by all."""
    bindings: dict[str, Binding] = {}
    return [check_one(expression, shape, text, bindings) for expression, shape, text in items]


def check_one(expression: str, shape: list[int] | str, text: str, bindings: dict[str, Binding]) -> Json:
    """One contract checked against the names bound so far; a passing one adds its names to them."""
    try:
        contract = parse(text)
    except ContractError as err:
        return _result(False, f"{expression}: {err}")
    if isinstance(shape, str):
        return _result(False, f"{expression}: {shape}")
    problem, found = _match(expression, shape, contract, bindings)
    if problem is not None:
        return _result(False, f"{expression}: {problem}")
    bindings.update(found)
    names = _names_text(contract, bindings)
    return _result(True, f"{expression}: {_dims_text(shape)} matches {contract.text}{names}")


def _result(ok: bool, message: str) -> Json:
    return {"ok": ok, "message": message}


def _match(expression: str, shape: list[int], contract: Contract,
           bindings: Mapping[str, Binding]) -> tuple[str | None, dict[str, Binding]]:
    """(why the shape breaks the contract or None, the names it binds)."""
    pairs = _aligned(shape, contract)
    if pairs is None:
        return _rank_problem(shape, contract), {}
    found: dict[str, Binding] = {}
    for axis, want in pairs:
        size = shape[axis]
        if isinstance(want, int):
            if size != want:
                return f"dimension {axis} is {size}, not {want} (shape {_dims_text(shape)})", {}
            continue
        earlier = found.get(want) or bindings.get(want)
        if earlier is None:
            found[want] = Binding(size, expression, axis)
        elif earlier.size != size:
            return f"dimension {want} is {size} here but {earlier.size} {_origin(earlier, expression)}", {}
    return None, found


def _aligned(shape: list[int], contract: Contract) -> list[tuple[int, Dim]] | None:
    """(axis, dimension) pairs; ``*`` takes what is left in the middle. None when the ranks cannot fit."""
    star = contract.star
    if star is None:
        if len(shape) != len(contract.dims):
            return None
        return list(enumerate(contract.dims))
    head, tail = contract.dims[:star], contract.dims[star + 1:]
    if len(shape) < len(head) + len(tail):
        return None
    start = len(shape) - len(tail)
    return list(enumerate(head)) + [(start + i, dim) for i, dim in enumerate(tail)]


def _rank_problem(shape: list[int], contract: Contract) -> str:
    fixed = len(contract.dims) - (contract.star is not None)
    need = f"at least {fixed}" if contract.star is not None else str(fixed)
    return f"{_dims_text(shape)} has {len(shape)} dimensions but {contract.text} needs {need}"


def _origin(earlier: Binding, expression: str) -> str:
    if earlier.expression == expression:
        return f"at dimension {earlier.axis}"
    return f"in {earlier.expression}"


def _dims_text(shape: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def _names_text(contract: Contract, bindings: Mapping[str, Binding]) -> str:
    names = dict.fromkeys(d for d in contract.dims if isinstance(d, str) and d != STAR)
    return " with " + ", ".join(f"{name}={bindings[name].size}" for name in names) if names else ""


def contract_results(expressions: Sequence[str], rows: Sequence[Json],
                     contracts: Mapping[str, str]) -> list[Json | None]:
    """The contract result of each watch row (one per expression, in order); None where there is none."""
    checked = iter(check([(e, shape_of_row(row), contracts[e])
                          for e, row in zip(expressions, rows) if e in contracts]))
    return [next(checked) if e in contracts else None for e in expressions]
