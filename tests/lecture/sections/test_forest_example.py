"""kl.lecture.sections.forest_example: the worked example and its facts when Q or P rules an
animal out."""

from __future__ import annotations

import math

import pytest

from kl.build.templating import environment, render
from kl.lecture.data import LectureData
from kl.lecture.sections import forest_example, lecture_values
from kl.lecture.values import nest
from tests.lecture_data import kl_bits, other_forest, with_forest
from tests.sitebuild import ROOT


def test_the_worked_table_shows_infinity_and_the_facts_say_why(data: LectureData) -> None:
    changed = other_forest(data, "Q rules out the Deer")
    table = forest_example.tables(changed)["forest-worked"]
    deer = next(r for r in table.rows if r[0] == "Deer")
    assert deer[3:] == ["∞", "∞", "∞"]
    assert [r[-1] for r in table.rows[-2:]] == ["**∞**", "**∞**"]
    values = lecture_values(changed)
    assert values["forest_example.pq_infinite"] == {"names": ["Deer"], "truth": [0.1]}
    assert values["forest_example.qp_infinite"] == {"names": [], "truth": []}
    assert values["forest_example.unseen"] == []
    # with the lecture's own data there is nothing to explain
    assert lecture_values(data)["forest_example.pq_infinite"] == {"names": [], "truth": []}


def test_a_zero_in_p_explains_the_reverse_divergence_and_the_empty_row(data: LectureData) -> None:
    changed = other_forest(data, "P rules out the Deer")
    values = lecture_values(changed)
    assert values["forest_example.kl_pq_bits"] == pytest.approx(
        kl_bits(changed.forest.p, changed.forest.q)
    )
    assert values["forest_example.kl_qp_bits"] == math.inf
    assert values["forest_example.qp_infinite"] == {"names": ["Deer"], "truth": [0.1]}
    assert values["forest_example.unseen"] == ["Deer"]
    assert values["recap.unseen_but_expected"] == ["Deer"]
    assert values["recap.overestimated"] == ["Deer"]
    assert values["recap.lowest.term"] == 0.0  # no term is negative


def test_two_outcomes_ruled_out_are_both_named(data: LectureData) -> None:
    changed = with_forest(
        data,
        {"Squirrel": 0.5, "Rabbit": 0.25, "Deer": 0.25},
        {"Squirrel": 1.0, "Rabbit": 0.0, "Deer": 0.0},
    )
    facts = nest(lecture_values(changed))
    env = environment(ROOT / "docs" / "includes")
    text = render(
        env, '{{ words.zero_reason("Q", "P", forest_example.pq_infinite) }}', where="t", facts=facts
    )
    assert text == "Q gives the Rabbit and the Deer probability 0, but P gives them 0.25 and 0.25"


def test_q_equal_to_p_is_said_to_be_the_reason_for_zeros(data: LectureData) -> None:
    values = lecture_values(other_forest(data, "Q = P"))
    assert (
        values["forest_example.q_is_p"] is True
        and values["forest_example.kl_equal_both_ways"] is True
    )
    assert values["recap.overestimated"] == [] and values["recap.unseen_but_expected"] == []
    assert values["cross_entropy_decomposition.kl_share_percent"].text() == "0%"
    assert lecture_values(data)["forest_example.q_is_p"] is False
