"""KL divergence between continuous densities, computed numerically on a grid."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from kl.distributions import FloatArray, as_float_array, check_base
from kl.errors import DistributionError
from kl.measures import log_ratio

MAX_POINTS = 10_000_001  # a grid of 80 MB per array

Density = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def normal_pdf(x: npt.NDArray[np.float64], mu: float, sigma: float) -> npt.NDArray[np.float64]:
    """Density of N(mu, sigma^2) at x."""
    z = (x - mu) / sigma
    result: npt.NDArray[np.float64] = np.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))
    return result


def kl_integrand(p: npt.NDArray[np.float64], q: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """p(x) log(p(x)/q(x)) on a grid (nats): 0 where p = 0, +inf where q = 0 < p."""
    out = np.zeros_like(p)
    both = (p > 0) & (q > 0)
    out[both] = p[both] * log_ratio(p[both], q[both])
    out[(p > 0) & (q <= 0)] = math.inf
    return out


def simpson_weights(n: int, h: float) -> npt.NDArray[np.float64]:
    """Composite Simpson weights for n (odd, >= 3) equally spaced points h apart."""
    if n < 3 or n % 2 == 0:
        raise DistributionError(f"Simpson's rule needs an odd number of points >= 3, got {n}")
    w = np.ones(n)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    result: npt.NDArray[np.float64] = w * (h / 3.0)  # h / 3 first: 4 h can overflow
    return result


def kl_numeric(
    p: Density,
    q: Density,
    lower: float,
    upper: float,
    *,
    points: int = 4001,
    base: float = math.e,
) -> float:
    """KL(P||Q) = integral of p log(p/q) over [lower, upper], by composite Simpson's rule.

    ``p`` and ``q`` are vectorised densities. Accuracy: the error is O(h^4) in the step
    h = (upper - lower)/(points - 1); for smooth densities such as Gaussians with the
    default 4001 points over +-10 standard deviations it is below 1e-10 (tested against
    the closed form). Mass outside [lower, upper] is ignored, so choose bounds that
    hold essentially all of P. Returns math.inf when q vanishes where p does not; a
    density that merely underflows to 0 (Q far narrower than P, say) counts as vanishing,
    so use `kl_numeric_log` there.
    Raises DistributionError for bounds that are not finite numbers with lower < upper
    (or further apart than the largest float), for ``points`` that is not a whole number,
    is even, below 3 or above MAX_POINTS, for densities that do not return one finite, non-negative
    value per grid point, and for an integral whose terms overflow both ways.
    """
    log_base = check_base(base)
    x, weights = _grid(lower, upper, points)
    px, qx = _density_on_grid(p, x, "p"), _density_on_grid(q, x, "q")
    return _integrate(weights, kl_integrand(px, qx)) / log_base


def kl_numeric_log(
    log_p: Density,
    log_q: Density,
    lower: float,
    upper: float,
    *,
    points: int = 4001,
    base: float = math.e,
) -> float:
    """`kl_numeric` from log-densities: integral of p (log p - log q) over [lower, upper].

    For densities too small for floating point somewhere P still has mass: N(0, 1)
    against N(5, 0.2^2) over +-12, where q underflows to 0 and `kl_numeric` says
    infinity, gives the closed form's 322.89 nats here. ``log_p`` and ``log_q`` return
    natural logs of densities, -inf where a density is 0. Returns math.inf only where
    log q is -inf and p > 0. Raises DistributionError as `kl_numeric` does, for log
    densities that are NaN or +inf, and for a log p whose exponential overflows.
    """
    log_base = check_base(base)
    x, weights = _grid(lower, upper, points)
    lp, lq = _log_density_on_grid(log_p, x, "log_p"), _log_density_on_grid(log_q, x, "log_q")
    with np.errstate(over="ignore"):
        px = np.exp(lp)
    if np.any(np.isinf(px)):
        raise DistributionError("log_p is too large: its density overflows floating point")
    integrand = np.zeros_like(lp)
    mass = px > 0
    integrand[mass] = px[mass] * (lp[mass] - lq[mass])
    return _integrate(weights, integrand) / log_base


def _grid(lower: float, upper: float, points: int) -> tuple[FloatArray, FloatArray]:
    """The grid points over [lower, upper] and their Simpson weights (checked first)."""
    lo, hi = _bounds(lower, upper)
    try:
        n = operator.index(points)
    except TypeError:
        raise DistributionError(f"points must be a whole number, got {points!r}") from None
    if n > MAX_POINTS:
        raise DistributionError(f"points must be at most {MAX_POINTS}, got {n}")
    # max() only keeps a bad count from dividing by 0 before simpson_weights rejects it.
    weights = simpson_weights(n, (hi - lo) / max(n - 1, 1))
    # lo + t (hi - lo), not np.linspace(lo, hi, n), whose intermediate steps can overflow
    # when the bounds are near the largest float although their distance is not.
    x = lo + np.linspace(0.0, 1.0, n) * (hi - lo)
    x[-1] = hi
    return x, weights


def _integrate(weights: FloatArray, integrand: FloatArray) -> float:
    """Simpson's sum of the integrand, in nats: inf if any term is, never below 0."""
    if np.any(np.isposinf(integrand)):
        return math.inf
    with np.errstate(over="ignore", invalid="ignore"):
        weighted = weights * integrand
    try:
        value = math.fsum(weighted)
    except (OverflowError, ValueError):  # overflow, or terms of +inf and -inf
        raise DistributionError("the integral overflows floating point on this grid") from None
    return max(0.0, value)


def _bounds(lower: float, upper: float) -> tuple[float, float]:
    try:
        lo, hi = float(lower), float(upper)
    except (TypeError, ValueError, OverflowError):
        lo = hi = math.nan
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise DistributionError(f"need finite bounds with lower < upper, got [{lower}, {upper}]")
    if not math.isfinite(hi - lo):
        raise DistributionError(f"[{lower}, {upper}] is wider than the largest float")
    return lo, hi


def _on_grid(function: Density, x: FloatArray, name: str) -> FloatArray:
    """``function`` evaluated on the grid, one float per point (else DistributionError)."""
    values = as_float_array(function(x), name)
    if values.shape != x.shape:
        raise DistributionError(
            f"{name} must return one value per grid point, got shape {values.shape}"
        )
    return values


def _log_density_on_grid(log_density: Density, x: FloatArray, name: str) -> FloatArray:
    values = _on_grid(log_density, x, name)
    if np.any(np.isnan(values)) or np.any(values == math.inf):
        raise DistributionError("log densities must be below +inf and not NaN on the grid")
    return values


def _density_on_grid(density: Density, x: FloatArray, name: str) -> FloatArray:
    values = _on_grid(density, x, name)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise DistributionError("densities must be finite and non-negative on the grid")
    return values
