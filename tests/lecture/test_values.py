"""Tests for kl.lecture.values: a computed number knows how a page shows it, and dotted names
become the namespaces a page reads."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kl.lecture.values import Number, nest, shown


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Number(1 / 3), "0.3333"),
        (Number(-1.5, digits=1), "−1.5"),
        (Number(0.6, kind="probability"), "0.6"),
        (Number(0.6, kind="written"), "0.6"),
        (Number(1234567, kind="integer"), "1,234,567"),
        (Number(0.256, kind="percent"), "26%"),
        (Number(math.inf), "∞"),
    ],
)
def test_a_number_is_shown_in_its_kinds_format(number: Number, text: str) -> None:
    assert number.text() == text == number.__html__()


def test_digits_asked_for_override_the_default() -> None:
    assert Number(1 / 3).text(2) == "0.33"
    assert Number(0.256, kind="percent").text(1) == "25.6%"


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="NaN"):
        Number(math.nan).text()


@given(st.floats(allow_nan=False), st.sampled_from(["number", "percent", "integer"]))
def test_a_number_is_its_float_and_survives_pickling(x: float, kind: str) -> None:
    number = Number(x, kind=kind, digits=2)  # type: ignore[arg-type]
    assert number == x and number.number == x and type(number.number) is float
    again = pickle.loads(pickle.dumps(number))  # as the build's worker processes pass it
    assert (type(again), again, again.kind, again.digits) == (Number, x, kind, 2)


def test_shown_writes_a_plain_float_with_a_true_minus() -> None:
    assert shown(-0.25, 2) == "−0.25" and shown(math.inf) == "∞"


def test_nest_makes_namespaces_and_keeps_lists_as_they_are() -> None:
    records = [{"step": 3}, {"step": 10}]
    facts = nest({"forest.kl_pq_bits": 0.5, "learning.snapshots": records, "n": 1})
    assert facts == {"forest": {"kl_pq_bits": 0.5}, "learning": {"snapshots": records}, "n": 1}
    assert nest({"s.2": "c", "s.0": "a"}) == {"s": {"2": "c", "0": "a"}}  # names, not places


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["forest", "forest.kl"], r"'forest.kl': 'forest' is a value and a namespace"),
        (["forest.kl", "forest"], r"'forest' is a value and a namespace"),
    ],
)
def test_a_name_that_is_also_a_namespace_is_refused(names: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nest(dict.fromkeys(names, 1))
