"""Tests for the computed content of sections 4, 5 and 7: kl.content.coding, .extremes and
.decomposition, checked against scipy and the SPEC's reference values."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.stats

from kl.content import (
    coding,
    decomposition,
    exercises,
    extremes,
    forest,
    lecture_tables,
    lecture_values,
)
from kl.data import Forest, LectureData, load_lecture_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data() -> LectureData:
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


def _with_forest(data: LectureData, p: dict[str, float], q: dict[str, float]) -> LectureData:
    return dataclasses.replace(data, forest=Forest(p=p, q=q))


def _kl_bits(p: dict[str, float], q: dict[str, float]) -> float:
    """Reference KL(P||Q) in bits from scipy (inf where q = 0 < p)."""
    return float(scipy.stats.entropy(list(p.values()), list(q.values()), base=2))


# --- extremes (section 5) -------------------------------------------------------------


def test_rarest_outcome_is_found_from_p_not_by_name(data: LectureData) -> None:
    p = data.forest.p
    assert extremes.rarest_outcome(p) == min(p, key=p.__getitem__)
    assert extremes.rarest_outcome({"a": 0.0, "b": 0.7, "c": 0.3}) == "c"  # zeros are skipped
    assert extremes.rarest_outcome({"a": 0.25, "b": 0.5, "c": 0.25}) == "a"  # first on ties


def test_without_outcome_rules_it_out_and_keeps_the_proportions() -> None:
    r = extremes.without_outcome({"a": 0.5, "b": 0.3, "c": 0.2}, "c")
    assert r == pytest.approx({"a": 0.625, "b": 0.375, "c": 0.0})
    with pytest.raises(ValueError, match="all the probability"):
        extremes.without_outcome({"a": 1.0, "b": 0.0}, "a")


@pytest.mark.parametrize("t", [-0.1, 1.5, math.nan])
def test_path_point_rejects_t_outside_the_unit_interval(t: float) -> None:
    with pytest.raises(ValueError, match="t must lie"):
        extremes.path_point({"a": 1.0}, {"a": 1.0}, t)


def test_kl_is_zero_then_grows_then_is_infinite_along_the_path(data: LectureData) -> None:
    values = extremes.values(data)
    p, r = data.forest.p, extremes.path_end(data)
    kls = [values[f"extremes.kl_bits.{i}"].number for i in range(len(extremes.TABLE_STEPS))]
    assert values["extremes.kl_same_bits"].number == 0.0
    assert kls[0] == 0.0 and kls[-1] == math.inf
    assert all(a < b for a, b in itertools.pairwise(kls))
    for t, kl in zip(extremes.TABLE_STEPS, kls, strict=True):
        assert kl == pytest.approx(_kl_bits(p, extremes.path_point(p, r, t)), rel=1e-12)
    assert values["extremes.kl_zero_bits"].number == math.inf
    assert values["extremes.kl_zero_reverse_bits"].number == pytest.approx(_kl_bits(r, p))
    assert math.isfinite(values["extremes.kl_zero_reverse_bits"].number)


def test_extremes_table_has_one_row_per_step_ending_in_infinity(data: LectureData) -> None:
    table = extremes.tables(data)["extremes"]
    assert len(table.rows) == len(extremes.TABLE_STEPS)
    assert table.rows[0][0] == "Q = P" and table.rows[0][-1] == "0.0000"
    rare = extremes.rarest_outcome(data.forest.p)
    assert table.rows[-1][0] == f"Q rules out {rare}" and table.rows[-1][-1] == "∞"
    rare_column = table.headers.index(f"q({rare})")
    assert table.rows[-1][rare_column] == "0.0000"


def test_the_path_follows_the_data(data: LectureData) -> None:
    changed = _with_forest(data, {"Owl": 0.2, "Fox": 0.05, "Bear": 0.75}, data.forest.q)
    values = extremes.values(changed)
    assert values["extremes.rarest"].text() == "Fox"
    assert values["extremes.r_listing"].text() == "Owl 0.2105, Fox 0, Bear 0.7895"


# --- decomposition (section 7) --------------------------------------------------------


def test_decompositions_add_up_and_match_scipy(data: LectureData) -> None:
    p = data.forest.p
    qs = decomposition.candidate_qs(data)
    for case, q in zip(decomposition.decompositions(data), qs.values(), strict=True):
        assert case.entropy == pytest.approx(scipy.stats.entropy(list(p.values()), base=2))
        assert case.kl == pytest.approx(_kl_bits(p, q), rel=1e-12)
        if math.isfinite(case.kl):
            assert case.cross_entropy == pytest.approx(case.entropy + case.kl, rel=1e-12)
        else:
            assert case.cross_entropy == math.inf
    labels = [c.label for c in decomposition.decompositions(data)]
    assert labels[0] == "Q = P" and labels[-1].startswith("Q without")


def test_decomposition_reference_values_from_the_spec(data: LectureData) -> None:
    cases = {c.label: c for c in decomposition.decompositions(data)}
    model = cases[decomposition.MODEL]
    assert model.entropy == pytest.approx(1.295462, abs=5e-7)
    assert model.kl == pytest.approx(0.033309, abs=5e-7)
    assert model.cross_entropy == pytest.approx(1.328771, abs=5e-7)
    assert cases["Q = P"].kl == 0.0
    nats = {c.label: c for c in decomposition.decompositions(data, math.e)}
    assert nats[decomposition.MODEL].kl == pytest.approx(0.023088, abs=5e-7)


def test_decomposition_table_check_column_matches_cross_entropy(data: LectureData) -> None:
    table = decomposition.tables(data)["decomposition"]
    assert len(table.rows) == len(decomposition.candidate_qs(data)) + 1  # + the nats row
    h_cross, check = table.headers.index("H(P, Q)"), len(table.headers) - 1
    for row in table.rows:
        assert row[check] == row[h_cross]
    assert [r[0] for r in table.rows].count(f"{decomposition.MODEL} (in nats)") == 1
    assert table.rows[0][table.headers.index("KL(P‖Q)")] == "0.000000"
    assert table.rows[-1][h_cross] == "∞"


def test_uniform_q_values(data: LectureData) -> None:
    values = decomposition.values(data)
    n = len(data.forest.outcomes)
    assert values["decomposition.h_uniform_bits"].number == pytest.approx(math.log2(n))
    assert values["decomposition.kl_uniform_bits"].number == pytest.approx(
        math.log2(n) - scipy.stats.entropy(list(data.forest.p.values()), base=2)
    )


# --- coding (section 4) ---------------------------------------------------------------


def test_coding_lengths_table(data: LectureData) -> None:
    table = coding.tables(data)["coding-lengths"]
    animals = data.forest.outcomes
    assert [r[0] for r in table.rows[: len(animals)]] == animals
    assert len(table.rows) == len(animals) + 2
    for row, x in zip(table.rows[: len(animals)], animals, strict=True):
        assert float(row[3]) == pytest.approx(-math.log2(data.forest.p[x]), abs=5e-5)
        assert float(row[4]) == pytest.approx(-math.log2(data.forest.q[x]), abs=5e-5)
        word, length = row[5].split()
        assert set(word) <= {"0", "1"} and length == f"({len(word)})"
    expected, extra = table.rows[-2], table.rows[-1]
    p_values = list(data.forest.p.values())
    assert float(expected[3].strip("*")) == pytest.approx(
        scipy.stats.entropy(p_values, base=2), abs=5e-5
    )
    assert float(extra[4].strip("*")) == pytest.approx(
        _kl_bits(data.forest.p, data.forest.q), abs=5e-5
    )


def test_block_distribution() -> None:
    block = coding.block_distribution({"a": 0.25, "b": 0.75}, 3)
    assert len(block) == 8 and math.fsum(block.values()) == pytest.approx(1.0)
    assert block["a b b"] == pytest.approx(0.25 * 0.75 * 0.75)
    with pytest.raises(ValueError, match="at least one"):
        coding.block_distribution({"a": 1.0}, 0)


def test_block_huffman_codes_move_towards_kl(data: LectureData) -> None:
    kl = _kl_bits(data.forest.p, data.forest.q)
    blocks = coding.block_summaries(data)
    extras = [s.huffman_extra_bits / k for k, s in blocks]
    assert all(e >= -1e-12 for e in extras)  # P's own Huffman code is optimal for P's data
    assert abs(extras[-1] - kl) < abs(extras[0] - kl)
    table = coding.tables(data)["coding-blocks"]
    assert len(table.rows) == len(blocks) + 1
    assert table.rows[-1][-1] == f"**{kl:.4f}**"


def test_experiment_at_the_largest_n_is_within_a_few_standard_errors_of_kl(
    data: LectureData,
) -> None:
    p = np.array(list(data.forest.p.values()))
    q = np.array(list(data.forest.q.values()))
    per_animal = np.log2(p / q)
    kl = float(p @ per_animal)
    sd = math.sqrt(float(p @ per_animal**2) - kl**2)
    run = coding.experiment(data)
    n_max = run.sample_sizes[-1]
    standard_error = sd / math.sqrt(n_max * run.repeats)
    assert abs(run.ideal_mean[-1] - kl) < 4 * standard_error
    assert run.kl_bits == pytest.approx(kl)
    # the band narrows as n grows
    widths = [hi - lo for lo, hi in zip(run.ideal_low, run.ideal_high, strict=True)]
    assert widths[-1] < widths[0] / 10
    values = coding.values(data)
    assert values["coding.n_max_mean_bits"].number == run.ideal_mean[-1]
    assert values["coding.n_max"].text() == f"{n_max:,}"


def test_codes_compare_reads_the_codes(data: LectureData) -> None:
    assert coding.values(data)["coding.codes_compare"].text() == "identical"
    skewed = _with_forest(data, data.forest.p, {"Squirrel": 0.1, "Rabbit": 0.2, "Deer": 0.7})
    assert coding.values(skewed)["coding.codes_compare"].text() == "different"


def test_names_are_unique_across_the_lecture(data: LectureData) -> None:
    values, tables = lecture_values(data), lecture_tables(data)
    for module in (coding, extremes, decomposition):
        assert module.values(data).keys() <= values.keys()
        assert module.tables(data).keys() <= tables.keys()


# --- other data: zeros, Q = P, a fourth animal ----------------------------------------

SQUIRREL_RABBIT_DEER = ("Squirrel", "Rabbit", "Deer")
OTHER_FORESTS = {
    "Q rules out the Deer": ((0.6, 0.3, 0.1), (0.7, 0.3, 0.0)),
    "P rules out the Deer": ((0.6, 0.4, 0.0), (0.5, 0.4, 0.1)),
    "Q = P": ((0.6, 0.3, 0.1), (0.6, 0.3, 0.1)),
    "P = 0.7, 0.2, 0.1": ((0.7, 0.2, 0.1), (0.5, 0.4, 0.1)),
    "each rules out one": ((0.5, 0.5, 0.0), (0.5, 0.0, 0.5)),
}
LEAKED = re.compile(r"\b(nan|inf)\b", re.I)


def _three_animals(data: LectureData, p: tuple[float, ...], q: tuple[float, ...]) -> LectureData:
    return _with_forest(
        data,
        dict(zip(SQUIRREL_RABBIT_DEER, p, strict=True)),
        dict(zip(SQUIRREL_RABBIT_DEER, q, strict=True)),
    )


def _other_forest(data: LectureData, case: str) -> LectureData:
    return _three_animals(data, *OTHER_FORESTS[case])


def _four_animals(data: LectureData) -> LectureData:
    return _with_forest(
        data,
        {"Squirrel": 0.5, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.1},
        {"Squirrel": 0.4, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.2},
    )


@pytest.mark.parametrize("case", [*OTHER_FORESTS, "four animals"])
def test_every_value_and_table_reads_without_nan_for_other_data(
    data: LectureData, case: str
) -> None:
    """Value.text() refuses NaN, so formatting every value proves none is NaN; no text or
    table cell may spell a number as "nan" or "inf" (the page writes ∞)."""
    changed = _four_animals(data) if case == "four animals" else _other_forest(data, case)
    for name, value in lecture_values(changed).items():
        assert not LEAKED.search(value.text()), (name, value.text())
    for name, table in lecture_tables(changed).items():
        assert not LEAKED.search(table.to_markdown()), name


def test_the_worked_table_shows_infinity_and_the_note_says_why(data: LectureData) -> None:
    changed = _other_forest(data, "Q rules out the Deer")
    table = forest.tables(changed)["forest-worked"]
    deer = next(r for r in table.rows if r[0] == "Deer")
    assert deer[3:] == ["∞", "∞", "∞"]
    assert [r[-1] for r in table.rows[-2:]] == ["**∞**", "**∞**"]
    values = lecture_values(changed)
    note = values["forest.worked_note"].text()
    assert note.startswith("**Why ∞?** Q gives the Deer probability 0, but P gives it 0.1.")
    why = " (infinite: Q gives the Deer probability 0, but P gives it 0.1)"
    assert values["forest.kl_pq_why"].text() == why
    assert values["forest.kl_qp_why"].text() == ""
    assert values["forest.ruled_out"].text() == "Deer"
    # with the lecture's own data there is nothing to explain
    assert lecture_values(data)["forest.worked_note"].text() == ""
    assert lecture_values(data)["forest.kl_pq_why"].text() == ""


def test_a_zero_in_p_explains_the_reverse_divergence_and_the_empty_row(data: LectureData) -> None:
    changed = _other_forest(data, "P rules out the Deer")
    values = lecture_values(changed)
    assert values["forest.kl_pq_bits"].number == pytest.approx(
        _kl_bits(changed.forest.p, changed.forest.q)
    )
    assert values["forest.kl_qp_bits"].number == math.inf
    assert values["forest.kl_qp_why"].text() == (
        " (infinite: P gives the Deer probability 0, but Q gives it 0.1)"
    )
    assert values["forest.worked_note"].text().startswith("The row of the Deer adds nothing")
    assert values["recap.negative_terms"].text().startswith("No term is negative here. Q's extra")
    assert values["recap.overestimated"].text() == "the Deer"


def test_two_outcomes_ruled_out_are_both_named(data: LectureData) -> None:
    changed = _with_forest(
        data,
        {"Squirrel": 0.5, "Rabbit": 0.25, "Deer": 0.25},
        {"Squirrel": 1.0, "Rabbit": 0.0, "Deer": 0.0},
    )
    assert forest.why_infinite(changed.forest.p, changed.forest.q) == (
        " (infinite: Q gives the Rabbit and the Deer probability 0, but P gives them 0.25 and 0.25)"
    )


def test_q_equal_to_p_is_said_to_be_the_reason_for_zeros(data: LectureData) -> None:
    values = lecture_values(_other_forest(data, "Q = P"))
    assert values["recap.negative_terms"].text().startswith("No term is negative here: Q gives")
    assert values["recap.cross_entropy_order"].text().startswith("Here the two are equal")
    assert values["decomposition.zero_rows"].text() == (
        f"the rows Q = P and {decomposition.MODEL}, which is P itself, have"
    )
    assert values["decomposition.kl_share_percent"].text() == "0%"
    assert values["coding.experiment_result"].text().startswith("Here Q is P")
    assert values["exercises.closer_answer"].text().startswith(". Q is P already")
    assert lecture_values(data)["decomposition.zero_rows"].text() == "the row Q = P has"


def test_decomposition_share_is_the_whole_excess_when_kl_is_infinite(data: LectureData) -> None:
    changed = _other_forest(data, "Q rules out the Deer")
    values = decomposition.values(changed)
    assert values["decomposition.kl_share_percent"].number == 1.0
    assert values["decomposition.model_excess"].text() == (
        "For the model's Q the excess is infinite, because Q gives the Deer probability 0, "
        "but P gives it 0.1;"
    )
    model = {c.label: c for c in decomposition.decompositions(data)}[decomposition.MODEL]
    assert decomposition.kl_share(model) == pytest.approx(0.033309 / 1.328771, abs=1e-6)


def test_coding_with_q_ruling_out_says_the_ideal_code_cannot_send_it(data: LectureData) -> None:
    changed = _other_forest(data, "Q rules out the Deer")
    values = coding.values(changed)
    run = coding.experiment(changed)
    assert run.ruled_out == ("Deer",) and run.ideal_mean[-1] == math.inf
    chance = 1 - 0.9 ** run.sample_sizes[0]  # a run of n animals holds a Deer
    result = values["coding.experiment_result"].text()
    assert result.startswith("With ideal code lengths there is nothing to measure")
    assert f"{round(100 * chance)}%" in result
    assert "Q's ideal code has no codeword for it" in values["coding.ruled_out_note"].text()
    assert (
        values["coding.ideal_q_listing"]
        .text()
        .startswith("0.515, 1.737 and ∞ bits (∞ for the Deer")
    )
    assert "KL(P‖Q) = ∞" in values["coding.experiment_caption"].text()
    table = coding.tables(changed)["coding-lengths"]
    assert table.rows[-1][4] == "**∞**" and table.rows[-1][6] == "**0.0000**"


def test_whole_bits_lead_quotes_a_fractional_length_if_there_is_one(data: LectureData) -> None:
    def lead(p: tuple[float, ...], q: tuple[float, ...]) -> str:
        return coding.values(_three_animals(data, p, q))["coding.whole_bits_lead"].text()

    assert lead((0.6, 0.3, 0.1), (0.5, 0.4, 0.1)) == "No codeword can be 0.737 bits long, so"
    # P's lengths are whole (1, 2, 2 bits): the first fractional one is Q's Rabbit's
    assert lead((0.5, 0.25, 0.25), (0.5, 0.4, 0.1)) == "No codeword can be 1.322 bits long, so"
    assert lead((0.5, 0.25, 0.25), (0.25, 0.5, 0.25)).startswith(
        "Here every ideal length happens to be a whole number"
    )


def test_exercise_answers_explain_infinite_and_linear_cases(data: LectureData) -> None:
    infinite = lecture_values(_other_forest(data, "Q rules out the Deer"))
    assert (
        infinite["exercises.closer_answer"]
        .text()
        .startswith(
            ". The original divergence was infinite, because Q gives the Deer probability 0"
        )
    )
    # P rules out the Deer, Q does not: near P the divergence shrinks only linearly
    linear = _other_forest(data, "P rules out the Deer")
    values = lecture_values(linear)
    p, q = linear.forest.p, linear.forest.q
    closer = {x: p[x] + (q[x] - p[x]) / exercises.CLOSER_FACTOR for x in p}
    shrink = _kl_bits(p, q) / _kl_bits(p, closer)
    assert shrink < exercises.CLOSER_FACTOR**1.5
    answer = values["exercises.closer_answer"].text()
    assert f"about {shrink:.1f} times smaller" in answer and "not to its square" in answer
    # Q⁰ (Q without P's rarest, the Rabbit) keeps the Deer that P rules out: both infinite
    assert values["exercises.zero_kl_qp_bits"].number == math.inf
    assert (
        values["exercises.zero_reverse"]
        .text()
        .startswith(
            r"The other direction, $D_{\mathrm{KL}}(Q^0 \,\|\, P)$, is infinite too, but not "
            "because of the Rabbit: P gives the Deer probability 0, but Q⁰ gives it 0.167."
        )
    )
    plain = lecture_values(data)
    assert plain["exercises.zero_reverse"].text().startswith("The other direction is finite")
    assert "close to" not in plain["exercises.closer_answer"].text()
    assert "far larger, and nears 100" in plain["exercises.closer_answer"].text()
