"""A gradient hook on an activation tensor, placed the cheap way when the tensor has none.

``Tensor.register_hook`` builds a removable handle and imports its class on every call:
about 5 us on a cache that the layer before has just flushed, for each activation of
every step. The watch never removes these hooks one by one (they go with their
tensors), so for a plain tensor with no hook yet it sets the hook table itself, as
``register_hook`` does; anything else (a subclass, a table the user started, a torch
without these internals) goes through ``register_hook``.
"""

from __future__ import annotations

import collections
from typing import Any, Callable

# A string key never meets the integer ids of the user's own removable handles.
KEY = "jupyterlab_ml_debugger.nan_watch"


def add_grad_hook(torch: Any, t: Any, hook: Callable[[Any], None]) -> None:
    """Call ``hook(grad)`` when the gradient of ``t`` is computed."""
    if type(t) is torch.Tensor and t.grad_fn is not None and t._backward_hooks is None:
        try:
            # an OrderedDict, as register_hook makes: the user's handles keep weak references to it
            t._backward_hooks = collections.OrderedDict(((KEY, hook),))
            t.grad_fn._register_hook_dict(t)
            return
        except (AttributeError, RuntimeError, TypeError):
            t._backward_hooks = None
    t.register_hook(hook)
