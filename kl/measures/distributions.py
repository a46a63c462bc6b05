"""Turn user input into validated probability vectors.

A distribution is given either as a sequence/array of probabilities or as a mapping
from outcome to probability. Two mappings are aligned by key; an outcome missing on
one side has probability 0 there.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from kl.errors import DistributionError

Probabilities: TypeAlias = Mapping[Any, float] | Sequence[float] | npt.NDArray[np.floating]
FloatArray: TypeAlias = npt.NDArray[np.float64]

SUM_TOLERANCE = 1e-9


def finite_number(name: str, value: float) -> float:
    """``value`` as a float; DistributionError naming ``name`` unless it is a finite number."""
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        raise DistributionError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise DistributionError(f"{name} must be finite, got {value!r}")
    return x


def positive_number(name: str, value: float) -> float:
    """``value`` as a float; DistributionError naming ``name`` unless finite and > 0."""
    x = finite_number(name, value)
    if x <= 0:
        raise DistributionError(f"{name} must be positive, got {value!r}")
    return x


def check_base(base: float) -> float:
    """Return ``log(base)``; raise DistributionError unless base is finite, > 0 and != 1."""
    try:
        b = float(base)
    except (TypeError, ValueError, OverflowError):
        raise DistributionError(f"base must be a number, got {base!r}") from None
    if not math.isfinite(b) or b <= 0 or b == 1:
        raise DistributionError(f"base must be finite, positive and not 1, got {base!r}")
    return math.log(b)


def _labels(n: int, keys: Sequence[Hashable] | None) -> list[str]:
    if keys is None:
        return [f"index {i}" for i in range(n)]
    return [f"outcome {k!r}" for k in keys]


def as_float_array(values: object, name: str) -> FloatArray:
    """``values`` as a float64 array (any shape); DistributionError naming ``name`` if it
    holds anything that is not a real number a float can hold (text, None, 10**400, ...)."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise DistributionError(f"{name}: entries must be numbers ({exc})") from None


def _to_vector(values: object, name: str, keys: Sequence[Hashable] | None) -> FloatArray:
    vec = as_float_array(values, name)
    if vec.ndim != 1:
        raise DistributionError(
            f"{name}: expected a flat list of probabilities, got shape {vec.shape}"
        )
    if vec.size == 0:
        raise DistributionError(f"{name}: is empty; a distribution needs at least one outcome")
    where = _labels(vec.size, keys)
    for i, x in enumerate(vec):
        if math.isnan(x):
            raise DistributionError(f"{name}: {where[i]} is NaN")
        if math.isinf(x):
            raise DistributionError(f"{name}: {where[i]} is infinite ({x})")
        if x < 0:
            raise DistributionError(f"{name}: {where[i]} is negative ({float(x)!r})")
    return vec


def _check_sum(vec: FloatArray, name: str, normalize: bool) -> FloatArray:
    try:
        total = math.fsum(vec)
    except OverflowError:  # finite entries whose sum exceeds the largest float
        total = math.inf
    if normalize:
        if total == math.inf:
            vec = vec / vec.max()
            total = math.fsum(vec)
        if total <= 0 or not math.isfinite(total):
            raise DistributionError(f"{name}: cannot normalise, the entries sum to {total!r}")
        return vec / total
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise DistributionError(
            f"{name}: probabilities sum to {total!r}, not 1 (tolerance {SUM_TOLERANCE:g}); "
            "pass normalize=True to rescale"
        )
    return vec


def as_distribution(p: Probabilities, *, name: str = "p", normalize: bool = False) -> FloatArray:
    """Validate one distribution and return it as a float64 vector.

    Raises DistributionError naming ``name`` and the offending index or outcome for a
    negative, NaN or infinite entry, an empty input, or a sum that is not 1 within 1e-9
    (unless ``normalize`` is true, which rescales instead).
    """
    if isinstance(p, Mapping):
        keys = list(p.keys())
        vec = _to_vector([p[k] for k in keys], name, keys)
    else:
        vec = _to_vector(p, name, None)
    return _check_sum(vec, name, normalize)


def align(
    p: Probabilities, q: Probabilities, *, normalize: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Validate two distributions over the same outcomes and return them as aligned vectors.

    Mappings are aligned by key (p's order first, then outcomes only q has); an outcome
    missing on one side has probability 0 there. Sequences are aligned by position and
    must have the same length. Mixing a mapping with a sequence is an error.
    """
    if isinstance(p, Mapping) != isinstance(q, Mapping):
        raise DistributionError("p and q must both be mappings or both be sequences")
    if isinstance(p, Mapping) and isinstance(q, Mapping):
        keys = list(dict.fromkeys([*p.keys(), *q.keys()]))
        p = {k: p.get(k, 0.0) for k in keys}
        q = {k: q.get(k, 0.0) for k in keys}
    pv = as_distribution(p, name="p", normalize=normalize)
    qv = as_distribution(q, name="q", normalize=normalize)
    if pv.size != qv.size:
        raise DistributionError(
            f"p and q have different lengths ({pv.size} and {qv.size}); "
            "they must describe the same outcomes"
        )
    return pv, qv
