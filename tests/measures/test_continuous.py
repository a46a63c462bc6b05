"""Tests for kl.measures.continuous: KL between densities by Simpson's rule on a grid."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kl.errors import DistributionError
from kl.measures.continuous import (
    MAX_ABS_BOUND,
    kl_integrand,
    kl_numeric,
    kl_numeric_log,
    normal_pdf,
)
from kl.measures.gaussian import kl_normal

Density = Callable[[np.ndarray], np.ndarray]


def normal(mu: float, sigma: float) -> Density:
    return lambda x: normal_pdf(x, mu, sigma)


def uniform(a: float, b: float) -> Density:
    return lambda x: np.where((x >= a) & (x <= b), 1.0 / (b - a), 0.0)


# Pairs (mu1, sigma1, mu2, sigma2) for which Q stays above float underflow within 12 sigma of P.
NORMAL_PAIRS = [
    (0.0, 1.0, 0.0, 1.0),
    (0.0, 1.0, 1.0, 1.0),
    (0.0, 1.0, 0.0, 2.0),
    (0.0, 2.0, 0.0, 1.0),
    (0.0, 3.0, 0.0, 1.0),
    (3.0, 0.1, 2.5, 0.3),
    (-2.0, 5.0, 4.0, 3.0),
    (1.0, 0.5, -1.0, 2.0),
    (100.0, 10.0, 90.0, 15.0),
    (0.0, 1e-3, 1e-3, 2e-3),
]


class TestNormalPdf:
    def test_matches_scipy(self) -> None:
        x = np.linspace(-10, 12, 301)
        for mu, sigma in [(0.0, 1.0), (1.5, 0.3), (-4.0, 7.0)]:
            np.testing.assert_allclose(
                normal_pdf(x, mu, sigma),
                scipy.stats.norm.pdf(x, mu, sigma),
                rtol=1e-13,
                atol=1e-300,
            )

    def test_integrates_to_one(self) -> None:
        x = np.linspace(-12, 12, 4001)
        assert scipy.integrate.simpson(normal_pdf(x, 0.0, 1.0), x=x) == pytest.approx(
            1.0, rel=1e-12, abs=0
        )

    def test_peak_value(self) -> None:
        assert normal_pdf(np.array([2.0]), 2.0, 0.5)[0] == pytest.approx(
            1 / (0.5 * math.sqrt(2 * math.pi)), rel=1e-15, abs=0
        )


class TestKlIntegrand:
    def test_values(self) -> None:
        p = np.array([0.0, 0.0, 0.2, 0.5, 0.5, 0.3])
        q = np.array([0.0, 0.4, 0.4, 0.5, 0.25, 0.0])
        out = kl_integrand(p, q)
        assert out[0] == 0.0
        assert out[1] == 0.0
        assert out[2] == pytest.approx(0.2 * math.log(0.5), rel=1e-15, abs=0)
        assert out[2] < 0
        assert out[3] == 0.0
        assert out[4] == pytest.approx(0.5 * math.log(2), rel=1e-15, abs=0)
        assert out[5] == math.inf
        assert not np.any(np.isnan(out))


def log_normal(mu: float, sigma: float) -> Density:
    return lambda x: scipy.stats.norm.logpdf(x, mu, sigma)


def log_uniform(a: float, b: float) -> Density:
    return lambda x: np.where((x >= a) & (x <= b), -math.log(b - a), -math.inf)


class TestKlNumericLog:
    """The log-density variant: the same integral, with no underflow of far tails."""

    @pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), NORMAL_PAIRS)
    def test_agrees_with_kl_numeric_and_the_closed_form(
        self, mu1: float, s1: float, mu2: float, s2: float
    ) -> None:
        bounds = (mu1 - 12 * s1, mu1 + 12 * s1)
        got = kl_numeric_log(log_normal(mu1, s1), log_normal(mu2, s2), *bounds)
        assert got == pytest.approx(kl_numeric(normal(mu1, s1), normal(mu2, s2), *bounds))
        assert got == pytest.approx(kl_normal(mu1, s1, mu2, s2), abs=1e-9)

    @pytest.mark.parametrize(("mu2", "s2"), [(5.0, 0.2), (40.0, 1.0), (0.0, 0.01)])
    def test_finite_where_q_underflows_in_ps_tail(self, mu2: float, s2: float) -> None:
        assert kl_numeric(normal(0, 1), normal(mu2, s2), -12, 12) == math.inf
        got = kl_numeric_log(log_normal(0, 1), log_normal(mu2, s2), -12, 12, points=20001)
        assert got == pytest.approx(kl_normal(0, 1, mu2, s2), rel=1e-9)

    def test_infinite_only_where_q_is_really_zero(self) -> None:
        assert kl_numeric_log(log_normal(0, 1), log_uniform(-1, 1), -12, 12) == math.inf
        expected = kl_numeric(uniform(-1, 1), normal(0, 1), -1, 1)
        got = kl_numeric_log(log_uniform(-1, 1), log_normal(0, 1), -1, 1)
        assert got == pytest.approx(expected, rel=1e-12)

    def test_base(self) -> None:
        nats = kl_numeric_log(log_normal(0, 1), log_normal(1, 1), -12, 12)
        bits = kl_numeric_log(log_normal(0, 1), log_normal(1, 1), -12, 12, base=2)
        assert bits == pytest.approx(nats / math.log(2), rel=1e-14, abs=0)

    @pytest.mark.parametrize(
        "bad", [lambda x: np.full_like(x, np.nan), lambda x: np.full_like(x, np.inf)]
    )
    def test_nan_or_infinite_log_densities_are_errors(self, bad: Density) -> None:
        with pytest.raises(DistributionError, match="log densities must be below"):
            kl_numeric_log(bad, log_normal(0, 1), -1, 1)
        with pytest.raises(DistributionError, match="log densities must be below"):
            kl_numeric_log(log_normal(0, 1), bad, -1, 1)

    @pytest.mark.parametrize("points", [3, 7])
    def test_bounds_at_the_edge_of_the_supported_range(self, points: int) -> None:
        flat = lambda x: np.zeros_like(x)  # noqa: E731
        with np.errstate(all="raise"):
            assert kl_numeric_log(flat, flat, -MAX_ABS_BOUND, MAX_ABS_BOUND, points=points) == 0.0

    @pytest.mark.parametrize("bounds", [(-2e100, 0.0), (0.0, 1e101), (-math.inf, 0.0)])
    def test_bounds_outside_the_supported_range_are_errors(
        self, bounds: tuple[float, float]
    ) -> None:
        with pytest.raises(DistributionError, match=r"within \+-1e\+100"):
            kl_numeric_log(log_normal(0, 1), log_normal(0, 1), *bounds)

    def test_bounds_and_points_are_checked_as_for_kl_numeric(self) -> None:
        with pytest.raises(DistributionError, match="lower < upper"):
            kl_numeric_log(log_normal(0, 1), log_normal(0, 1), 1, -1)
        with pytest.raises(DistributionError, match="odd number of points"):
            kl_numeric_log(log_normal(0, 1), log_normal(0, 1), -1, 1, points=4)


class TestKlNumeric:
    @pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), NORMAL_PAIRS)
    def test_agrees_with_closed_form(self, mu1: float, s1: float, mu2: float, s2: float) -> None:
        got = kl_numeric(normal(mu1, s1), normal(mu2, s2), mu1 - 12 * s1, mu1 + 12 * s1)
        assert got == pytest.approx(kl_normal(mu1, s1, mu2, s2), abs=1e-9)

    @pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), NORMAL_PAIRS)
    def test_documented_accuracy_over_ten_sigma(
        self, mu1: float, s1: float, mu2: float, s2: float
    ) -> None:
        got = kl_numeric(normal(mu1, s1), normal(mu2, s2), mu1 - 10 * s1, mu1 + 10 * s1)
        assert got == pytest.approx(kl_normal(mu1, s1, mu2, s2), abs=1e-10)

    def test_identical_densities_give_zero(self) -> None:
        assert kl_numeric(normal(0.5, 2.0), normal(0.5, 2.0), -30, 30) == 0.0

    def test_base(self) -> None:
        nats = kl_numeric(normal(0, 1), normal(1, 1), -12, 12)
        bits = kl_numeric(normal(0, 1), normal(1, 1), -12, 12, base=2)
        assert bits == pytest.approx(nats / math.log(2), rel=1e-14, abs=0)
        assert bits == pytest.approx(0.5 / math.log(2), abs=1e-9)

    def test_fewer_points_are_less_accurate_but_close(self) -> None:
        coarse = kl_numeric(normal(0, 1), normal(0, 2), -12, 12, points=101)
        assert coarse == pytest.approx(kl_normal(0, 1, 0, 2), abs=1e-4)

    def test_infinite_when_q_vanishes_where_p_does_not(self) -> None:
        assert kl_numeric(normal(0, 1), uniform(-1, 1), -12, 12) == math.inf
        assert kl_numeric(uniform(-2, 2), uniform(-1, 1), -3, 3) == math.inf

    def test_finite_when_p_vanishes_where_q_does_not(self) -> None:
        # KL(U[-1, 1] || N(0, 1)) = -ln 2 + ln(2 pi)/2 + E[x^2]/2 with E[x^2] = 1/3.
        expected = -math.log(2) + 0.5 * math.log(2 * math.pi) + 1 / 6
        assert kl_numeric(uniform(-1, 1), normal(0, 1), -1, 1) == pytest.approx(expected, abs=1e-9)
        wide = kl_numeric(uniform(-1, 1), normal(0, 1), -5, 5)
        assert math.isfinite(wide)
        assert wide == pytest.approx(expected, abs=5e-3)

    def test_both_zero_outside_the_support_contributes_nothing(self) -> None:
        value = kl_numeric(uniform(-1, 1), uniform(-2, 2), -3, 3)
        assert math.isfinite(value)
        assert value == pytest.approx(math.log(2), abs=5e-3)

    @pytest.mark.parametrize(
        ("lower", "upper"),
        [
            (1.0, 1.0),
            (2.0, 1.0),
            (-math.inf, 0.0),
            (0.0, math.inf),
            (math.nan, 1.0),
            (0.0, math.nan),
        ],
    )
    def test_bad_bounds_are_errors(self, lower: float, upper: float) -> None:
        with pytest.raises(DistributionError, match=r"need finite bounds with lower < upper"):
            kl_numeric(normal(0, 1), normal(0, 1), lower, upper)

    @pytest.mark.parametrize("points", [4000, 2, 1, 0, -1])
    def test_bad_point_counts_are_errors(self, points: int) -> None:
        with pytest.raises(DistributionError, match=r"odd number of points"):
            kl_numeric(normal(0, 1), normal(1, 1), -12, 12, points=points)

    def test_even_point_count_is_an_error_even_when_the_answer_is_infinite(self) -> None:
        with pytest.raises(DistributionError, match=r"odd number of points .*, got 4000"):
            kl_numeric(normal(0, 1), uniform(-1, 1), -12, 12, points=4000)

    def test_point_count_is_checked_before_the_densities_are_called(self) -> None:
        calls: list[int] = []

        def density(x: np.ndarray) -> np.ndarray:
            calls.append(x.size)
            return normal_pdf(x, 0, 1)

        with pytest.raises(DistributionError):
            kl_numeric(density, density, -12, 12, points=10)
        assert calls == []

    @pytest.mark.parametrize(
        "bad",
        [
            lambda x: normal_pdf(x, 0, 1) - 0.01,
            lambda x: np.where(x > 0, math.nan, normal_pdf(x, 0, 1)),
            lambda x: np.where(x > 0, math.inf, normal_pdf(x, 0, 1)),
        ],
        ids=["negative", "nan", "inf"],
    )
    def test_bad_densities_are_errors(self, bad: Density) -> None:
        with pytest.raises(DistributionError, match=r"densities must be finite and non-negative"):
            kl_numeric(bad, normal(0, 1), -5, 5)
        with pytest.raises(DistributionError, match=r"densities must be finite and non-negative"):
            kl_numeric(normal(0, 1), bad, -5, 5)

    @pytest.mark.parametrize("base", [0, -1, 1, math.nan, math.inf])
    def test_bad_base_is_an_error(self, base: float) -> None:
        with pytest.raises(DistributionError, match=r"base"):
            kl_numeric(normal(0, 1), normal(1, 1), -12, 12, base=base)

    @settings(max_examples=40, deadline=None)
    @given(
        st.floats(-5, 5),
        st.floats(0.2, 3),
        st.floats(-5, 5),
        st.floats(0.2, 3),
    )
    def test_non_negative_and_close_to_closed_form(
        self, m1: float, s1: float, m2: float, s2: float
    ) -> None:
        # Keep q above float underflow (z < 35) everywhere within 12 sigma of p.
        assume((12 * s1 + abs(m1 - m2)) / s2 < 35)
        got = kl_numeric(normal(m1, s1), normal(m2, s2), m1 - 12 * s1, m1 + 12 * s1, points=2001)
        assert got >= 0.0
        assert got == pytest.approx(kl_normal(m1, s1, m2, s2), rel=1e-7, abs=1e-8)
