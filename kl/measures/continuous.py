"""KL divergence between continuous densities, computed numerically on a grid.

The integrals are scipy's composite Simpson rule (`scipy.integrate.simpson`) and the
integrand p log(p/q) is `scipy.special.rel_entr`: the lecture's subject is the
divergence, not the quadrature. Supported inputs: bounds within +-1e100, densities at
most 1e10, log densities -inf or from -1e4 to 23.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.integrate import simpson
from scipy.special import rel_entr

from kl.errors import DistributionError
from kl.measures.distributions import FloatArray, as_float_array, check_base

MAX_POINTS = 10_000_001  # a grid of 80 MB per array
MAX_ABS_BOUND = 1e100

Density = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def normal_pdf(x: npt.NDArray[np.float64], mu: float, sigma: float) -> npt.NDArray[np.float64]:
    """Density of N(mu, sigma^2) at x."""
    z = (x - mu) / sigma
    result: npt.NDArray[np.float64] = np.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))
    return result


def kl_integrand(p: npt.NDArray[np.float64], q: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """p(x) log(p(x)/q(x)) on a grid of non-negative densities (nats): 0 where p = 0,
    +inf where q = 0 < p (`scipy.special.rel_entr`)."""
    result: npt.NDArray[np.float64] = rel_entr(p, q)
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
    Supported: bounds within +-1e100, densities at most 1e10.
    Raises DistributionError for bounds that are not finite numbers with lower < upper
    within +-1e100, for ``points`` that is not a whole number, is even, below 3 or above
    MAX_POINTS, and for densities that do not return one finite, non-negative value per
    grid point.
    """
    log_base = check_base(base)
    x, step = _grid(lower, upper, points)
    px, qx = _density_on_grid(p, x, "p"), _density_on_grid(q, x, "q")
    return _integrate(kl_integrand(px, qx), step) / log_base


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
    log q is -inf and p > 0. Supported: bounds within +-1e100, log densities -inf or
    from -1e4 to 23.
    Raises DistributionError as `kl_numeric` does, and for log densities that are NaN
    or +inf.
    """
    log_base = check_base(base)
    x, step = _grid(lower, upper, points)
    lp, lq = _log_density_on_grid(log_p, x, "log_p"), _log_density_on_grid(log_q, x, "log_q")
    px = np.exp(lp)
    integrand = np.zeros_like(lp)
    mass = px > 0
    integrand[mass] = px[mass] * (lp[mass] - lq[mass])
    return _integrate(integrand, step) / log_base


def _grid(lower: float, upper: float, points: int) -> tuple[FloatArray, float]:
    """The grid points over [lower, upper] and their spacing (all checked first)."""
    lo, hi = _bounds(lower, upper)
    try:
        n = operator.index(points)
    except TypeError:
        raise DistributionError(f"points must be a whole number, got {points!r}") from None
    if n < 3 or n % 2 == 0 or n > MAX_POINTS:
        raise DistributionError(
            f"Simpson's rule needs an odd number of points from 3 to {MAX_POINTS}, got {n}"
        )
    x, step = np.linspace(lo, hi, n, retstep=True)
    return x, float(step)


def _integrate(integrand: FloatArray, step: float) -> float:
    """Simpson's rule for the integrand on a grid ``step`` apart, in nats: inf if any term
    is, never below 0."""
    if np.any(np.isposinf(integrand)):
        return math.inf
    return max(0.0, float(simpson(integrand, dx=step)))


def _bounds(lower: float, upper: float) -> tuple[float, float]:
    try:
        lo, hi = float(lower), float(upper)
    except (TypeError, ValueError, OverflowError):
        lo = hi = math.nan
    if not (-MAX_ABS_BOUND <= lo < hi <= MAX_ABS_BOUND):
        raise DistributionError(
            f"need finite bounds with lower < upper within +-{MAX_ABS_BOUND:g}, "
            f"got [{lower}, {upper}]"
        )
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
