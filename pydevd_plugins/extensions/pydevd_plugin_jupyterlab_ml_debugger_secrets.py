"""Secrets masked in the debugger's own Variables panel, by the rules of Variable Values.

pydevd builds every entry of its ``variables``, ``evaluate``, ``setVariable`` and ``setExpression``
replies, and ipykernel the entries of an idle kernel's ``inspectVariables`` and ``variables``, with
one method, ``_AbstractVariable.get_var_data``: the one place that knows both an entry's name (a
local or global, a dict key's repr, an attribute, an expression) and its value. No extension point
of pydevd's knows the name (a ``StrPresentationProvider`` sees the value alone, and a frame's locals
pass through no ``TypeResolveProvider``), so this module wraps that method, when pydevd offers to
patch its modules (``DebuggerEventHandler``), and only when it is the method this module knows: its
signature, on the class that ``_ObjectVariable`` inherits it from. Otherwise pydevd stays untouched.

The rules are the probe's (``jupyterlab_ml_debugger.probe.secrets.masking``), read from whichever
copy of the probe the kernel runs, installed or sent by the frontend, so the settings the frontend
sends apply here too; until the probe is loaded, the installed package's defaults. A text value
under a secret-looking name is masked whole (within its quotes, which JupyterLab drops); every
value's text and every name is searched for key shapes and for secret-named pairs
(``{'hf_token': '…'}``). Type, children and everything else of an entry stay as pydevd made them.
What the user asks for by hand keeps its full text: the debug console's ``repl`` and the
``clipboard`` of "copy value" and "render variable" (which ipykernel ``eval``s). Nothing here runs
the user's code: a value's type is read from its MRO, and names and pydevd's text are all that is
searched.
"""

import functools
import importlib
import inspect
import re
import sys

from _pydevd_bundle.pydevd_extension_api import DebuggerEventHandler

MASKING = "jupyterlab_ml_debugger.probe.secrets.masking"
EXPLICIT_CONTEXTS = ("repl", "clipboard")
# pydevd writes a long string inside a container as its head, "...", and its tail. Read as the
# probe's own cut mark, a key cut there is found by its head; its tail is dropped with it.
PYDEVD_ELISION = "..."
CUT = "…"
_TAIL_AFTER_MASKED_CUT = re.compile(r"(\(secret: [^)]*\)" + CUT + r")[^'\"\s]*")
_WRAPPED = "_masks_secrets"
_EXPECTED_PARAMETERS = ["self", "fmt", "context"]

_import_failed = False


def masking_rules():
    """The probe's masking module, as the kernel runs it now; None when there is none to load."""
    global _import_failed
    module = sys.modules.get(MASKING)
    if module is None and not _import_failed:
        try:
            module = importlib.import_module(MASKING)
        except Exception:  # a broken or partial install: pydevd's text stays as it is
            _import_failed = True
    return module


def masked_value(masking, name, value, shown):
    """``shown`` (pydevd's text for ``value``, named ``name``) as Variable Values would show it."""
    if masking.is_text(value) and masking.secret_name(name):
        return in_quotes_of(shown, masking.named_text(name, value, shown))
    if PYDEVD_ELISION not in shown:
        return masking.text(shown)
    cut = shown.replace(PYDEVD_ELISION, CUT)
    masked = masking.text(cut)
    if masked is cut:
        return shown
    return _TAIL_AFTER_MASKED_CUT.sub(r"\1", masked)


def in_quotes_of(shown, mask):
    """``mask`` in the quotes (and ``b`` prefix) of ``shown``, a repr: JupyterLab drops the first and
    last characters of a str's value, and shows the rest."""
    quote = shown[-1:]
    if quote not in ("'", '"'):
        return mask
    prefix = shown[:shown.find(quote)]
    if len(prefix) + 1 == len(shown) or prefix not in ("", "b"):
        return mask
    return prefix + quote + mask + quote


def mask_entry(data, name, value, masking):
    """One entry of a reply (``{"name", "value", "type", ...}``) with its name and value masked while
    masking is active; changed in place and returned."""
    if masking is None or not masking.active():
        return data
    shown = data.get("value")
    if type(shown) is str:
        data["value"] = masked_value(masking, name if type(name) is str else "", value, shown)
    shown_name = data.get("name")
    if type(shown_name) is str:
        data["name"] = masking.mask_text(shown_name)
    return data


def _knows(method):
    try:
        parameters = list(inspect.signature(method).parameters)
    except (TypeError, ValueError):
        return False
    return parameters[:len(_EXPECTED_PARAMETERS)] == _EXPECTED_PARAMETERS


def install(variable_class, object_class):
    """Wrap ``variable_class.get_var_data`` so every entry it makes is masked; True when it is (or
    already was) wrapped, False, with nothing changed, when it is not the method this knows or
    ``object_class`` (pydevd's named entries) does not use it."""
    original = variable_class.__dict__.get("get_var_data")
    if original is None or getattr(object_class, "get_var_data", None) is not original:
        return False
    if getattr(original, _WRAPPED, False):
        return True
    if not _knows(original):
        return False

    @functools.wraps(original)
    def get_var_data(self, fmt=None, context=None, **safe_repr_custom_attrs):
        data = original(self, fmt=fmt, context=context, **safe_repr_custom_attrs)
        if context in EXPLICIT_CONTEXTS or type(data) is not dict:
            return data
        return mask_entry(data, self.name, self.value, masking_rules())

    setattr(get_var_data, _WRAPPED, True)
    variable_class.get_var_data = get_var_data
    return True


class SecretMasking(DebuggerEventHandler):
    """Installs the masking once pydevd's modules are loaded."""

    def on_debugger_modules_loaded(self, **kwargs):
        try:
            from _pydevd_bundle import pydevd_suspended_frames as frames

            install(frames._AbstractVariable, frames._ObjectVariable)
        except Exception:  # pydevd changed: its replies stay as they are, and the debugger works
            pass
