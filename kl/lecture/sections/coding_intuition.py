"""The coding intuition (SPEC section 4): code lengths, Huffman codes and the extra bits.

Every comparison here encodes data drawn from P, the forest's true mix, once with a code
made for P and once with a code made for the model's Q; the difference is the extra bits.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, format_probability
from kl.lecture.tables import Cell, Label, Table, bold
from kl.lecture.values import Fact, Value
from kl.measures.block_codes import MAX_BLOCK_CODEWORDS, block_sizes
from kl.measures.coding import (
    BAND_PERCENTILES,
    CodingSummary,
    ExtraBitsExperiment,
    coding_summary,
    exact,
    extra_bits_experiment,
    ruled_out,
)
from kl.measures.discrete import kl_divergence


def block_distribution(p: dict[str, float], k: int) -> dict[str, float]:
    """The distribution of k independent draws from P, keyed by the names joined with spaces.

    Each probability is the exact product of P's (`kl.measures.coding.exact`), rounded once, so
    blocks that hold the same animals in another order tie exactly. Raises ValueError for k < 1.
    """
    if k < 1:
        raise ValueError(f"a block holds at least one symbol, got k = {k}")
    exact_p = {x: exact(px) for x, px in p.items()}
    return {
        " ".join(names): float(math.prod(exact_p[x] for x in names))
        for names in itertools.product(p, repeat=k)
    }


def block_summaries(data: LectureData) -> list[tuple[int, CodingSummary]]:
    """`coding_summary` of the k-animal block distributions of P and Q, for each of the
    data file's ``[coding] block_sizes`` whose code stays within the codeword budget
    (`kl.measures.block_codes.block_sizes`). Cached: the values and the blocks table share
    one coding of each block size. Every value it uses is read here, outside the cache,
    so a build records each read even when the codes are cached (`kl.build.dependencies`)."""
    forest = data.forest
    return list(
        _block_summaries(
            tuple(forest.p.items()), tuple(forest.q.items()), tuple(data.coding.block_sizes)
        )
    )


@lru_cache(maxsize=8)
def _block_summaries(
    p_items: tuple[tuple[str, float], ...],
    q_items: tuple[tuple[str, float], ...],
    sizes: tuple[int, ...],
) -> tuple[tuple[int, CodingSummary], ...]:
    p, q = dict(p_items), dict(q_items)
    allowed = block_sizes(len(p), max(sizes))
    return tuple(
        (k, coding_summary(block_distribution(p, k), block_distribution(q, k)))
        for k in sizes
        if k in allowed
    )


@lru_cache(maxsize=8)
def _experiment(
    p: tuple[tuple[str, float], ...],
    q: tuple[tuple[str, float], ...],
    sample_sizes: tuple[int, ...],
    seed: int,
    repeats: int,
) -> ExtraBitsExperiment:
    return extra_bits_experiment(dict(p), dict(q), sample_sizes, seed=seed, repeats=repeats)


def experiment(data: LectureData) -> ExtraBitsExperiment:
    """The extra-bits experiment on the forest, as set up in the data file's [coding] table
    (cached: the page and both themes of the figure share one run). Every value it uses is
    read here, outside the cache, so a build records each read even when the run is
    cached (`kl.build.dependencies`)."""
    forest, setup = data.forest, data.coding
    return _experiment(
        tuple(forest.p.items()),
        tuple(forest.q.items()),
        tuple(setup.sample_sizes),
        setup.seed,
        setup.repeats,
    )


def _codeword(word: str) -> str:
    return f"{word} ({len(word)})"


def _bits_range(low: float, high: float, digits: int = 4) -> str:
    """A table cell for a range of bits, "0.0170–0.0177", or one number if both agree."""
    low_text, high_text = format_number(low, digits), format_number(high, digits)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def _animals(data: LectureData, summary: CodingSummary) -> list[dict[str, Fact]]:
    """Per animal, in the data file's order: its probabilities, ideal lengths and codewords."""
    forest = data.forest
    return [
        {
            "name": x,
            "p": Value(forest.p[x], kind="probability"),
            "q": Value(forest.q[x], kind="probability"),
            "ideal_p": Value(summary.ideal_lengths_p[x]),
            "ideal_q": Value(summary.ideal_lengths_q[x]),
            "codeword_p": summary.huffman_p[x],
            "codeword_q": summary.huffman_q[x],
        }
        for x in forest.outcomes
    ]


def _fractional_lengths(summary: CodingSummary) -> list[Fact]:
    """The finite ideal lengths, P's then Q's, that are not whole numbers of bits."""
    lengths = [*summary.ideal_lengths_p.values(), *summary.ideal_lengths_q.values()]
    return [Value(x) for x in lengths if math.isfinite(x) and x != round(x)]


def _blocks(summaries: list[tuple[int, CodingSummary]]) -> list[dict[str, Fact]]:
    """Per block size k: the codewords and the extra bits per animal of P's data under Q's
    code as shown, and the fewest and most over all optimal codes for Q."""
    return [
        {
            "k": Value(k, kind="integer"),
            "codewords": Value(len(s.outcomes), kind="integer"),
            "extra_bits": Value(s.huffman_extra_bits / k),
            "extra_low": Value(s.huffman_extra_bits_low / k),
            "extra_high": Value(s.huffman_extra_bits_high / k),
        }
        for k, s in summaries
    ]


def _blocks_closer(summaries: list[tuple[int, CodingSummary]], kl_bits: float) -> bool:
    """Whether every optimal code for Q at the largest block size comes closer to KL(P||Q)
    than every one at the smallest (False if KL(P||Q) is infinite)."""
    if not math.isfinite(kl_bits):
        return False

    def gaps(k: int, s: CodingSummary) -> list[float]:
        ends = (s.huffman_extra_bits_low, s.huffman_extra_bits_high)
        return [abs(end / k - kl_bits) for end in ends]

    return max(gaps(*summaries[-1])) < min(gaps(*summaries[0]))


def _experiment_values(data: LectureData, run: ExtraBitsExperiment) -> dict[str, Fact]:
    missing = math.fsum(data.forest.p[x] for x in run.ruled_out)
    return {
        "coding_intuition.repeats": Value(run.repeats, kind="integer"),
        "coding_intuition.n_min": Value(run.sample_sizes[0], kind="integer"),
        "coding_intuition.n_max": Value(run.sample_sizes[-1], kind="integer"),
        "coding_intuition.n_min_low_bits": Value(run.ideal_low[0]),
        "coding_intuition.n_min_high_bits": Value(run.ideal_high[0]),
        "coding_intuition.n_max_mean_bits": Value(run.ideal_mean[-1]),
        "coding_intuition.n_max_low_bits": Value(run.ideal_low[-1]),
        "coding_intuition.n_max_high_bits": Value(run.ideal_high[-1]),
        "coding_intuition.n_max_huffman_bits": Value(run.huffman_mean[-1]),
        "coding_intuition.n_min_ruled_out_chance": Value(
            1 - (1 - missing) ** run.sample_sizes[0], kind="percent"
        ),
        "coding_intuition.band_percent": Value(
            (BAND_PERCENTILES[1] - BAND_PERCENTILES[0]) / 100, kind="percent"
        ),
    }


def values(data: LectureData) -> dict[str, Fact]:
    """Numbers, names and yes/no facts of the coding section and its two figures.

    ``coding_intuition.animals`` lists each animal's probabilities, ideal lengths (bits, ∞ for
    probability 0) and Huffman codewords; ``coding_intuition.ruled_out`` names the animals P allows
    and Q rules out; ``coding_intuition.blocks`` holds one entry per block size with the extra bits
    per animal of the code shown (``extra_bits``) and the fewest and most over all optimal
    codes for Q (``extra_low``, ``extra_high``).
    """
    forest = data.forest
    summary = coding_summary(forest.p, forest.q)
    summaries = block_summaries(data)
    blocks = _blocks(summaries)
    shown_sizes = {k for k, _ in summaries}
    out: dict[str, Fact] = {
        "coding_intuition.animals": _animals(data, summary),
        "coding_intuition.ruled_out": list(ruled_out(forest.p, forest.q)),
        "coding_intuition.fractional_lengths": _fractional_lengths(summary),
        "coding_intuition.q_is_p": forest.p == forest.q,
        "coding_intuition.entropy_bits": Value(summary.entropy_bits),
        "coding_intuition.cross_entropy_bits": Value(summary.cross_entropy_bits),
        "coding_intuition.kl_bits": Value(summary.ideal_extra_bits),
        "coding_intuition.kl_reverse_bits": Value(kl_divergence(forest.q, forest.p, base=2)),
        "coding_intuition.huffman_p_bits": Value(summary.huffman_length_p),
        "coding_intuition.huffman_q_bits": Value(summary.huffman_length_q),
        "coding_intuition.huffman_extra_bits": Value(summary.huffman_extra_bits),
        "coding_intuition.huffman_extra_low": Value(summary.huffman_extra_bits_low),
        "coding_intuition.huffman_extra_high": Value(summary.huffman_extra_bits_high),
        "coding_intuition.codes_identical": summary.huffman_p == summary.huffman_q,
        "coding_intuition.blocks": blocks,
        "coding_intuition.block_last": blocks[-1],
        "coding_intuition.blocks_closer": _blocks_closer(summaries, summary.ideal_extra_bits),
        # the data file's block sizes the table leaves out: too many codewords to list
        "coding_intuition.blocks_left_out": [
            Value(k, kind="integer") for k in data.coding.block_sizes if k not in shown_sizes
        ],
        "coding_intuition.max_block_codewords": Value(MAX_BLOCK_CODEWORDS, kind="integer"),
    }
    return out | _experiment_values(data, experiment(data))


def lengths_table(data: LectureData) -> Table:
    """Per animal: p, q, ideal lengths under P's and Q's codes, Huffman codewords (length);
    then the expected bits per animal of P's data under each code, and the extra bits."""
    forest = data.forest
    s = coding_summary(forest.p, forest.q)
    rows: list[list[Cell]] = [
        [
            x,
            format_probability(forest.p[x]),
            format_probability(forest.q[x]),
            format_number(s.ideal_lengths_p[x], 4),
            format_number(s.ideal_lengths_q[x], 4),
            _codeword(s.huffman_p[x]),
            _codeword(s.huffman_q[x]),
        ]
        for x in s.outcomes
    ]
    rows.append(
        [
            Label("per_animal", bold=True),
            "",
            "",
            bold(format_number(s.entropy_bits, 4)),
            bold(format_number(s.cross_entropy_bits, 4)),
            bold(format_number(s.huffman_length_p, 4)),
            bold(format_number(s.huffman_length_q, 4)),
        ]
    )
    rows.append(
        [
            Label("extra", bold=True),
            "",
            "",
            "",
            bold(format_number(s.ideal_extra_bits, 4)),
            "",
            bold(format_number(s.huffman_extra_bits, 4)),
        ]
    )
    return Table(
        headers=[
            Label("animal"),
            "p(x)",
            "q(x)",
            "−log₂ p(x)",
            "−log₂ q(x)",
            Label("huffman_p"),
            Label("huffman_q"),
        ],
        rows=rows,
        align=["l", "r", "r", "r", "r", "c", "c"],
    )


def blocks_table(data: LectureData) -> Table:
    """Huffman codes for blocks of k animals: bits per animal of P's data under the code
    made for P and under the optimal codes for Q (a range where their ties let them
    differ), and the extra bits per animal; last, the ideal-length limit."""
    rows: list[list[Cell]] = []
    for k, s in block_summaries(data):
        own = s.huffman_length_p / k
        low, high = s.huffman_extra_bits_low / k, s.huffman_extra_bits_high / k
        rows.append(
            [
                str(k),
                f"{len(s.outcomes):,}",
                format_number(own, 4),
                _bits_range(own + low, own + high),
                _bits_range(low, high),
            ]
        )
    limit = coding_summary(data.forest.p, data.forest.q)
    rows.append(
        [
            Label("ideal"),
            "",
            format_number(limit.entropy_bits, 4),
            format_number(limit.cross_entropy_bits, 4),
            bold(format_number(limit.ideal_extra_bits, 4)),
        ]
    )
    return Table(
        headers=[
            Label("block"),
            Label("codewords"),
            Label("p_code"),
            Label("q_code"),
            Label("extra"),
        ],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"coding-lengths": lengths_table(data), "coding-blocks": blocks_table(data)}
