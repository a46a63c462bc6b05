"""Closed-form KL divergences between Gaussians (results in nats unless ``base`` is given)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kl.distributions import as_float_array, check_base, finite_number, positive_number
from kl.errors import DistributionError

ArrayLike = float | Sequence[float] | npt.NDArray[np.floating]


def kl_normal(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, base: float = math.e
) -> float:
    """KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) for univariate normals.

    sigma1 and sigma2 are standard deviations and must be positive and finite.
    """
    log_base = check_base(base)
    m1, m2 = finite_number("mu1", mu1), finite_number("mu2", mu2)
    s1, s2 = positive_number("sigma1", sigma1), positive_number("sigma2", sigma2)
    ratio = s2 / s1
    log_ratio = math.log(ratio) if 0 < ratio < math.inf else math.log(s2) - math.log(s1)
    # sigma ratio term r - 1 - log r with r = (s1/s2)^2, written to avoid cancellation;
    # it exceeds the largest float when r does.
    try:
        variance_term = 0.5 * (math.expm1(-2 * log_ratio) + 2 * log_ratio)
    except OverflowError:
        variance_term = math.inf
    diff = m1 - m2
    # The means' difference can exceed the largest float while z does not: halve first then.
    z = diff / s2 if math.isfinite(diff) else 2.0 * ((0.5 * m1 - 0.5 * m2) / s2)
    mean_term = 0.5 * z * z
    return max(0.0, variance_term + mean_term) / log_base


def _vector(name: str, value: ArrayLike) -> npt.NDArray[np.float64]:
    vec = np.atleast_1d(as_float_array(value, name))
    if vec.ndim != 1:
        raise DistributionError(f"{name} must be a vector, got shape {vec.shape}")
    if not np.all(np.isfinite(vec)):
        raise DistributionError(f"{name} must have finite entries")
    return vec


def _cholesky(name: str, cov: npt.ArrayLike, k: int) -> npt.NDArray[np.float64]:
    mat = np.atleast_2d(as_float_array(cov, name))
    if mat.shape != (k, k):
        raise DistributionError(f"{name} must be {k}x{k} to match the mean, got shape {mat.shape}")
    if not np.all(np.isfinite(mat)):
        raise DistributionError(f"{name} must have finite entries")
    with np.errstate(over="ignore"):  # entries of opposite sign near the largest float
        symmetric = np.allclose(mat, mat.T, rtol=1e-10, atol=1e-12)
    if not symmetric:
        raise DistributionError(f"{name} is not symmetric")
    try:
        return np.asarray(np.linalg.cholesky(mat), dtype=np.float64)
    except np.linalg.LinAlgError:
        raise DistributionError(f"{name} is not positive definite") from None


def kl_mvn(
    mu1: ArrayLike,
    cov1: npt.ArrayLike,
    mu2: ArrayLike,
    cov2: npt.ArrayLike,
    *,
    base: float = math.e,
) -> float:
    """KL(N(mu1, cov1) || N(mu2, cov2)) for k-dimensional normals with full covariances.

    Uses Cholesky factors throughout (no explicit inverse). Raises DistributionError for
    mismatched shapes, non-finite entries, a covariance that is not symmetric positive
    definite, or covariances so far apart in scale that cov2 cannot whiten cov1 in
    floating point. A divergence beyond the largest float is math.inf.
    """
    log_base = check_base(base)
    m1, m2 = _vector("mu1", mu1), _vector("mu2", mu2)
    if m1.size != m2.size:
        raise DistributionError(f"mu1 and mu2 have different lengths ({m1.size} and {m2.size})")
    k = m1.size
    l1, l2 = _cholesky("cov1", cov1, k), _cholesky("cov2", cov2, k)
    # Sums of squares may overflow to inf, which is then the answer; halving the means
    # keeps their difference finite.
    with np.errstate(over="ignore"):
        try:
            whitened = np.linalg.solve(l2, l1)
            half_diff = np.linalg.solve(l2, 0.5 * m2 - 0.5 * m1)
        except np.linalg.LinAlgError:
            raise DistributionError("cov2 cannot whiten cov1 in floating point") from None
        trace = float(np.sum(whitened**2))
        mahalanobis = 4.0 * float(half_diff @ half_diff)
    if math.isnan(trace) or math.isnan(mahalanobis):
        raise DistributionError("cov2 cannot whiten cov1 in floating point")
    log_det_ratio = 2.0 * float(np.sum(np.log(np.diag(l2))) - np.sum(np.log(np.diag(l1))))
    return max(0.0, 0.5 * (trace + mahalanobis - k + log_det_ratio)) / log_base


def kl_to_standard_normal(mu: ArrayLike, sigma: ArrayLike, *, base: float = math.e) -> float:
    """The VAE's KL term, KL(N(mu, diag(sigma^2)) || N(0, I)), summed over dimensions.

    ``mu`` and ``sigma`` are the encoder's means and standard deviations (scalars or
    equal-length vectors); sigma must be positive. Equals
    0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2).
    """
    log_base = check_base(base)
    m = _vector("mu", mu)
    s = _vector("sigma", sigma)
    if m.shape != s.shape:
        raise DistributionError(f"mu and sigma have different lengths ({m.size} and {s.size})")
    if np.any(s <= 0):
        raise DistributionError("sigma must be positive in every dimension")
    log_var = 2.0 * np.log(s)
    with np.errstate(over="ignore"):  # a term beyond the largest float is inf, and so is KL
        terms = 0.5 * m * m + 0.5 * np.maximum(np.expm1(log_var) - log_var, 0.0)
    try:
        total = math.fsum(terms)
    except OverflowError:  # finite, non-negative terms whose sum exceeds the largest float
        total = math.inf
    return total / log_base
