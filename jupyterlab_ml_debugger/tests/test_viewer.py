"""The tensor viewer's ops in-process: slices, histograms and DataFrame tables of real values."""

from __future__ import annotations

import base64
import math
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
import torch

from jupyterlab_ml_debugger.probe import dispatch as api
from jupyterlab_ml_debugger.probe.stack import namespace
from jupyterlab_ml_debugger.probe.viewer import histogram, tensor_slice
from jupyterlab_ml_debugger.probe.budget import Budget

Ask = Callable[..., dict]


@pytest.fixture
def ask(monkeypatch: pytest.MonkeyPatch) -> Ask:
    """Send one viewer request about ``value`` (the global ``v``) through ``api.handle``."""

    def send(op: str, value: Any, **args: Any) -> dict:
        monkeypatch.setattr(namespace, "user_namespace", lambda: {"v": value})
        target = {"path": [{"kind": "name", "name": "v"}]}
        return api.handle({"id": 1, "op": op, "args": {"scope": {"kind": "globals"},
                                                         "target": target, **args}})

    return send


def decoded(reply: dict) -> tuple[dict, np.ndarray]:
    """The Slice and its base64 values as a rows x cols float32 matrix."""
    assert reply["ok"], reply.get("error")
    result = reply["result"]
    data = base64.b64decode(result["values"], validate=True)
    assert len(data) == result["rows"] * result["cols"] * 4
    return result, np.frombuffer(data, "<f4").reshape(result["rows"], result["cols"])


def refusal(reply: dict) -> str:
    assert not reply["ok"] and reply["error"]["kind"] == "bad-request", reply
    return reply["error"]["message"]


def test_a_3d_slice_along_chosen_axes_is_the_strided_window(ask: Ask) -> None:
    t = torch.arange(4 * 9 * 11, dtype=torch.float32).reshape(4, 9, 11)
    result, m = decoded(ask("slice", t, axes=[2, 1], index=[3, 0, 0], max=4))
    expected = t[3, ::3, ::3].T  # rows along axis 2 (step 3), columns along axis 1 (step 3)
    assert (result["rows"], result["cols"], result["row_step"], result["col_step"]) == (4, 3, 3, 3)
    assert np.array_equal(m, expected.numpy())
    assert result["shape"] == [4, 9, 11] and result["dtype"] == "float32" and result["device"] == "cpu"
    assert result["axes"] == [2, 1] and result["index"] == [3, 0, 0]
    assert (result["min"], result["max"]) == (float(expected.min()), float(expected.max()))


def test_nan_and_inf_cells_come_back_where_they_are(ask: Ask) -> None:
    t = torch.zeros(5, 6, dtype=torch.float64)
    t[1, 2], t[4, 5], t[0, 0] = math.nan, math.inf, -math.inf
    t[3, 3] = 7.5
    result, m = decoded(ask("slice", t, axes=[0, 1], index=[0, 0]))
    assert math.isnan(m[1, 2]) and m[4, 5] == math.inf and m[0, 0] == -math.inf
    assert (result["nan"], result["inf"]) == (1, 2)
    assert (result["min"], result["max"]) == (0.0, 7.5)


def test_large_tensors_are_strided_down_to_at_most_512_per_side(ask: Ask) -> None:
    t = torch.randn(2000, 3000)
    result, m = decoded(ask("slice", t, axes=[0, 1], index=[0, 0]))
    assert (result["rows"], result["cols"], result["row_step"], result["col_step"]) == (500, 500, 4, 6)
    assert np.array_equal(m, t[::4, ::6].numpy())


def test_a_billion_element_broadcast_tensor_slices_from_its_few_values(ask: Ask) -> None:
    t = torch.arange(1000, dtype=torch.float32).unsqueeze(1).expand(1000, 1_000_000)
    result, m = decoded(ask("slice", t, axes=[1, 0], index=[0, 0]))
    assert (result["rows"], result["cols"], result["row_step"]) == (512, 500, 1954)
    assert np.array_equal(m[0], np.arange(0, 1000, 2, dtype=np.float32))
    hist = ask("histogram", t, bins=10)["result"]
    assert hist["exact"] and hist["numel"] == 10**9 and sum(hist["counts"]) == 10**9


def test_one_and_zero_dimensional_values_give_one_row(ask: Ask) -> None:
    result, m = decoded(ask("slice", torch.arange(1500.0), axes=[0], index=[0]))
    assert (result["rows"], result["cols"], result["col_step"]) == (1, 500, 3)
    assert m[0, 1] == 3.0
    result, m = decoded(ask("slice", torch.tensor(2.5), axes=[], index=[]))
    assert (result["rows"], result["cols"]) == (1, 1) and m[0, 0] == 2.5
    result, m = decoded(ask("slice", np.float32(1) * np.ones((2, 3)), axes=[], index=[1, 2]))
    assert (result["rows"], result["cols"]) == (1, 1) and m[0, 0] == 1.0


def test_viewing_leaves_the_tensor_and_its_autograd_state_alone(ask: Ask) -> None:
    w = torch.randn(300, 700, requires_grad=True)
    w.grad = torch.ones_like(w)
    before, version = w.detach().clone(), w._version
    decoded(ask("slice", w, axes=[1, 0], index=[0, 0], max=64))
    assert ask("histogram", w)["ok"]
    assert w._version == version and torch.equal(w.detach(), before)
    assert w.requires_grad and w.grad_fn is None and torch.equal(w.grad, torch.ones_like(w))


def test_histogram_counts_every_finite_value_and_the_nan_and_inf(ask: Ask) -> None:
    t = torch.randn(1000, 300)
    t[0, :7] = math.nan
    t[5, :3] = math.inf
    t[9, 0] = -math.inf
    hist = ask("histogram", t, bins=32)["result"]
    assert hist["exact"] and hist["numel"] == 300_000 and hist["device"] == "cpu"
    assert (hist["nan"], hist["inf"]) == (7, 4)
    assert sum(hist["counts"]) == 300_000 - 11 and len(hist["counts"]) == 32
    finite = t[torch.isfinite(t)].numpy()
    assert hist["edges"][0] == pytest.approx(finite.min()) and hist["edges"][-1] == pytest.approx(finite.max())
    expected, _ = np.histogram(finite, 32, range=(finite.min(), finite.max()))
    assert np.abs(np.array(hist["counts"]) - expected).max() <= 2  # rounding at bin edges


def test_histogram_bins_exactly_and_the_maximum_lands_in_the_last_bin(ask: Ask) -> None:
    hist = ask("histogram", np.arange(100), bins=4)["result"]
    assert hist["counts"] == [25, 25, 25, 25] and hist["edges"] == [0, 24.75, 49.5, 74.25, 99]
    same = ask("histogram", torch.full((10,), 3.0), bins=2)["result"]
    assert same["edges"] == [2.5, 3.0, 3.5] and sum(same["counts"]) == 10
    none = ask("histogram", torch.full((4,), math.nan))["result"]
    assert none["edges"] == [] and none["counts"] == [] and none["nan"] == 4


def test_device_style_paths_agree_with_the_numpy_ones(ask: Ask, monkeypatch: pytest.MonkeyPatch) -> None:
    t = torch.randn(700, 900, dtype=torch.float64)
    t[3, 4], t[600, 0] = math.nan, -math.inf
    via_numpy = decoded(ask("slice", t, axes=[0, 1], index=[0, 0]))
    hist_numpy = ask("histogram", t, bins=16)["result"]
    # the path CUDA tensors take: reduce where the tensor lives, copy once
    monkeypatch.setattr(tensor_slice, "_numpy_view", lambda torch, t: None)
    monkeypatch.setattr(histogram, "_numpy_view", lambda torch, t: None)
    via_torch = decoded(ask("slice", t, axes=[0, 1], index=[0, 0]))
    assert via_torch[0] == via_numpy[0]
    assert np.array_equal(via_torch[1], via_numpy[1], equal_nan=True)
    hist_torch = ask("histogram", t, bins=16)["result"]
    assert hist_torch["counts"] == hist_numpy["counts"] and hist_torch["edges"] == hist_numpy["edges"]
    assert (hist_torch["nan"], hist_torch["inf"]) == (1, 1)


def test_out_of_time_histograms_come_from_a_scaled_sample() -> None:
    t = torch.randn(3000, 1000)
    hist = histogram.histogram(t, 8, Budget(0))
    assert not hist["exact"] and hist["numel"] == 3_000_000
    assert sum(hist["counts"]) == pytest.approx(3_000_000, rel=0.01)
    assert hist == {**histogram.histogram(t, 8, Budget(0)), "elapsed_ms": hist["elapsed_ms"]}


def test_other_dtypes_show_as_float32(ask: Ask) -> None:
    _, m = decoded(ask("slice", np.array([[3 + 4j, 1j]]), axes=[0, 1], index=[0, 0]))
    assert m.tolist() == [[5.0, 1.0]]
    _, m = decoded(ask("slice", torch.tensor([True, False]), axes=[0], index=[0]))
    assert m.tolist() == [[1.0, 0.0]]
    result, m = decoded(ask("slice", torch.arange(6, dtype=torch.bfloat16).reshape(2, 3),
                             axes=[1, 0], index=[0, 0]))
    assert m.tolist() == [[0, 3], [1, 4], [2, 5]] and result["dtype"] == "bfloat16"
    memory = np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::-1]
    _, m = decoded(ask("slice", memory, axes=[0, 1], index=[0, 0]))
    assert np.array_equal(m, memory)
    hist = ask("histogram", np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]), bins=2)["result"]
    assert sum(hist["counts"]) == 3  # the raw data, as the row stats read it


def test_empty_axes_give_an_empty_slice(ask: Ask) -> None:
    result, m = decoded(ask("slice", torch.zeros(0, 5), axes=[0, 1], index=[0, 0]))
    assert m.shape == (0, 5) and result["min"] is None


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor")
def test_values_without_dense_numbers_are_refused_with_a_reason(ask: Ask) -> None:
    assert "meta tensor" in refusal(ask("slice", torch.zeros(3, 3, device="meta"), axes=[0, 1], index=[0, 0]))
    sparse = torch.eye(3).to_sparse()
    assert "to_dense()" in refusal(ask("slice", sparse, axes=[0, 1], index=[0, 0]))
    assert "to_dense()" in refusal(ask("histogram", sparse))
    quantized = torch.quantize_per_tensor(torch.ones(2, 2), 0.1, 0, torch.qint8)
    assert "dequantize()" in refusal(ask("histogram", quantized))
    assert "no numbers" in refusal(ask("slice", np.array(["a", "b"]), axes=[0], index=[0]))
    assert "tensors and NumPy arrays" in refusal(ask("slice", [1, 2], axes=[0], index=[0]))
    assert "DataFrames and Series" in refusal(ask("table", torch.zeros(2)))


@pytest.mark.parametrize(("args", "says"), [
    ({"axes": [1, 1], "index": [0, 0, 0]}, "two different dimensions"),
    ({"axes": [0, 3], "index": [0, 0, 0]}, "use 0 to 2"),
    ({"axes": [0, -1], "index": [0, 0, 0]}, "use 0 to 2"),
    ({"axes": [0, 1], "index": [0, 0]}, "one entry per dimension (3)"),
    ({"axes": [0, 1], "index": [0, 0, 5]}, "index 5 of dimension 2 is outside 0 to 4"),
    ({"axes": [0, 1], "index": [0, 0, 0], "max": 0}, "max must be a whole number from 1 to 512"),
    ({"axes": [0, 1], "index": [0, 0, 0], "max": 513}, "from 1 to 512"),
    ({"axes": "01", "index": [0, 0, 0]}, "axes must be a list of whole numbers"),
    ({"axes": [0, 1], "index": [0, True, 0]}, "index must be a list"),
])
def test_bad_slice_arguments_say_what_to_send(ask: Ask, args: dict, says: str) -> None:
    assert says in refusal(ask("slice", torch.zeros(2, 3, 5), **args))


def test_bad_histogram_and_table_arguments_say_what_to_send(ask: Ask) -> None:
    assert "bins must be a whole number from 1 to 1024" in refusal(ask("histogram", torch.zeros(2), bins=0))
    assert "from 1 to 1024" in refusal(ask("histogram", torch.zeros(2), bins=2000))
    frame = pd.DataFrame({"a": [1]})
    assert "rows must be a whole number from 1 to 100" in refusal(ask("table", frame, rows=101))
    assert "rows must be" in refusal(ask("table", frame, rows=0))


class Loud:
    """A cell value whose repr must never run."""

    calls = 0

    def __repr__(self) -> str:
        Loud.calls += 1
        raise RuntimeError("repr called")

    __str__ = __repr__


def test_table_shows_head_tail_and_column_statistics(ask: Ask) -> None:
    loud = Loud()
    df = pd.DataFrame({
        "x": [1.0, None, 3.0, 4.0, None, 6.0, 7.0],
        "name": ["a", "b", None, "d", "e", "f", "g"],
        "thing": [loud] * 7,
        "when": pd.date_range("2024-01-01", periods=7),
        "n": pd.array([1, None, 3, 4, 5, 6, 7], dtype="Int64"),
    })
    reply = ask("table", df, rows=3)
    assert reply["ok"], reply
    table = reply["result"]
    assert table["shape"] == [7, 5]
    cols = {c["name"]: c for c in table["columns"]}
    assert cols["x"]["missing"] == 2 and cols["x"]["unique"] == 5 and cols["x"]["mean"] == pytest.approx(4.2)
    assert cols["x"]["std"] == pytest.approx(np.nanstd(df["x"], ddof=1))
    assert (cols["x"]["min"], cols["x"]["max"]) == ("1.0", "7.0")
    assert cols["name"]["missing"] == 1 and (cols["name"]["min"], cols["name"]["max"]) == ("a", "g")
    assert cols["thing"]["dtype"] == "object" and cols["thing"]["unique"] is None
    assert cols["when"]["min"] == "2024-01-01 00:00:00" and cols["n"]["missing"] == 1
    assert table["head_index"] == ["0", "1", "2"] and table["tail_index"] == ["4", "5", "6"]
    assert table["head"][0][:2] == ["1.0", "a"] and table["head"][1][4] == "<NA>"
    assert table["head"][0][2].startswith("<jupyterlab_ml_debugger.tests.test_viewer.Loud object at 0x")
    assert table["tail"][2][:2] == ["7.0", "g"]
    assert Loud.calls == 0


def test_short_frames_do_not_repeat_rows_and_series_are_one_column(ask: Ask) -> None:
    table = ask("table", pd.DataFrame({"a": range(15)}), rows=10)["result"]
    assert len(table["head"]) == 10 and table["tail_index"] == ["10", "11", "12", "13", "14"]
    series = ask("table", pd.Series([1, 2, 3], name="loss"))["result"]
    assert series["shape"] == [3, 1] and series["columns"][0]["name"] == "loss"
    assert series["head"] == [["1"], ["2"], ["3"]] and series["tail"] == []


def test_without_axes_and_index_the_last_two_dimensions_show_at_index_zero(ask: Ask) -> None:
    t = torch.arange(2 * 3 * 4, dtype=torch.float32).reshape(2, 3, 4)
    result, m = decoded(ask("slice", t))
    assert result["axes"] == [1, 2] and result["index"] == [0, 0, 0]
    assert np.array_equal(m, t[0].numpy())
    result, m = decoded(ask("slice", np.arange(5.0)))
    assert result["axes"] == [0] and m.tolist() == [[0, 1, 2, 3, 4]]


def test_wide_frames_show_their_first_columns(ask: Ask) -> None:
    table = ask("table", pd.DataFrame(np.zeros((2, 150))), rows=1)["result"]
    assert table["shape"] == [2, 150] and len(table["columns"]) == 100
    assert len(table["head"][0]) == 100 and table["columns"][99]["name"] == "99"
