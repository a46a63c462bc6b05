"""The probability simplex of three outcomes: a grid of its distributions, KL divergence
over many distributions at once, and ternary (triangle) coordinates for drawing it."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import rel_entr

from kl.errors import DistributionError
from kl.measures.distributions import SUM_TOLERANCE, FloatArray, check_base

SQRT3_HALF = math.sqrt(3) / 2


def simplex_grid(divisions: int) -> FloatArray:
    """Every distribution over three outcomes whose probabilities are multiples of
    1/``divisions``, corners and edges included: shape ((d + 1)(d + 2)/2, 3).

    Raises DistributionError unless ``divisions`` is a whole number >= 1.
    """
    if isinstance(divisions, bool) or not isinstance(divisions, int) or divisions < 1:
        raise DistributionError(f"divisions must be a whole number >= 1, got {divisions!r}")
    i, j = np.meshgrid(np.arange(divisions + 1), np.arange(divisions + 1), indexing="ij")
    keep = i + j <= divisions
    counts = np.stack([i[keep], j[keep], divisions - i[keep] - j[keep]], axis=1)
    grid: FloatArray = counts / divisions
    return grid


def _rows(name: str, value: npt.ArrayLike) -> FloatArray:
    rows = np.atleast_2d(np.asarray(value, dtype=np.float64))
    if rows.ndim != 2:
        raise DistributionError(f"{name}: expected one distribution per row, got {rows.shape}")
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise DistributionError(f"{name}: probabilities must be finite and non-negative")
    if np.any(np.abs(rows.sum(axis=1) - 1.0) > SUM_TOLERANCE):
        raise DistributionError(f"{name}: every row must sum to 1 (tolerance {SUM_TOLERANCE:g})")
    return rows


def kl_rows(p: npt.ArrayLike, q: npt.ArrayLike, *, base: float = math.e) -> FloatArray:
    """KL(P_i || Q_i) for each row i, in units of log(base) (nats by default), vectorised.

    ``p`` and ``q`` are distributions, one per row (a single row broadcasts against
    many). Same conventions as `kl.measures.discrete.kl_divergence`: terms with p = 0 are 0, and
    q = 0 where p > 0 gives inf (each row's terms are `scipy.special.rel_entr`). Raises
    DistributionError for rows that are not distributions or shapes that do not broadcast.
    """
    log_base = check_base(base)
    pv, qv = _rows("p", p), _rows("q", q)
    try:
        pv, qv = np.broadcast_arrays(pv, qv)
    except ValueError:
        raise DistributionError(f"p and q do not broadcast: {pv.shape} and {qv.shape}") from None
    result: FloatArray = np.maximum(rel_entr(pv, qv).sum(axis=1), 0.0) / log_base
    return result


def ternary_xy(points: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Cartesian (x, y) of distributions over three outcomes in an equilateral triangle.

    Outcome 0's corner is (0, 0), outcome 1's is (1, 0) and outcome 2's is
    (1/2, sqrt(3)/2); a distribution sits at the probability-weighted mean of the corners.
    Raises DistributionError for rows that are not distributions over three outcomes.
    """
    rows = _rows("points", points)
    if rows.shape[1] != 3:
        raise DistributionError(f"points: need three outcomes per row, got {rows.shape[1]}")
    x: FloatArray = rows[:, 1] + 0.5 * rows[:, 2]
    y: FloatArray = SQRT3_HALF * rows[:, 2]
    return x, y


def simplex_from_xy(x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
    """The inverse of `ternary_xy`: the distribution at each Cartesian point, shape (N, 3).

    Points outside the triangle are pulled onto it (negative coordinates set to 0, the
    rest rescaled to sum to 1), so a raster covering the triangle's bounding box has a
    value everywhere and can be clipped to the triangle afterwards. Raises
    DistributionError for coordinates that are not finite or shapes that differ.
    """
    xs = np.ravel(np.asarray(x, dtype=np.float64))
    ys = np.ravel(np.asarray(y, dtype=np.float64))
    if xs.shape != ys.shape:
        raise DistributionError(f"x and y have different sizes ({xs.size} and {ys.size})")
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        raise DistributionError("x and y must be finite")
    third = ys / SQRT3_HALF
    second = xs - 0.5 * third
    points = np.clip(np.stack([1.0 - second - third, second, third], axis=1), 0.0, None)
    result: FloatArray = points / points.sum(axis=1, keepdims=True)
    return result
