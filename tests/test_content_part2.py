"""Tests for the computed content of sections 6 and 8-10: kl.content.asymmetry, .continuous,
.fitting, .vae and .learning, checked against scipy, textbook closed forms and the SPEC's
reference values; and the prose of those sections quotes only names that exist."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given, settings

from kl.content import asymmetry, continuous, fitting, learning, lecture_values, vae
from kl.data import Asymmetry, Curves, Forest, LectureData, Normal, load_lecture_data
from kl.formatting import format_small
from kl.gaussian import kl_mvn, kl_to_standard_normal, standard_normal_kl_terms
from kl.measures import cross_entropy, entropy, kl_divergence
from kl.simplex import kl_rows, simplex_grid
from tests.strategies import distribution_pairs

ROOT = Path(__file__).resolve().parent.parent
MY_SECTIONS = (6, 8, 9, 10)


@pytest.fixture(scope="module")
def data() -> LectureData:
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


@pytest.fixture(scope="module")
def values(data: LectureData) -> dict[str, str]:
    return {name: value.text() for name, value in lecture_values(data).items()}


def _with_separation(data: LectureData, separation: float) -> LectureData:
    return dataclasses.replace(
        data, fitting=dataclasses.replace(data.fitting, separation=separation)
    )


# --- asymmetry (section 6) ------------------------------------------------------------
# On a frozen forest (the SPEC's reference P and Q, sharpening 10), not the data file.

P_DEFAULT = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
Q_DEFAULT = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
Q_WITHOUT_DEER = {"Squirrel": 0.7, "Rabbit": 0.3, "Deer": 0.0}
UNIFORM3 = {"Squirrel": 1 / 3, "Rabbit": 1 / 3, "Deer": 1 / 3}
SHARPENING = 10.0


def _forest_data(data: LectureData, p: dict[str, float], q: dict[str, float]) -> LectureData:
    return dataclasses.replace(
        data, forest=Forest(p=p, q=q), asymmetry=Asymmetry(sharpening=SHARPENING)
    )


@pytest.fixture(scope="module")
def frozen(data: LectureData) -> LectureData:
    return _forest_data(data, P_DEFAULT, Q_DEFAULT)


def test_forest_directions_match_the_spec_reference(frozen: LectureData) -> None:
    got = asymmetry.values(frozen)
    assert got["asymmetry.forest_gap_bits"] == pytest.approx(0.034498 - 0.033309, abs=2e-6)
    assert got["asymmetry.forest_ratio"] == pytest.approx(0.034498 / 0.033309, rel=1e-4)
    assert got["asymmetry.nearly_symmetric"] and got["asymmetry.close"]
    assert not got["asymmetry.q_is_p"] and not got["asymmetry.directions_equal"]


def test_sharpened_p_is_a_distribution_with_the_same_ranking(frozen: LectureData) -> None:
    p, _ = asymmetry.forest_vectors(frozen)
    n = asymmetry.sharpened(p, SHARPENING)
    assert math.fsum(n) == pytest.approx(1.0)
    assert list(np.argsort(n)) == list(np.argsort(p))
    assert n == pytest.approx(p**SHARPENING / np.sum(p**SHARPENING), rel=1e-12)
    assert n.max() > 0.99


def test_the_dramatic_pair_differs_by_a_large_factor(frozen: LectureData) -> None:
    p, _ = asymmetry.forest_vectors(frozen)
    n = asymmetry.sharpened(p, SHARPENING)
    pn = float(scipy.stats.entropy(p, n, base=2))
    np_ = float(scipy.stats.entropy(n, p, base=2))
    got = asymmetry.values(frozen)
    assert got["asymmetry.pn_bits"] == pytest.approx(pn, rel=1e-12)
    assert got["asymmetry.np_bits"] == pytest.approx(np_, rel=1e-12)
    assert got["asymmetry.sharp_ratio"] == pytest.approx(pn / np_)
    assert got["asymmetry.sharp_forward_larger"] and pn / np_ > 4
    assert [r["name"] for r in got["asymmetry.sharp_rare"]] == ["Rabbit", "Deer"]
    assert [r["one_in"] for r in got["asymmetry.sharp_rare"]] == pytest.approx(1 / n[1:])


def test_the_triangle_inequality_fails_through_the_midpoint(frozen: LectureData) -> None:
    got = asymmetry.values(frozen)
    direct = got["asymmetry.triangle_direct_bits"]
    rows = asymmetry.tables(frozen)["triangle"].rows
    first, second = float(rows[1][1]), float(rows[2][1])
    p, q = asymmetry.forest_vectors(frozen)
    m = (p + q) / 2
    assert direct == pytest.approx(float(scipy.stats.entropy(p, q, base=2)), rel=1e-12)
    assert first == pytest.approx(float(scipy.stats.entropy(p, m, base=2)), abs=5e-6)
    assert second == pytest.approx(float(scipy.stats.entropy(m, q, base=2)), abs=5e-6)
    detour = float(scipy.stats.entropy(p, m, base=2) + scipy.stats.entropy(m, q, base=2))
    assert got["asymmetry.triangle_detour_bits"] == pytest.approx(detour, rel=1e-12)
    assert direct > detour
    assert [x["probability"] for x in got["asymmetry.triangle_mid"]] == pytest.approx(m)


@settings(max_examples=200, deadline=None)
@given(distribution_pairs(min_size=2, max_size=6, p_zeros=False))
def test_the_midpoint_detour_is_never_longer(pair: tuple[np.ndarray, np.ndarray]) -> None:
    """The prose's claim: strict convexity makes the half-way detour shorter for any P != Q."""
    p, q = pair
    m = asymmetry.midpoint(p, q)
    direct = kl_divergence(p, q)
    detour = kl_divergence(p, m) + kl_divergence(m, q)
    assert detour <= direct * (1 + 1e-9) + 1e-300


def test_simplex_cap_is_the_largest_reverse_kl_on_the_simplex(frozen: LectureData) -> None:
    p, _ = asymmetry.forest_vectors(frozen)
    grid = simplex_grid(60)
    assert asymmetry.simplex_cap_bits(p) == pytest.approx(float(kl_rows(grid, p, base=2).max()))
    assert kl_rows(p, grid, base=2).max() == math.inf
    assert asymmetry.values(frozen)["asymmetry.simplex_cap_corners"] == ["Deer"]


def test_asymmetry_tables_have_the_expected_rows(frozen: LectureData) -> None:
    tables = asymmetry.tables(frozen)
    rows = tables["asymmetry"].rows
    assert [r[1] for r in rows] == ["Q (the model's belief)", "N (P sharpened)"]
    assert rows[0][2:4] == ["0.0333", "0.0345"]
    assert all(r[4].endswith("×") for r in rows)
    triangle = tables["triangle"].rows
    assert len(triangle) == 4
    assert float(triangle[0][1]) > float(triangle[3][1])


def test_ratio_handles_zero() -> None:
    assert asymmetry.ratio(0.0, 0.0) == 1.0
    assert asymmetry.ratio(1.0, 0.0) == math.inf
    assert asymmetry.ratio(3.0, 1.5) == 2.0


def test_ratio_handles_infinity() -> None:
    assert asymmetry.ratio(math.inf, 2.0) == math.inf
    assert asymmetry.ratio(2.0, math.inf) == 0.0
    with pytest.raises(ValueError, match="both are infinite"):
        asymmetry.ratio(math.inf, math.inf)
    assert asymmetry.ratio_text(0.5, 0.25) == "2.00×"
    assert asymmetry.ratio_text(0.25, math.inf) == "∞×"
    assert asymmetry.ratio_text(math.inf, math.inf) == "—"


@pytest.mark.parametrize(
    ("x", "minimum", "digits"),
    [(0.9999964, 2, 6), (0.999, 2, 3), (0.6, 2, 2), (1.0, 2, 2), (0.0, 4, 4), (3e-7, 4, 7)],
)
def test_a_probability_never_rounds_to_certainty_or_zero(
    x: float, minimum: int, digits: int
) -> None:
    assert asymmetry.decimals_needed(x, minimum) == digits
    shown = asymmetry.percent(x)
    assert shown.text() not in {"100.00", "0.00"} or x in (0.0, 1.0)


# --- section 6 with other data --------------------------------------------------------


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
    changed = _forest_data(data, p, q)
    end = asymmetry.triangle_end(changed)
    assert end.symbol == symbol and end.kind == kind
    pv = np.array(list(p.values()))
    m = (pv + end.belief) / 2
    direct = float(scipy.stats.entropy(pv, end.belief, base=2))
    detour = float(scipy.stats.entropy(pv, m, base=2) + scipy.stats.entropy(m, end.belief, base=2))
    assert 0 < detour < direct < math.inf
    got = asymmetry.values(changed)
    assert got["asymmetry.triangle_direct_bits"] == pytest.approx(direct, rel=1e-12)
    assert got["asymmetry.triangle_ratio"] == pytest.approx(direct / detour)
    assert got["asymmetry.triangle_end"] == symbol
    assert got["asymmetry.triangle_end_is_uniform"] == (kind == "uniform")
    rows = asymmetry.tables(changed)["triangle"].rows
    assert rows[0][0] == f"Direct: KL(P‖{symbol})" and float(rows[0][1]) > float(rows[3][1])
    assert asymmetry.triangle_end(_forest_data(data, P_DEFAULT, Q_DEFAULT)).kind == "q"


def test_the_infinite_direction_is_named_with_its_reason(data: LectureData) -> None:
    forward = asymmetry.values(_forest_data(data, P_DEFAULT, Q_WITHOUT_DEER))
    assert forward["asymmetry.forward_infinite"] and not forward["asymmetry.backward_infinite"]
    assert forward["asymmetry.q_zeros"] == ["Deer"] and forward["asymmetry.q_zeros_p"] == [0.1]
    assert forward["asymmetry.forest_gap_bits"] == math.inf
    backward = asymmetry.values(_forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert backward["asymmetry.backward_infinite"] and backward["asymmetry.p_zeros"] == ["Deer"]
    assert backward["asymmetry.p_zeros_q"] == [0.1]
    same = asymmetry.values(_forest_data(data, P_DEFAULT, P_DEFAULT))
    assert same["asymmetry.q_is_p"] and same["asymmetry.directions_equal"]
    assert same["asymmetry.swap_example"] == ["Squirrel", "Deer"]
    assert same["asymmetry.swap_example_bits"] == pytest.approx(0.5 * math.log2(6))


def test_a_swap_of_two_probabilities_gives_equal_directions(data: LectureData) -> None:
    swapped = {"Squirrel": 0.3, "Rabbit": 0.6, "Deer": 0.1}
    got = asymmetry.values(_forest_data(data, P_DEFAULT, swapped))
    assert got["asymmetry.directions_equal"] and got["asymmetry.q_swaps_p"]
    assert not got["asymmetry.q_is_p"] and got["asymmetry.swapped"] == ["Squirrel", "Rabbit"]
    cycle = {"Squirrel": 0.3, "Rabbit": 0.1, "Deer": 0.6}
    assert not asymmetry.values(_forest_data(data, P_DEFAULT, cycle))["asymmetry.q_swaps_p"]


def test_sharpened_rarities_follow_the_likeliest_animal_wherever_it_is(data: LectureData) -> None:
    p = {"Deer": 0.1, "Rabbit": 0.3, "Squirrel": 0.6}
    got = asymmetry.values(_forest_data(data, p, P_DEFAULT))
    n = asymmetry.sharpened(np.array(list(p.values())), SHARPENING)
    assert got["asymmetry.likeliest"] == ["Squirrel"]
    assert got["asymmetry.likeliest_sharp_percent"] == pytest.approx(100 * n[2])
    assert [(r["name"], round(r["one_in"])) for r in got["asymmetry.sharp_rare"]] == [
        ("Deer", round(1 / n[0])),
        ("Rabbit", round(1 / n[1])),
    ]
    # an animal P rules out is not "expected once in ∞ sightings": it is left out
    zero = asymmetry.values(_forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert [r["name"] for r in zero["asymmetry.sharp_rare"]] == ["Rabbit"]
    uniform = asymmetry.values(_forest_data(data, UNIFORM3, UNIFORM3))
    assert uniform["asymmetry.sharp_is_p"] and uniform["asymmetry.sharp_rare"] == []


def test_four_animals_are_drawn_on_the_simplex_with_the_rarest_lumped(data: LectureData) -> None:
    p = {"Squirrel": 0.5, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.1}
    q = {"Squirrel": 0.4, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.2}
    changed = _forest_data(data, p, q)
    assert asymmetry.simplex_groups(changed) == [
        ("Squirrel", ["Squirrel"]),
        ("Rabbit", ["Rabbit"]),
        (asymmetry.OTHERS, ["Deer", "Fox"]),
    ]
    names, pv, qv = asymmetry.simplex_vectors(changed)
    assert names == ["Squirrel", "Rabbit", asymmetry.OTHERS]
    assert pv == pytest.approx([0.5, 0.3, 0.2]) and qv == pytest.approx([0.4, 0.3, 0.3])
    # lumping never shows more divergence than there is (data processing inequality)
    assert kl_divergence(pv, qv) <= kl_divergence(p, q)
    got = asymmetry.values(changed)
    assert got["asymmetry.simplex_cap_bits"] == pytest.approx(-math.log2(0.2))
    assert got["asymmetry.simplex_cap_corners"] == [asymmetry.OTHERS]
    assert got["asymmetry.simplex_cap_is_lumped"]
    assert got["asymmetry.simplex_lumped"] == ["Deer", "Fox"]
    # the largest KL(Q||P) over all beliefs: Q certain of one of P's least likely animals
    assert got["asymmetry.full_max_bits"] == pytest.approx(-math.log2(0.1))
    assert got["asymmetry.full_max_animals"] == ["Deer", "Fox"]
    assert got["asymmetry.full_max_higher"]
    plain = asymmetry.values(_forest_data(data, P_DEFAULT, Q_DEFAULT))
    assert plain["asymmetry.simplex_lumped"] == []
    assert plain["asymmetry.simplex_corners"] == ["Squirrel", "Rabbit", "Deer"]


def test_the_simplex_facts_know_when_p_rules_an_animal_out(data: LectureData) -> None:
    got = asymmetry.values(_forest_data(data, Q_WITHOUT_DEER, P_DEFAULT))
    assert got["asymmetry.simplex_p_zero_corners"] == ["Deer"]
    assert got["asymmetry.simplex_p_corners"] == ["Squirrel", "Rabbit"]
    assert got["asymmetry.simplex_cap_corners"] == ["Rabbit"]  # P's rarest possible one
    assert got["asymmetry.p_never"] == ["Deer"]


# --- continuous (section 8) -----------------------------------------------------------


@pytest.fixture(scope="module")
def frozen_file() -> LectureData:
    """The frozen_file copy of the lecture's data, so an edit of docs/data never fails these."""
    return load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")


@pytest.mark.parametrize("fit", continuous.FITS)
def test_numeric_kl_matches_the_closed_form_and_scipy(fit: str, frozen_file: LectureData) -> None:
    c = frozen_file.curves
    q = getattr(c, fit)
    numeric = continuous.numeric_nats(c, fit)
    closed = continuous.closed_form_nats(c, fit)
    p_dist, q_dist = scipy.stats.norm(c.p.mean, c.p.sd), scipy.stats.norm(q.mean, q.sd)
    reference, _ = scipy.integrate.quad(
        lambda x: p_dist.pdf(x) * (p_dist.logpdf(x) - q_dist.logpdf(x)), -np.inf, np.inf
    )
    textbook = (
        math.log(q.sd / c.p.sd) + (c.p.sd**2 + (c.p.mean - q.mean) ** 2) / (2 * q.sd**2) - 0.5
    )
    assert closed == pytest.approx(textbook, rel=1e-12)
    assert numeric == pytest.approx(closed, abs=1e-10)
    assert numeric == pytest.approx(reference, rel=1e-7)


@pytest.mark.parametrize("fit", continuous.FITS)
def test_integrand_parts_add_up_to_the_kl(fit: str, frozen_file: LectureData) -> None:
    grid = continuous.integrand(frozen_file.curves, fit)
    above, below = grid.parts_nats()
    assert above > 0 > below
    assert above + below == pytest.approx(
        continuous.closed_form_nats(frozen_file.curves, fit), abs=1e-5
    )
    negative = grid.values < 0
    assert np.all(grid.q[negative] > grid.p[negative])


def test_continuous_table_shows_numeric_closed_form_and_a_tiny_difference(
    frozen_file: LectureData,
) -> None:
    rows = continuous.tables(frozen_file)["continuous"].rows
    assert [r[0] for r in rows] == ["Good fit", "Poor fit"]
    for row in rows:
        assert row[2] == row[3]
        assert re.fullmatch(r"0|\d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+", row[4])
    assert rows[0][1] == continuous.normal_label(frozen_file.curves.good)


def test_labels_and_scientific_notation() -> None:
    assert continuous.normal_label(Normal(-1.5, 0.5)) == "N(−1.5, 0.5²)"
    assert format_small(1.23e-13, 0) == "1.2 × 10⁻¹³"


def test_integration_bounds_hold_every_curve() -> None:
    curves = Curves(p=Normal(0, 1), good=Normal(-30, 2), poor=Normal(5, 0.1))
    lower, upper = continuous.integration_bounds(curves)
    assert lower <= -30 - 10 * 2 and upper >= 5 + 10 * 0.1


# --- forward vs reverse (section 9) ---------------------------------------------------


def _scipy_reverse_kl(d: float, mean: float, sd: float) -> float:
    q = scipy.stats.norm(mean, sd)

    def integrand(x: float) -> float:
        log_p = np.logaddexp(
            math.log(0.5) + scipy.stats.norm.logpdf(x, -d / 2, 1),
            math.log(0.5) + scipy.stats.norm.logpdf(x, d / 2, 1),
        )
        return float(q.pdf(x) * (q.logpdf(x) - log_p))

    value, _ = scipy.integrate.quad(integrand, mean - 12 * sd, mean + 12 * sd, limit=200)
    return float(value)


def test_forward_fit_is_moment_matching(frozen_file: LectureData) -> None:
    d = frozen_file.fitting.separation
    result = fitting.fits(frozen_file)
    assert result.forward.mean == pytest.approx(0.0, abs=1e-12)
    assert result.forward.sd == pytest.approx(math.sqrt(1 + (d / 2) ** 2), rel=1e-12)
    assert result.forward.kl_qp_nats == pytest.approx(
        _scipy_reverse_kl(d, result.forward.mean, result.forward.sd), rel=1e-6
    )


def test_reverse_fit_locks_onto_one_peak_at_the_datas_separation(frozen_file: LectureData) -> None:
    d = frozen_file.fitting.separation
    result = fitting.fits(frozen_file)
    best = result.best_reverse
    assert d > fitting.thresholds().peaks_win
    assert abs(best.mean) == pytest.approx(d / 2, abs=0.1) and best.sd == pytest.approx(1, abs=0.1)
    assert best.kl_qp_nats == pytest.approx(_scipy_reverse_kl(d, best.mean, best.sd), rel=1e-6)
    assert best.kl_qp_nats < math.log(2)
    mirror = [f for f in result.reverse if f.mean == pytest.approx(-best.mean, abs=1e-4)]
    centred = [f for f in result.reverse if f.centred]
    assert mirror and centred and centred[0].kl_qp_nats > best.kl_qp_nats


def test_each_fit_is_best_at_the_divergence_it_minimises(frozen_file: LectureData) -> None:
    result = fitting.fits(frozen_file)
    assert all(result.forward.kl_pq_nats <= f.kl_pq_nats for f in result.reverse)
    assert all(result.best_reverse.kl_qp_nats <= f.kl_qp_nats for f in result.reverse)
    assert result.best_reverse.kl_qp_nats < result.forward.kl_qp_nats


def test_what_reverse_kl_does_follows_the_separation(frozen_file: LectureData) -> None:
    limits = fitting.thresholds()
    assert 3 < limits.peaks_appear < limits.peaks_win < 8
    for separation, centred, peaks in [(4.0, True, False), (5.2, True, True), (7.0, False, True)]:
        got = fitting.values(_with_separation(frozen_file, separation))
        assert got["fitting.best_is_centred"] is centred, separation
        assert got["fitting.has_peak_minima"] is peaks, separation
        assert got["fitting.has_centred_minimum"] is True
        assert got["fitting.other_minima"] == (2 if peaks else 0)
        assert len(got["fitting.other_means"]) == got["fitting.other_minima"]
        if peaks:
            assert got["fitting.peak_kl_qp_nats"] < math.log(2)


def test_fits_table_lists_the_forward_fit_and_every_reverse_minimum(
    frozen_file: LectureData,
) -> None:
    result = fitting.fits(frozen_file)
    rows = fitting.tables(frozen_file)["fits"].rows
    assert len(rows) == 1 + len(result.reverse)
    assert rows[0][0] == "Forward (moment matching)"
    assert sum("(best)" in r[0] for r in rows) == 2  # the two mirror-image peaks tie
    assert all(len(r) == 5 for r in rows)


# --- the VAE term (section 10) --------------------------------------------------------


def test_vae_terms_equal_kl_to_standard_normal_and_the_mvn_form(frozen_file: LectureData) -> None:
    got = vae.values(frozen_file)
    c = frozen_file.curves
    for name in ("good", "poor"):
        n = getattr(c, name)
        assert got[f"vae.{name}_kl_nats"].number == pytest.approx(
            kl_to_standard_normal(n.mean, n.sd), rel=1e-12
        )
    means, sds = [c.good.mean, c.poor.mean], [c.good.sd, c.poor.sd]
    total = got["vae.two_dim_kl_nats"].number
    assert total == pytest.approx(kl_mvn(means, np.diag(np.square(sds)), [0, 0], np.eye(2)))
    assert total == pytest.approx(
        0.5 * sum(m**2 + s**2 - 1 - math.log(s**2) for m, s in zip(means, sds, strict=True))
    )


def test_vae_term_grid_matches_the_pointwise_function() -> None:
    mu = np.linspace(-3, 3, 13)
    sigma = np.linspace(0.05, 3, 11)
    grid_mu, grid_sigma = np.meshgrid(mu, sigma)
    grid = standard_normal_kl_terms(grid_mu, grid_sigma)
    for m, s, value in zip(grid_mu.ravel(), grid_sigma.ravel(), grid.ravel(), strict=True):
        assert value == pytest.approx(kl_to_standard_normal(m, s), rel=1e-12, abs=1e-15)
    assert standard_normal_kl_terms(np.array(0.0), np.array(1.0)) == 0.0


def test_vae_table_rows(frozen_file: LectureData) -> None:
    rows = vae.tables(frozen_file)["vae"].rows
    assert len(rows) == 3 and rows[-1][0].startswith("**Total")


# --- learning (section 10) ------------------------------------------------------------


def test_learning_values_follow_the_trace(frozen_file: LectureData) -> None:
    trace = learning.learning_trace(frozen_file)
    got = learning.values(frozen_file)
    p = np.array(list(frozen_file.forest.p.values()))
    kl = [bits * math.log(2) for bits in trace.kl_bits]
    assert got["learning.kl_start_nats"] == pytest.approx(math.log(3) - entropy(p), rel=1e-12)
    assert all(b < a for a, b in itertools.pairwise(trace.kl_bits))
    for i, step in enumerate(frozen_file.learning.snapshot_steps):
        assert got[f"learning.snapshots.{i}.kl_nats"] == pytest.approx(kl[step], rel=1e-12)
    assert got["learning.kl_end_nats"] == pytest.approx(kl[-1], rel=1e-12)
    half = frozen_file.learning.steps // 2
    ratios = [b / a for a, b in itertools.pairwise(kl[half:])]
    assert got["learning.step_ratio"] == pytest.approx(np.median(ratios), rel=1e-12)
    assert got["learning.avg_log_likelihood_bits"] == pytest.approx(
        -(entropy(p, base=2) + kl_divergence(frozen_file.forest.p, frozen_file.forest.q, base=2)),
        rel=1e-12,
    )
    assert got["learning.avg_log_likelihood_bits"] == pytest.approx(
        -cross_entropy(frozen_file.forest.p, frozen_file.forest.q, base=2)
    )


def test_snapshot_steps(frozen_file: LectureData) -> None:
    steps = frozen_file.learning.steps
    assert learning.snapshot_steps(frozen_file) == [0, *frozen_file.learning.snapshot_steps, steps]


def test_learning_table_ends_with_p(frozen_file: LectureData) -> None:
    rows = learning.tables(frozen_file)["learning"].rows
    assert len(rows) == len(learning.snapshot_steps(frozen_file)) + 1
    assert rows[-1][0] == "P (the target)"
    assert rows[-2][1:4] == rows[-1][1:4]  # after the last step Q equals P to 4 decimals


def test_the_end_of_learning_says_how_close_q_came(frozen_file: LectureData) -> None:
    got = learning.values(frozen_file)
    assert got["learning.end_matches"] is True and got["learning.zero_names"] == []
    zero = dataclasses.replace(
        frozen_file,
        forest=Forest(p={"Squirrel": 0.6, "Rabbit": 0.4, "Deer": 0.0}, q=frozen_file.forest.q),
    )
    trace = learning.learning_trace(zero)
    assert trace.q[-1][2] > 0 and trace.kl_bits[-1] > 1e-4  # softmax never reaches 0
    got = learning.values(zero)
    assert got["learning.zero_names"] == ["Deer"] and got["learning.end_matches"] is False
    assert 0.4 < got["learning.end_over_half"] < 0.6  # about 1/t: twice the steps, half the KL
    short = dataclasses.replace(
        frozen_file,
        learning=dataclasses.replace(frozen_file.learning, steps=2, snapshot_steps=(1,)),
    )
    gap = max(
        abs(a - b)
        for a, b in zip(
            learning.learning_trace(short).q[-1], frozen_file.forest.p.values(), strict=True
        )
    )
    assert learning.values(short)["learning.end_gap"] == pytest.approx(gap, rel=1e-12)
    assert learning.values(short)["learning.end_matches"] is False


def test_small_numbers_switch_to_scientific_notation() -> None:
    assert format_small(0.04) == "0.0400"
    assert format_small(0.00005) == "0.0001"
    assert format_small(1.5e-9) == "1.5 × 10⁻⁹"
    assert format_small(0.0) == "0.0000"
