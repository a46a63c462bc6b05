"""Hypothesis strategies shared by the tests of `kl`: probability vectors and pairs of them."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from hypothesis import assume
from hypothesis import strategies as st

FloatArray = npt.NDArray[np.float64]

# Weights from 0 (and the smallest subnormals) up to 1, so that normalised vectors mix
# zeros, probabilities near 1e-300 and ordinary ones.
weights = st.floats(min_value=0.0, max_value=1.0)
positive_weights = st.floats(min_value=1e-300, max_value=1.0)


def _normalised(raw: list[float]) -> FloatArray:
    w = np.asarray(raw, dtype=np.float64)
    total = math.fsum(w)
    assume(total > 1e-290)
    p: FloatArray = w / total
    assume(abs(math.fsum(p) - 1.0) <= 1e-12)
    return p


@st.composite
def distributions(
    draw: st.DrawFn, *, min_size: int = 1, max_size: int = 12, zeros: bool = True
) -> FloatArray:
    """A probability vector; with ``zeros`` some entries may be exactly 0."""
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    elements = weights if zeros else positive_weights
    return _normalised(draw(st.lists(elements, min_size=n, max_size=n)))


@st.composite
def distribution_pairs(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 12,
    p_zeros: bool = True,
    q_zeros: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Two probability vectors over the same outcomes.

    By default q is strictly positive (so KL(P||Q) is finite) and p may have zeros.
    """
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    p = _normalised(
        draw(st.lists(weights if p_zeros else positive_weights, min_size=n, max_size=n))
    )
    q = _normalised(
        draw(st.lists(weights if q_zeros else positive_weights, min_size=n, max_size=n))
    )
    return p, q


@st.composite
def nearly_equal_pairs(
    draw: st.DrawFn, *, max_size: int = 12, max_relative_change: float = 1e-12
) -> tuple[FloatArray, FloatArray]:
    """P and a Q made from P by relative changes of at most ``max_relative_change``."""
    p = draw(distributions(min_size=2, max_size=max_size, zeros=False))
    changes = draw(
        st.lists(
            st.floats(min_value=-max_relative_change, max_value=max_relative_change),
            min_size=p.size,
            max_size=p.size,
        )
    )
    return p, _normalised(list(p * (1.0 + np.asarray(changes))))
