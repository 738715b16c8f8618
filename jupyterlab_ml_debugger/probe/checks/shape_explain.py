"""Explain the last failed cell's shape error: which module, what it expects, what it got, and where.

Everything is read after the fact from the exception's own frames (see ``last_error``): no
hook is installed beforehand and no user code runs. The failing module is the ``self`` of
the innermost frame that has an ``nn.Module`` there; its path is found by walking the
``_modules`` dicts of the models in the user's globals (else in the failed frames' locals).
"""

from __future__ import annotations

import os
import sys
from collections import deque
from typing import Any

from .. import safe_text
from ..objects.ndarray import is_ndarray
from ..objects.tensor import is_tensor, tensor_head
from ..stack import frames, last_error, namespace
from ..stack.last_error import ErrorFrame
from ..stack.namespace import Items
from ..structure import module_tree
from . import shape_messages
from .shape_messages import Parsed

Json = dict[str, Any]

# Modules visited at most while looking for the failing one's path, over all roots.
PATH_SEARCH_MAX = 200_000
# Frame flag of a ``*args`` parameter.
_CO_VARARGS = 0x04


def explain_last(roots: Items | None = None) -> Json | None:
    """The ShapeError of the last failed cell (None when none failed), models looked up in ``roots``."""
    exc = last_error.last_exception()
    if exc is None:
        return None
    return explain(exc, namespace.global_items() if roots is None else roots)


def explain(exc: BaseException, roots: Items) -> Json:
    """The ShapeError dict for one exception; the first shape error of its chain is the one explained."""
    target, parsed = _shape_cause(exc)
    found = last_error.error_frames(target)
    where = last_error.innermost_user_frame(found)
    failing = failing_module(found)
    module, path, cls = None, None, None
    if failing is not None:
        module = failing[1]
        cls = safe_text.short_type(type(module))
        path = module_path(module, roots) or module_path(module, _frame_roots(found))
    kind, expects, received, stated = _facts(parsed, failing, where)
    report = {"kind": kind, "exception": last_error.exception_text(target), "module": path, "cls": cls,
              "expects": expects, "received": received, "where": where.ref() if where else None,
              "id": last_error.identity(exc)}
    report["message"] = _sentence(report, parsed, stated)
    return report


def _shape_cause(exc: BaseException) -> tuple[BaseException, Parsed | None]:
    """The first exception of the chain whose message is a shape error, else the exception itself."""
    for link in last_error.chain(exc):
        parsed = shape_messages.parse(last_error.exception_text(link))
        if parsed is not None:
            return link, parsed
    return exc, None


def failing_module(found: list[ErrorFrame]) -> tuple[ErrorFrame, Any] | None:
    """The innermost frame whose ``self`` is an ``nn.Module``, and that module."""
    for error_frame in reversed(found):
        candidate = error_frame.local_vars().get("self")
        if candidate is not None and module_tree.is_module(candidate):
            return error_frame, candidate
    return None


def module_path(target: object, roots: Items) -> str | None:
    """The shortest dotted path (``model.head``) from a root module to ``target``; None if none reaches it."""
    best: str | None = None
    left = PATH_SEARCH_MAX
    for name, value in roots:
        if left <= 0:
            break
        if not module_tree.is_module(value):
            continue
        found, left = _path_under(value, name, target, left)
        if found is not None and (best is None or found.count(".") < best.count(".")):
            best = found
    return best


def _path_under(root: object, name: str, target: object, left: int) -> tuple[str | None, int]:
    """Breadth first under ``root``, so the first path found is the shortest; and the visits left."""
    queue: deque[tuple[object, str]] = deque([(root, name)])
    seen = {id(root)}
    while queue and left > 0:
        module, path = queue.popleft()
        left -= 1
        if module is target:
            return path, left
        for child_name, child in module_tree.child_items(module_tree.state(module)):
            if id(child) not in seen and module_tree.is_module(child):
                seen.add(id(child))
                queue.append((child, f"{path}.{child_name}"))
    return None, left


def _frame_roots(found: list[ErrorFrame]) -> Items:
    """The locals of the user's failed frames, outermost first (``self`` is not a name the user knows)."""
    roots: Items = []
    for error_frame in last_error.user_frames(found):
        if error_frame.frame.f_locals is not error_frame.frame.f_globals:
            roots.extend((k, v) for k, v in error_frame.local_vars().items() if k != "self")
    return roots


def _facts(parsed: Parsed | None, failing: tuple[ErrorFrame, Any] | None,
           where: ErrorFrame | None) -> tuple[str, str | None, str | None, bool]:
    """(kind, expects, received, stated by the module): from the module's attributes when it
    states them, else from the message."""
    if parsed is None:
        return "other", None, None, False
    if failing is not None:
        stated = _module_expects(parsed, failing[1])
        if stated is not None:
            tensor = input_tensor(failing[0], parsed.input_index)
            received = shape_text(tensor) if tensor is not None else parsed.received
            return parsed.module_kind or parsed.kind, stated, received, True
    return parsed.kind, parsed.expects, _view_received(parsed, where), False


def _module_expects(parsed: Parsed, module: object) -> str | None:
    """``in_features=10`` read from the module's instance dict, for the attributes the error names."""
    state = module_tree.state(module)
    attr = next((a for a in parsed.attrs if a in state), None)
    if attr is None:
        return None
    stated = f"{attr}={_attr_text(state[attr])}"
    groups = state.get("groups")
    if attr == "in_channels" and type(groups) is int and groups != 1:
        stated += f", groups={groups}"
    return stated


def _attr_text(value: object) -> str:
    if type(value) in (tuple, list) and all(type(v) is int for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return safe_text.builtin_text(value) or safe_text.object_text(value)


def input_tensor(error_frame: ErrorFrame, index: int = 0) -> Any:
    """The ``index``-th tensor among a frame's arguments after ``self`` (then in its ``*args``);
    the first when there are fewer."""
    code = error_frame.frame.f_code
    local_vars = error_frame.local_vars()
    names = list(code.co_varnames[1:code.co_argcount])
    values = [local_vars.get(n) for n in names]
    if code.co_flags & _CO_VARARGS:
        extra = local_vars.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount])
        values.extend(extra if type(extra) is tuple else ())
    tensors = [v for v in values if is_tensor(v) or is_ndarray(v)]
    if not tensors:
        return None
    return tensors[index] if index < len(tensors) else tensors[0]


def shape_of(value: Any) -> list[int] | None:
    """The shape of a tensor or array, read without subclass hooks; None for anything else."""
    if is_tensor(value):
        return tensor_head(value)[0]
    if is_ndarray(value):
        # the base class's own property: a subclass may override ``shape``
        return [int(n) for n in sys.modules["numpy"].ndarray.shape.__get__(value)]
    return None


def shape_text(value: Any) -> str | None:
    """``[20, 50]`` for a tensor or array."""
    shape = shape_of(value)
    return None if shape is None else "[" + ", ".join(str(n) for n in shape) + "]"


def _view_received(parsed: Parsed, where: ErrorFrame | None) -> str | None:
    """For a view, the one tensor of the user's frame with that many elements names its shape."""
    if parsed.numel is None or where is None:
        return parsed.received
    found = (shape_of(v) for v in where.local_vars().values())
    shapes = {tuple(s) for s in found if s is not None and _product(s) == parsed.numel}
    if len(shapes) != 1:
        return parsed.received
    return f"[{', '.join(str(n) for n in shapes.pop())}] ({parsed.numel} elements)"


def _product(shape: list[int]) -> int:
    total = 1
    for n in shape:
        total *= n
    return total


def where_text(where: Json | None) -> str:
    """``forward, line 5 of a cell`` (``line 6 of a cell`` at a cell's top level); empty without a frame."""
    if where is None:
        return ""
    place = "a cell" if frames.is_cell_file(where["path"]) else os.path.basename(where["path"])
    line = f"line {where['line']} of {place}"
    return line if where["name"] == "<module>" else f"{where['name']}, {line}"


def _sentence(report: Json, parsed: Parsed | None, stated: bool) -> str:
    """One sentence that says all of it; ``stated``: the module's attributes gave what it expects."""
    subject = None
    if report["cls"] is not None:
        subject = f"{report['module']} ({report['cls']})" if report["module"] else f"a {report['cls']} module"
    where = where_text(report["where"])
    if parsed is None:
        parts = [f"raised in {subject}"] if subject else []
        parts += [f"at {where}"] if where else []
        return report["exception"] + (f" ({', '.join(parts)})." if parts else "")
    at = f" ({'called from' if stated else 'at'} {where})" if where else ""
    if stated:
        return f"{subject} expects {report['expects']} but received {report['received']}{at}."
    inside = f" in {subject}" if subject else ""
    return f"The {parsed.what}{inside} expected {report['expects']}, but got {report['received']}{at}."
