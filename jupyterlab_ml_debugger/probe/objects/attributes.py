"""Reading objects, modules, classes and functions without running their code.

Attributes come only from the instance ``__dict__`` and ``__slots__`` (through the
builtin descriptors found in the type's MRO dicts); properties, ``__getattr__``
and other descriptors are listed, never evaluated.
"""

from __future__ import annotations

import functools
import types
from typing import Any, Iterator

from .. import safe_text

_BUILTIN_SLOTS = (types.GetSetDescriptorType, types.MemberDescriptorType)
_type_dict = type.__dict__["__dict__"].__get__
_type_bases = type.__dict__["__bases__"].__get__
_type_mro = type.__dict__["__mro__"].__get__

FUNCTION_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.ClassMethodDescriptorType,
    functools.partial,
)
PARAMS_MAX = 8


def mro_dicts(tp: type) -> Iterator[Any]:
    """The class dicts of ``tp``'s MRO, read through ``type``'s own slots."""
    for cls in _type_mro(tp):
        yield _type_dict(cls)


def instance_dict(obj: object) -> dict | None:
    """``obj.__dict__`` when the type's ``__dict__`` is the builtin slot, else None."""
    if issubclass(type(obj), type):
        return dict(_type_dict(obj))
    for d in mro_dicts(type(obj)):
        descr = d.get("__dict__")
        if descr is not None:
            if not issubclass(type(descr), _BUILTIN_SLOTS):
                return None
            found = descr.__get__(obj, type(obj))
            return found if type(found) is dict else None
    return None


def instance_dict_slot(tp: type) -> Any:
    """The builtin ``__dict__`` slot of ``tp``'s instances, or None (no dict, or a user descriptor)."""
    for d in mro_dicts(tp):
        descr = d.get("__dict__")
        if descr is not None:
            return descr if issubclass(type(descr), _BUILTIN_SLOTS) else None
    return None


def slots(obj: object) -> Iterator[tuple[str, Any]]:
    """(name, value) of each ``__slots__`` member that is set."""
    seen: set[str] = set()
    for d in mro_dicts(type(obj)):
        for name, descr in dict.items(dict(d)):
            if type(descr) is types.MemberDescriptorType and name not in seen and name != "__dict__":
                seen.add(name)
                try:
                    yield name, descr.__get__(obj, type(obj))
                except AttributeError:
                    continue


def properties(obj: object) -> list[str]:
    """Names of computed attributes defined on ``obj``'s class: listed, never called."""
    if issubclass(type(obj), (type, types.ModuleType)):
        return []
    names: dict[str, None] = {}
    inst = instance_dict(obj) or {}
    for d in mro_dicts(type(obj)):
        for name, descr in dict.items(dict(d)):
            if name.startswith("__") or name in inst or name in names:
                continue
            if issubclass(type(descr), (property, functools.cached_property)):
                names[name] = None
    return list(names)


def attributes(obj: object) -> list[tuple[str, Any]]:
    """Instance-dict entries then set slots; for modules and classes, their dicts."""
    pairs = list(dict.items(instance_dict(obj) or {}))
    if not issubclass(type(obj), type):
        pairs.extend(slots(obj))
    if issubclass(type(obj), (type, types.ModuleType)):
        pairs = [(k, v) for k, v in pairs if not (type(k) is str and k.startswith("__"))]
    return pairs


def attribute(obj: object, name: str) -> Any:
    """One attribute from the instance dict or a slot; LookupError otherwise."""
    inst = instance_dict(obj)
    if inst is not None and name in inst:
        return inst[name]
    for slot, value in slots(obj):
        if slot == name:
            return value
    raise LookupError(
        f"{safe_text.type_name(type(obj))} has no attribute {name!r} in its instance dict or "
        "slots (properties are not evaluated)"
    )


def has_children(obj: object) -> bool:
    return bool(instance_dict(obj)) or any(True for _ in slots(obj)) or bool(properties(obj))


def object_summary(obj: object) -> str:
    """``<pkg.Class object at 0x...>  3 attributes``."""
    n = len(attributes(obj))
    return f"{safe_text.object_text(obj)}  {n} attribute{'' if n == 1 else 's'}"


def module_text(mod: types.ModuleType) -> str:
    """``module numpy 2.4.6  /path/to/numpy/__init__.py``, from the module's dict."""
    d = instance_dict(mod) or {}
    parts = ["module " + _str(d.get("__name__"), "?")]
    version = d.get("__version__")
    if type(version) is str:
        parts[0] += " " + safe_text.cap(version, 30)
    where = d.get("__file__")
    parts.append(safe_text.cap(where, 120) if type(where) is str else "(built-in)")
    return "  ".join(parts)


def class_text(cls: type) -> str:
    """``class pkg.Name(Base, Other)``."""
    bases = ", ".join(safe_text.type_name(b) for b in _type_bases(cls) if b is not object)
    return f"class {safe_text.type_name(cls)}" + (f"({bases})" if bases else "")


def is_function(value: object) -> bool:
    return issubclass(type(value), FUNCTION_TYPES)


def function_text(f: Any) -> str:
    """``function train(model, loader, *args)  module:line`` from the code object."""
    if type(f) is types.MethodType:
        return "method " + function_text(f.__func__).removeprefix("function ")
    if type(f) is functools.partial:
        return "partial of " + (function_text(f.func) if is_function(f.func) else "a callable")
    if type(f) is not types.FunctionType:
        return "builtin " + _str(_builtin_name(f), safe_text.short_type(type(f)))
    code = f.__code__
    names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    if code.co_flags & 0x04:
        names.insert(code.co_argcount, "*" + code.co_varnames[len(names)])
    if code.co_flags & 0x08:
        names.append("**" + code.co_varnames[code.co_argcount + code.co_kwonlyargcount
                                             + bool(code.co_flags & 0x04)])
    shown = ", ".join(names[:PARAMS_MAX]) + (", …" if len(names) > PARAMS_MAX else "")
    where = f"{_str(f.__module__, '?')}:{code.co_firstlineno}"
    return f"function {f.__qualname__}({shown})  {where}"


def _builtin_name(f: Any) -> Any:
    for d in mro_dicts(type(f)):
        descr = d.get("__qualname__")
        if descr is not None:
            return descr.__get__(f, type(f)) if issubclass(type(descr), _BUILTIN_SLOTS) else None
    return None


def _str(value: Any, default: str) -> str:
    return safe_text.cap(value, 80) if type(value) is str else default
