"""Entropy, cross-entropy and KL divergence of discrete distributions.

Every function takes ``base`` (default e, so results are in nats; base=2 gives bits)
and accepts a sequence/array of probabilities or a mapping from outcome to probability
(see `kl.measures.distributions`). Bad input raises `kl.errors.DistributionError`.
"""

from __future__ import annotations

import math

import numpy as np

from kl.measures.distributions import FloatArray, Probabilities, align, as_distribution, check_base


def log_ratio(p: FloatArray, q: FloatArray) -> FloatArray:
    """Natural log of p/q, elementwise, for strictly positive p and q, to within rounding
    of the result however close p and q are.

    Where p is within a factor 2 of q it is log1p((p - q) / q), p - q being exact there
    (a ratio a few units off 1 keeps its digits, which log(p/q) would round away);
    elsewhere log(p/q) where the ratio is a normal float, and log(p) - log(q) where p/q
    would overflow or underflow, so probabilities down to the smallest subnormal give
    finite results.
    """
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        ratio = p / q
        safe = np.isfinite(ratio) & (ratio >= np.finfo(np.float64).tiny)
        close = (p >= q / 2) & (p <= 2 * q)
        direct = np.log(np.where(safe, ratio, 1.0))
        near_one = np.log1p(np.where(close, (p - q) / q, 0.0))
        fallback = np.log(p) - np.log(q)
    result: FloatArray = np.where(close, near_one, np.where(safe, direct, fallback))
    return result


# Below this |p - q| / q a divergence term is summed from its series, which cancels nothing.
SERIES_BELOW = 1e-3


def divergence_terms(p: FloatArray, q: FloatArray) -> FloatArray:
    """p log(p/q) - (p - q), elementwise, for strictly positive p and q: each term >= 0 and
    exact to a few units of rounding of itself, however close q is to p.

    With d = (p - q) / q the term is q((1 + d) log1p(d) - d) = q(d²/2 - d³/6 + d⁴/12 - ...);
    where |d| < SERIES_BELOW the series (to d⁶, truncated below 10⁻¹⁶ of the term) is used,
    as p log(p/q) and p - q there agree in all but the last few of their digits.
    """
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        d = (p - q) / q
        series = q * d * d * (0.5 - d * (1 / 6 - d * (1 / 12 - d * (1 / 20 - d / 30))))
    general = p * log_ratio(p, q) - (p - q)
    result: FloatArray = np.maximum(np.where(np.abs(d) < SERIES_BELOW, series, general), 0.0)
    return result


def _nonnegative_sum(terms: FloatArray) -> float:
    return max(0.0, math.fsum(terms))


def entropy(p: Probabilities, *, base: float = math.e, normalize: bool = False) -> float:
    """Shannon entropy H(P) = -sum p log p, in units of log(base) (nats by default).

    Outcomes with p = 0 contribute 0. Never negative.
    """
    log_base = check_base(base)
    pv = as_distribution(p, name="p", normalize=normalize)
    nz = pv[pv > 0]
    return _nonnegative_sum(-nz * np.log(nz)) / log_base


def cross_entropy(
    p: Probabilities, q: Probabilities, *, base: float = math.e, normalize: bool = False
) -> float:
    """Cross-entropy H(P, Q) = -sum p log q, in units of log(base).

    Outcomes with p = 0 contribute 0; q = 0 where p > 0 gives math.inf.
    """
    log_base = check_base(base)
    pv, qv = align(p, q, normalize=normalize)
    support = pv > 0
    if np.any(qv[support] == 0):
        return math.inf
    return _nonnegative_sum(-pv[support] * np.log(qv[support])) / log_base


def kl_terms(p: Probabilities, q: Probabilities, *, base: float = math.e) -> FloatArray:
    """The signed per-outcome terms p log(p/q) whose sum is KL(P||Q), in units of log(base).

    A term is 0 where p = 0, +inf where q = 0 < p, and negative where q > p. Used for
    worked tables; `kl_divergence` sums a rearranged, never-negative form.
    """
    log_base = check_base(base)
    pv, qv = align(p, q)
    terms = np.zeros_like(pv)
    both = (pv > 0) & (qv > 0)
    terms[both] = pv[both] * log_ratio(pv[both], qv[both]) / log_base
    terms[(pv > 0) & (qv == 0)] = math.inf
    return terms


def kl_divergence(
    p: Probabilities, q: Probabilities, *, base: float = math.e, normalize: bool = False
) -> float:
    """Kullback-Leibler divergence KL(P||Q) = sum p log(p/q), in units of log(base).

    The expected number of extra nats (bits with base=2) per symbol when data drawn from
    P are encoded with a code built for Q. Terms with p = 0 contribute 0; q = 0 where
    p > 0 gives math.inf. Computed as the sum of `divergence_terms`, p log(p/q) - (p - q),
    each >= 0 and exact to rounding of itself, so rounding can never make the result
    negative, and a Q within rounding of P still gets its divergence to rounding of its
    own size; for distributions that sum to 1 the extra terms cancel.
    """
    log_base = check_base(base)
    pv, qv = align(p, q, normalize=normalize)
    support = pv > 0
    if np.any(qv[support] == 0):
        return math.inf
    ps, qs = pv[support], qv[support]
    terms = divergence_terms(ps, qs)
    return _nonnegative_sum(np.concatenate([terms, qv[~support]])) / log_base
