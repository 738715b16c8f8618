"""What a module type can do to NaN/Inf, for the origin watch: which outputs need no test,
and which modules need no hook at all.

Exact types only: a subclass may override ``forward``.
"""

from __future__ import annotations

from typing import Any

# Finite inputs give finite outputs, forward (no overflow either).
TRANSPARENT = ("ReLU", "ReLU6", "Hardtanh", "Sigmoid", "Tanh", "Hardsigmoid", "Softsign", "GELU", "SiLU",
               "ELU", "Softmax", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AdaptiveMaxPool1d",
               "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "Flatten", "Unflatten", "Identity")

# ... and backward too: the input gradient is the output gradient masked, moved or scaled
# by at most 1, so a finite output gradient gives a finite input gradient.
BOTH_WAYS = ("ReLU", "ReLU6", "Hardtanh", "Sigmoid", "Tanh", "Hardsigmoid", "Softsign",
             "Flatten", "Unflatten", "Identity")
MAX_POOLS = ("MaxPool1d", "MaxPool2d", "MaxPool3d")


def exact_type(torch: Any, module: Any, names: tuple[str, ...]) -> bool:
    """Whether the module is an instance of one of these ``torch.nn`` classes, not a subclass."""
    name = type(module).__name__
    return name in names and type(module) is getattr(torch.nn, name, None)


def is_transparent(torch: Any, module: Any) -> bool:
    """Whether the forward test of this module's output can be left out. LeakyReLU
    qualifies with a slope of at most 1."""
    if type(module) is torch.nn.LeakyReLU:
        return abs(module.negative_slope) <= 1
    return exact_type(torch, module, TRANSPARENT)


def passes_through(torch: Any, module: Any) -> bool:
    """Whether the module needs no hook: transparent both ways and not in place, so the
    tests of the modules around it (its output is their input) judge everything it touches.
    A max pool qualifies when its windows do not overlap (their gradients would add up)."""
    if getattr(module, "inplace", False) or "forward" in vars(module):
        return False
    if type(module) is torch.nn.LeakyReLU:
        return abs(module.negative_slope) <= 1
    if exact_type(torch, module, MAX_POOLS):
        kernel, stride = _tuple(module.kernel_size), _tuple(module.stride or module.kernel_size)
        if len(kernel) != len(stride):  # one given as a number, the other per dimension
            kernel, stride = kernel * len(stride), stride * len(kernel)
        return all(d == 1 for d in _tuple(module.dilation)) and all(s >= k for s, k in zip(stride, kernel))
    return exact_type(torch, module, BOTH_WAYS)


def _tuple(value: Any) -> tuple:
    return tuple(value) if type(value) in (tuple, list) else (value,)
