"""The Type Structure ops: argument checks around the object, module-tree and shape-recording reads."""

from __future__ import annotations

from typing import Any, Callable

from .. import protocol
from ..budget import Budget
from ..objects import paths
from ..objects.summarize import summarize
from ..requests import bad, parse_scope, resolve_path, resolve_target
from . import module_tree, object_structure, shape_record

Json = dict[str, Any]


def _positive(args: Json, key: str, default: int) -> int:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise bad(f"{key} must be a positive number")
    return int(value)


def _target(args: Json) -> object:
    return resolve_target(parse_scope(args.get("scope")), args.get("target"))


def structure(args: Json) -> Json:
    """``{"scope", "target", "max_nodes"?, "budget_ms"?}`` -> Structure."""
    max_nodes = min(_positive(args, "max_nodes", protocol.STRUCTURE_MAX_NODES),
                    protocol.STRUCTURE_MAX_NODES)
    budget = Budget(_positive(args, "budget_ms", protocol.STRUCTURE_BUDGET_MS))
    return structure_of_value(_target(args), max_nodes, budget, _name(args))


def _name(args: Json) -> str:
    """The name the (resolved) target goes by, so that its summary is masked as its row is."""
    target = args.get("target")
    if type(target) is not dict:
        return ""
    if "expression" in target:
        return target["expression"]
    return paths.last_name(target["path"], lambda steps: resolve_path(parse_scope(args.get("scope")), steps))


def structure_of_value(value: object, max_nodes: int, budget: Budget, name: str = "") -> Json:
    """The Structure of one value named ``name``, walked within ``max_nodes`` modules and ``budget``."""
    row = summarize(name, value, [], budget.child(protocol.DEFAULT_VALUE_BUDGET_MS))
    is_module = module_tree.is_module(value)
    # a module's tree matters more than its instance dict: keep half the time for it
    share = budget.child(budget.remaining_ms() / 2) if is_module else budget
    described, object_cut = object_structure.describe(value, share)
    modules, tree_cut = module_tree.walk(value, max_nodes, budget) if is_module else (None, None)
    cut = "; ".join(c for c in (tree_cut, object_cut) if c) or None
    return {"type": row["type"], "kind": row["kind"], "summary": row["summary"],
            "object": described, "modules": modules, "truncated": cut is not None, "cut": cut,
            "elapsed_ms": budget.elapsed_ms()}


def record_shapes(args: Json) -> Json:
    """``{"scope", "target", "on": bool}`` -> ``{"on": bool, "modules": int}``."""
    on = args.get("on")
    if not isinstance(on, bool):
        raise bad("on must be true or false")
    return set_recording(_target(args), on)


def set_recording(value: object, on: bool) -> Json:
    """Hook (or unhook) every submodule of a model to record its forward-pass shapes."""
    if not module_tree.is_module(value):
        raise bad("recording shapes needs a torch nn.Module")
    modules = module_tree.submodules(value)
    if on:
        return {"on": True, "modules": shape_record.start(value, modules)}
    return {"on": False, "modules": shape_record.stop(value, modules)}


OPS: dict[str, Callable[[Json], Json]] = {
    "structure": structure,
    "record_shapes": record_shapes,
}
