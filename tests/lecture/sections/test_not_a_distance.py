"""kl.lecture.sections.not_a_distance (section 6): both directions, the triangle and the
simplex, on a frozen forest and on other data."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
import tomli_w
from hypothesis import given, settings

from kl.lecture.data import LectureData, load_lecture_data
from kl.lecture.sections import not_a_distance
from kl.lecture.tables import Label
from kl.measures.discrete import kl_divergence
from kl.measures.simplex import kl_rows, simplex_grid
from tests.lecture_data import P_DEFAULT, Q_DEFAULT, SHARPENING, forest_data
from tests.sitebuild import ROOT
from tests.strategies import distribution_pairs

Q_WITHOUT_DEER = {"Squirrel": 0.7, "Rabbit": 0.3, "Deer": 0.0}


UNIFORM3 = {"Squirrel": 1 / 3, "Rabbit": 1 / 3, "Deer": 1 / 3}


def test_forest_directions_match_the_spec_reference(frozen: LectureData) -> None:
    got = not_a_distance.values(frozen)
    assert got["not_a_distance.forest_gap_bits"] == pytest.approx(0.034498 - 0.033309, abs=2e-6)
    assert got["not_a_distance.forest_ratio"] == pytest.approx(0.034498 / 0.033309, rel=1e-4)
    assert got["not_a_distance.nearly_symmetric"] and got["not_a_distance.close"]
    assert not got["not_a_distance.q_is_p"] and not got["not_a_distance.directions_equal"]


def test_sharpened_p_is_a_distribution_with_the_same_ranking(frozen: LectureData) -> None:
    p, _ = not_a_distance.forest_vectors(frozen)
    n = not_a_distance.sharpened(p, SHARPENING)
    assert math.fsum(n) == pytest.approx(1.0)
    assert list(np.argsort(n)) == list(np.argsort(p))
    assert n == pytest.approx(p**SHARPENING / np.sum(p**SHARPENING), rel=1e-12)
    assert n.max() > 0.99


def test_the_dramatic_pair_differs_by_a_large_factor(frozen: LectureData) -> None:
    p, _ = not_a_distance.forest_vectors(frozen)
    n = not_a_distance.sharpened(p, SHARPENING)
    pn = float(scipy.stats.entropy(p, n, base=2))
    np_ = float(scipy.stats.entropy(n, p, base=2))
    got = not_a_distance.values(frozen)
    assert got["not_a_distance.pn_bits"] == pytest.approx(pn, rel=1e-12)
    assert got["not_a_distance.np_bits"] == pytest.approx(np_, rel=1e-12)
    assert got["not_a_distance.sharp_ratio"] == pytest.approx(pn / np_)
    assert got["not_a_distance.sharp_forward_larger"] and pn / np_ > 4
    assert [r["name"] for r in got["not_a_distance.sharp_rare"]] == ["Rabbit", "Deer"]
    assert [r["one_in"] for r in got["not_a_distance.sharp_rare"]] == pytest.approx(1 / n[1:])


def test_the_triangle_inequality_fails_through_the_midpoint(frozen: LectureData) -> None:
    got = not_a_distance.values(frozen)
    direct = got["not_a_distance.triangle_direct_bits"]
    rows = not_a_distance.tables(frozen)["triangle"].rows
    first, second = float(rows[1][1]), float(rows[2][1])
    p, q = not_a_distance.forest_vectors(frozen)
    m = (p + q) / 2
    assert direct == pytest.approx(float(scipy.stats.entropy(p, q, base=2)), rel=1e-12)
    assert first == pytest.approx(float(scipy.stats.entropy(p, m, base=2)), abs=5e-6)
    assert second == pytest.approx(float(scipy.stats.entropy(m, q, base=2)), abs=5e-6)
    detour = float(scipy.stats.entropy(p, m, base=2) + scipy.stats.entropy(m, q, base=2))
    assert got["not_a_distance.triangle_detour_bits"] == pytest.approx(detour, rel=1e-12)
    assert direct > detour
    assert [x["probability"] for x in got["not_a_distance.triangle_mid"]] == pytest.approx(m)


@settings(max_examples=200, deadline=None)
@given(distribution_pairs(min_size=2, max_size=6, p_zeros=False))
def test_the_midpoint_detour_is_never_longer(pair: tuple[np.ndarray, np.ndarray]) -> None:
    """The prose's claim: strict convexity makes the half-way detour shorter for any P != Q."""
    p, q = pair
    m = not_a_distance.midpoint(p, q)
    direct = kl_divergence(p, q)
    detour = kl_divergence(p, m) + kl_divergence(m, q)
    assert detour <= direct * (1 + 1e-9) + 1e-300


def test_a_q_within_rounding_of_p_still_shows_the_shorter_detour(tmp_path: Path) -> None:
    """A data file the validator accepts, Q a rounding away from P: the page says the direct
    route is longer than the detour, and the numbers it quotes must agree (they read 0.87
    times the detour when KL was computed as log(p/q))."""
    raw = tomllib.loads((ROOT / "tests" / "data" / "frozen.toml").read_text(encoding="utf-8"))
    raw["forest"] = {
        "p": {"Squirrel": 1.175494351e-38, "Rabbit": 0.5, "Deer": 0.5},
        "q": {"Squirrel": 2.2204460492503126e-16, "Rabbit": 0.4999999999999999, "Deer": 0.5},
    }
    data_file = tmp_path / "lecture.toml"
    data_file.write_text(tomli_w.dumps(raw), encoding="utf-8")
    got = not_a_distance.values(load_lecture_data(data_file))
    assert got["not_a_distance.triangle_end"] == "Q"
    direct, detour = (got[f"not_a_distance.triangle_{n}_bits"] for n in ("direct", "detour"))
    assert 0 < detour < direct and got["not_a_distance.triangle_ratio"] > 1


def test_simplex_cap_is_the_largest_reverse_kl_on_the_simplex(frozen: LectureData) -> None:
    p, _ = not_a_distance.forest_vectors(frozen)
    grid = simplex_grid(60)
    assert not_a_distance.simplex_cap_bits(p) == pytest.approx(
        float(kl_rows(grid, p, base=2).max())
    )
    assert kl_rows(p, grid, base=2).max() == math.inf
    assert not_a_distance.values(frozen)["not_a_distance.simplex_cap_corners"] == [["Deer"]]


def test_asymmetry_tables_have_the_expected_rows(frozen: LectureData) -> None:
    tables = not_a_distance.tables(frozen)
    rows = tables["asymmetry"].rows
    assert [r[:2] for r in rows] == [[Label("forest"), Label(k)] for k in ("model", "sharpened")]
    assert rows[0][2:4] == ["0.0333", "0.0345"]
    assert all(str(r[4]).endswith("×") for r in rows)
    triangle = tables["triangle"].rows
    assert len(triangle) == 4
    assert float(triangle[0][1]) > float(triangle[3][1])


def test_ratio_handles_zero() -> None:
    assert not_a_distance.ratio(0.0, 0.0) == 1.0
    assert not_a_distance.ratio(1.0, 0.0) == math.inf
    assert not_a_distance.ratio(3.0, 1.5) == 2.0


def test_ratio_handles_infinity() -> None:
    assert not_a_distance.ratio(math.inf, 2.0) == math.inf
    assert not_a_distance.ratio(2.0, math.inf) == 0.0
    with pytest.raises(ValueError, match="both are infinite"):
        not_a_distance.ratio(math.inf, math.inf)
    assert not_a_distance.ratio_text(0.5, 0.25) == "2.00×"
    assert not_a_distance.ratio_text(0.25, math.inf) == "∞×"
    assert not_a_distance.ratio_text(math.inf, math.inf) == "—"
    assert not_a_distance.ratio_text(0.0, 0.0) == "—"  # Q = P: no number of times


@pytest.mark.parametrize(
    ("x", "minimum", "digits"),
    [(0.9999964, 2, 6), (0.999, 2, 3), (0.6, 2, 2), (1.0, 2, 2), (0.0, 4, 4), (3e-7, 4, 7)],
)
def test_a_probability_never_rounds_to_certainty_or_zero(
    x: float, minimum: int, digits: int
) -> None:
    assert not_a_distance.decimals_needed(x, minimum) == digits
    shown = not_a_distance.percent(x)
    assert shown.text() not in {"100.00", "0.00"} or x in (0.0, 1.0)


@pytest.mark.parametrize(
    ("p", "q", "symbol", "kind"),
    [
        (P_DEFAULT, Q_WITHOUT_DEER, "U", "uniform"),  # KL(P||Q) infinite
        (P_DEFAULT, P_DEFAULT, "U", "uniform"),  # KL(P||Q) zero
        (UNIFORM3, UNIFORM3, "C", "towards"),  # ... and the uniform belief is P itself
    ],
)
def test_the_triangle_still_fails_when_q_cannot_show_it(
    data: LectureData, p: dict[str, float], q: dict[str, float], symbol: str, kind: str
) -> None:
    changed = forest_data(data, p, q)
    end = not_a_distance.triangle_end(changed)
    assert end.symbol == symbol and end.kind == kind
    pv = np.array(list(p.values()))
    m = (pv + end.belief) / 2
    direct = float(scipy.stats.entropy(pv, end.belief, base=2))
    detour = float(scipy.stats.entropy(pv, m, base=2) + scipy.stats.entropy(m, end.belief, base=2))
    assert 0 < detour < direct < math.inf
    got = not_a_distance.values(changed)
    assert got["not_a_distance.triangle_direct_bits"] == pytest.approx(direct, rel=1e-12)
    assert got["not_a_distance.triangle_ratio"] == pytest.approx(direct / detour)
    assert got["not_a_distance.triangle_end"] == symbol
    assert got["not_a_distance.triangle_end_is_uniform"] == (kind == "uniform")
    rows = not_a_distance.tables(changed)["triangle"].rows
    assert rows[0][0] == Label("direct", {"corner": symbol})
    assert float(rows[0][1]) > float(rows[3][1])
    assert not_a_distance.triangle_end(forest_data(data, P_DEFAULT, Q_DEFAULT)).kind == "q"


def test_the_infinite_direction_is_named_with_its_reason(data: LectureData) -> None:
    forward = not_a_distance.values(forest_data(data, P_DEFAULT, Q_WITHOUT_DEER))
    assert (
        forward["not_a_distance.forward_infinite"]
        and not forward["not_a_distance.backward_infinite"]
    )
    assert forward["not_a_distance.q_zeros"] == ["Deer"] and forward[
        "not_a_distance.q_zeros_p"
    ] == [0.1]
    assert forward["not_a_distance.forest_gap_bits"] == math.inf
    backward = not_a_distance.values(forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert backward["not_a_distance.backward_infinite"] and backward["not_a_distance.p_zeros"] == [
        "Deer"
    ]
    assert backward["not_a_distance.p_zeros_q"] == [0.1]
    same = not_a_distance.values(forest_data(data, P_DEFAULT, P_DEFAULT))
    assert same["not_a_distance.q_is_p"] and same["not_a_distance.directions_equal"]
    assert same["not_a_distance.swap_example"] == ["Squirrel", "Deer"]
    assert same["not_a_distance.swap_example_bits"] == pytest.approx(0.5 * math.log2(6))


def test_a_swap_of_two_probabilities_gives_equal_directions(data: LectureData) -> None:
    swapped = {"Squirrel": 0.3, "Rabbit": 0.6, "Deer": 0.1}
    got = not_a_distance.values(forest_data(data, P_DEFAULT, swapped))
    assert got["not_a_distance.directions_equal"] and got["not_a_distance.q_swaps_p"]
    assert not got["not_a_distance.q_is_p"] and got["not_a_distance.swapped"] == [
        "Squirrel",
        "Rabbit",
    ]
    cycle = {"Squirrel": 0.3, "Rabbit": 0.1, "Deer": 0.6}
    assert not not_a_distance.values(forest_data(data, P_DEFAULT, cycle))[
        "not_a_distance.q_swaps_p"
    ]


def test_sharpened_rarities_follow_the_likeliest_animal_wherever_it_is(data: LectureData) -> None:
    p = {"Deer": 0.1, "Rabbit": 0.3, "Squirrel": 0.6}
    got = not_a_distance.values(forest_data(data, p, P_DEFAULT))
    n = not_a_distance.sharpened(np.array(list(p.values())), SHARPENING)
    assert got["not_a_distance.likeliest"] == ["Squirrel"]
    assert got["not_a_distance.likeliest_sharp_percent"] == pytest.approx(100 * n[2])
    assert [(r["name"], round(r["one_in"])) for r in got["not_a_distance.sharp_rare"]] == [
        ("Deer", round(1 / n[0])),
        ("Rabbit", round(1 / n[1])),
    ]
    # an animal P rules out is not "expected once in ∞ sightings": it is left out
    zero = not_a_distance.values(forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert [r["name"] for r in zero["not_a_distance.sharp_rare"]] == ["Rabbit"]
    uniform = not_a_distance.values(forest_data(data, UNIFORM3, UNIFORM3))
    assert uniform["not_a_distance.sharp_is_p"] and uniform["not_a_distance.sharp_rare"] == []


def test_an_animal_named_like_the_lumped_corner_is_no_lump(data: LectureData) -> None:
    """Three animals are three corners, whatever their names: the lumped corner is known by
    its animals, not by its label."""
    p = {"Squirrel": 0.5, "Rabbit": 0.3, "other animals": 0.2}
    q = {"Squirrel": 0.4, "Rabbit": 0.3, "other animals": 0.3}
    got = not_a_distance.values(forest_data(data, p, q))
    assert got["not_a_distance.simplex_lumped"] == []
    assert got["not_a_distance.simplex_corners"] == [["Squirrel"], ["Rabbit"], ["other animals"]]
    assert not got["not_a_distance.simplex_cap_is_lumped"]


def test_four_animals_are_drawn_on_the_simplex_with_the_rarest_lumped(data: LectureData) -> None:
    p = {"Squirrel": 0.5, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.1}
    q = {"Squirrel": 0.4, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.2}
    changed = forest_data(data, p, q)
    corners = [["Squirrel"], ["Rabbit"], ["Deer", "Fox"]]
    assert not_a_distance.simplex_groups(changed) == corners
    groups, pv, qv = not_a_distance.simplex_vectors(changed)
    assert groups == corners
    assert pv == pytest.approx([0.5, 0.3, 0.2]) and qv == pytest.approx([0.4, 0.3, 0.3])
    # lumping never shows more divergence than there is (data processing inequality)
    assert kl_divergence(pv, qv) <= kl_divergence(p, q)
    got = not_a_distance.values(changed)
    assert got["not_a_distance.simplex_cap_bits"] == pytest.approx(-math.log2(0.2))
    assert got["not_a_distance.simplex_cap_corners"] == [["Deer", "Fox"]]
    assert got["not_a_distance.simplex_cap_is_lumped"]
    assert got["not_a_distance.simplex_lumped"] == ["Deer", "Fox"]
    # the largest KL(Q||P) over all beliefs: Q certain of one of P's least likely animals
    assert got["not_a_distance.full_max_bits"] == pytest.approx(-math.log2(0.1))
    assert got["not_a_distance.full_max_animals"] == ["Deer", "Fox"]
    assert got["not_a_distance.full_max_higher"]
    plain = not_a_distance.values(forest_data(data, P_DEFAULT, Q_DEFAULT))
    assert plain["not_a_distance.simplex_lumped"] == []
    assert plain["not_a_distance.simplex_corners"] == [["Squirrel"], ["Rabbit"], ["Deer"]]


def test_the_simplex_facts_know_when_p_rules_an_animal_out(data: LectureData) -> None:
    got = not_a_distance.values(forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert got["not_a_distance.simplex_p_zero_corners"] == [["Deer"]]
    assert got["not_a_distance.simplex_p_corners"] == [["Squirrel"], ["Rabbit"]]
    assert got["not_a_distance.simplex_cap_corners"] == [["Rabbit"]]  # P's rarest possible one
    assert got["not_a_distance.p_never"] == ["Deer"]
