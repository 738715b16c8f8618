"""Tensor and array subclasses whose class changes how their values are read.

The probe reads a tensor or an array through the value itself: ``t.shape``, ``t.narrow(…)``,
``a[i]``, ``a.view(…)``. A subclass that defines ``__getattribute__``, or redefines one of the
base class's own attributes (a ``shape`` property, its own ``__getitem__`` or
``__array_finalize__``), would have those reads run its code; such a value is read as a plain
object instead. Subclasses from the library itself (``nn.Parameter``, ``np.memmap``) and the
hooks the probe switches off or never calls (``__torch_function__``, ``__repr__``) do not count.
"""

from __future__ import annotations

import weakref
from typing import Any

from .. import safe_text

_type_dict = type.__dict__["__dict__"].__get__
_type_mro = type.__dict__["__mro__"].__get__

# Class plumbing, and hooks the probe never calls on a tensor or array (torch function
# subclasses are read with their hook switched off, see ``tensor.plain_tensors``).
_PLUMBING = frozenset({
    "__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__annotations__", "__slots__",
    "__firstlineno__", "__static_attributes__", "__orig_bases__", "__parameters__", "__init__", "__new__",
    "__init_subclass__", "__subclasshook__", "__class_getitem__", "__setattr__", "__delattr__", "__del__",
    "__repr__", "__str__", "__format__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
    "__copy__", "__deepcopy__", "__dir__", "__sizeof__", "__torch_function__", "__torch_dispatch__",
})
KNOWN_MAX = 1024

# id(type) -> (a weak reference to it, whether it overrides): a class dies or is redefined often
# in a notebook, and this must not keep it alive.
_known: dict[int, tuple[Any, bool]] = {}
_base_names: dict[int, tuple[type, frozenset[str]]] = {}


def overrides_reads(tp: type, base: type, library: str) -> bool:
    """Whether ``tp``, a subclass of ``base``, has a class outside ``library`` that changes how the
    probe's reads of ``base``'s attributes behave."""
    found = _known.get(id(tp))
    if found is not None and found[0]() is tp:
        return found[1]
    result = _overrides(tp, base, library)
    if len(_known) >= KNOWN_MAX:
        _known.clear()
    try:
        _known[id(tp)] = (weakref.ref(tp), result)
    except TypeError:  # a class without weak references is looked at each time
        pass
    return result


def _overrides(tp: type, base: type, library: str) -> bool:
    names = _names_of(base)
    for cls in _type_mro(tp):
        if cls is base:
            return False
        module = safe_text.module_name(cls) or ""
        if module == library or module.startswith(library + "."):
            continue
        for name in dict(_type_dict(cls)):
            if type(name) is str and name not in _PLUMBING and (name == "__getattribute__" or name in names):
                return True
    return False


def _names_of(base: type) -> frozenset[str]:
    """Every attribute name ``base`` and its bases define (kept for the process: ``base`` is a library's)."""
    found = _base_names.get(id(base))
    if found is None or found[0] is not base:
        found = _base_names[id(base)] = (base, frozenset(n for cls in _type_mro(base) for n in _type_dict(cls)))
    return found[1]
