"""KL divergence between continuous densities, computed numerically on a grid."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from kl.distributions import check_base
from kl.errors import DistributionError
from kl.measures import log_ratio

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
    Raises DistributionError for bounds that are not finite with lower < upper, for
    ``points`` that is even or below 3, and for densities that are negative or not
    finite on the grid.
    """
    log_base = check_base(base)
    if not (math.isfinite(lower) and math.isfinite(upper) and lower < upper):
        raise DistributionError(f"need finite bounds with lower < upper, got [{lower}, {upper}]")
    # Checked before the densities are evaluated; max() only keeps a bad count from dividing by 0.
    weights = simpson_weights(points, (upper - lower) / max(points - 1, 1))
    x = np.linspace(lower, upper, points)
    px, qx = np.asarray(p(x), dtype=np.float64), np.asarray(q(x), dtype=np.float64)
    if np.any(~np.isfinite(px)) or np.any(px < 0) or np.any(~np.isfinite(qx)) or np.any(qx < 0):
        raise DistributionError("densities must be finite and non-negative on the grid")
    integrand = kl_integrand(px, qx)
    if np.any(np.isinf(integrand)):
        return math.inf
    value = math.fsum(weights * integrand)
    return max(0.0, value) / log_base
