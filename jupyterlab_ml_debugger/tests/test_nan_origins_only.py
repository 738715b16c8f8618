"""A watch for origins only: the same origins as a full watch, no gradient health kept,
and the update ratio (part of health) refused with it."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from jupyterlab_ml_debugger import NonFiniteError, watch_nonfinite  # noqa: E402
from jupyterlab_ml_debugger.probe.checks import nan_registry, ops as nan_ops  # noqa: E402
from .nan_watching import no_watch_left  # noqa: E402, F401


class Sqrt(nn.Module):
    def forward(self, x):
        return torch.sqrt(x)


def test_an_origins_only_watch_names_the_origin_and_keeps_no_health():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), Sqrt(), nn.Linear(8, 2))
    with torch.no_grad():
        model[0].weight.zero_()
        model[0].bias.fill_(1.0)  # every feature 1: a clean step
    reply = watch_nonfinite(model, health=False)
    assert "no gradient health" in reply["note"]
    model(torch.randn(16, 4)).sum().backward()
    report = nan_registry.report()
    assert report["watches"][0]["health"] is False and report["watches"][0]["steps"] == 1
    assert report["health"] is None and report["origin"] is None
    with torch.no_grad():
        model[0].bias.zero_()  # every feature 0: sqrt's gradient there is Inf
    with pytest.raises(NonFiniteError, match="'2' \\(Sqrt\\)"):
        model(torch.randn(16, 4)).sum().backward()
    assert nan_registry.watch_of(model).origin["phase"] == "backward"


def test_watching_again_with_health_turns_it_on_without_doubling_hooks():
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
    watch_nonfinite(model, health=False)
    hooks = [len(m._forward_hooks) for m in model.modules()]
    watch_nonfinite(model)
    assert [len(m._forward_hooks) for m in model.modules()] == hooks and sum(hooks) == 3
    model(torch.randn(2, 3)).sum().backward()
    report = nan_registry.report()
    assert report["watches"][0]["health"] is True
    assert [row["path"] for row in report["health"]["params"]] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_the_update_ratio_needs_health():
    model = nn.Sequential(nn.Linear(3, 1))
    with pytest.raises(ValueError, match="keep health on"):
        watch_nonfinite(model, update_ratio=True, health=False)
    assert nan_registry.watch_of(model) is None
    for args, message in (({"health": "no"}, "health must be true or false"),
                          ({"health": False, "update_ratio": True}, "keep health on")):
        with pytest.raises(Exception, match=message):
            nan_ops.nan_watch({"scope": {"kind": "globals"}, "target": {"expression": "x"}, "on": True, **args})
