"""kl.lecture.sections.cross_entropy_decomposition (section 7): cross-entropy = entropy + KL,
against scipy and the SPEC."""

from __future__ import annotations

import math

import pytest
import scipy.integrate
import scipy.stats

from kl.lecture.data import LectureData, load_lecture_data
from kl.lecture.sections import cross_entropy_decomposition, zero_to_infinity
from kl.lecture.tables import Label
from tests.lecture_data import kl_bits, other_forest
from tests.sitebuild import ROOT


def test_decompositions_add_up_and_match_scipy(data: LectureData) -> None:
    p = data.forest.p
    qs = cross_entropy_decomposition.candidate_qs(data)
    for case, (label, q) in zip(cross_entropy_decomposition.decompositions(data), qs, strict=True):
        assert case.label == label
        assert case.entropy == pytest.approx(scipy.stats.entropy(list(p.values()), base=2))
        assert case.kl == pytest.approx(kl_bits(p, q), rel=1e-12)
        if math.isfinite(case.kl):
            assert case.cross_entropy == pytest.approx(case.entropy + case.kl, rel=1e-12)
        else:
            assert case.cross_entropy == math.inf
    labels = [c.label for c in cross_entropy_decomposition.decompositions(data)]
    rare = {"animal": zero_to_infinity.rarest_outcome(p)}
    assert labels == [Label("q_is_p"), Label("model"), Label("uniform"), Label("without", rare)]


def test_decomposition_reference_values_from_the_spec() -> None:
    frozen = load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")
    cases = cross_entropy_decomposition.by_key(cross_entropy_decomposition.decompositions(frozen))
    model = cases["model"]
    assert model.entropy == pytest.approx(1.295462, abs=5e-7)
    assert model.kl == pytest.approx(0.033309, abs=5e-7)
    assert model.cross_entropy == pytest.approx(1.328771, abs=5e-7)
    assert cases["q_is_p"].kl == 0.0
    nats = cross_entropy_decomposition.by_key(
        cross_entropy_decomposition.decompositions(frozen, math.e)
    )
    assert nats["model"].kl == pytest.approx(0.023088, abs=5e-7)


def test_decomposition_table_check_column_matches_cross_entropy(data: LectureData) -> None:
    table = cross_entropy_decomposition.tables(data)["decomposition"]
    assert (
        len(table.rows) == len(cross_entropy_decomposition.candidate_qs(data)) + 1
    )  # + the nats row
    h_cross, check = table.headers.index("H(P, Q)"), len(table.headers) - 1
    for row in table.rows:
        assert row[check] == row[h_cross]
    assert [r[0] for r in table.rows].count(Label("model_nats")) == 1
    rare = {"animal": zero_to_infinity.rarest_outcome(data.forest.p)}
    assert table.rows[-1][0] == Label("without", rare)
    assert table.rows[0][table.headers.index("KL(P‖Q)")] == "0.000000"
    assert table.rows[-1][h_cross] == "∞"


def test_uniform_q_values(data: LectureData) -> None:
    values = cross_entropy_decomposition.values(data)
    n = len(data.forest.outcomes)
    assert values["cross_entropy_decomposition.h_uniform_bits"].number == pytest.approx(
        math.log2(n)
    )
    assert values["cross_entropy_decomposition.kl_uniform_bits"].number == pytest.approx(
        math.log2(n) - scipy.stats.entropy(list(data.forest.p.values()), base=2)
    )


def test_decomposition_share_is_the_whole_excess_when_kl_is_infinite(data: LectureData) -> None:
    changed = other_forest(data, "Q rules out the Deer")
    values = cross_entropy_decomposition.values(changed)
    assert values["cross_entropy_decomposition.kl_share_percent"] == 1.0
    frozen = load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")
    model = cross_entropy_decomposition.by_key(cross_entropy_decomposition.decompositions(frozen))[
        "model"
    ]
    assert cross_entropy_decomposition.kl_share(model) == pytest.approx(
        0.033309 / 1.328771, abs=1e-6
    )
