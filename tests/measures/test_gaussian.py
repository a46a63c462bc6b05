"""kl.measures.gaussian: closed-form KL between normals (univariate, multivariate, VAE term)."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from kl.errors import DistributionError
from kl.measures.gaussian import kl_mvn, kl_normal, kl_to_standard_normal

PROPERTY = settings(max_examples=200, deadline=None)

means = st.floats(min_value=-1e3, max_value=1e3)
sigmas = st.floats(min_value=1e-3, max_value=1e3)
# The supported range (kl.measures.gaussian's docstring): |mu| <= 1e100, sigmas from 1e-50 to 1e50.
supported_means = st.floats(min_value=-1e100, max_value=1e100)
supported_sigmas = st.floats(min_value=1e-50, max_value=1e50)


def quad_kl(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """KL(N(mu1, s1^2) || N(mu2, s2^2)) by adaptive quadrature of p (log p - log q)."""

    def integrand(x: float) -> float:
        log_p = scipy.stats.norm.logpdf(x, mu1, s1)
        return float(math.exp(log_p) * (log_p - scipy.stats.norm.logpdf(x, mu2, s2)))

    value, _ = scipy.integrate.quad(
        integrand, mu1 - 40 * s1, mu1 + 40 * s1, points=[mu1], epsabs=1e-13, epsrel=1e-12, limit=200
    )
    return float(value)


def naive_kl_mvn(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    """The textbook formula with an explicit inverse and determinants."""
    inv2 = np.linalg.inv(cov2)
    diff = mu2 - mu1
    k = mu1.size
    _, logdet1 = np.linalg.slogdet(cov1)
    _, logdet2 = np.linalg.slogdet(cov2)
    return float(0.5 * (np.trace(inv2 @ cov1) + diff @ inv2 @ diff - k + logdet2 - logdet1))


def random_spd(rng: np.random.Generator, k: int) -> np.ndarray:
    a = rng.normal(size=(k, k))
    spd: np.ndarray = a @ a.T + 0.5 * np.eye(k)
    return spd


NORMAL_PAIRS = [
    (0.0, 1.0, 0.0, 1.0),
    (0.0, 1.0, 1.0, 1.0),
    (0.0, 1.0, 0.0, 2.0),
    (0.0, 2.0, 0.0, 1.0),
    (1.0, 2.0, -1.0, 0.5),
    (3.0, 0.1, 2.5, 0.3),
    (-2.0, 5.0, 4.0, 3.0),
    (10.0, 1e-3, 10.001, 1e-3),
    (0.0, 1.0, 5.0, 0.2),
]


class TestKlNormal:
    def test_known_values(self) -> None:
        assert kl_normal(0, 1, 1, 1) == pytest.approx(0.5, rel=1e-15, abs=0)
        assert kl_normal(0, 1, 0, 2) == pytest.approx(math.log(2) + 1 / 8 - 1 / 2, rel=1e-14, abs=0)
        assert kl_normal(0, 2, 0, 1) == pytest.approx(2 - 1 / 2 - math.log(2), rel=1e-14, abs=0)
        assert kl_normal(3, 1, 0, 1) == pytest.approx(4.5, rel=1e-15, abs=0)
        assert kl_normal(0, 1, 0, 1) == 0.0
        assert kl_normal(-7.5, 0.3, -7.5, 0.3) == 0.0

    def test_general_formula(self) -> None:
        m1, s1, m2, s2 = 1.5, 0.7, -0.4, 2.3
        expected = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
        assert kl_normal(m1, s1, m2, s2) == pytest.approx(expected, rel=1e-14, abs=0)

    def test_is_asymmetric(self) -> None:
        assert kl_normal(0, 1, 0, 2) != pytest.approx(kl_normal(0, 2, 0, 1), rel=1e-3, abs=0)

    @pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), NORMAL_PAIRS)
    def test_agrees_with_numeric_integration(
        self, mu1: float, s1: float, mu2: float, s2: float
    ) -> None:
        expected = quad_kl(mu1, s1, mu2, s2)
        assert kl_normal(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-9, abs=1e-10)

    @pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), NORMAL_PAIRS)
    def test_agrees_with_kl_mvn_in_one_dimension(
        self, mu1: float, s1: float, mu2: float, s2: float
    ) -> None:
        mvn = kl_mvn([mu1], [[s1 * s1]], [mu2], [[s2 * s2]])
        assert kl_normal(mu1, s1, mu2, s2) == pytest.approx(mvn, rel=1e-12, abs=1e-15)

    @pytest.mark.parametrize("base", [2, 10])
    def test_base(self, base: float) -> None:
        nats = kl_normal(0.3, 1.2, -0.5, 0.8)
        assert kl_normal(0.3, 1.2, -0.5, 0.8, base=base) * math.log(base) == pytest.approx(
            nats, rel=1e-14, abs=0
        )
        assert kl_normal(0, 1, 1, 1, base=2) == pytest.approx(0.5 / math.log(2), rel=1e-15, abs=0)

    @pytest.mark.parametrize("s2", [1 + 1e-6, 1 - 1e-4, 1 + 1e-3, 1.5, 1e-3, 1e3])
    def test_variance_term_keeps_relative_accuracy(self, s2: float) -> None:
        # KL(N(0, 1) || N(0, s2^2)) = (r - 1 - log r) / 2 with r = 1/s2^2, ~1e-12 for the
        # first case: computed naively, r - 1 would lose most of its digits.
        with localcontext() as ctx:
            ctx.prec = 60
            r = 1 / Decimal(s2) ** 2
            expected = float((r - 1 - r.ln()) / 2)
        assert kl_normal(0, 1, 0, s2) == pytest.approx(expected, rel=1e-8, abs=0)

    @pytest.mark.parametrize(
        "args",
        [
            (0, 1e50, 0, 1e-50),
            (0, 1e-50, 0, 1e50),
            (1e100, 1.0, -1e100, 1e-50),
            (-1e100, 1e50, 1e100, 1e50),
            (1e-100, 1e-50, 0, 1e-50),
        ],
    )
    def test_the_edges_of_the_supported_range_give_the_closed_form(
        self, args: tuple[float, float, float, float]
    ) -> None:
        """|mu| <= 1e100 and sigmas from 1e-50 to 1e50, against the formula in 60 digits."""
        m1, s1, m2, s2 = map(Decimal, args)
        with localcontext() as ctx:
            ctx.prec = 60
            r = (s1 / s2) ** 2
            expected = float((r - 1 - r.ln() + ((m1 - m2) / s2) ** 2) / 2)
        assert kl_normal(*args) == pytest.approx(expected, rel=1e-12, abs=0)

    @pytest.mark.parametrize("sigma", [0, 0.0, -1.0, -1e-300])
    def test_non_positive_sigma_is_an_error(self, sigma: float) -> None:
        with pytest.raises(DistributionError, match=r"sigma1 must be positive"):
            kl_normal(0, sigma, 0, 1)
        with pytest.raises(DistributionError, match=r"sigma2 must be positive"):
            kl_normal(0, 1, 0, sigma)

    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
    def test_non_finite_parameters_are_errors(self, bad: float) -> None:
        with pytest.raises(DistributionError, match=r"mu1 must be finite"):
            kl_normal(bad, 1, 0, 1)
        with pytest.raises(DistributionError, match=r"mu2 must be finite"):
            kl_normal(0, 1, bad, 1)
        with pytest.raises(DistributionError, match=r"sigma1 must be"):
            kl_normal(0, bad, 0, 1)
        with pytest.raises(DistributionError, match=r"sigma2 must be"):
            kl_normal(0, 1, 0, bad)

    def test_non_number_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"mu1 must be a number"):
            kl_normal("zero", 1, 0, 1)  # type: ignore[arg-type]

    @pytest.mark.parametrize("base", [0, -1, 1, math.nan, math.inf])
    def test_bad_base_is_an_error(self, base: float) -> None:
        with pytest.raises(DistributionError, match=r"base"):
            kl_normal(0, 1, 1, 1, base=base)

    @PROPERTY
    @given(means, sigmas, means, sigmas)
    def test_non_negative_and_finite(self, m1: float, s1: float, m2: float, s2: float) -> None:
        kl = kl_normal(m1, s1, m2, s2)
        assert 0.0 <= kl < math.inf

    @PROPERTY
    @given(supported_means, supported_sigmas, supported_means, supported_sigmas)
    def test_finite_throughout_the_supported_range(
        self, m1: float, s1: float, m2: float, s2: float
    ) -> None:
        assert 0.0 <= kl_normal(m1, s1, m2, s2) < math.inf

    @PROPERTY
    @given(means, sigmas)
    def test_zero_for_identical_normals(self, m: float, s: float) -> None:
        assert kl_normal(m, s, m, s) == 0.0

    @PROPERTY
    @given(means, sigmas, means, sigmas)
    def test_agrees_with_closed_form_textbook_expression(
        self, m1: float, s1: float, m2: float, s2: float
    ) -> None:
        expected = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
        scale = abs(math.log(s2 / s1)) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) + 0.5
        assert kl_normal(m1, s1, m2, s2) == pytest.approx(expected, rel=1e-9, abs=1e-13 * scale)

    @PROPERTY
    @given(
        means,
        sigmas,
        means,
        sigmas,
        st.floats(min_value=-100, max_value=100).filter(lambda a: abs(a) > 1e-2),
        st.floats(min_value=-100, max_value=100),
    )
    def test_invariant_under_affine_change_of_variable(
        self, m1: float, s1: float, m2: float, s2: float, a: float, b: float
    ) -> None:
        before = kl_normal(m1, s1, m2, s2)
        after = kl_normal(a * m1 + b, abs(a) * s1, a * m2 + b, abs(a) * s2)
        assert after == pytest.approx(before, rel=1e-9, abs=1e-9)


class TestKlMvn:
    @pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
    def test_agrees_with_naive_formula_on_random_spd_matrices(self, k: int) -> None:
        rng = np.random.default_rng(100 + k)
        for _ in range(10):
            mu1, mu2 = rng.normal(size=k), rng.normal(size=k)
            cov1, cov2 = random_spd(rng, k), random_spd(rng, k)
            expected = naive_kl_mvn(mu1, cov1, mu2, cov2)
            assert expected > 0
            assert kl_mvn(mu1, cov1, mu2, cov2) == pytest.approx(expected, rel=1e-9, abs=0)
            assert kl_mvn(mu2, cov2, mu1, cov1) == pytest.approx(
                naive_kl_mvn(mu2, cov2, mu1, cov1), rel=1e-9, abs=0
            )

    def test_zero_for_identical_normals(self) -> None:
        rng = np.random.default_rng(7)
        mu, cov = rng.normal(size=4), random_spd(rng, 4)
        assert kl_mvn(mu, cov, mu, cov) == pytest.approx(0.0, abs=1e-12)

    def test_diagonal_covariances_sum_univariate_terms(self) -> None:
        mu1, s1 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 0.5, 2.0])
        mu2, s2 = np.array([0.5, 1.0, 0.0]), np.array([1.5, 0.5, 1.0])
        expected = math.fsum(kl_normal(*args) for args in zip(mu1, s1, mu2, s2, strict=True))
        assert kl_mvn(mu1, np.diag(s1**2), mu2, np.diag(s2**2)) == pytest.approx(
            expected, rel=1e-13, abs=0
        )

    def test_known_value_with_correlation(self) -> None:
        # KL(N(0, [[1, rho], [rho, 1]]) || N(0, I)) = -0.5 log(1 - rho^2)
        rho = 0.8
        cov = [[1.0, rho], [rho, 1.0]]
        assert kl_mvn([0, 0], cov, [0, 0], np.eye(2)) == pytest.approx(
            -0.5 * math.log(1 - rho**2), rel=1e-13, abs=0
        )

    def test_invariant_under_an_invertible_linear_map(self) -> None:
        rng = np.random.default_rng(11)
        k = 3
        mu1, mu2 = rng.normal(size=k), rng.normal(size=k)
        cov1, cov2 = random_spd(rng, k), random_spd(rng, k)
        a, b = rng.normal(size=(k, k)) + 2 * np.eye(k), rng.normal(size=k)
        before = kl_mvn(mu1, cov1, mu2, cov2)
        after = kl_mvn(a @ mu1 + b, a @ cov1 @ a.T, a @ mu2 + b, a @ cov2 @ a.T)
        assert after == pytest.approx(before, rel=1e-9, abs=0)

    def test_scalars_are_one_dimensional(self) -> None:
        assert kl_mvn(0.0, 1.0, 1.0, 1.0) == pytest.approx(0.5, rel=1e-15, abs=0)

    def test_base(self) -> None:
        rng = np.random.default_rng(3)
        mu1, mu2, cov1, cov2 = (
            rng.normal(size=2),
            rng.normal(size=2),
            random_spd(rng, 2),
            random_spd(rng, 2),
        )
        nats = kl_mvn(mu1, cov1, mu2, cov2)
        assert kl_mvn(mu1, cov1, mu2, cov2, base=2) == pytest.approx(
            nats / math.log(2), rel=1e-14, abs=0
        )

    @pytest.mark.parametrize(
        "bad",
        [
            [[1.0, 2.0], [2.0, 1.0]],
            [[1.0, 1.0], [1.0, 1.0]],
            [[-1.0, 0.0], [0.0, 1.0]],
            np.zeros((2, 2)),
        ],
    )
    def test_not_positive_definite_is_an_error(self, bad: object) -> None:
        with pytest.raises(DistributionError, match=r"cov1 is not positive definite"):
            kl_mvn([0, 0], bad, [0, 0], np.eye(2))  # type: ignore[arg-type]
        with pytest.raises(DistributionError, match=r"cov2 is not positive definite"):
            kl_mvn([0, 0], np.eye(2), [0, 0], bad)  # type: ignore[arg-type]

    def test_not_symmetric_is_an_error(self) -> None:
        bad = [[2.0, 0.5], [0.0, 2.0]]
        with pytest.raises(DistributionError, match=r"cov1 is not symmetric"):
            kl_mvn([0, 0], bad, [0, 0], np.eye(2))
        with pytest.raises(DistributionError, match=r"cov2 is not symmetric"):
            kl_mvn([0, 0], np.eye(2), [0, 0], bad)

    @pytest.mark.parametrize(
        ("bad", "shape"),
        [(np.eye(3), r"\(3, 3\)"), ([1.0, 1.0], r"\(1, 2\)"), (np.ones((2, 2, 2)), r"\(2, 2, 2\)")],
    )
    def test_wrong_shape_is_an_error(self, bad: object, shape: str) -> None:
        with pytest.raises(
            DistributionError, match=rf"cov1 must be 2x2 to match the mean, got shape {shape}"
        ):
            kl_mvn([0, 0], bad, [0, 0], np.eye(2))  # type: ignore[arg-type]
        with pytest.raises(
            DistributionError, match=rf"cov2 must be 2x2 to match the mean, got shape {shape}"
        ):
            kl_mvn([0, 0], np.eye(2), [0, 0], bad)  # type: ignore[arg-type]

    def test_mean_length_mismatch_is_an_error(self) -> None:
        with pytest.raises(
            DistributionError, match=r"mu1 and mu2 have different lengths \(2 and 3\)"
        ):
            kl_mvn([0, 0], np.eye(2), [0, 0, 0], np.eye(3))

    def test_non_vector_mean_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"mu1 must be a vector"):
            kl_mvn([[0, 0]], np.eye(2), [0, 0], np.eye(2))  # type: ignore[list-item]

    def test_non_finite_entries_are_errors(self) -> None:
        with pytest.raises(DistributionError, match=r"mu2 must have finite entries"):
            kl_mvn([0, 0], np.eye(2), [0, math.nan], np.eye(2))
        with pytest.raises(DistributionError, match=r"cov1 must have finite entries"):
            kl_mvn([0, 0], [[1.0, math.inf], [math.inf, 1.0]], [0, 0], np.eye(2))

    @PROPERTY
    @given(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=2**32 - 1))
    def test_non_negative(self, k: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        mu1, mu2 = rng.normal(size=k), rng.normal(size=k)
        cov1, cov2 = random_spd(rng, k), random_spd(rng, k)
        assert kl_mvn(mu1, cov1, mu2, cov2) >= 0.0
        assert kl_mvn(mu1, cov1, mu1, cov1) >= 0.0


class TestKlToStandardNormal:
    def test_zero_at_the_prior(self) -> None:
        assert kl_to_standard_normal(0.0, 1.0) == 0.0
        assert kl_to_standard_normal([0.0, 0.0, 0.0], [1.0, 1.0, 1.0]) == 0.0

    def test_known_value(self) -> None:
        mu, sigma = np.array([0.5, -1.0]), np.array([0.5, 2.0])
        expected = 0.5 * float(np.sum(mu**2 + sigma**2 - 1 - np.log(sigma**2)))
        assert kl_to_standard_normal(mu, sigma) == pytest.approx(expected, rel=1e-14, abs=0)

    def test_equals_sum_of_univariate_terms(self) -> None:
        rng = np.random.default_rng(5)
        mu, sigma = rng.normal(size=16), rng.uniform(0.05, 3.0, size=16)
        expected = math.fsum(kl_normal(m, s, 0.0, 1.0) for m, s in zip(mu, sigma, strict=True))
        assert kl_to_standard_normal(mu, sigma) == pytest.approx(expected, rel=1e-13, abs=0)

    def test_equals_kl_mvn_with_diagonal_covariance(self) -> None:
        rng = np.random.default_rng(6)
        mu, sigma = rng.normal(size=6), rng.uniform(0.1, 2.0, size=6)
        expected = kl_mvn(mu, np.diag(sigma**2), np.zeros(6), np.eye(6))
        assert kl_to_standard_normal(mu, sigma) == pytest.approx(expected, rel=1e-12, abs=0)

    def test_scalar_matches_kl_normal(self) -> None:
        assert kl_to_standard_normal(0.7, 0.3) == pytest.approx(
            kl_normal(0.7, 0.3, 0, 1), rel=1e-14, abs=0
        )

    def test_base(self) -> None:
        nats = kl_to_standard_normal([1.0, 0.2], [0.5, 1.5])
        assert kl_to_standard_normal([1.0, 0.2], [0.5, 1.5], base=2) == pytest.approx(
            nats / math.log(2), rel=1e-14, abs=0
        )

    @pytest.mark.parametrize("sigma", [0.0, -1.0, [1.0, 0.0], [0.5, -0.5]])
    def test_non_positive_sigma_is_an_error(self, sigma: object) -> None:
        mu = [0.0, 0.0] if isinstance(sigma, list) else 0.0
        with pytest.raises(DistributionError, match=r"sigma must be positive"):
            kl_to_standard_normal(mu, sigma)  # type: ignore[arg-type]

    def test_length_mismatch_is_an_error(self) -> None:
        with pytest.raises(
            DistributionError, match=r"mu and sigma have different lengths \(2 and 3\)"
        ):
            kl_to_standard_normal([0.0, 0.0], [1.0, 1.0, 1.0])

    def test_non_finite_entries_are_errors(self) -> None:
        with pytest.raises(DistributionError, match=r"sigma must have finite entries"):
            kl_to_standard_normal([0.0], [math.nan])
        with pytest.raises(DistributionError, match=r"mu must have finite entries"):
            kl_to_standard_normal([math.inf], [1.0])

    @PROPERTY
    @given(st.lists(st.tuples(st.floats(-50, 50), st.floats(1e-3, 50)), min_size=1, max_size=10))
    def test_non_negative_and_sum_of_kl_normal(self, pairs: list[tuple[float, float]]) -> None:
        mu = [m for m, _ in pairs]
        sigma = [s for _, s in pairs]
        kl = kl_to_standard_normal(mu, sigma)
        assert kl >= 0.0
        expected = math.fsum(kl_normal(m, s, 0.0, 1.0) for m, s in pairs)
        assert kl == pytest.approx(expected, rel=1e-9, abs=1e-13)
