"""Shape contracts on watches: parsing, and checking with names shared across a request."""

from __future__ import annotations

import re

import pytest

from jupyterlab_ml_debugger.probe.watch import shape_contract
from jupyterlab_ml_debugger.probe.watch.shape_contract import STAR, ContractError, parse


def test_a_contract_is_numbers_names_and_one_star() -> None:
    assert parse("B 3 H W").dims == ("B", 3, "H", "W")
    assert parse(" B  *   10 ").dims == ("B", STAR, 10)
    assert parse("B * 10").text == "B * 10"
    assert parse("N").dims == ("N",)


@pytest.mark.parametrize("text,says", [
    ("", "the contract is empty"),
    ("   ", "the contract is empty"),
    ("B * H *", "use * at most once"),
    ("B 3.5", "'3.5' is not a dimension"),
    ("B -1", "'-1' is not a dimension"),
    ("B x[0]", "'x[0]' is not a dimension"),
])
def test_bad_syntax_gets_a_sentence(text: str, says: str) -> None:
    with pytest.raises(ContractError, match=re.escape(says)):
        parse(text)


def check(*items: tuple[str, list[int] | str, str]) -> list[dict]:
    return shape_contract.check(list(items))


def test_a_matching_shape_names_its_dimensions() -> None:
    [result] = check(("images", [4, 3, 28, 28], "B 3 H W"))
    assert result == {"ok": True, "message": "images: [4, 3, 28, 28] matches B 3 H W with B=4, H=28, W=28"}


def test_numbers_must_match_exactly() -> None:
    [result] = check(("images", [4, 1, 28, 28], "B 3 H W"))
    assert not result["ok"]
    assert result["message"] == "images: dimension 1 is 1, not 3 (shape [4, 1, 28, 28])"


def test_names_must_agree_across_contracts() -> None:
    images, masks, labels = check(("images", [4, 3, 28, 28], "B 3 H W"), ("x", [4, 1, 32, 28], "B 1 H W"),
                                  ("labels", [4], "B"))
    assert images["ok"] and labels["ok"]
    assert masks == {"ok": False, "message": "x: dimension H is 32 here but 28 in images"}


def test_a_name_repeated_in_one_contract_must_agree_with_itself() -> None:
    square, other = check(("gram", [5, 5], "N N"), ("rect", [5, 6], "M M"))
    assert square["ok"]
    assert other == {"ok": False, "message": "rect: dimension M is 6 here but 5 at dimension 0"}


def test_a_failing_contract_binds_nothing() -> None:
    bad, good = check(("a", [2, 7], "N 3"), ("b", [9], "N"))
    assert not bad["ok"]
    assert good["ok"] and good["message"].endswith("N=9")


def test_a_star_takes_any_number_of_middle_dimensions() -> None:
    results = check(("x", [4, 10], "B * 10"), ("y", [4, 2, 3, 10], "B * 10"), ("z", [4, 7], "* 10"))
    assert [r["ok"] for r in results] == [True, True, False]
    assert results[2]["message"] == "z: dimension 1 is 7, not 10 (shape [4, 7])"
    [short] = check(("v", [10], "B * 10"))
    assert short == {"ok": False, "message": "v: [10] has 1 dimensions but B * 10 needs at least 2"}


def test_the_rank_must_match_without_a_star() -> None:
    [result] = check(("x", [4, 3, 28], "B 3 H W"))
    assert result["message"] == "x: [4, 3, 28] has 3 dimensions but B 3 H W needs 4"


def test_a_value_without_a_shape_or_a_bad_contract_fails_with_a_sentence() -> None:
    scalar, broken = check(("lr", "a float has no shape: a contract needs a tensor or an array", "N"),
                           ("x", [3], "N N N N *  *"))
    assert not scalar["ok"]
    assert scalar["message"] == "lr: a float has no shape: a contract needs a tensor or an array"
    assert broken == {"ok": False, "message": "x: use * at most once in a contract"}


def test_watch_rows_give_their_shape_or_say_why_not() -> None:
    tensor_row = {"name": "x", "kind": "tensor", "type": "torch.Tensor", "stats": {"shape": [2, 3]}}
    error_row = {"name": "y", "kind": "error", "type": "error", "stats": None}
    float_row = {"name": "lr", "kind": "scalar", "type": "float", "stats": None}
    results = shape_contract.contract_results(["x", "y", "lr", "plain"],
                                              [tensor_row, error_row, float_row, float_row],
                                              {"x": "A B", "y": "A", "lr": "A"})
    assert results[0] == {"ok": True, "message": "x: [2, 3] matches A B with A=2, B=3"}
    assert results[1] == {"ok": False, "message": "y: not checked: the expression failed"}
    assert results[2]["message"] == "lr: a float has no shape: a contract needs a tensor or an array"
    assert results[3] is None
