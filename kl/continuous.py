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
    result: npt.NDArray[np.float64] = w * h / 3.0
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
    hold essentially all of P. Returns math.inf when q vanishes where p does not.
    Raises DistributionError for bounds that are not finite numbers with lower < upper
    (or further apart than the largest float), for ``points`` that is not a whole number,
    is even, below 3 or above MAX_POINTS, for densities that do not return one finite, non-negative
    value per grid point, and for an integral whose terms overflow both ways.
    """
    log_base = check_base(base)
    lo, hi = _bounds(lower, upper)
    try:
        n = operator.index(points)
    except TypeError:
        raise DistributionError(f"points must be a whole number, got {points!r}") from None
    if n > MAX_POINTS:
        raise DistributionError(f"points must be at most {MAX_POINTS}, got {n}")
    # Checked before the densities are evaluated; max() only keeps a bad count from dividing by 0.
    weights = simpson_weights(n, (hi - lo) / max(n - 1, 1))
    x = np.linspace(lo, hi, n)
    px, qx = _density_on_grid(p, x, "p"), _density_on_grid(q, x, "q")
    integrand = kl_integrand(px, qx)
    if np.any(np.isinf(integrand)):
        return math.inf
    with np.errstate(over="ignore"):
        weighted = weights * integrand
    try:
        value = math.fsum(weighted)
    except (OverflowError, ValueError):  # overflow, or terms of +inf and -inf
        raise DistributionError("the integral overflows floating point on this grid") from None
    return max(0.0, value) / log_base


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


def _density_on_grid(density: Density, x: npt.NDArray[np.float64], name: str) -> FloatArray:
    values = as_float_array(density(x), name)
    if values.shape != x.shape:
        raise DistributionError(
            f"{name} must return one value per grid point, got shape {values.shape}"
        )
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise DistributionError("densities must be finite and non-negative on the grid")
    return values
