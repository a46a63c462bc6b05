"""kl.lecture.sections.exercises: each exercise's question and answer follow the data file, and
the answers agree with the measures and with each other."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kl.lecture.data import LectureData
from kl.lecture.sections import exercises
from kl.measures.discrete import kl_divergence
from kl.measures.gaussian import kl_to_standard_normal
from tests.lecture_data import other_forest

factors = st.floats(min_value=1.0, max_value=1e6)


@given(factor=factors)
def test_the_closer_model_is_a_distribution_with_its_gap_divided(
    data: LectureData, factor: float
) -> None:
    p, q = data.forest.p, data.forest.q
    closer = exercises.closer_model(p, q, factor)
    assert math.fsum(closer.values()) == pytest.approx(1.0)
    assert all(0 <= closer[x] <= 1 for x in p)
    for x in p:
        assert closer[x] - p[x] == pytest.approx((q[x] - p[x]) / factor, abs=1e-15)


def test_a_factor_below_1_is_refused(data: LectureData) -> None:
    with pytest.raises(ValueError, match=r"factor must be at least 1, got 0\.5"):
        exercises.closer_model(data.forest.p, data.forest.q, 0.5)
    assert exercises.closer_model(data.forest.p, data.forest.q, 1.0) == data.forest.q


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        (2.0, 1.0, 1),
        (1.0, 2.0, -1),
        (1.0, 1.0 + 1e-14, 0),
        (math.inf, math.inf, 0),
        (0.0, 1e-16, 0),
    ],
)
def test_order_compares_to_twelve_significant_digits(a: float, b: float, order: int) -> None:
    assert exercises.order(a, b) == order


def test_the_message_costs_n_times_the_entropy_plus_n_times_the_kl(data: LectureData) -> None:
    values = exercises.values(data)
    n = data.exercises.message_length
    extra = values["exercises.message_bits_q"] - values["exercises.message_bits_p"]
    assert extra == pytest.approx(values["exercises.message_extra_bits"])
    kl = kl_divergence(data.forest.p, data.forest.q, base=2)
    assert values["exercises.message_extra_bits"] == pytest.approx(n * kl)


def test_the_reverse_direction_names_what_each_side_rules_out(data: LectureData) -> None:
    values = exercises.values(other_forest(data, "each rules out one"))
    assert values["exercises.kl_pq_bits"] == values["exercises.kl_qp_bits"] == math.inf
    assert values["exercises.ruled_out"] == ["Rabbit"]
    assert values["exercises.reverse_ruled_out"] == ["Deer"]
    assert values["exercises.reverse_vs_forward"] == 0


def test_a_closer_model_loses_less_and_the_shrink_says_by_how_much(data: LectureData) -> None:
    values = exercises.values(data)
    kl = kl_divergence(data.forest.p, data.forest.q, base=2)
    assert values["exercises.closer_kl_bits"] < kl
    assert values["exercises.closer_shrink"] == pytest.approx(
        kl / values["exercises.closer_kl_bits"]
    )


def test_the_zero_exercise_rules_out_the_rarest_animal(data: LectureData) -> None:
    values = exercises.values(data)
    rarest = min(data.forest.p, key=lambda x: data.forest.p[x])
    assert values["exercises.zero_name"] == rarest
    assert values["exercises.zero_kl_pq_bits"] == math.inf  # P still expects it
    shown = {row["name"]: row["q"] for row in values["exercises.zero_model"]}
    assert shown[rarest] == 0


def test_the_vae_term_is_its_mean_part_plus_its_spread_part(data: LectureData) -> None:
    values = exercises.values(data)
    good = data.curves.good
    assert values["exercises.vae_kl_nats"] == pytest.approx(
        values["exercises.vae_mean_part"] + values["exercises.vae_spread_part"]
    )
    assert values["exercises.vae_kl_nats"] == kl_to_standard_normal(good.mean, good.sd)
    assert exercises.tables(data) == {}
