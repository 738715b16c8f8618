"""The ObjectStructure of any value: its class, declared fields, attributes, slots and shape.

Classes are read through their MRO dicts and values through the instance dict and
slot descriptors only: no ``__getattr__``, no properties, no ``__repr__`` of user
classes (see protocol: ObjectStructure).
"""

from __future__ import annotations

import abc
import dataclasses
import itertools
import types
import typing
from typing import Any, Iterator

from .. import safe_text
from ..budget import Budget
from ..objects import attributes, containers
from ..objects.summarize import summarize
from ..objects.tensor import torch_reads

Json = dict[str, Any]

ENTRIES_MAX = 200  # fields, attributes, slots and properties, each
MRO_MAX = 50
DECLARED_MAX = 120
DECLARED_DEPTH = 6
ENTRY_BUDGET_MS = 20
SHAPE_DEPTH = 4
SHAPE_LOOK = 16
SHAPE_LOOKS_MAX = 400
SHAPE_MAX = 300
CYCLE = "…cycle"

_type_mro = type.__dict__["__mro__"].__get__
_class_dict = type.__dict__["__dict__"].__get__
_METHOD_TYPES = (types.FunctionType, staticmethod, classmethod, types.MethodDescriptorType,
                 types.ClassMethodDescriptorType, types.BuiltinFunctionType)
_TYPING_MODULES = ("typing", "types", "typing_extensions")
_MISSING = object()


def describe(value: object, budget: Budget) -> tuple[Json, str | None]:
    """The ObjectStructure of ``value``, and a cut sentence when a bound shortened it."""
    with torch_reads():
        return _describe(value, budget)


def _describe(value: object, budget: Budget) -> tuple[Json, str | None]:
    tp = type(value)
    inst = attributes.instance_dict(value) if not issubclass(tp, type) else None
    inst = inst or {}
    slot_values = slots(value)
    flavor, declared = fields_of(tp)
    cuts: list[str] = []
    if flavor == "namedtuple":
        values = dict(zip((name for name, _ in declared), tuple.__iter__(value)))
    else:
        values = {**slot_values, **inst}
    fields = _field_rows(declared, values, budget, cuts)
    taken = {name for name, _ in declared}
    attribute_rows = _attribute_rows(inst, taken, budget, cuts)
    slot_rows = [{"name": name, "type": None if v is _MISSING else safe_text.type_name(type(v))}
                 for name, v in slot_values.items()]
    props = _capped(properties(value), "properties", cuts)
    structure = {
        **class_facts(tp), "flavor": flavor, "fields": fields, "attributes": attribute_rows,
        "slots": _capped(slot_rows, "slots", cuts), "properties": props, "shape": shape_text(value),
    }
    return structure, "; ".join(cuts) or None


def class_facts(tp: type) -> Json:
    """class, module, mro, metaclass and method count, read from the type's own slots."""
    mro = _type_mro(tp)
    meta = type(tp)
    module = safe_text.module_name(tp)
    return {
        "class": safe_text.type_name(tp),
        "module": module or "?",
        "mro": [safe_text.type_name(c) for c in mro[:MRO_MAX]],
        "metaclass": None if meta is type else safe_text.type_name(meta),
        "methods": method_count(tp),
    }


def method_count(tp: type) -> int:
    """Distinct non-dunder functions and method descriptors in the MRO, ``object``'s left out."""
    names: set[str] = set()
    for cls in _type_mro(tp):
        if cls is object:
            continue
        for name, member in dict.items(dict(_class_dict(cls))):
            if issubclass(type(member), _METHOD_TYPES) and not _dunder(name):
                names.add(name)
    return len(names)


def fields_of(tp: type) -> tuple[str | None, list[tuple[str, Any]]]:
    """The flavor of a declared-fields class and its (name, declared annotation) pairs."""
    for flavor, find in _FLAVORS:
        found = find(tp)
        if found is not None:
            return flavor, found[:ENTRIES_MAX + 1]
    return None, []


def _class_attr(tp: type, name: str) -> Any:
    """``name`` from the first MRO dict that has it, without running any descriptor."""
    for d in attributes.mro_dicts(tp):
        if name in d:
            return d[name]
    return None


def _dataclass(tp: type) -> list[tuple[str, Any]] | None:
    table = _class_attr(tp, "__dataclass_fields__")
    if type(table) is not dict:
        return None
    plain = getattr(dataclasses, "_FIELD", None)
    return [(name, f.type) for name, f in dict.items(table)
            if issubclass(type(f), dataclasses.Field) and getattr(f, "_field_type", plain) is plain]


def _namedtuple(tp: type) -> list[tuple[str, Any]] | None:
    names = _class_attr(tp, "_fields")
    if not issubclass(tp, tuple) or type(names) is not tuple:
        return None
    notes = _class_attr(tp, "__annotations__")
    notes = notes if type(notes) is dict else {}
    return [(name, notes.get(name)) for name in names if type(name) is str]


def _attrs(tp: type) -> list[tuple[str, Any]] | None:
    table = _class_attr(tp, "__attrs_attrs__")
    if not issubclass(type(table), tuple):  # attrs makes it a tuple subclass
        return None
    return [(a.name, a.type) for a in tuple.__iter__(table) if _is_attrs_field(a) and type(a.name) is str]


def _is_attrs_field(a: Any) -> bool:
    """An ``attr.Attribute``, whose ``name`` and ``type`` are its own slots: no user code reads them."""
    return safe_text.type_name(type(a)).startswith("attr.")


def _pydantic(tp: type) -> list[tuple[str, Any]] | None:
    for key, note in (("__pydantic_fields__", "annotation"), ("model_fields", "annotation"),
                      ("__fields__", "outer_type_")):
        table = _class_attr(tp, key)
        if type(table) is dict and _is_pydantic(tp):
            return [(name, getattr(f, note, None)) for name, f in dict.items(table)]
    return None


def _is_pydantic(tp: type) -> bool:
    return any((safe_text.module_name(c) or "").startswith("pydantic") for c in _type_mro(tp)[1:])


_FLAVORS = (("dataclass", _dataclass), ("namedtuple", _namedtuple), ("attrs", _attrs),
            ("pydantic", _pydantic))


def declared_text(note: Any) -> str | None:
    """An annotation as text: strings as written, classes by name, typing forms by their repr."""
    if note is None:
        return None
    if type(note) is typing.ForwardRef:
        note = note.__forward_arg__
    if issubclass(type(note), str):
        note = str.__str__(note)
        # under ``from __future__ import annotations`` a quoted annotation keeps its quotes
        quoted = len(note) > 1 and note[0] == note[-1] and note[0] in "'\""
        return safe_text.cap(note[1:-1] if quoted else note, DECLARED_MAX)
    if issubclass(type(note), type):
        return safe_text.type_name(note)
    if safe_text.module_name(type(note)) in _TYPING_MODULES and _plain_form(note):
        # typing's own repr names classes by their module and qualname: no user code runs
        return safe_text.cap(repr(note).replace("typing.", ""), DECLARED_MAX)
    return safe_text.type_name(type(note))


def _plain_form(note: Any, depth: int = 0) -> bool:
    """Whether typing's repr of ``note`` runs nothing of the user's: every class in it has a plain
    metaclass and a str module (the repr reads both), every other part is a builtin scalar."""
    tp = type(note)
    if tp is type or tp is abc.ABCMeta:
        return safe_text.module_name(note) is not None
    if note is None or note is Ellipsis or tp in (int, str, bool, bytes):
        return True
    if depth >= DECLARED_DEPTH or safe_text.module_name(tp) not in _TYPING_MODULES and tp is not list:
        return False
    parts = list.__iter__(note) if tp is list else (typing.get_origin(note), *typing.get_args(note))
    return all(part is None or _plain_form(part, depth + 1) for part in parts)


def _field_rows(declared: list[tuple[str, Any]], values: dict, budget: Budget,
                cuts: list[str]) -> list[Json]:
    rows = []
    for name, note in _bounded(declared, "fields", budget, cuts):
        value = values.get(name, _MISSING)
        missing = value is _MISSING
        rows.append({
            "name": name, "declared": declared_text(note),
            "actual": None if missing else safe_text.type_name(type(value)),
            "summary": "(no value)" if missing else _summary(name, value, budget),
        })
    return rows


def _attribute_rows(inst: dict, taken: set[str], budget: Budget, cuts: list[str]) -> list[Json]:
    pairs = [(k, v) for k, v in tuple(dict.items(inst)) if type(k) is str and k not in taken]
    return [{"name": safe_text.cap(name, safe_text.NAME_MAX),
             "type": safe_text.type_name(type(value)), "summary": _summary(name, value, budget)}
            for name, value in _bounded(pairs, "attributes", budget, cuts)]


def _bounded(entries: list, what: str, budget: Budget, cuts: list[str]) -> Iterator:
    """The entries up to ENTRIES_MAX while time is left; notes in ``cuts`` where it stopped."""
    for i, entry in enumerate(entries):
        if i >= ENTRIES_MAX:
            cuts.append(f"{what}: the first {ENTRIES_MAX} of {len(entries)} are listed")
            return
        if budget.expired():
            cuts.append(f"{what}: the time budget ran out after {i} of {len(entries)}")
            return
        yield entry


def _capped(entries: list, what: str, cuts: list[str]) -> list:
    if len(entries) > ENTRIES_MAX:
        cuts.append(f"{what}: the first {ENTRIES_MAX} of {len(entries)} are listed")
    return entries[:ENTRIES_MAX]


def _summary(name: str, value: object, budget: Budget) -> str:
    return summarize(name, value, [], budget.child(ENTRY_BUDGET_MS))["summary"]


def slots(value: object) -> dict[str, Any]:
    """Every declared slot by name, its value or ``_MISSING`` when it holds none."""
    found: dict[str, Any] = {}
    if issubclass(type(value), type):
        return found
    tp = type(value)
    for d in attributes.mro_dicts(tp):
        if "__slots__" not in d:
            continue
        for name, descr in dict.items(dict(d)):
            if type(descr) is types.MemberDescriptorType and name not in found:
                try:
                    found[name] = descr.__get__(value, tp)
                except AttributeError:
                    found[name] = _MISSING
    return found


def properties(value: object) -> list[str]:
    """Python properties, then C-level computed attributes (getset descriptors): names only."""
    names = dict.fromkeys(attributes.properties(value))
    if issubclass(type(value), (type, types.ModuleType)):
        return list(names)
    for cls in _type_mro(type(value)):
        if cls is object:
            continue
        for name, descr in dict.items(dict(_class_dict(cls))):
            if type(descr) is types.GetSetDescriptorType and not _dunder(name):
                names.setdefault(name, None)
    return list(names)


def _dunder(name: object) -> bool:
    return type(name) is str and name.startswith("__") and name.endswith("__")


def shape_text(value: object) -> str | None:
    """A container's nested shape, ``dict[str → list[16] of Tensor[3, 4] float32]``; else None."""
    if containers.container_base(value) is None:
        return None
    with torch_reads():
        return safe_text.cap(_Shape().text(value, 0, set()), SHAPE_MAX)


class _Shape:
    """One nested-shape description, with a budget of elements looked at across all levels."""

    def __init__(self) -> None:
        self.looks_left = SHAPE_LOOKS_MAX

    def text(self, value: object, depth: int, ancestors: set[int]) -> str:
        if containers.container_base(value) is None:
            return containers.describe(value)
        if id(value) in ancestors:
            return CYCLE
        name = safe_text.short_type(type(value))
        n = containers.length(value)
        if n == 0 or depth >= SHAPE_DEPTH or self.looks_left <= 0:
            return f"{name}[{n}]"
        seen = list(itertools.islice(containers.items(value), min(SHAPE_LOOK, self.looks_left)))
        self.looks_left -= len(seen)
        ancestors.add(id(value))
        try:
            if containers.is_mapping(value):
                keys = union([containers.describe(k) for k, _ in seen])
                values = union([self.text(v, depth + 1, ancestors) for _, v in seen])
                return f"{name}[{keys} → {values}]"
            parts = [self.text(v, depth + 1, ancestors) for v in seen]
            if issubclass(type(value), tuple) and n == len(seen) and n <= 6 and len(set(parts)) > 1:
                return f"{name}[{', '.join(parts)}]"
            return f"{name}[{n}] of {union(parts)}"
        finally:
            ancestors.discard(id(value))


def union(descriptions: list[str]) -> str:
    """One description when all agree; a few alternatives; else their type names."""
    distinct = list(dict.fromkeys(descriptions))
    if len(distinct) == 1:
        return distinct[0]
    heads = list(dict.fromkeys(d.split("[", 1)[0] for d in distinct))
    if len(heads) == 1:
        return f"{heads[0]} (shapes vary)"
    if len(distinct) <= 3:
        return " | ".join(distinct)
    return " | ".join(heads[:3]) + (" | …" if len(heads) > 3 else "")

