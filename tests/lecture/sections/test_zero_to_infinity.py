"""kl.lecture.sections.zero_to_infinity (section 5): the path from Q = P to a Q that rules an
animal out."""

from __future__ import annotations

import itertools
import math

import pytest

from kl.lecture.data import LectureData
from kl.lecture.sections import zero_to_infinity
from kl.lecture.tables import Label
from tests.lecture_data import kl_bits, with_forest


def test_rarest_outcome_is_found_from_p_not_by_name(data: LectureData) -> None:
    p = data.forest.p
    assert zero_to_infinity.rarest_outcome(p) == min(p, key=p.__getitem__)
    assert (
        zero_to_infinity.rarest_outcome({"a": 0.0, "b": 0.7, "c": 0.3}) == "c"
    )  # zeros are skipped
    assert zero_to_infinity.rarest_outcome({"a": 0.25, "b": 0.5, "c": 0.25}) == "a"  # first on ties


def test_without_outcome_rules_it_out_and_keeps_the_proportions() -> None:
    r = zero_to_infinity.without_outcome({"a": 0.5, "b": 0.3, "c": 0.2}, "c")
    assert r == pytest.approx({"a": 0.625, "b": 0.375, "c": 0.0})
    with pytest.raises(ValueError, match="all the probability"):
        zero_to_infinity.without_outcome({"a": 1.0, "b": 0.0}, "a")


def test_without_outcome_sums_to_one_when_the_rest_is_tiny() -> None:
    """A data file's probabilities sum to 1 within 1e-9; rescaling a rest of 2e-7 by
    1 - P(outcome) instead of the rest's own sum blew that error up 5,000 times."""
    p = {"a": 0.9999998, "b": 1e-7, "c": 1.005e-7}  # sums to 1 + 5e-10
    r = zero_to_infinity.without_outcome(p, "a")
    assert math.fsum(r.values()) == pytest.approx(1.0, abs=1e-15)
    assert r["b"] / r["c"] == pytest.approx(1e-7 / 1.005e-7, rel=1e-12)


@pytest.mark.parametrize("t", [-0.1, 1.5, math.nan])
def test_path_point_rejects_t_outside_the_unit_interval(t: float) -> None:
    with pytest.raises(ValueError, match="t must lie"):
        zero_to_infinity.path_point({"a": 1.0}, {"a": 1.0}, t)


def test_kl_is_zero_then_grows_then_is_infinite_along_the_path(data: LectureData) -> None:
    values = zero_to_infinity.values(data)
    p, r = data.forest.p, zero_to_infinity.path_end(data)
    steps = zero_to_infinity.table_steps(data)
    kls = [float(kl) for kl in values["zero_to_infinity.kl_bits"]]
    assert [float(t) for t in values["zero_to_infinity.t"]] == list(steps)
    assert steps[0] == 0.0 and steps[-1] == 1.0
    assert values["zero_to_infinity.kl_same_bits"] == 0.0
    assert kls[0] == 0.0 and kls[-1] == math.inf
    assert all(a < b for a, b in itertools.pairwise(kls))
    for t, kl in zip(steps, kls, strict=True):
        assert kl == pytest.approx(kl_bits(p, zero_to_infinity.path_point(p, r, t)), rel=1e-12)
    assert values["zero_to_infinity.kl_zero_bits"] == math.inf
    assert values["zero_to_infinity.kl_zero_reverse_bits"] == pytest.approx(kl_bits(r, p))
    assert math.isfinite(values["zero_to_infinity.kl_zero_reverse_bits"])


def test_extremes_table_has_one_row_per_step_ending_in_infinity(data: LectureData) -> None:
    table = zero_to_infinity.tables(data)["extremes"]
    assert len(table.rows) == len(zero_to_infinity.table_steps(data))
    assert table.rows[0][0] == "Q = P" and table.rows[0][-1] == "0.0000"
    rare = zero_to_infinity.rarest_outcome(data.forest.p)
    assert table.rows[-1][0] == Label("rules_out", {"animal": rare})
    assert table.rows[-1][-1] == "∞"
    assert "between" in table.label_keys()  # whether or not the data has a step in between
    rare_column = table.headers.index(f"q({rare})")
    assert table.rows[-1][rare_column] == "0.0000"


def test_the_path_follows_the_data(data: LectureData) -> None:
    changed = with_forest(data, {"Owl": 0.2, "Fox": 0.05, "Bear": 0.75}, data.forest.q)
    values = zero_to_infinity.values(changed)
    assert (
        values["zero_to_infinity.rarest"] == "Fox" and values["zero_to_infinity.rarest_ties"] == 1
    )
    assert values["zero_to_infinity.r"] == pytest.approx([0.2 / 0.95, 0.0, 0.75 / 0.95])
    tied = zero_to_infinity.values(with_forest(data, {"a": 0.4, "b": 0.3, "c": 0.3}, data.forest.q))
    assert tied["zero_to_infinity.rarest"] == "b" and tied["zero_to_infinity.rarest_ties"] == 2
