"""Fitting a model Q to a target P by minimising KL: forward vs reverse, and step by step.

Forward KL(P||Q) (what maximum likelihood minimises) makes Q cover all of P; reverse
KL(Q||P) can make Q sit on one mode instead, once the modes are far enough apart (see
`reverse_fit_thresholds`). Continuous results are in nats, discrete ones in bits,
as each field name says. Bad input raises `kl.errors.DistributionError`. The KLs are
integrated with scipy's Simpson rule and minimised with scipy's optimisers; the lecture's
subject is what they minimise, not how.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.integrate import simpson
from scipy.optimize import bisect, brentq, minimize
from scipy.optimize.elementwise import bracket_minimum, find_minimum

from kl.errors import DistributionError, KLError
from kl.measures.discrete import kl_divergence
from kl.measures.distributions import (
    FloatArray,
    Probabilities,
    as_distribution,
    finite_number,
    positive_number,
)
from kl.measures.gaussian import kl_normal

DEFAULT_SEPARATION = 6.0
TAIL_SIGMAS = 10.0
MIN_GRID_POINTS = 401
MAX_GRID_POINTS = 100_001
MAX_ABS_LOG_SIGMA = 50.0
SAME_MINIMUM = 1e-4
KL_TIE = 1e-9
OFF_CENTRE = 0.05
PROFILE_MEANS = 41
PROFILE_GRID_POINTS = 201
NELDER_MEAD_STEP = 0.25  # the initial simplex's edge, in mean and in log sigma
NELDER_MEAD_XTOL = 1e-9
NELDER_MEAD_FTOL = 1e-12
NELDER_MEAD_MAX_ITER = 5000


def _count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DistributionError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


@dataclass(frozen=True)
class Mixture:
    """A mixture of univariate normals: sum of weights[i] * N(means[i], sigmas[i]^2).

    Any sequences given are stored as tuples of floats. Raises DistributionError unless
    the three have the same non-zero length, the weights form a distribution, the means
    are finite and the sigmas (standard deviations) are positive and finite.
    """

    weights: tuple[float, ...]
    means: tuple[float, ...]
    sigmas: tuple[float, ...]

    def __post_init__(self) -> None:
        if not len(self.weights) == len(self.means) == len(self.sigmas):
            raise DistributionError(
                f"weights, means and sigmas need the same length, got {len(self.weights)}, "
                f"{len(self.means)} and {len(self.sigmas)}"
            )
        weights = as_distribution(self.weights, name="weights")
        means = [finite_number(f"means[{i}]", mu) for i, mu in enumerate(self.means)]
        sigmas = [positive_number(f"sigmas[{i}]", s) for i, s in enumerate(self.sigmas)]
        object.__setattr__(self, "weights", tuple(map(float, weights)))
        object.__setattr__(self, "means", tuple(means))
        object.__setattr__(self, "sigmas", tuple(sigmas))

    def log_pdf(self, x: FloatArray) -> FloatArray:
        """Natural log of the mixture's density at each point of x (log-sum-exp, no underflow)."""
        terms = np.array(
            [
                math.log(w) + _normal_log_pdf(x, mu, sigma)
                for w, mu, sigma in zip(self.weights, self.means, self.sigmas, strict=True)
                if w > 0
            ]
        )
        top = terms.max(axis=0)
        result: FloatArray = top + np.log(np.exp(terms - top).sum(axis=0))
        return result

    def pdf(self, x: FloatArray) -> FloatArray:
        """Density of the mixture at each point of x."""
        result: FloatArray = np.exp(self.log_pdf(x))
        return result

    def mean(self) -> float:
        """Mean of the mixture."""
        return math.fsum(w * mu for w, mu in zip(self.weights, self.means, strict=True))

    def variance(self) -> float:
        """Variance of the mixture: within-component plus between-component spread."""
        centre = self.mean()
        return math.fsum(
            w * (sigma**2 + (mu - centre) ** 2)
            for w, mu, sigma in zip(self.weights, self.means, self.sigmas, strict=True)
        )

    def bounds(self) -> tuple[float, float]:
        """An interval holding essentially all the mass: 10 sigmas past the outer components."""
        lows = [mu - TAIL_SIGMAS * s for mu, s in zip(self.means, self.sigmas, strict=True)]
        highs = [mu + TAIL_SIGMAS * s for mu, s in zip(self.means, self.sigmas, strict=True)]
        return min(lows), max(highs)


def two_peaked(separation: float = DEFAULT_SEPARATION) -> Mixture:
    """P = 0.5 N(-d/2, 1) + 0.5 N(d/2, 1) with d = ``separation`` (finite, >= 0)."""
    d = finite_number("separation", separation)
    if d < 0:
        raise DistributionError(f"separation must be >= 0, got {separation!r}")
    return Mixture(weights=(0.5, 0.5), means=(-d / 2, d / 2), sigmas=(1.0, 1.0))


@dataclass(frozen=True)
class GaussianFit:
    """A normal Q = N(mean, sigma^2) and the KL value (nats) it reaches."""

    mean: float
    sigma: float
    kl_nats: float


def _normal_log_pdf(x: FloatArray, mean: float, sigma: float) -> FloatArray:
    z = (np.asarray(x, dtype=np.float64) - mean) / sigma
    result: FloatArray = -0.5 * z * z - math.log(sigma * math.sqrt(2 * math.pi))
    return result


def _simpson_kl(log_a: FloatArray, log_b: FloatArray, step: float | FloatArray) -> FloatArray:
    """Simpson's rule, along the last axis, for the integral of a log(a/b) (nats).

    The rows of log_a and log_b are log densities on equally spaced grids ``step`` apart.
    """
    integrand = np.exp(log_a) * (log_a - log_b)
    result: FloatArray = np.maximum(0.0, simpson(integrand, dx=1.0, axis=-1) * step)
    return result


def _grid_points(p: Mixture, width: float, sigma: float) -> int:
    """An odd grid size over ``width`` whose step is a quarter of the finest feature.

    The features are Q's sigma, P's narrowest component, and the zone of width
    sigma_i^2 / (spread of P's means) where log p switches from one component to another.
    Capped at 100001 points, which a Q vastly wider than P's components can reach.
    """
    narrowest = min(p.sigmas)
    spread = max(p.means) - min(p.means)
    feature = min(sigma, narrowest, narrowest**2 / spread if spread > 0 else narrowest)
    n = min(max(MIN_GRID_POINTS, math.ceil(4 * width / feature) + 1), MAX_GRID_POINTS)
    return n + 1 - n % 2


def forward_kl(p: Mixture, mean: float, sigma: float, *, points: int | None = None) -> float:
    """KL(P||Q) in nats for Q = N(mean, sigma^2), by Simpson's rule over P's bounds.

    ``points`` is the (odd) grid size; by default it is chosen so the step resolves both
    P's and Q's shapes. Works with log densities, so far tails never underflow. Raises
    DistributionError unless mean is finite and sigma positive and finite.
    """
    m, s = finite_number("mean", mean), positive_number("sigma", sigma)
    lower, upper = p.bounds()
    n = _grid_points(p, upper - lower, s) if points is None else points
    x, step = np.linspace(lower, upper, n, retstep=True)
    return float(_simpson_kl(p.log_pdf(x), _normal_log_pdf(x, m, s), step))


def _reverse_kls(
    p: Mixture, means: FloatArray, sigmas: FloatArray, points: int | None = None
) -> FloatArray:
    """KL(N(means[i], sigmas[i]^2) || P) for each i, each on its own grid of +-10 sigma."""
    widest = float(sigmas.max())
    n = _grid_points(p, 2 * TAIL_SIGMAS * widest, widest) if points is None else points
    z, z_step = np.linspace(-TAIL_SIGMAS, TAIL_SIGMAS, n, retstep=True)
    x = means[:, None] + sigmas[:, None] * z
    log_q = -0.5 * z * z - np.log(sigmas[:, None] * math.sqrt(2 * math.pi))
    return _simpson_kl(log_q, p.log_pdf(x), sigmas * z_step)


def reverse_kl(p: Mixture, mean: float, sigma: float, *, points: int | None = None) -> float:
    """KL(Q||P) in nats for Q = N(mean, sigma^2), by Simpson's rule over mean +- 10 sigma.

    ``points`` is the (odd) grid size; by default it is chosen so the step resolves P's
    shape. The grid follows Q, whose mass weights the integrand; log densities keep it
    finite however far Q strays from P. Raises DistributionError unless mean is finite
    and sigma positive and finite.
    """
    m, s = finite_number("mean", mean), positive_number("sigma", sigma)
    return float(_reverse_kls(p, np.array([m]), np.array([s]), points)[0])


def forward_kl_fit(p: Mixture) -> GaussianFit:
    """The normal minimising KL(P||Q): moment matching (P's mean and variance), in closed form."""
    mean, sigma = p.mean(), math.sqrt(p.variance())
    return GaussianFit(mean=mean, sigma=sigma, kl_nats=forward_kl(p, mean, sigma))


def _reverse_objective(p: Mixture) -> Callable[[FloatArray], float]:
    """Reverse KL as a function of (mean, log sigma)."""

    def objective(x: FloatArray) -> float:
        return reverse_kl(p, float(x[0]), math.exp(x[1]))

    return objective


@dataclass(frozen=True)
class ReverseKLFit:
    """Distinct local minima of KL(Q||P) over normals Q, lowest KL (nats) first.

    Minima within 1e-9 nats of each other count as tied and come larger mean first, so
    for a symmetric P the right-hand peak is `best`, and the order never hangs on the
    last bits of two equal divergences.
    """

    minima: tuple[GaussianFit, ...]

    @property
    def best(self) -> GaussianFit:
        """The global minimum among those found."""
        return self.minima[0]


def reverse_kl_fit(p: Mixture, starts: Sequence[tuple[float, float]] | None = None) -> ReverseKLFit:
    """Minimise KL(Q||P) over Q = N(m, s^2) from several starts; return each minimum found.

    ``starts`` are (mean, sigma) pairs; by default one at each component of P and one
    at the moment-matched fit. Each start runs Nelder-Mead over (m, log s) on the
    numerically integrated reverse KL; minima closer than 1e-4 in both m and log s are
    merged. Raises DistributionError for an empty list of starts or a start whose sigma
    is not positive and finite.
    """
    if starts is None:
        moments = forward_kl_fit(p)
        starts = [*zip(p.means, p.sigmas, strict=True), (moments.mean, moments.sigma)]
    if not starts:
        raise DistributionError("starts is empty; give at least one (mean, sigma) pair")
    found: list[GaussianFit] = []
    for mean, sigma in starts:
        fit = _reverse_fit_from(p, mean, sigma)
        if not any(_same_fit(fit, other) for other in found):
            found.append(fit)
    groups: list[list[GaussianFit]] = []
    for fit in sorted(found, key=lambda fit: fit.kl_nats):
        if groups and fit.kl_nats - groups[-1][0].kl_nats <= KL_TIE:
            groups[-1].append(fit)
        else:
            groups.append([fit])
    return ReverseKLFit(
        minima=tuple(fit for group in groups for fit in sorted(group, key=lambda f: -f.mean))
    )


def _reverse_fit_from(p: Mixture, mean: float, sigma: float) -> GaussianFit:
    """The local minimum of reverse KL that Nelder-Mead reaches from N(mean, sigma^2)."""
    start = np.array(
        [finite_number("start mean", mean), math.log(positive_number("start sigma", sigma))]
    )
    result = minimize(
        _reverse_objective(p),
        start,
        method="Nelder-Mead",
        bounds=[(None, None), (-MAX_ABS_LOG_SIGMA, MAX_ABS_LOG_SIGMA)],
        options={
            "initial_simplex": np.vstack([start, start + NELDER_MEAD_STEP * np.eye(2)]),
            "xatol": NELDER_MEAD_XTOL,
            "fatol": NELDER_MEAD_FTOL,
            "maxiter": NELDER_MEAD_MAX_ITER,
        },
    )
    if not result.success:
        raise KLError(f"Nelder-Mead did not converge from {start}: {result.message}")
    return GaussianFit(
        mean=float(result.x[0]), sigma=math.exp(result.x[1]), kl_nats=float(result.fun)
    )


def _same_fit(a: GaussianFit, b: GaussianFit) -> bool:
    return abs(a.mean - b.mean) < SAME_MINIMUM and abs(math.log(a.sigma / b.sigma)) < SAME_MINIMUM


def _best_log_sigmas(
    p: Mixture, means: FloatArray, *, points: int | None = None, tol: float = 1e-8
) -> FloatArray:
    """For each mean, the log sigma in [-3, log(2 sd of P)] minimising reverse KL among
    normals with that mean, to within ``tol`` (scipy's elementwise bracket and minimiser,
    all means at once). Raises KLError where the minimum is not inside that interval."""
    lower, upper = -3.0, math.log(2 * math.sqrt(p.variance()))

    def kls(log_sigmas: FloatArray, centres: FloatArray) -> FloatArray:
        return _reverse_kls(p, centres, np.exp(log_sigmas), points)

    start = np.full(means.shape, (lower + upper) / 2)
    bracket = bracket_minimum(
        kls, start, xl0=lower, xr0=upper, xmin=lower, xmax=upper, args=(means,)
    )
    found = find_minimum(kls, bracket.bracket, args=(means,), tolerances={"xatol": tol})
    if not (np.all(bracket.success) and np.all(found.success)):
        raise KLError(f"reverse KL has no minimum over log sigma in [{lower}, {upper:.3f}]")
    result: FloatArray = found.x
    return result


@dataclass(frozen=True)
class SymmetricSolution:
    """The best reverse-KL normal centred between the two peaks of `two_peaked(separation)`.

    ``sigma`` minimises KL(Q||P) (nats) among normals with mean 0. By symmetry m = 0 is
    always stationary; ``mean_curvature`` (d^2 KL / dm^2 there, nats per unit^2) decides
    whether it is a local minimum (> 0) or a saddle (< 0) that the fit slides off.
    """

    separation: float
    sigma: float
    kl_nats: float
    mean_curvature: float
    is_local_minimum: bool


def symmetric_reverse_fit(separation: float) -> SymmetricSolution:
    """The symmetric (mode-covering) stationary point of reverse KL for `two_peaked(separation)`.

    With these unit-variance peaks it is a local minimum at every separation (the
    curvature shrinks roughly like 2 pi / d^2 but stays positive): reverse KL never
    slides off the centre, it gains a second kind of minimum on each peak instead (see
    `reverse_fit_thresholds`). Raises DistributionError for a negative or non-finite
    separation.
    """
    p = two_peaked(separation)
    sigma = math.exp(float(_best_log_sigmas(p, np.zeros(1))[0]))
    value = reverse_kl(p, 0.0, sigma)
    h = 1e-3
    curvature = 2 * (reverse_kl(p, h, sigma) - value) / h**2
    return SymmetricSolution(
        separation=float(separation),
        sigma=sigma,
        kl_nats=value,
        mean_curvature=curvature,
        is_local_minimum=curvature > 0,
    )


def _turning_point(
    is_above: Callable[[float], bool], lower: float, upper: float, tol: float
) -> float:
    """The point in [lower, upper] where is_above turns from False to True, to within tol
    (by bisection; is_above(lower) must be False and is_above(upper) True)."""
    return float(bisect(lambda x: 1.0 if is_above(x) else -1.0, lower, upper, xtol=tol))


@functools.lru_cache(maxsize=64)
def _peak_minimum(separation: float) -> GaussianFit | None:
    """The right-hand peak's own local minimum of reverse KL, or None if it has none
    (kept for the separations last asked: `reverse_fit_thresholds`' two searches ask
    for some of the same, the second starting where the first ended).

    Profiles min over sigma of KL(Q||P) along 41 means from d/4 to d/2 + 1 (on a coarser
    grid), and polishes the first interior dip with Nelder-Mead; None if there is no dip
    or the polished fit slides to the centre.
    """
    p = two_peaked(separation)
    means = np.linspace(separation / 4, separation / 2 + 1.0, PROFILE_MEANS)
    log_sigmas = _best_log_sigmas(p, means, points=PROFILE_GRID_POINTS, tol=1e-5)
    profile = _reverse_kls(p, means, np.exp(log_sigmas), PROFILE_GRID_POINTS)
    dips = np.flatnonzero((profile[1:-1] < profile[:-2]) & (profile[1:-1] <= profile[2:])) + 1
    if dips.size == 0:
        return None
    fit = _reverse_fit_from(p, float(means[dips[0]]), math.exp(log_sigmas[dips[0]]))
    return fit if fit.mean > OFF_CENTRE else None


def _has_peak_minimum(separation: float) -> bool:
    return _peak_minimum(separation) is not None


def _peak_excess(separation: float) -> float:
    """How much higher (nats) a peak's own minimum of reverse KL is than the symmetric
    one: negative where the peak wins; 1 where the peak has no minimum."""
    peak = _peak_minimum(separation)
    return 1.0 if peak is None else peak.kl_nats - symmetric_reverse_fit(separation).kl_nats


@dataclass(frozen=True)
class ReverseFitThresholds:
    """Separations of `two_peaked` at which reverse KL's behaviour changes.

    Below ``peaks_appear`` the symmetric, mode-covering normal is the only minimum of
    KL(Q||P); above it each peak has a local minimum of its own as well; above
    ``peaks_win`` a peak's minimum has the lower KL, so the best reverse fit sits on one
    peak. The symmetric solution stays a local minimum throughout.
    """

    peaks_appear: float
    peaks_win: float


def reverse_fit_thresholds(*, tol: float = 1e-3) -> ReverseFitThresholds:
    """Find `ReverseFitThresholds` on [3, 8], each to within ``tol`` (> 0): ``peaks_appear``
    by bisection, ``peaks_win`` as the root of the difference of the two minima's KL
    (Brent's method, which needs fewer fits than bisecting its sign).

    A peak "has a minimum" when the profile of reverse KL along the mean (minimised over
    sigma, on means from d/4 to d/2 + 1) dips before rising again, and Nelder-Mead
    polishing that dip stays off centre; the profile's grid limits the accuracy of
    ``peaks_appear`` to about 0.01 whatever ``tol``. Takes about a second.
    """
    step = positive_number("tol", tol)
    appear = _turning_point(_has_peak_minimum, 3.0, 8.0, step)
    return ReverseFitThresholds(
        peaks_appear=appear, peaks_win=float(brentq(_peak_excess, appear, 8.0, xtol=step))
    )


def softmax(logits: npt.ArrayLike) -> FloatArray:
    """exp(z) / sum exp(z) for a flat vector of finite logits (shifted, so it never overflows)."""
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size == 0 or not np.all(np.isfinite(z)):
        raise DistributionError("logits must be a non-empty flat vector of finite numbers")
    e = np.exp(z - z.max())
    result: FloatArray = e / e.sum()
    return result


def kl_logit_gradient(p: Probabilities, logits: npt.ArrayLike) -> FloatArray:
    """Gradient of KL(P||softmax(logits)) in nats with respect to the logits: q - p.

    It is also the gradient of the cross-entropy H(P, Q), since H(P) does not depend on
    Q. Raises DistributionError for an invalid p or logits of a different length.
    """
    pv = as_distribution(p)
    q = softmax(logits)
    if q.size != pv.size:
        raise DistributionError(f"p has {pv.size} outcomes but there are {q.size} logits")
    result: FloatArray = q - pv
    return result


@dataclass(frozen=True)
class LearningTrace:
    """Gradient descent on Q's logits towards P: Q and KL(P||Q) in bits at steps 0..steps.

    ``q[t]`` and ``kl_bits[t]`` are the model and its divergence after t steps; outcome
    i of each is labelled ``outcomes[i]``.
    """

    outcomes: tuple[str, ...]
    target: tuple[float, ...]
    learning_rate: float
    q: tuple[tuple[float, ...], ...]
    kl_bits: tuple[float, ...]


def _initial_q(p: Probabilities, init: Probabilities | None, size: int) -> FloatArray:
    if init is None:
        return np.full(size, 1.0 / size)
    if isinstance(p, Mapping) != isinstance(init, Mapping):
        raise DistributionError("p and init must both be mappings or both be sequences")
    if isinstance(p, Mapping) and isinstance(init, Mapping):
        if set(init) != set(p):
            raise DistributionError(
                f"init must have the outcomes of p: missing {sorted(map(str, set(p) - set(init)))}"
                f", extra {sorted(map(str, set(init) - set(p)))}"
            )
        q = as_distribution({k: init[k] for k in p}, name="init")
    else:
        q = as_distribution(init, name="init")
    if q.size != size:
        raise DistributionError(f"init has {q.size} outcomes but p has {size}")
    if np.any(q == 0):
        raise DistributionError(
            "init gives an outcome probability 0, which softmax cannot start from"
        )
    return q


def learn_by_gradient(
    p: Probabilities,
    *,
    steps: int,
    learning_rate: float,
    init: Probabilities | None = None,
) -> LearningTrace:
    """Fit Q = softmax(logits) to P by ``steps`` steps of gradient descent on KL(P||Q).

    Each step subtracts ``learning_rate`` times the gradient q - p (nats per logit) from
    the logits: the same steps as minimising the cross-entropy H(P, Q). Q starts uniform,
    or at ``init`` (same outcomes as p, every probability positive). KL(P||Q) is convex
    in the logits with curvature at most 1/2, so any learning rate below 4 makes it fall
    at every step. Deterministic. Raises DistributionError for an invalid p or init,
    steps < 0, or a learning rate that is not positive and finite.
    """
    pv = as_distribution(p)
    _count("steps", steps, 0)
    rate = positive_number("learning_rate", learning_rate)
    outcomes = tuple(map(str, p)) if isinstance(p, Mapping) else tuple(map(str, range(pv.size)))
    logits = np.log(_initial_q(p, init, pv.size))
    history = [softmax(logits)]
    for _ in range(steps):
        logits = logits - rate * (history[-1] - pv)
        history.append(softmax(logits))
    return LearningTrace(
        outcomes=outcomes,
        target=tuple(map(float, pv)),
        learning_rate=rate,
        q=tuple(tuple(map(float, q)) for q in history),
        kl_bits=tuple(kl_divergence(pv, q, base=2) for q in history),
    )


def kl_normal_gradient(
    target_mean: float, target_sigma: float, mean: float, sigma: float
) -> tuple[float, float]:
    """Gradient of KL(N(target) || N(mean, sigma^2)) in nats w.r.t. (mean, log sigma).

    d/dmean = (mean - target_mean) / sigma^2 and
    d/dlog sigma = 1 - (target_sigma^2 + (target_mean - mean)^2) / sigma^2.
    """
    spread = target_sigma**2 + (target_mean - mean) ** 2
    return (mean - target_mean) / sigma**2, 1.0 - spread / sigma**2


@dataclass(frozen=True)
class GaussianLearningTrace:
    """Gradient descent of Q = N(mean, sigma^2) towards P: parameters and KL(P||Q) per step.

    Entry t of ``means``, ``sigmas`` and ``kl_nats`` (nats) is after t steps.
    """

    target_mean: float
    target_sigma: float
    learning_rate: float
    means: tuple[float, ...]
    sigmas: tuple[float, ...]
    kl_nats: tuple[float, ...]


def learn_gaussian_by_gradient(
    target_mean: float,
    target_sigma: float,
    *,
    steps: int,
    learning_rate: float,
    init_mean: float = 0.0,
    init_sigma: float = 1.0,
) -> GaussianLearningTrace:
    """Fit N(mean, sigma^2) to P = N(target_mean, target_sigma^2) by gradient descent on KL(P||Q).

    The parameters are (mean, log sigma); entry t of each sequence is after t steps. The
    closed-form KL has curvature 1/sigma^2 in the mean and 2 in log sigma at the optimum,
    so steps stay stable for learning rates below min(1, 2 target_sigma^2). Raises
    DistributionError for non-finite means, non-positive sigmas, steps < 0, a learning
    rate that is not positive and finite, or a run that diverges.
    """
    mu_p, sigma_p = (
        finite_number("target_mean", target_mean),
        positive_number("target_sigma", target_sigma),
    )
    _count("steps", steps, 0)
    rate = positive_number("learning_rate", learning_rate)
    means = [finite_number("init_mean", init_mean)]
    sigmas = [positive_number("init_sigma", init_sigma)]
    for _ in range(steps):
        g_mean, g_log_sigma = kl_normal_gradient(mu_p, sigma_p, means[-1], sigmas[-1])
        mean = means[-1] - rate * g_mean
        log_sigma = math.log(sigmas[-1]) - rate * g_log_sigma
        if not (math.isfinite(mean) and -700.0 < log_sigma < 700.0):
            raise DistributionError(
                f"gradient descent diverged after {len(means)} steps; lower learning_rate"
            )
        means.append(mean)
        sigmas.append(math.exp(log_sigma))
    return GaussianLearningTrace(
        target_mean=mu_p,
        target_sigma=sigma_p,
        learning_rate=rate,
        means=tuple(means),
        sigmas=tuple(sigmas),
        kl_nats=tuple(kl_normal(mu_p, sigma_p, m, s) for m, s in zip(means, sigmas, strict=True)),
    )
