"""The coding view of KL divergence: code lengths, Huffman codes and the extra-bits experiment.

KL(P||Q) in bits is the expected number of extra bits per symbol when data drawn from P
are encoded with a code made for Q instead of one made for P. Distributions are mappings
from outcome name to probability; bad input raises `kl.errors.DistributionError`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from kl.errors import DistributionError
from kl.measures.discrete import kl_divergence
from kl.measures.distributions import FloatArray, align, as_distribution

BAND_PERCENTILES = (10.0, 90.0)


def ideal_code_lengths(p: Mapping[str, float]) -> dict[str, float]:
    """Ideal (Shannon) code length -log2 p(x) of each outcome, in bits.

    An outcome with p = 0 gets math.inf: an ideal code for P has no room for it. Raises
    DistributionError if p is not a valid distribution.
    """
    pv = as_distribution(p)
    with np.errstate(divide="ignore"):
        lengths = -np.log2(pv)
    return {k: float(length) for k, length in zip(p, lengths, strict=True)}


def exact(x: float) -> Fraction:
    """A probability as the decimal an author writes: 0.1 is exactly 1/10 (`repr`'s digits),
    so sums and products that tie on paper tie here too, whatever binary rounding did."""
    return Fraction(repr(float(x)))


Weight = tuple[int, ...]


def _whole(values: Sequence[Fraction]) -> list[int]:
    """Fractions scaled by their common denominator: whole numbers in the same ratios
    (Huffman's algorithm only compares and adds them, and integers do that fast)."""
    scale = math.lcm(*(v.denominator for v in values))
    return [v.numerator * (scale // v.denominator) for v in values]


def _huffman_lengths(weights: Sequence[Weight]) -> list[int]:
    """Codeword lengths from Huffman's algorithm on weights compared as tuples
    (lexicographically, added entry by entry); ties go to the node created first
    (the outcomes in order, then merged nodes in order of creation)."""
    lengths = [0] * len(weights)
    heap = [(w, i, [i]) for i, w in enumerate(weights)]
    heapq.heapify(heap)
    created = len(weights)
    while len(heap) > 1:
        w1, _, leaves1 = heapq.heappop(heap)
        w2, _, leaves2 = heapq.heappop(heap)
        for leaf in leaves1 + leaves2:
            lengths[leaf] += 1
        merged = tuple(a + b for a, b in zip(w1, w2, strict=True))
        heapq.heappush(heap, (merged, created, leaves1 + leaves2))
        created += 1
    return [max(length, 1) for length in lengths]


def huffman_length_range(p: Mapping[str, float], q: Mapping[str, float]) -> tuple[float, float]:
    """Fewest and most bits per symbol that P's data cost under the optimal codes for Q.

    Where Q's probabilities tie, Huffman's algorithm has choices, and the codes it can
    build are all optimal for Q (among complete prefix codes, every one giving each outcome
    a codeword) but need not cost the same on P's data. The extremes are Huffman codes for
    the weights (q, p) and (q, -p) compared lexicographically: Huffman's exchange argument
    holds for weights in any ordered group, so these minimise Q's expected length first and
    then P's (or minus P's). Probabilities are taken exactly (`exact`). ``p`` and ``q`` must
    list the same outcomes and be valid distributions (DistributionError otherwise).
    """
    low, high = _exact_length_range(*_aligned(p, q))
    return float(low), float(high)


def _exact_length_range(pa: Mapping[str, float], qa: Mapping[str, float]) -> list[Fraction]:
    """`huffman_length_range` as exact fractions, for aligned, validated ``pa`` and ``qa``."""
    pe = [exact(v) for v in pa.values()]
    pw, qw = _whole(pe), _whole([exact(v) for v in qa.values()])
    costs = []
    for sign in (1, -1):
        lengths = _huffman_lengths([(qx, sign * px) for qx, px in zip(qw, pw, strict=True)])
        costs.append(_exact_cost(pe, lengths))
    return costs


def _exact_cost(pe: Sequence[Fraction], lengths: Sequence[int]) -> Fraction:
    """The exact expected length sum of p(x) L(x) of exact probabilities ``pe``."""
    return sum((px * n for px, n in zip(pe, lengths, strict=True)), Fraction(0))


def _canonical_codewords(lengths: Sequence[int]) -> list[str]:
    """Canonical prefix code: outcomes sorted by (length, position) get consecutive numbers."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    codewords = [""] * len(lengths)
    value, previous = 0, lengths[order[0]]
    for i in order:
        value <<= lengths[i] - previous
        codewords[i] = format(value, f"0{lengths[i]}b")
        value += 1
        previous = lengths[i]
    return codewords


def huffman_code(p: Mapping[str, float]) -> dict[str, str]:
    """An optimal binary prefix code for P: outcome -> codeword of '0'/'1' characters.

    Codeword lengths come from Huffman's algorithm, with the probabilities taken exactly
    (`exact`); ties between equal weights go to the outcome earlier in ``p`` (merged
    nodes count as created after every outcome, in order of creation). Codewords are
    then assigned canonically: outcomes sorted by (length, position in ``p``) get
    consecutive binary numbers, so the shortest codeword is all zeros. Outcomes with
    p = 0 still get a (long) codeword, so data the code did not expect can be encoded;
    the code is optimal among prefix codes that give every listed outcome a codeword. A
    single outcome gets the codeword "0". Raises DistributionError if p is not a valid
    distribution.
    """
    pv = as_distribution(p)
    lengths = _huffman_lengths([(w,) for w in _whole([exact(w) for w in pv])])
    return dict(zip(p, _canonical_codewords(lengths), strict=True))


def codeword_lengths(code: Mapping[str, str]) -> dict[str, float]:
    """Length in bits of each codeword of a code given as outcome -> codeword."""
    return {k: float(len(word)) for k, word in code.items()}


def expected_length(code_lengths: Mapping[str, float], p: Mapping[str, float]) -> float:
    """Expected code length, in bits per symbol, of data drawn from P: sum of p(x) L(x).

    Outcomes with p = 0 contribute 0 (even if their length is infinite); an infinite
    length where p > 0 gives math.inf. Raises DistributionError if p is not a valid
    distribution, or if an outcome with p > 0 has no length or a negative or NaN one.
    """
    pv = as_distribution(p)
    terms = []
    for outcome, prob in zip(p, pv, strict=True):
        if prob == 0:
            continue
        if outcome not in code_lengths:
            raise DistributionError(f"code_lengths: no length for outcome {outcome!r}")
        length = float(code_lengths[outcome])
        if math.isnan(length) or length < 0:
            raise DistributionError(f"code_lengths: outcome {outcome!r} has length {length!r}")
        terms.append(prob * length)
    return math.fsum(terms)


@dataclass(frozen=True)
class CodingSummary:
    """P's data encoded with codes made for P and for Q; every length is in bits.

    ``entropy_bits`` = H(P) and ``cross_entropy_bits`` = H(P, Q) are the expected
    lengths of P's data under the ideal codes for P and for Q; ``ideal_extra_bits`` =
    KL(P||Q) is their difference. The ``huffman_*`` fields are the same for real prefix
    codes, whose extra bits are never negative but need not equal KL(P||Q).

    ``huffman_q`` is one optimal code for Q (ties broken as `huffman_code` says); where
    Q's probabilities tie, other optimal codes for Q can cost P's data more or fewer bits:
    ``huffman_extra_bits_low`` and ``huffman_extra_bits_high`` are the fewest and the most
    extra bits over all of them (`huffman_length_range`), with ``huffman_extra_bits``
    between the two.
    """

    outcomes: tuple[str, ...]
    ideal_lengths_p: dict[str, float]
    ideal_lengths_q: dict[str, float]
    huffman_p: dict[str, str]
    huffman_q: dict[str, str]
    entropy_bits: float
    cross_entropy_bits: float
    ideal_extra_bits: float
    huffman_length_p: float
    huffman_length_q: float
    huffman_extra_bits: float
    huffman_extra_bits_low: float
    huffman_extra_bits_high: float


def _aligned(
    p: Mapping[str, float], q: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Validate p and q and return both over the union of their outcomes (p's order first)."""
    pv, qv = align(p, q)
    outcomes = list(dict.fromkeys([*p, *q]))
    return (
        dict(zip(outcomes, map(float, pv), strict=True)),
        dict(zip(outcomes, map(float, qv), strict=True)),
    )


def coding_summary(p: Mapping[str, float], q: Mapping[str, float]) -> CodingSummary:
    """Code lengths, Huffman codes and expected lengths of P's data under P's and Q's codes.

    An outcome missing from one mapping has probability 0 there. If Q gives probability
    0 to an outcome P allows, the ideal lengths under Q (and KL) are math.inf, while
    Q's Huffman code still encodes it. Raises DistributionError for invalid p or q.
    """
    pa, qa = _aligned(p, q)
    ideal_p, ideal_q = ideal_code_lengths(pa), ideal_code_lengths(qa)
    huffman_p, huffman_q = huffman_code(pa), huffman_code(qa)
    pe = [exact(v) for v in pa.values()]
    own = _exact_cost(pe, [len(huffman_p[x]) for x in pa])
    shown = _exact_cost(pe, [len(huffman_q[x]) for x in pa])
    low, high = _exact_length_range(pa, qa)
    return CodingSummary(
        outcomes=tuple(pa),
        ideal_lengths_p=ideal_p,
        ideal_lengths_q=ideal_q,
        huffman_p=huffman_p,
        huffman_q=huffman_q,
        entropy_bits=expected_length(ideal_p, pa),
        cross_entropy_bits=expected_length(ideal_q, pa),
        ideal_extra_bits=kl_divergence(pa, qa, base=2),
        huffman_length_p=float(own),
        huffman_length_q=float(shown),
        huffman_extra_bits=float(shown - own),
        huffman_extra_bits_low=float(low - own),
        huffman_extra_bits_high=float(high - own),
    )


@dataclass(frozen=True)
class ExtraBitsExperiment:
    """Measured extra bits per symbol when samples of P are encoded with Q's code.

    Entry i of each sequence belongs to ``sample_sizes[i]``. ``*_mean`` is the mean over
    the repeats of (bits under Q's code - bits under P's code) / n; ``*_low`` and
    ``*_high`` are the 10th and 90th percentiles over the repeats (equal to the mean
    when repeats == 1). ``kl_bits`` = KL(P||Q) is where the ideal figures converge;
    ``huffman_expected_extra_bits`` is where the Huffman figures converge.

    ``ruled_out`` lists the outcomes P allows that Q gives probability 0. If there are
    any, Q's ideal code has no codeword for them: KL(P||Q) and every ideal figure are
    math.inf (not measured), while the Huffman figures, whose code still has a codeword
    for every outcome, are measured as usual.
    """

    sample_sizes: tuple[int, ...]
    repeats: int
    seed: int
    kl_bits: float
    huffman_expected_extra_bits: float
    ideal_mean: tuple[float, ...]
    ideal_low: tuple[float, ...]
    ideal_high: tuple[float, ...]
    huffman_mean: tuple[float, ...]
    huffman_low: tuple[float, ...]
    huffman_high: tuple[float, ...]
    ruled_out: tuple[str, ...]


def ruled_out(p: Mapping[str, float], q: Mapping[str, float]) -> tuple[str, ...]:
    """The outcomes P allows (p > 0) that Q rules out (q = 0), in P's order: the outcomes
    that make KL(P||Q) infinite. An outcome missing from ``q`` counts as q = 0. Raises
    DistributionError for invalid p or q."""
    pa, qa = _aligned(p, q)
    return tuple(x for x, px in pa.items() if px > 0 and qa[x] == 0)


def _check_sizes(sample_sizes: Sequence[int], repeats: int) -> tuple[int, ...]:
    sizes = tuple(sample_sizes)
    if not sizes:
        raise DistributionError("sample_sizes is empty; give at least one sample size")
    for n in (*sizes, repeats):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise DistributionError(
                f"sample sizes and repeats must be positive integers, got {n!r}"
            )
    return tuple(int(n) for n in sizes)


def _prefix_counts(
    pv: FloatArray, sizes: tuple[int, ...], repeats: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Counts of each outcome among the first n draws, shape (repeats, len(sizes), outcomes)."""
    order = np.argsort(sizes, kind="stable")
    stretches = np.diff(np.array(sizes)[order], prepend=0)
    counts: npt.NDArray[np.int64] = rng.multinomial(
        stretches, pv / pv.sum(), size=(repeats, len(sizes))
    ).cumsum(axis=1)
    return counts[:, np.argsort(order)]


def _measured(
    per_symbol: FloatArray, counts: npt.NDArray[np.int64], sizes: tuple[int, ...]
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Mean and percentile band over repeats of the extra bits per symbol at each size."""
    per_run = counts @ per_symbol / np.array(sizes)
    low, high = np.percentile(per_run, BAND_PERCENTILES, axis=0)
    return tuple(map(float, per_run.mean(axis=0))), tuple(map(float, low)), tuple(map(float, high))


def extra_bits_experiment(
    p: Mapping[str, float],
    q: Mapping[str, float],
    sample_sizes: Sequence[int],
    *,
    seed: int,
    repeats: int = 20,
) -> ExtraBitsExperiment:
    """Draw samples from P, encode them with Q's code and P's code, measure the extra bits.

    Each of ``repeats`` independent runs is one stream of max(sample_sizes) symbols from
    P; the value for size n is measured on the first n symbols, so within a run the
    sizes nest and the curve is a running average. An encoded stream's length depends
    only on how often each outcome occurs, so the counts in each stretch between
    consecutive sizes are drawn directly from the multinomial distribution (the same
    distribution as drawing symbol by symbol, at a cost independent of n), with
    ``numpy.random.default_rng(seed)``. Ideal code lengths (-log2) and Huffman codes are
    measured on the same draws. If Q gives probability 0 to an outcome P allows, the ideal
    figures are math.inf (see `ExtraBitsExperiment`). Raises DistributionError for invalid
    p or q, and for sizes or repeats that are not positive integers.
    """
    sizes = _check_sizes(sample_sizes, repeats)
    pa, qa = _aligned(p, q)
    summary = coding_summary(pa, qa)
    impossible = ruled_out(pa, qa)
    ideal_extra = np.zeros(len(pa))
    huffman_extra = np.zeros(len(pa))
    for i, (outcome, prob) in enumerate(pa.items()):
        if prob > 0 and qa[outcome] > 0:
            ideal_extra[i] = math.log2(prob / qa[outcome])
        huffman_extra[i] = len(summary.huffman_q[outcome]) - len(summary.huffman_p[outcome])
    counts = _prefix_counts(
        np.array(list(pa.values())), sizes, repeats, np.random.default_rng(seed)
    )
    unmeasured = (math.inf,) * len(sizes)
    ideal = (unmeasured,) * 3 if impossible else _measured(ideal_extra, counts, sizes)
    huffman = _measured(huffman_extra, counts, sizes)
    return ExtraBitsExperiment(
        sample_sizes=sizes,
        repeats=repeats,
        seed=seed,
        kl_bits=summary.ideal_extra_bits,
        huffman_expected_extra_bits=summary.huffman_extra_bits,
        ideal_mean=ideal[0],
        ideal_low=ideal[1],
        ideal_high=ideal[2],
        huffman_mean=huffman[0],
        huffman_low=huffman[1],
        huffman_high=huffman[2],
        ruled_out=impossible,
    )
