"""Closed-form KL divergences between Gaussians (results in nats unless ``base`` is given).

Supported inputs: means of magnitude at most 1e100 and standard deviations (or
covariance eigenvalues' square roots) from 1e-50 to 1e50, where every term fits in a float.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.linalg import solve_triangular

from kl.errors import DistributionError
from kl.measures.distributions import as_float_array, check_base, finite_number, positive_number

ArrayLike = float | Sequence[float] | npt.NDArray[np.floating]


def kl_normal(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, base: float = math.e
) -> float:
    """KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) for univariate normals.

    sigma1 and sigma2 are standard deviations. Supported: |mu| <= 1e100, sigmas from
    1e-50 to 1e50. Raises DistributionError for a mean that is not finite or a sigma
    that is not positive and finite.
    """
    log_base = check_base(base)
    m1, m2 = finite_number("mu1", mu1), finite_number("mu2", mu2)
    s1, s2 = positive_number("sigma1", sigma1), positive_number("sigma2", sigma2)
    log_ratio = math.log(s2 / s1)
    # sigma ratio term r - 1 - log r with r = (s1/s2)^2, written to avoid cancellation.
    variance_term = 0.5 * (math.expm1(-2 * log_ratio) + 2 * log_ratio)
    mean_term = 0.5 * ((m1 - m2) / s2) ** 2
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
    if not np.allclose(mat, mat.T, rtol=1e-10, atol=1e-12):
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

    Uses Cholesky factors throughout (no explicit inverse). Supported: mean entries of
    magnitude at most 1e100, covariance eigenvalues from 1e-100 to 1e100 (beyond them,
    a divergence too large for a float is inf). Raises
    DistributionError for mismatched shapes, non-finite entries, or a covariance that is
    not symmetric positive definite.
    """
    log_base = check_base(base)
    m1, m2 = _vector("mu1", mu1), _vector("mu2", mu2)
    if m1.size != m2.size:
        raise DistributionError(f"mu1 and mu2 have different lengths ({m1.size} and {m2.size})")
    k = m1.size
    l1, l2 = _cholesky("cov1", cov1, k), _cholesky("cov2", cov2, k)
    whitened = solve_triangular(l2, l1, lower=True)
    diff = solve_triangular(l2, m2 - m1, lower=True)
    with np.errstate(over="ignore"):  # beyond the supported range a term may be inf
        trace = float(np.sum(whitened**2))
        mahalanobis = float(diff @ diff)
    log_det_ratio = 2.0 * float(np.sum(np.log(np.diag(l2))) - np.sum(np.log(np.diag(l1))))
    return max(0.0, 0.5 * (trace + mahalanobis - k + log_det_ratio)) / log_base


def standard_normal_kl_terms(mu: npt.ArrayLike, sigma: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """KL(N(mu, sigma^2) || N(0, 1)) in nats, elementwise over arrays of means and
    (positive) standard deviations: 0.5 (mu^2 + sigma^2 - 1 - ln sigma^2), with the sigma
    part written to keep its accuracy near sigma = 1. Unchecked; see the supported range."""
    m, log_var = np.asarray(mu, dtype=np.float64), 2.0 * np.log(sigma)
    result: npt.NDArray[np.float64] = 0.5 * (m * m + np.maximum(np.expm1(log_var) - log_var, 0.0))
    return result


def kl_to_standard_normal(mu: ArrayLike, sigma: ArrayLike, *, base: float = math.e) -> float:
    """The VAE's KL term, KL(N(mu, diag(sigma^2)) || N(0, I)), summed over dimensions.

    ``mu`` and ``sigma`` are the encoder's means and standard deviations (scalars or
    equal-length vectors); sigma must be positive. Equals
    0.5 * sum(mu^2 + sigma^2 - 1 - log sigma^2). Supported: |mu| <= 1e100, sigma from
    1e-50 to 1e50. Raises DistributionError for non-finite entries, a sigma that is not
    positive, or lengths that differ.
    """
    log_base = check_base(base)
    m = _vector("mu", mu)
    s = _vector("sigma", sigma)
    if m.shape != s.shape:
        raise DistributionError(f"mu and sigma have different lengths ({m.size} and {s.size})")
    if np.any(s <= 0):
        raise DistributionError("sigma must be positive in every dimension")
    return math.fsum(standard_normal_kl_terms(m, s)) / log_base
