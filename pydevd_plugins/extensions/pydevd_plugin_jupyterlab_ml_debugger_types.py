"""Tensor and array values in the debugger's own Variables panel: shape, dtype, device.

pydevd loads every module named ``pydevd_plugin*`` under the ``pydevd_plugins.extensions``
namespace (its ``__init__`` files call ``pkgutil.extend_path``, so this directory, shipped
by another distribution, joins it). A tensor's or array's repr reads and formats its
data, slow for a large one and a device sync for a GPU one: these providers show
``Tensor[32, 3, 224, 224] float32 cuda:0 grad`` instead, read from metadata only.
The debug console (``repl``) and "copy value" (``clipboard``) keep the full repr.
"""

import contextlib
import sys

from _pydevd_bundle.pydevd_extension_api import StrPresentationProvider

FULL_REPR_CONTEXTS = ("repl", "clipboard")

_qualname = type.__dict__["__qualname__"].__get__


def _shape(shape):
    return "[" + ", ".join(str(n) for n in shape) + "]"


def _no_subclass_hooks(torch):
    """Keep a subclass's ``__torch_function__`` (user code) out of reading its metadata."""
    disable = getattr(torch._C, "DisableTorchFunctionSubclass", None)
    return disable() if disable is not None else contextlib.nullcontext()


def tensor_text(t):
    """``Tensor[2, 3] float32 cpu`` (+ `` grad`` when it requires grad), from metadata."""
    with _no_subclass_hooks(sys.modules["torch"]):
        parts = [_qualname(type(t)) + _shape(t.shape), str(t.dtype).replace("torch.", "", 1),
                 str(t.device)]
        if t.requires_grad:
            parts.append("grad")
    return " ".join(parts)


def array_text(a):
    """``ndarray[3, 4] float64``, from metadata."""
    return f"{_qualname(type(a))}{_shape(a.shape)} {a.dtype}"


def _is_subclass(type_object, module_name, attr):
    base = getattr(sys.modules.get(module_name), attr, None)
    return isinstance(base, type) and isinstance(type_object, type) and issubclass(type_object, base)


class _MetadataStr(StrPresentationProvider):
    """The shared part: never raise, never read data, keep the full repr where it is wanted."""

    def get_str_in_context(self, val, context):
        return None if context in FULL_REPR_CONTEXTS else self.get_str(val)

    def get_str(self, val):
        try:
            return self.describe(val)
        except Exception:  # a broken subclass: pydevd shows the bare type rather than fail
            return _qualname(type(val))


class TensorShapeStr(_MetadataStr):
    """torch tensors, parameters included."""

    def can_provide(self, type_object, type_name):
        return _is_subclass(type_object, "torch", "Tensor")

    def describe(self, val):
        return tensor_text(val)


class ArrayShapeStr(_MetadataStr):
    """NumPy arrays, subclasses included."""

    def can_provide(self, type_object, type_name):
        return _is_subclass(type_object, "numpy", "ndarray")

    def describe(self, val):
        return array_text(val)
