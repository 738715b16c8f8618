"""Builtin containers: length and a short element summary, without user code.

Only builtin container types (and their subclasses) are read, always through the
builtin base's own methods (``list.__len__(v)``, ``dict.items(v)``), so a subclass's
overrides never run; a user class that merely registers as a Sequence is an object.
"""

from __future__ import annotations

import collections
import itertools
from typing import Any, Callable, Iterator

from .. import safe_text
from .ndarray import is_ndarray
from .tensor import is_tensor, tensor_head

LOOK_MAX = 64
_mro = type.__dict__["__mro__"].__get__
NAMES_MAX = 4

Base = tuple[type, Callable[[Any], int], Callable[[Any], Iterator[Any]]]

# The builtin scalars and strings, by their type's identity (hashing a type could run its
# metaclass's code), with their names. They hold nothing below them, and they are what most
# lists a training loop keeps hold (losses, steps, labels): a list of 64 floats summarised at
# every refresh cost a quarter of a live Variable Values sample when each element went through
# every check.
PLAIN_TYPE_NAMES = {id(tp): tp.__name__ for tp in (int, float, bool, str, bytes, complex, type(None))}

# Ordered: the first builtin base found in a type's MRO decides how it is read.
_BASES: list[Base] = [
    (collections.OrderedDict, collections.OrderedDict.__len__, collections.OrderedDict.__iter__),
    (dict, dict.__len__, dict.__iter__),
    (list, list.__len__, list.__iter__),
    (tuple, tuple.__len__, tuple.__iter__),
    (collections.deque, collections.deque.__len__, collections.deque.__iter__),
    (set, set.__len__, set.__iter__),
    (frozenset, frozenset.__len__, frozenset.__iter__),
]


def container_base(value: object) -> Base | None:
    """The builtin container base ``value`` is read through, if any."""
    return container_base_of(type(value))


def container_base_of(tp: type) -> Base | None:
    """The builtin container base instances of ``tp`` are read through, if any."""
    for cls in _mro(tp):
        for base in _BASES:
            if cls is base[0]:
                return base
    return None


def is_mapping(value: object) -> bool:
    base = container_base(value)
    return base is not None and issubclass(base[0], dict)


def length(value: object) -> int:
    base = container_base(value)
    assert base is not None
    return base[1](value)


def items(value: object) -> Iterator[Any]:
    """Elements in iteration order; ``(key, value)`` pairs for mappings."""
    base = container_base(value)
    assert base is not None
    if issubclass(base[0], dict):
        items_of = collections.OrderedDict.items if base[0] is collections.OrderedDict else dict.items
        return iter(items_of(value))
    return base[2](value)


def container_summary(value: object) -> str:
    """``list[32] of Tensor[3, 224, 224] float32``, ``dict[str → int] (12)``."""
    n = length(value)
    name = safe_text.short_type(type(value))
    seen = list(itertools.islice(items(value), LOOK_MAX))
    looked = "" if len(seen) == n else f" (first {len(seen)} looked at)"
    if is_mapping(value):
        if not seen:
            return f"{name} (0)"
        keys = _union(_descriptions([k for k, _ in seen], value))
        vals = _union(_descriptions([v for _, v in seen], value))
        return f"{name}[{keys} → {vals}] ({n}){looked}"
    if not seen:
        return f"{name}[0]"
    return f"{name}[{n}] of {_union(_descriptions(seen, value))}{looked}"


def _descriptions(elements: list[Any], parent: object) -> list[str]:
    """Each element's :func:`describe`, the plain builtin scalars and strings by their type's name."""
    plain = PLAIN_TYPE_NAMES
    return [plain.get(id(type(v))) or describe(v, parent) for v in elements]


def _union(descriptions: list[str]) -> str:
    """One description if all agree, else the distinct type names."""
    distinct = list(dict.fromkeys(descriptions))
    if len(distinct) == 1:
        return distinct[0]
    heads = list(dict.fromkeys(d.split("[", 1)[0] or d for d in distinct))
    suffix = ", …" if len(heads) > NAMES_MAX else ""
    vary = " (shapes vary)" if len(heads) == 1 else ""
    return ", ".join(heads[:NAMES_MAX]) + suffix + vary


def describe(value: object, parent: object = None) -> str:
    """A short type description of one element: no stats, no user code; an element that fails
    to read (a nested tensor has no sizes) is described by its type alone."""
    if value is parent:
        return "[...]"
    try:
        return _described(value)
    except Exception:
        return f"{safe_text.short_type(type(value))} (unreadable)"


def _described(value: object) -> str:
    if is_tensor(value):
        shape, dtype = tensor_head(value)
        return f"{safe_text.short_type(type(value))}[{_dims(shape)}] {dtype}"
    if is_ndarray(value):
        return f"ndarray[{_dims(value.shape)}] {value.dtype}"
    if container_base(value) is not None:
        return f"{safe_text.short_type(type(value))}[{length(value)}]"
    return safe_text.short_type(type(value))


def _dims(shape: Any) -> str:
    return ", ".join(str(int(d)) for d in shape)
