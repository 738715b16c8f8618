"""The watch's gradient hooks sit beside the user's own: both run, either order, and the
user's handle still removes only the user's hook."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from jupyterlab_ml_debugger.probe.checks.grad_hooks import add_grad_hook  # noqa: E402


def test_ours_first_then_the_users_both_see_the_gradient_and_the_users_handle_removes_only_theirs():
    x = torch.ones(3, requires_grad=True)
    seen = []
    t = x * 2
    add_grad_hook(torch, t, lambda g: seen.append(("ours", g.sum().item())))
    handle = t.register_hook(lambda g: seen.append(("user", g.sum().item())))
    (t * 3).sum().backward(retain_graph=True)
    assert seen == [("ours", 9.0), ("user", 9.0)]
    handle.remove()
    seen.clear()
    (t * 3).sum().backward()
    assert seen == [("ours", 9.0)]


def test_the_users_hook_first_then_ours_and_a_leaf_or_subclass_goes_through_register_hook():
    x = torch.ones(3, requires_grad=True)
    seen = []
    t = x * 2
    t.register_hook(lambda g: seen.append("user"))
    add_grad_hook(torch, t, lambda g: seen.append("ours"))
    t.sum().backward()
    assert seen == ["user", "ours"]

    class Tagged(torch.Tensor):
        pass

    leaf = torch.ones(2, requires_grad=True)
    tagged = (torch.ones(2, requires_grad=True) * 1).as_subclass(Tagged)
    for tensor in (leaf, tagged):
        seen.clear()
        add_grad_hook(torch, tensor, lambda g: seen.append("ours"))
        (tensor * 2).sum().backward()
        assert seen == ["ours"]
