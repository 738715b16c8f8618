"""A user class that records every call of its code, for tests that the probe runs none of it.

``SPY_SOURCE`` runs as a cell (or in a plain dict for in-process tests): it defines ``Spy``,
whose every hook the probe must leave alone (attribute reads, ``__class__``, comparisons,
hashing, length, truth, iteration, text, properties, descriptors, conversions) and whose
metaclass records reads on the class itself and ``isinstance``/``issubclass`` checks
against it. Each call appends ``(hook, detail, thread name)`` to ``_spy_calls``, the main
thread's left out: there the user's own cell makes and uses the spies, while the probe
answers on its subshell (and runs a repr or an expression on threads of its own).
"""

from __future__ import annotations

from typing import Any

SPY_SOURCE = '''
import threading as _spy_threading

_spy_calls = []
_SPY_MAIN = _spy_threading.main_thread().ident


def _spy_note(hook, detail=None):
    if _spy_threading.get_ident() != _SPY_MAIN:
        _spy_calls.append((hook, detail, _spy_threading.current_thread().name))


class _SpyMeta(type):
    def __getattribute__(cls, name):
        _spy_note("class.__getattribute__", name)
        return type.__getattribute__(cls, name)

    def __instancecheck__(cls, obj):
        _spy_note("__instancecheck__")
        return type.__instancecheck__(cls, obj)

    def __subclasscheck__(cls, sub):
        _spy_note("__subclasscheck__")
        return type.__subclasscheck__(cls, sub)


class _SpyDescriptor:
    def __get__(self, obj, owner=None):
        _spy_note("descriptor.__get__")
        return 1


class Spy(metaclass=_SpyMeta):
    """Records every call of its own code; behaves as a plain object otherwise."""

    def __init__(self, label):
        object.__setattr__(self, "label", label)

    def __getattribute__(self, name):
        _spy_note("__getattribute__", name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name):
        _spy_note("__getattr__", name)
        raise AttributeError(name)

    def _class(self):
        _spy_note("__class__")
        return Spy

    __class__ = property(_class)

    def _computed(self):
        _spy_note("property")
        return 1

    computed = property(_computed)
    described = _SpyDescriptor()

    def __eq__(self, other):
        _spy_note("__eq__")
        return self is other

    def __ne__(self, other):
        _spy_note("__ne__")
        return self is not other

    def __lt__(self, other):
        _spy_note("__lt__")
        return False

    def __hash__(self):
        _spy_note("__hash__")
        return id(self) >> 4

    def __len__(self):
        _spy_note("__len__")
        return 3

    def __bool__(self):
        _spy_note("__bool__")
        return True

    def __iter__(self):
        _spy_note("__iter__")
        return iter(())

    def __contains__(self, item):
        _spy_note("__contains__")
        return False

    def __getitem__(self, key):
        _spy_note("__getitem__")
        raise KeyError(key)

    def __repr__(self):
        _spy_note("__repr__")
        return "Spy(" + object.__getattribute__(self, "label") + ")"

    def __str__(self):
        _spy_note("__str__")
        return "spy"

    def __format__(self, spec):
        _spy_note("__format__")
        return "spy"

    def __dir__(self):
        _spy_note("__dir__")
        return []

    def __sizeof__(self):
        _spy_note("__sizeof__")
        return 64

    def __float__(self):
        _spy_note("__float__")
        return 1.0

    def __index__(self):
        _spy_note("__index__")
        return 1

    def __array__(self, *args, **kwargs):
        _spy_note("__array__")
        raise TypeError("a spy is no array")

    def __reduce_ex__(self, protocol):
        _spy_note("__reduce_ex__")
        raise TypeError("a spy is not copied")


class SpyError(Spy, Exception):
    """A spy that can be raised: its chain, traceback and text must be read without its code."""

    def __init__(self, label):
        Exception.__init__(self, label)
        Spy.__init__(self, label)
'''


def spy_namespace() -> dict[str, Any]:
    """``SPY_SOURCE`` run in a fresh dict, for tests in this process (on a thread other than the main one)."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(SPY_SOURCE, namespace)
    return namespace
