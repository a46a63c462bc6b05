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


# Characters an author may put in a name: letters the figure font has, and every character
# that means something to HTML, Markdown, Jinja or TeX.
NAME_ALPHABET = "AbcXyz éøßÜ 0129 <>&\"'`*_~|$#\\{}[]()!:;=+-%@/."
MARKUP_CHARACTERS = frozenset("<>&\"'`*_~|$#\\{}[]!")


def _increasing(draw: st.DrawFn, lo: int, hi: int, most: int) -> list[int]:
    return sorted(draw(st.sets(st.integers(lo, hi), min_size=1, max_size=most)))


@st.composite
def lecture_data(draw: st.DrawFn) -> dict[str, object]:
    """A lecture data file (as parsed TOML) anywhere inside the ranges docs/data/lecture.toml
    documents: 3 to 12 outcomes with names of up to 40 characters full of markup characters,
    probabilities with zeros and tiny ones, every knob of every section.

    A few draws fall foul of a rule no range states (e.g. two curves too far apart to
    integrate); the caller rejects those with ``assume`` after validating.
    """
    from kl.lecture import data as limits

    n = draw(st.integers(limits.MIN_OUTCOMES, limits.MAX_OUTCOMES))
    name = st.text(NAME_ALPHABET, min_size=1, max_size=limits.MAX_NAME_LENGTH).filter(str.strip)
    names = draw(st.lists(name, min_size=n, max_size=n, unique=True))
    weight = st.one_of(st.integers(0, 1000), st.sampled_from([1e-300, 1e-12]))

    def distribution(min_positive: int) -> dict[str, float]:
        w = draw(st.lists(weight, min_size=n, max_size=n))
        assume(sum(1 for x in w if x >= 1) >= min_positive)
        total = math.fsum(w)
        return {k: x / total for k, x in zip(names, w, strict=True)}

    def normal() -> dict[str, float]:
        return {
            "mean": draw(st.floats(-limits.MEAN_LIMIT, limits.MEAN_LIMIT)),
            "sd": draw(st.floats(*limits.SD_RANGE)),
        }

    steps = draw(st.integers(1, limits.MAX_STEPS))
    return {
        "forest": {"p": distribution(2), "q": distribution(1)},
        "curves": {"p": normal(), "good": normal(), "poor": normal()},
        "coding": {
            "seed": draw(st.integers(0, limits.MAX_SEED)),
            "sample_sizes": _increasing(draw, 1, limits.MAX_SAMPLE_SIZE, limits.MAX_SAMPLE_SIZES),
            "repeats": draw(st.integers(1, limits.MAX_REPEATS)),
            "block_sizes": _increasing(draw, 1, limits.MAX_BLOCK_SIZE, limits.MAX_BLOCK_SIZE),
        },
        "extremes": {
            "path_steps": sorted(
                draw(
                    st.sets(
                        st.floats(0, 1, exclude_min=True, exclude_max=True),
                        min_size=1,
                        max_size=limits.MAX_PATH_STEPS,
                    )
                )
            )
        },
        "asymmetry": {"sharpening": draw(st.floats(1, limits.MAX_SHARPENING, exclude_min=True))},
        "fitting": {"separation": draw(st.floats(0, limits.MAX_SEPARATION))},
        "learning": {
            "steps": steps,
            "learning_rate": draw(
                st.floats(0, limits.LEARNING_RATE_LIMIT, exclude_min=True, exclude_max=True)
            ),
            "snapshot_steps": _increasing(draw, 1, limits.MAX_STEPS, limits.MAX_SNAPSHOTS),
        },
        "exercises": {
            "message_length": draw(st.integers(1, limits.MAX_MESSAGE_LENGTH)),
            "closer_factor": draw(st.floats(1, limits.MAX_CLOSER_FACTOR, exclude_min=True)),
        },
    }
