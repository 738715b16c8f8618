"""The origin watch: forward hooks on every module and gradient hooks on their tensors that
find the module where the first NaN/Inf was made, and keep the model's gradient health.

Forward hooks run in post-order, so the first module whose output is non-finite while
its inputs were finite made the bad value; one whose inputs were already bad passed it
on. In backward, a gradient hook on each activation tensor (one per tensor, however many
modules it is an input or output of) sees the gradients in the order autograd makes
them: the module whose output gradients were finite but whose input gradient is not
made it. Module backward hooks are never used: they wrap tensors and break in-place ops.

Each tensor is tested by one sum, or not at all where the answer is already known: a
module transparent both ways (``nan_kinds``) gets no hook, and the output gradient of a
Linear, Conv or norm module is judged through its bias gradient (``nan_bias``). With
``sync`` (the CPU, or the per-module mode) the result is read at once and the debugger
stops in the module's hook; otherwise
(``nan_device``) the flags stay on the device and are read at the step boundary.
The step boundary is the end of each backward pass (an autograd engine callback);
gradient health is read there too. Hooks never return a value, never change a tensor,
a gradient or the RNG state. Removing the watch removes every module hook at once;
gradient hooks already placed on the running step's tensors turn into no-ops and go
with those tensors.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from typing import Any

from ..objects import attributes
from . import nan_device
from .grad_health import GradHealth
from .grad_hooks import add_grad_hook
from .nan_bias import BiasProxies
from .nan_facts import is_finite, tensor_list_facts, tensors_in, weight_facts
from .nan_kinds import is_transparent, passes_through
from .nan_origin import origin_report, stop_at_origin

Json = dict[str, Any]

# Which watch ended a step last: its health is the one reported.
_STAMPS = itertools.count(1)

# The entry kept per tensor seen in the running forward pass.
REF, VERSION, FINITE, ROLES = range(4)


class Watch:
    """One watched model: its hooks, the origin it found and its gradient health."""

    def __init__(self, torch: Any, root: Any, label: str, mode: str, update_ratio: bool,
                 health: bool = True) -> None:
        self.torch = torch
        self.label = label
        self.mode = mode
        self.sync = mode != "device"
        self.update_ratio = update_ratio
        self.root = weakref.ref(root)
        self.paths: list[str] = []
        self.transparent: list[bool] = []
        self.modules: list[weakref.ref] = []
        self.handles: list[Any] = []
        self.active = False
        self.steps = 0
        self.stamp = 0
        self.origin: Json | None = None
        # off: the watch only looks for origins, and the step boundary reads no norms
        self.health = GradHealth(named_parameters(torch, root), update_ratio) if health else None
        self.device = nan_device.DeviceFlags(self)
        self.proxies = BiasProxies(self)
        self.new_pass()

    def new_pass(self) -> None:
        """Forget the tensors of the previous forward and backward pass."""
        self.seen: dict[int, list] = {}
        self.prior: dict[int, list] = {}
        self.out_ok: set[int] = set()
        self.finite_grads: dict[int, tuple] = {}
        self.queued = False
        self.passed: tuple | None = None
        self.proxies.clear()

    # installing

    def install(self) -> int:
        """Hook every module under the root once (a shared module by its first path)."""
        root = self.root()
        module_cls = self.torch.nn.Module
        for index, (path, module) in enumerate(module_paths(self.torch, root)):
            self.paths.append(path)
            self.transparent.append(is_transparent(self.torch, module))
            self.modules.append(weakref.ref(module))
            if index and self.sync and passes_through(self.torch, module):
                continue  # its neighbours' hooks see everything it could change
            hook = functools.partial(self.forward_hook, index)
            self.handles.append(module_cls.register_forward_hook(module, hook, with_kwargs=True))
            if self.sync:
                self.proxies.install(index, module)
        self.handles.append(module_cls.register_forward_pre_hook(root, self.forward_start))
        self.active = True
        return len(self.paths)

    def remove(self) -> None:
        """Remove every module hook; gradient hooks still on live tensors do nothing from now on."""
        self.active = False
        for handle in self.handles:
            handle.remove()
        self.handles.clear()
        self.proxies.forget()
        self.device.clear()
        self.new_pass()

    # forward

    def forward_start(self, module: Any, args: Any) -> None:
        """The root's pre-hook: a new forward pass; read flags a pass without backward left."""
        if not self.active:
            return
        if not self.sync and self.device.pending():  # an inference pass: no backward ended it
            self.device.read_step(None)
            self.device.stop_if_found()
        self.new_pass()

    def forward_hook(self, index: int, module: Any, args: Any, kwargs: Any, output: Any) -> None:
        """Test this module's outputs; the first one made non-finite here is the origin."""
        if not self.active or self.origin is not None:
            return
        torch = self.torch
        # most modules take and return one plain tensor: no search through containers
        outs = [output] if type(output) is torch.Tensor else tensors_in(torch, output)
        if not outs:
            return
        if kwargs:
            inputs = tensors_in(torch, kwargs, tensors_in(torch, args))
        elif len(args) == 1 and type(args[0]) is torch.Tensor:
            inputs = [args[0]]
        else:
            inputs = tensors_in(torch, args)
        if index in self.proxies.exact:
            self.proxies.note_forward(index, module)
        if self.transparent[index]:
            # finite inputs give finite outputs: a bad output was caught where it was made
            if not self.sync:
                self.device.transparent(inputs, outs)
            else:
                self.pass_finite(inputs, outs)
        elif not self.sync:
            self.device.forward(index, inputs, outs)
        else:
            finite = [self.output_finite(t) for t in outs]
            if not all(finite):
                self.forward_bad(index, module, args, kwargs, output, inputs)
        if torch.is_grad_enabled():
            self.place_grad_hooks(index, inputs, outs)
        if index == 0 and self.passed is not None and self.origin is None:
            self.report_passed()

    def output_finite(self, t: Any) -> bool:
        """Whether ``t`` is finite, reusing the test of the same tensor at the same version."""
        entry = self.seen.get(id(t))
        if entry is not None and entry[REF]() is t and entry[VERSION] == t._version \
                and entry[FINITE] is not None:
            return entry[FINITE]
        finite = is_finite(self.torch, t)
        self.remember(t)[FINITE] = finite
        return finite

    def pass_finite(self, inputs: list, outs: list) -> None:
        """A transparent module's outputs are finite when its one input was: noted, not tested."""
        if len(inputs) != 1:
            return
        entry = self.seen.get(id(inputs[0]))
        if entry is not None and entry[REF]() is inputs[0] and entry[FINITE] is True:
            for t in outs:
                self.remember(t)[FINITE] = True

    def remember(self, t: Any) -> list:
        """The entry for ``t`` at its current version (a fresh one after an in-place change)."""
        entry = self.seen.get(id(t))
        if entry is None or entry[REF]() is not t or entry[VERSION] != t._version:
            if entry is not None and entry[REF]() is t:
                self.prior[id(t)] = entry  # its value before an in-place change
            entry = [weakref.ref(t), t._version, None, None]
            self.seen[id(t)] = entry
        return entry

    def input_finite(self, t: Any, outs: list) -> bool:
        """Whether an input was finite when this module got it (before its own in-place change)."""
        entry = self.seen.get(id(t))
        if any(t is o for o in outs):
            entry = self.prior.get(id(t))
        if entry is not None and entry[REF]() is t and entry[FINITE] is not None:
            return entry[FINITE]
        return is_finite(self.torch, t)

    def forward_bad(self, index: int, module: Any, args: Any, kwargs: Any, output: Any,
                    inputs: list) -> None:
        """This module's output is non-finite: the origin when its inputs were finite."""
        torch = self.torch
        # an in-place module changed its input: its test from before the change counts
        outs = tensors_in(torch, output)
        created = all(self.input_finite(t, outs) for t in inputs)
        if not created:
            if self.passed is None:  # the model's own input was bad: said at the root
                self.passed = (index, module, args, kwargs, output, inputs)
            return
        report = self.make_origin(index, "forward", True, inputs, tensors_in(torch, output))
        stop_at_origin(module, self.paths[index], (args, kwargs), output, report)

    def report_passed(self) -> None:
        """No module made the bad value: the first one it reached passed on the model's input."""
        index, module, args, kwargs, output, inputs = self.passed
        self.passed = None
        report = self.make_origin(index, "forward", False, inputs, tensors_in(self.torch, output))
        stop_at_origin(module, self.paths[index], (args, kwargs), output, report)

    def make_origin(self, index: int, phase: str, created: bool, inputs: list, outputs: list,
                    facts: tuple | None = None) -> Json:
        """Record and return the Origin of module ``index``."""
        torch = self.torch
        module = self.modules[index]()
        in_facts, out_facts = facts or (tensor_list_facts(torch, "input", inputs),
                                        tensor_list_facts(torch, "output", outputs))
        weights = weight_facts(torch, module) if module is not None else []
        if phase == "backward" and module is not None:
            weights += weight_facts(torch, module, grads=True)
        cls = type(module).__name__ if module is not None else "?"
        self.origin = origin_report(self.paths[index], cls, phase, created, self.steps,
                                    in_facts, out_facts, weights)
        return self.origin

    # backward

    def place_grad_hooks(self, index: int, inputs: list, outs: list) -> None:
        """One gradient hook per activation tensor, knowing which modules it is an input or output of."""
        for t in inputs:
            if t.requires_grad and not t.is_leaf:  # a leaf's hook would outlive the step
                self.roles(self.seen_entry(t), t).append((False, index))
        for t in outs:
            if t.requires_grad and not t.is_leaf:
                self.roles(self.remember(t), t).append((True, index))

    def seen_entry(self, t: Any) -> list:
        """The entry of an input tensor, whatever its version (its hook sees the value it had)."""
        entry = self.seen.get(id(t))
        if entry is None or entry[REF]() is not t:
            entry = [weakref.ref(t), t._version, None, None]
            self.seen[id(t)] = entry
        return entry

    def roles(self, entry: list, t: Any) -> list:
        """The (is_output, module index) list the tensor's one gradient hook reads."""
        if entry[ROLES] is None:
            entry[ROLES] = []
            add_grad_hook(self.torch, t, functools.partial(self.grad_hook, entry[ROLES]))
        return entry[ROLES]

    def grad_hook(self, roles: list, grad: Any) -> None:
        """A gradient arrived at an activation: its modules' outputs or their input made it."""
        if not self.active or grad is None:
            return
        if not self.queued:
            self.queued = True
            self.torch.autograd.Variable._execution_engine.queue_callback(self.step_end)
        if self.origin is not None:
            return
        if not self.sync:
            self.device.backward(roles, grad)
            return
        if self.proxies.held:
            self.proxies.judge()  # earlier gradients first
            if self.origin is not None:
                return
        if not self.proxies.hold(roles, grad):
            self.test_grad(roles, grad)

    def test_grad(self, roles: list, grad: Any) -> None:
        """Test a gradient now; a non-finite one is the origin unless a held, earlier one is."""
        if self.grad_finite(grad):
            self.out_ok.update(index for is_out, index in roles if is_out)
        else:
            self.proxies.settle()
            if self.origin is not None:
                return
            index, created = self.backward_origin(roles)
            in_facts = tensor_list_facts(self.torch, "input.grad", [grad])
            report = self.make_origin(index, "backward", created, [], [], (in_facts, []))
            stop_at_origin(self.modules[index](), self.paths[index], grad, None, report)

    def grad_finite(self, grad: Any) -> bool:
        """Whether a gradient is finite; autograd hands one tensor to several hooks (both
        inputs of an add), and a finite one unchanged since its test is not summed again."""
        known = self.finite_grads.get(id(grad))
        if known is not None and known[0]() is grad and known[1] == grad._version:
            return True
        if not is_finite(self.torch, grad):
            return False
        self.finite_grads[id(grad)] = (weakref.ref(grad), grad._version)
        return True

    def backward_origin(self, roles: list) -> tuple[int, bool]:
        """The module that made a non-finite gradient: the deepest whose output gradients were finite."""
        consumers = [index for is_out, index in roles if not is_out]
        made = [index for index in consumers if index in self.out_ok]
        if made:
            return max(made, key=lambda i: (self.paths[i].count(".") + bool(self.paths[i]), i)), True
        producers = [index for is_out, index in roles if is_out]
        return (consumers or producers)[-1] if consumers else producers[0], False

    def step_end(self) -> None:
        """The step boundary (a backward pass ended): read flags and gradient health."""
        if not self.active:
            return
        if self.proxies.held and self.origin is None:
            self.proxies.judge()
            self.proxies.settle()  # gradients whose bias gradient never came
        paths, norms = self.health.norm_tensors(self.torch) if self.health else ([], None)
        if self.sync:
            values = norms.tolist() if norms is not None else []
        else:
            values = self.device.read_step(norms)
        if self.health:
            self.health.update(self.steps, paths, values)
        self.steps += 1
        self.stamp = next(_STAMPS)
        self.queued = False
        self.out_ok = set()
        self.finite_grads = {}
        if not self.sync:
            self.device.stop_if_found()

    def report(self) -> Json:
        """This watch's row in NanReport."""
        if not self.sync and self.device.pending():
            self.device.read_step(None)
            self.device.found = None  # the probe's thread reads it: only the user's thread stops
        return {"label": self.label, "modules": len(self.paths), "mode": self.mode, "steps": self.steps,
                "health": self.health is not None}


def named_parameters(torch: Any, root: Any) -> list[tuple[str, Any]]:
    """(path, parameter) of every parameter under ``root`` once, read from the module dicts."""
    found, seen = [], set()
    for path, module in module_paths(torch, root):
        for name, param in (vars(module).get("_parameters") or {}).items():
            if param is not None and id(param) not in seen and param.requires_grad:
                seen.add(id(param))
                found.append((f"{path}.{name}" if path else name, param))
    return found


def module_paths(torch: Any, root: Any) -> list[tuple[str, Any]]:
    """(path, module) of every module under ``root`` once, in pre-order, read from ``_modules``."""
    out, seen, stack = [], set(), [("", root)]
    while stack:
        path, module = stack.pop()
        if id(module) in seen:  # a shared module keeps the path it is first reached by
            continue
        seen.add(id(module))
        out.append((path, module))
        table = (attributes.instance_dict(module) or {}).get("_modules")
        children = list(dict.items(table)) if issubclass(type(table), dict) else []
        for name, child in reversed(children):
            if issubclass(type(child), torch.nn.Module) and id(child) not in seen:
                stack.append((f"{path}.{name}" if path else name, child))
    return out
