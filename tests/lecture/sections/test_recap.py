"""kl.lecture.sections.recap: each animal's surprise, the commonest and rarest animal, the worked
table's extreme rows, and the surprise table whose averages are H(P) and H(P, Q)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.lecture.sections import recap
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from tests.lecture_data import with_forest
from tests.strategies import FloatArray, distribution_pairs


@pytest.mark.parametrize(("p", "bits"), [(1.0, 0.0), (0.5, 1.0), (0.125, 3.0), (0.0, math.inf)])
def test_surprise_is_minus_log2_p(p: float, bits: float) -> None:
    assert recap.surprise_bits(p) == bits


def test_a_listing_writes_each_outcome_with_its_probability() -> None:
    assert recap.listing({"Squirrel": 0.6, "Deer": 0.4}) == "Squirrel 0.6, Deer 0.4"
    assert recap.listing({"a": 0.25}, shown=lambda x: f"{x:.0%}") == "a 25%"


def test_the_commonest_and_rarest_count_the_animals_they_tie_with(data: LectureData) -> None:
    changed = with_forest(
        data,
        {"Squirrel": 0.4, "Rabbit": 0.4, "Deer": 0.2, "Fox": 0.0},
        {"Squirrel": 0.3, "Rabbit": 0.3, "Deer": 0.2, "Fox": 0.2},
    )
    values = recap.values(changed)
    assert values["recap.commonest.name"] == "Squirrel" and values["recap.commonest.ties"] == 2
    assert values["recap.rarest.name"] == "Deer" and values["recap.rarest.ties"] == 1
    assert values["recap.rarest.surprise"] == pytest.approx(-math.log2(0.2))
    assert values["recap.underestimated"] == ["Squirrel", "Rabbit"]
    assert values["recap.overestimated"] == values["recap.unseen_but_expected"] == ["Fox"]


@given(pair=distribution_pairs())
def test_the_positive_and_negative_terms_add_up_to_the_kl(
    data: LectureData, pair: tuple[FloatArray, FloatArray]
) -> None:
    names = [f"x{i}" for i in range(pair[0].size)]
    p, q = ({x: float(v) for x, v in zip(names, vector, strict=True)} for vector in pair)
    forest = with_forest(data, p, q)
    values = recap.values(forest)
    positive, negative = values["recap.positive_terms_bits"], values["recap.negative_terms_bits"]
    assert positive >= 0 >= negative
    kl = kl_divergence(forest.forest.p, forest.forest.q, base=2)
    assert positive + negative == pytest.approx(kl, rel=1e-9, abs=1e-12)
    assert values["recap.largest.term"] >= values["recap.lowest.term"]


def test_bits_and_nats_convert_both_ways(data: LectureData) -> None:
    values = recap.values(data)
    assert values["recap.bits_per_nat"] * values["recap.nats_per_bit"] == pytest.approx(1.0)
    assert values["recap.nats_per_bit"] == pytest.approx(math.log(2))


def test_the_surprise_tables_averages_are_the_entropy_and_cross_entropy(data: LectureData) -> None:
    p, q = data.forest.p, data.forest.q
    table = recap.tables(data)["recap-surprise"]
    assert [row[0] for row in table.rows[:-1]] == list(data.forest.outcomes)
    average = table.rows[-1]
    assert average[2] == f"**H(P) = {format_number(entropy(p, base=2), 4)}**"
    assert average[4] == f"**H(P, Q) = {format_number(cross_entropy(p, q, base=2), 4)}**"
    assert all(len(row) == len(table.headers) for row in table.rows)
