"""Backward tests of a module's output gradient read from its bias gradient.

A Linear, Conv, ConvTranspose, BatchNorm, InstanceNorm, LayerNorm or GroupNorm (exact
types) returns ``... + bias``, so autograd makes its bias gradient as the sum of its output
gradient over every dimension but the channel: a NaN stays NaN in that sum and an Inf
stays Inf or turns NaN, so a finite bias gradient means every element of the output
gradient was finite; a non-finite one (a NaN/Inf, or a finite sum that overflowed) sends
the held gradients to the full test.

Such an output gradient is held, untested, and judged at the next gradient hook, once the
bias gradient has changed (a new tensor, or a new version after an in-place add). Autograd
accumulates a parameter's gradient right after the module's own backward, before it
reaches any earlier activation, so the gradients are still judged in the order they
arrived, by a sum of a few numbers instead of a whole activation, and with no hook of its
own (every Python hook costs a call into a cold interpreter between large kernels). One
whose bias never changes (``autograd.grad`` without the parameters) is tested when a
gradient turns out non-finite, at the step boundary, or when more than ``HELD_MAX`` wait.
Only the synchronous watch uses this: on a device the flags already stay there.
"""

from __future__ import annotations

from typing import Any

from .nan_facts import is_finite
from .nan_kinds import exact_type

# More held gradients than this are tested at once: it bounds the memory they keep alive.
HELD_MAX = 4

PROXY_TYPES = ("Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
               "ConvTranspose3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d",
               "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "GroupNorm")

# A held gradient: (module index, roles, gradient, bias, the bias gradient's id and version when held).
Held = tuple


def proxy_bias(torch: Any, module: Any) -> Any:
    """The bias parameter whose gradient sums this module's output gradient, or None."""
    if not exact_type(torch, module, PROXY_TYPES):
        return None
    return (vars(module).get("_parameters") or {}).get("bias")


def _grad_stamp(bias: Any) -> tuple:
    grad = bias.grad
    return (None, -1) if grad is None else (id(grad), grad._version)


class BiasProxies:
    """Which modules' output gradients a bias can judge, and the gradients held for it."""

    def __init__(self, watch: Any) -> None:
        self.watch = watch
        self.bias: dict[int, Any] = {}
        self.exact: dict[int, bool] = {}
        self.held: list[Held] = []
        # the dict torch keeps its global forward hooks in (mutated, never replaced)
        self.global_hooks = watch.torch.nn.modules.module._global_forward_hooks

    def install(self, index: int, module: Any) -> None:
        """Note module ``index`` when it has a bias that can judge its output gradient."""
        if proxy_bias(self.watch.torch, module) is not None:
            self.exact[index] = False

    def note_forward(self, index: int, module: Any) -> None:
        """Whether this call's output is the module's own, plus its bias: another forward
        hook (the user's, or a global one) or a forward set on the instance could have
        made something else."""
        own = module.__dict__
        exact = len(own["_forward_hooks"]) == 1 and not self.global_hooks and "forward" not in own
        self.exact[index] = exact
        if exact:
            self.bias[index] = own["_parameters"].get("bias")

    def hold(self, roles: list, grad: Any) -> bool:
        """Hold ``grad`` for the bias of the module that made its tensor, if it has one."""
        for is_out, index in roles:
            if is_out and self.exact.get(index):
                bias = self.bias[index]
                if bias is None or not bias.requires_grad:
                    return False
                if len(self.held) >= HELD_MAX:
                    self.settle()
                self.held.append((index, roles, grad, bias, _grad_stamp(bias)))
                return True
        return False

    def judge(self) -> None:
        """Judge the held gradients whose bias gradient has come: drop them when it is finite,
        test everything held, in order, when it is not."""
        waiting = []
        for entry in self.held:
            _, roles, _, bias, stamp = entry
            if bias.grad is None or _grad_stamp(bias) == stamp:  # not accumulated (yet)
                waiting.append(entry)
            elif is_finite(self.watch.torch, bias.grad):
                self.watch.out_ok.update(i for is_out, i in roles if is_out)
            else:
                self.settle()
                return
        self.held = waiting

    def settle(self) -> None:
        """Test every held gradient, oldest first, as it would have been tested on arrival."""
        held, self.held = self.held, []
        for _, roles, grad, _, _ in held:
            if self.watch.origin is not None:
                return
            self.watch.test_grad(roles, grad)

    def forget(self) -> None:
        """The watch was removed: nothing is held or known any more."""
        self.bias.clear()
        self.exact.clear()
        self.clear()

    def clear(self) -> None:
        """Drop what is held (a new pass began)."""
        self.held = []
