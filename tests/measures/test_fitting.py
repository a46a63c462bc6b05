import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from kl.errors import DistributionError
from kl.measures.continuous import kl_numeric, normal_pdf
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from kl.measures.fitting import (
    DEFAULT_SEPARATION,
    GaussianFit,
    Mixture,
    forward_kl,
    forward_kl_fit,
    kl_logit_gradient,
    kl_normal_gradient,
    learn_by_gradient,
    learn_gaussian_by_gradient,
    reverse_fit_thresholds,
    reverse_kl,
    reverse_kl_fit,
    softmax,
    symmetric_reverse_fit,
    two_peaked,
)
from kl.measures.gaussian import kl_normal

FOREST = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
SKEWED = Mixture(weights=(0.3, 0.7), means=(-1.0, 2.5), sigmas=(0.8, 1.3))


def scipy_log_pdf(p, x):
    parts = [
        math.log(w) + stats.norm.logpdf(x, m, s)
        for w, m, s in zip(p.weights, p.means, p.sigmas, strict=True)
    ]
    return np.logaddexp.reduce(parts, axis=0)


def scipy_reverse_kl(p, mean, sigma):
    def integrand(x):
        return stats.norm.pdf(x, mean, sigma) * (
            stats.norm.logpdf(x, mean, sigma) - scipy_log_pdf(p, x)
        )

    return integrate.quad(integrand, mean - 12 * sigma, mean + 12 * sigma, limit=200, epsabs=1e-13)[
        0
    ]


def scipy_forward_kl(p, mean, sigma):
    def integrand(x):
        log_p = scipy_log_pdf(p, x)
        return math.exp(log_p) * (log_p - stats.norm.logpdf(x, mean, sigma))

    return integrate.quad(integrand, *p.bounds(), limit=400, epsabs=1e-13, points=p.means)[0]


# Mixture


def test_mixture_stores_tuples_of_floats():
    p = Mixture(weights=[0.5, 0.5], means=[0, 1], sigmas=[1, 2])
    assert p == Mixture(weights=(0.5, 0.5), means=(0.0, 1.0), sigmas=(1.0, 2.0))
    assert hash(p) == hash(Mixture(weights=(0.5, 0.5), means=(0.0, 1.0), sigmas=(1.0, 2.0)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": (0.5, 0.5), "means": (0.0,), "sigmas": (1.0, 1.0)}, "same length"),
        ({"weights": (0.5, 0.6), "means": (0.0, 1.0), "sigmas": (1.0, 1.0)}, "weights: .*sum"),
        ({"weights": (1.0,), "means": (math.nan,), "sigmas": (1.0,)}, r"means\[0\]"),
        ({"weights": (0.5, 0.5), "means": (0.0, 1.0), "sigmas": (1.0, 0.0)}, r"sigmas\[1\]"),
        ({"weights": (), "means": (), "sigmas": ()}, "empty"),
    ],
)
def test_mixture_rejects_bad_parameters(kwargs, message):
    with pytest.raises(DistributionError, match=message):
        Mixture(**kwargs)


def test_mixture_density_matches_scipy_and_integrates_to_one():
    x = np.linspace(-8, 10, 37)
    assert SKEWED.log_pdf(x) == pytest.approx(scipy_log_pdf(SKEWED, x), rel=1e-12)
    assert SKEWED.pdf(x) == pytest.approx(np.exp(scipy_log_pdf(SKEWED, x)), rel=1e-12)
    total = integrate.quad(
        lambda t: SKEWED.pdf(np.array([t]))[0], *SKEWED.bounds(), points=SKEWED.means
    )
    assert total[0] == pytest.approx(1.0, abs=1e-10)


def test_mixture_log_density_stays_finite_far_out():
    x = np.array([-200.0, 300.0])
    assert np.all(np.isfinite(SKEWED.log_pdf(x)))
    assert SKEWED.log_pdf(x) == pytest.approx(scipy_log_pdf(SKEWED, x), rel=1e-12)


def test_mixture_moments_match_sampling_free_formulas():
    x = np.linspace(*SKEWED.bounds(), 20001)
    density = SKEWED.pdf(x)
    mean = integrate.simpson(x * density, x=x)
    assert SKEWED.mean() == pytest.approx(mean, abs=1e-10)
    assert SKEWED.variance() == pytest.approx(
        integrate.simpson((x - mean) ** 2 * density, x=x), abs=1e-9
    )


def test_mixture_with_a_zero_weight_ignores_that_component():
    p = Mixture(weights=(1.0, 0.0), means=(0.0, 5.0), sigmas=(1.0, 1.0))
    x = np.linspace(-3, 3, 7)
    assert p.pdf(x) == pytest.approx(normal_pdf(x, 0.0, 1.0), rel=1e-12)


def test_two_peaked():
    p = two_peaked(3.0)
    assert p == Mixture(weights=(0.5, 0.5), means=(-1.5, 1.5), sigmas=(1.0, 1.0))
    assert two_peaked() == two_peaked(DEFAULT_SEPARATION)
    assert p.variance() == pytest.approx(1 + 1.5**2)
    with pytest.raises(DistributionError, match="separation"):
        two_peaked(-1.0)
    with pytest.raises(DistributionError, match="separation"):
        two_peaked(math.inf)


# forward_kl and reverse_kl


@pytest.mark.parametrize(("mean", "sigma"), [(0.0, 1.0), (0.5, 3.2), (3.0, 0.4), (-2.0, 1.0)])
def test_kl_integrals_match_scipy_quad(mean, sigma):
    for p in (two_peaked(), two_peaked(1.0), SKEWED):
        assert forward_kl(p, mean, sigma) == pytest.approx(
            scipy_forward_kl(p, mean, sigma), rel=1e-8, abs=1e-11
        )
        assert reverse_kl(p, mean, sigma) == pytest.approx(
            scipy_reverse_kl(p, mean, sigma), rel=1e-8, abs=1e-11
        )


def test_forward_kl_matches_kl_numeric():
    p = two_peaked()
    q = lambda x: normal_pdf(x, 0.3, 2.0)  # noqa: E731
    assert forward_kl(p, 0.3, 2.0) == pytest.approx(kl_numeric(p.pdf, q, *p.bounds()), rel=1e-9)


@pytest.mark.parametrize(("mean", "sigma"), [(0.0, 1.0), (1.0, 0.01), (-3.0, 40.0), (50.0, 2.0)])
def test_kl_against_one_gaussian_is_the_closed_form(mean, sigma):
    p = Mixture(weights=(1.0,), means=(0.5,), sigmas=(1.5,))
    assert reverse_kl(p, mean, sigma) == pytest.approx(kl_normal(mean, sigma, 0.5, 1.5), rel=1e-9)
    assert forward_kl(p, mean, sigma) == pytest.approx(kl_normal(0.5, 1.5, mean, sigma), rel=1e-9)


def test_kl_rejects_bad_parameters():
    with pytest.raises(DistributionError, match="sigma"):
        reverse_kl(two_peaked(), 0.0, 0.0)
    with pytest.raises(DistributionError, match="mean"):
        forward_kl(two_peaked(), math.nan, 1.0)


# forward fit


@pytest.mark.parametrize("p", [two_peaked(), two_peaked(1.0), SKEWED])
def test_forward_fit_is_moment_matching(p):
    fit = forward_kl_fit(p)
    assert fit.mean == pytest.approx(p.mean())
    assert fit.sigma == pytest.approx(math.sqrt(p.variance()))
    assert fit.kl_nats == pytest.approx(forward_kl(p, fit.mean, fit.sigma))


def test_forward_fit_of_two_peaks_in_closed_form():
    fit = forward_kl_fit(two_peaked(6.0))
    assert fit.mean == 0.0
    assert fit.sigma == pytest.approx(math.sqrt(10.0))


@pytest.mark.parametrize("p", [two_peaked(), SKEWED])
def test_forward_fit_minimises_forward_kl_numerically(p):
    fit = forward_kl_fit(p)
    for start in ([fit.mean + 1.0, 0.0], [fit.mean - 2.0, 1.0]):
        found = optimize.minimize(
            lambda v: forward_kl(p, v[0], math.exp(v[1])),
            start,
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-13, "maxiter": 4000},
        )
        assert found.x[0] == pytest.approx(fit.mean, abs=1e-4)
        assert math.exp(found.x[1]) == pytest.approx(fit.sigma, abs=1e-4)
        assert found.fun >= fit.kl_nats - 1e-12


# reverse fit


@pytest.fixture(scope="module")
def default_reverse():
    return reverse_kl_fit(two_peaked())


def test_default_reverse_fit_locks_onto_one_peak(default_reverse):
    d = DEFAULT_SEPARATION
    best = default_reverse.best
    assert best.mean == pytest.approx(d / 2, abs=0.05)
    assert best.sigma == pytest.approx(1.0, abs=0.05)
    assert best.kl_nats < math.log(2)


def test_default_reverse_fit_reports_mirror_peak_and_symmetric_minimum(default_reverse):
    means = sorted(fit.mean for fit in default_reverse.minima)
    assert len(means) == 3
    assert means[0] == pytest.approx(-means[2], abs=1e-5)
    assert means[1] == pytest.approx(0.0, abs=1e-5)
    assert default_reverse.minima[1].kl_nats == pytest.approx(
        default_reverse.best.kl_nats, abs=1e-9
    )
    symmetric = next(fit for fit in default_reverse.minima if abs(fit.mean) < 1e-3)
    assert symmetric.kl_nats > default_reverse.best.kl_nats + 0.1
    assert symmetric.sigma == pytest.approx(
        symmetric_reverse_fit(DEFAULT_SEPARATION).sigma, rel=1e-5
    )


def test_reverse_fit_beats_forward_fit_on_reverse_kl(default_reverse):
    p = two_peaked()
    forward = forward_kl_fit(p)
    assert default_reverse.best.kl_nats < reverse_kl(p, forward.mean, forward.sigma)
    # ... and the other way round on forward KL.
    best = default_reverse.best
    assert forward.kl_nats < forward_kl(p, best.mean, best.sigma)


def test_reverse_fit_agrees_with_scipy(default_reverse):
    best = default_reverse.best
    found = optimize.minimize(
        lambda v: reverse_kl(two_peaked(), v[0], math.exp(v[1])),
        [2.0, 0.3],
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-10},
    )
    assert found.x[0] == pytest.approx(best.mean, abs=1e-4)
    assert math.exp(found.x[1]) == pytest.approx(best.sigma, abs=1e-4)
    assert found.fun == pytest.approx(best.kl_nats, abs=1e-10)
    assert scipy_reverse_kl(two_peaked(), best.mean, best.sigma) == pytest.approx(
        best.kl_nats, abs=1e-10
    )


def test_reverse_fit_of_close_peaks_is_centred():
    fits = reverse_kl_fit(two_peaked(1.0))
    assert len(fits.minima) == 1
    assert fits.best.mean == pytest.approx(0.0, abs=1e-5)
    assert fits.best.sigma == pytest.approx(symmetric_reverse_fit(1.0).sigma, rel=1e-5)


def test_reverse_fit_between_the_thresholds_prefers_the_centre():
    fits = reverse_kl_fit(two_peaked(5.0))
    assert len(fits.minima) == 3
    assert fits.best.mean == pytest.approx(0.0, abs=1e-5)
    assert all(abs(fit.mean) > 2 for fit in fits.minima[1:])


def test_reverse_fit_of_a_skewed_mixture_matches_scipy():
    fits = reverse_kl_fit(SKEWED)
    for fit in fits.minima:
        found = optimize.minimize(
            lambda v: reverse_kl(SKEWED, v[0], math.exp(v[1])),
            [fit.mean + 0.1, math.log(fit.sigma) - 0.1],
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-13},
        )
        assert found.x[0] == pytest.approx(fit.mean, abs=1e-4)
        assert found.fun == pytest.approx(fit.kl_nats, abs=1e-9)
    assert fits.minima == tuple(sorted(fits.minima, key=lambda f: f.kl_nats))


def test_reverse_fit_with_given_starts():
    fits = reverse_kl_fit(two_peaked(), starts=[(-3.0, 1.0)])
    assert len(fits.minima) == 1
    assert fits.best.mean == pytest.approx(-2.984, abs=1e-3)


def test_reverse_fit_rejects_bad_starts():
    with pytest.raises(DistributionError, match="starts is empty"):
        reverse_kl_fit(two_peaked(), starts=[])
    with pytest.raises(DistributionError, match="start sigma"):
        reverse_kl_fit(two_peaked(), starts=[(0.0, -1.0)])


# the symmetric solution and the thresholds


@pytest.mark.parametrize("d", [0.0, 1.0, 2.5, 4.0, 6.0, 10.0, 20.0])
def test_symmetric_solution_is_a_local_minimum(d):
    solution = symmetric_reverse_fit(d)
    assert solution.is_local_minimum
    assert solution.mean_curvature > 0
    assert solution.separation == d


def test_symmetric_solution_matches_scipy():
    p = two_peaked(6.0)
    solution = symmetric_reverse_fit(6.0)
    found = optimize.minimize_scalar(
        lambda ls: reverse_kl(p, 0.0, math.exp(ls)),
        bounds=(0.0, 2.0),
        method="bounded",
        options={"xatol": 1e-9},
    )
    assert solution.sigma == pytest.approx(math.exp(found.x), rel=1e-6)
    assert solution.kl_nats == pytest.approx(found.fun, abs=1e-12)
    value = scipy_reverse_kl(p, 0.0, solution.sigma)
    assert solution.kl_nats == pytest.approx(value, abs=1e-10)
    h = 0.01
    curvature = 2 * (scipy_reverse_kl(p, h, solution.sigma) - value) / h**2
    assert solution.mean_curvature == pytest.approx(curvature, rel=1e-3)


def test_symmetric_curvature_decays_like_two_pi_over_d_squared():
    for d in (20.0, 30.0):
        assert symmetric_reverse_fit(d).mean_curvature == pytest.approx(
            2 * math.pi / d**2, rel=0.05
        )


def test_symmetric_solution_with_no_separation_is_the_component():
    solution = symmetric_reverse_fit(0.0)
    assert solution.sigma == pytest.approx(1.0, abs=1e-6)
    assert solution.kl_nats == pytest.approx(0.0, abs=1e-12)
    assert solution.mean_curvature == pytest.approx(1.0, rel=1e-4)


@pytest.fixture(scope="module")
def thresholds():
    return reverse_fit_thresholds()


def test_thresholds_values(thresholds):
    assert 4.80 < thresholds.peaks_appear < 4.86
    assert 5.59 < thresholds.peaks_win < 5.61
    assert thresholds.peaks_win < DEFAULT_SEPARATION


def test_thresholds_agree_with_the_fits(thresholds):
    below = reverse_kl_fit(two_peaked(thresholds.peaks_appear - 0.1))
    assert len(below.minima) == 1
    between = reverse_kl_fit(two_peaked((thresholds.peaks_appear + thresholds.peaks_win) / 2))
    assert len(between.minima) == 3 and abs(between.best.mean) < 1e-3
    above = reverse_kl_fit(two_peaked(thresholds.peaks_win + 0.05))
    assert abs(above.best.mean) > 2


def test_peaks_win_threshold_matches_scipy(thresholds):
    for d, peak_should_win in (
        (thresholds.peaks_win - 0.02, False),
        (thresholds.peaks_win + 0.02, True),
    ):
        p = two_peaked(d)
        peak = optimize.minimize(
            lambda v, p=p: reverse_kl(p, v[0], math.exp(v[1])),
            [d / 2, 0.0],
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-13},
        )
        centre = optimize.minimize_scalar(
            lambda ls, p=p: reverse_kl(p, 0.0, math.exp(ls)),
            bounds=(0.0, 2.0),
            method="bounded",
            options={"xatol": 1e-9},
        )
        assert peak.x[0] > 2
        assert (peak.fun < centre.fun) == peak_should_win
        assert scipy_reverse_kl(p, peak.x[0], math.exp(peak.x[1])) == pytest.approx(
            peak.fun, abs=1e-10
        )


def test_thresholds_reject_bad_tolerance():
    with pytest.raises(DistributionError, match="tol"):
        reverse_fit_thresholds(tol=0.0)


# learning by gradient descent (discrete)


def test_softmax():
    assert softmax([0.0, 0.0]) == pytest.approx([0.5, 0.5])
    assert softmax([1000.0, 0.0]) == pytest.approx([1.0, 0.0])
    assert softmax(np.log([0.2, 0.3, 0.5])) == pytest.approx([0.2, 0.3, 0.5])
    with pytest.raises(DistributionError, match="logits"):
        softmax([])
    with pytest.raises(DistributionError, match="logits"):
        softmax([0.0, math.inf])


@st.composite
def target_and_logits(draw):
    size = draw(st.integers(2, 6))
    weights = draw(st.lists(st.integers(0, 100), min_size=size, max_size=size).filter(any))
    logits = draw(st.lists(st.floats(-4, 4), min_size=size, max_size=size))
    return [w / sum(weights) for w in weights], logits


@given(target_and_logits())
def test_logit_gradient_matches_finite_differences(case):
    p, logits = case
    z = np.array(logits)
    h = 1e-6
    numeric = [
        (kl_divergence(p, softmax(z + h * e)) - kl_divergence(p, softmax(z - h * e))) / (2 * h)
        for e in np.eye(z.size)
    ]
    assert kl_logit_gradient(p, z) == pytest.approx(numeric, abs=1e-7)
    # H(P) does not depend on Q, so it is the cross-entropy's gradient too.
    numeric_ce = [
        (cross_entropy(p, softmax(z + h * e)) - cross_entropy(p, softmax(z - h * e))) / (2 * h)
        for e in np.eye(z.size)
    ]
    assert kl_logit_gradient(p, z) == pytest.approx(numeric_ce, abs=1e-7)


def test_logit_gradient_rejects_wrong_length():
    with pytest.raises(DistributionError, match="3 outcomes but there are 2 logits"):
        kl_logit_gradient([0.2, 0.3, 0.5], [0.0, 1.0])


def test_learning_forest_from_uniform():
    trace = learn_by_gradient(FOREST, steps=200, learning_rate=1.0)
    assert trace.outcomes == ("Squirrel", "Rabbit", "Deer")
    assert trace.target == (0.6, 0.3, 0.1)
    assert trace.q[0] == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert len(trace.q) == len(trace.kl_bits) == 201
    assert trace.kl_bits[0] == pytest.approx(
        kl_divergence(FOREST, dict.fromkeys(FOREST, 1 / 3), base=2)
    )
    assert trace.kl_bits[-1] < 1e-4
    assert trace.q[-1] == pytest.approx((0.6, 0.3, 0.1), abs=1e-3)
    # strictly falling until rounding noise (about 1e-16 bits) takes over
    assert all(b < a for a, b in zip(trace.kl_bits, trace.kl_bits[1:], strict=False) if a > 1e-12)
    for q, kl in zip(trace.q, trace.kl_bits, strict=True):
        assert sum(q) == pytest.approx(1.0)
        assert cross_entropy(FOREST, dict(zip(FOREST, q, strict=True)), base=2) == pytest.approx(
            entropy(FOREST, base=2) + kl
        )


@settings(max_examples=40)
@given(target_and_logits(), st.floats(0.05, 3.9))
def test_learning_never_increases_kl_below_learning_rate_four(case, rate):
    p, logits = case
    trace = learn_by_gradient(p, steps=30, learning_rate=rate, init=list(softmax(logits)))
    assert all(b <= a + 1e-12 for a, b in zip(trace.kl_bits, trace.kl_bits[1:], strict=False))


def test_learning_rate_too_large_can_overshoot():
    trace = learn_by_gradient([0.5, 0.5], steps=1, learning_rate=40.0, init=[0.9, 0.1])
    assert any(b > a for a, b in zip(trace.kl_bits, trace.kl_bits[1:], strict=False))


def test_learning_is_deterministic_and_starts_at_init():
    init = {"Deer": 0.2, "Squirrel": 0.1, "Rabbit": 0.7}
    a = learn_by_gradient(FOREST, steps=10, learning_rate=0.5, init=init)
    assert a == learn_by_gradient(FOREST, steps=10, learning_rate=0.5, init=init)
    assert a.q[0] == pytest.approx((0.1, 0.7, 0.2))


def test_learning_a_target_with_an_impossible_outcome():
    trace = learn_by_gradient([0.5, 0.5, 0.0], steps=500, learning_rate=2.0)
    assert trace.outcomes == ("0", "1", "2")
    assert trace.kl_bits[-1] < 1e-2
    assert trace.q[-1][2] < trace.q[0][2]


def test_zero_steps_record_the_start_only():
    trace = learn_by_gradient(FOREST, steps=0, learning_rate=1.0)
    assert len(trace.q) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": -1, "learning_rate": 1.0}, "steps"),
        ({"steps": 1.5, "learning_rate": 1.0}, "steps"),
        ({"steps": 5, "learning_rate": 0.0}, "learning_rate"),
        ({"steps": 5, "learning_rate": math.nan}, "learning_rate"),
        ({"steps": 5, "learning_rate": 1.0, "init": {"Squirrel": 1.0}}, "missing"),
        ({"steps": 5, "learning_rate": 1.0, "init": [0.5, 0.5, 0.0]}, "both be mappings"),
        (
            {
                "steps": 5,
                "learning_rate": 1.0,
                "init": {"Squirrel": 0.5, "Rabbit": 0.5, "Deer": 0.0},
            },
            "probability 0",
        ),
        (
            {
                "steps": 5,
                "learning_rate": 1.0,
                "init": {"Squirrel": 0.5, "Rabbit": 0.6, "Deer": 0.1},
            },
            "init: .*sum",
        ),
    ],
)
def test_learning_rejects_bad_input(kwargs, message):
    with pytest.raises(DistributionError, match=message):
        learn_by_gradient(FOREST, **kwargs)


def test_learning_rejects_init_of_the_wrong_length():
    with pytest.raises(DistributionError, match="init has 2 outcomes but p has 3"):
        learn_by_gradient([0.6, 0.3, 0.1], steps=1, learning_rate=1.0, init=[0.5, 0.5])


# learning a Gaussian


@given(st.floats(-3, 3), st.floats(0.2, 3), st.floats(-3, 3), st.floats(0.2, 3))
def test_gaussian_gradient_matches_finite_differences(mu_p, sigma_p, mean, sigma):
    h = 1e-6
    d_mean = (
        kl_normal(mu_p, sigma_p, mean + h, sigma) - kl_normal(mu_p, sigma_p, mean - h, sigma)
    ) / (2 * h)
    d_log = (
        kl_normal(mu_p, sigma_p, mean, sigma * math.exp(h))
        - kl_normal(mu_p, sigma_p, mean, sigma * math.exp(-h))
    ) / (2 * h)
    g_mean, g_log = kl_normal_gradient(mu_p, sigma_p, mean, sigma)
    assert g_mean == pytest.approx(d_mean, rel=1e-5, abs=1e-6)
    assert g_log == pytest.approx(d_log, rel=1e-5, abs=1e-6)


def test_gaussian_learning_approaches_the_target():
    trace = learn_gaussian_by_gradient(
        2.0, 0.7, steps=300, learning_rate=0.5, init_mean=-1.0, init_sigma=2.0
    )
    assert trace.means[0] == -1.0 and trace.sigmas[0] == 2.0
    assert len(trace.means) == len(trace.sigmas) == len(trace.kl_nats) == 301
    assert trace.kl_nats[0] == pytest.approx(kl_normal(2.0, 0.7, -1.0, 2.0))
    assert all(b < a for a, b in zip(trace.kl_nats, trace.kl_nats[1:], strict=False) if a > 1e-14)
    assert trace.means[-1] == pytest.approx(2.0, abs=1e-6)
    assert trace.sigmas[-1] == pytest.approx(0.7, abs=1e-6)
    assert trace.kl_nats[-1] < 1e-10


def test_gaussian_learning_diverges_loudly():
    with pytest.raises(DistributionError, match="diverged"):
        learn_gaussian_by_gradient(
            0.0, 0.1, steps=1000, learning_rate=5.0, init_mean=5.0, init_sigma=0.05
        )


def test_gaussian_learning_rejects_bad_input():
    with pytest.raises(DistributionError, match="target_sigma"):
        learn_gaussian_by_gradient(0.0, -1.0, steps=1, learning_rate=0.1)
    with pytest.raises(DistributionError, match="init_sigma"):
        learn_gaussian_by_gradient(0.0, 1.0, steps=1, learning_rate=0.1, init_sigma=0.0)
    with pytest.raises(DistributionError, match="steps"):
        learn_gaussian_by_gradient(0.0, 1.0, steps=-2, learning_rate=0.1)


def test_minima_tied_behind_the_best_come_larger_mean_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two minima 1e-12 nats apart (the two peaks, equal but for rounding) are tied
    wherever they rank: their order is the rule's, not the last bits'."""
    fits = {
        0.0: GaussianFit(mean=0.0, sigma=2.5, kl_nats=0.5),
        -2.5: GaussianFit(mean=-2.5, sigma=1.0, kl_nats=0.7),
        2.5: GaussianFit(mean=2.5, sigma=1.0, kl_nats=0.7 + 1e-12),
    }
    monkeypatch.setattr("kl.measures.fitting._reverse_fit_from", lambda p, mean, sigma: fits[mean])
    minima = reverse_kl_fit(two_peaked(5.0), [(-2.5, 1.0), (2.5, 1.0), (0.0, 2.5)]).minima
    assert [fit.mean for fit in minima] == [0.0, 2.5, -2.5]
