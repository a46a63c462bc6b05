"""The coding intuition (SPEC section 4): code lengths, Huffman codes and the extra bits.

Every comparison here encodes data drawn from P, the forest's true mix, once with a code
made for P and once with a code made for the model's Q; the difference is the extra bits.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from kl.coding import (
    BAND_PERCENTILES,
    CodingSummary,
    ExtraBitsExperiment,
    coding_summary,
    extra_bits_experiment,
)
from kl.data import CodingExperiment, LectureData
from kl.formatting import format_number, format_probability
from kl.tables import Table
from kl.values import Value, text_value

# Huffman codes for blocks of this many animals at a time (block k has 3^k symbols for
# three animals, so keep the largest small).
BLOCK_SIZES = (1, 2, 3, 4, 5, 6)


def block_distribution(p: dict[str, float], k: int) -> dict[str, float]:
    """The distribution of k independent draws from P, keyed by the names joined with spaces.

    Raises ValueError for k < 1.
    """
    if k < 1:
        raise ValueError(f"a block holds at least one symbol, got k = {k}")
    return {
        " ".join(names): math.prod(p[x] for x in names) for names in itertools.product(p, repeat=k)
    }


def block_summaries(data: LectureData) -> list[tuple[int, CodingSummary]]:
    """`coding_summary` of the k-animal block distributions of P and Q, for each BLOCK_SIZES."""
    p, q = data.forest.p, data.forest.q
    return [
        (k, coding_summary(block_distribution(p, k), block_distribution(q, k))) for k in BLOCK_SIZES
    ]


@lru_cache(maxsize=8)
def _experiment(
    p: tuple[tuple[str, float], ...], q: tuple[tuple[str, float], ...], setup: CodingExperiment
) -> ExtraBitsExperiment:
    return extra_bits_experiment(
        dict(p), dict(q), setup.sample_sizes, seed=setup.seed, repeats=setup.repeats
    )


def experiment(data: LectureData) -> ExtraBitsExperiment:
    """The extra-bits experiment on the forest, as set up in the data file's [coding] table
    (cached: the page and both themes of the figure share one run)."""
    forest = data.forest
    return _experiment(tuple(forest.p.items()), tuple(forest.q.items()), data.coding)


def _codeword(word: str) -> str:
    return f"{word} ({len(word)})"


def values(data: LectureData) -> dict[str, Value]:
    forest = data.forest
    summary = coding_summary(forest.p, forest.q)
    run = experiment(data)
    blocks = block_summaries(data)
    k_max, largest = blocks[-1]
    same = all(summary.huffman_p[x] == summary.huffman_q[x] for x in forest.outcomes)
    out: dict[str, Value] = {
        "coding.huffman_p_bits": Value(summary.huffman_length_p),
        "coding.huffman_q_bits": Value(summary.huffman_length_q),
        "coding.huffman_extra_bits": Value(summary.huffman_extra_bits),
        "coding.codes_compare": text_value("identical" if same else "different"),
        "coding.block_max": Value(k_max, kind="integer"),
        "coding.block_max_extra_bits": Value(largest.huffman_extra_bits / k_max),
        "coding.block_max_symbols": Value(len(largest.outcomes), kind="integer"),
        "coding.repeats": Value(run.repeats, kind="integer"),
        "coding.n_min": Value(run.sample_sizes[0], kind="integer"),
        "coding.n_max": Value(run.sample_sizes[-1], kind="integer"),
        "coding.n_min_low_bits": Value(run.ideal_low[0]),
        "coding.n_min_high_bits": Value(run.ideal_high[0]),
        "coding.n_max_mean_bits": Value(run.ideal_mean[-1]),
        "coding.n_max_low_bits": Value(run.ideal_low[-1]),
        "coding.n_max_high_bits": Value(run.ideal_high[-1]),
        "coding.band_percent": Value(
            (BAND_PERCENTILES[1] - BAND_PERCENTILES[0]) / 100, kind="percent"
        ),
    }
    for i, x in enumerate(forest.outcomes):
        out[f"coding.ideal_p.{i}"] = Value(summary.ideal_lengths_p[x])
        out[f"coding.ideal_q.{i}"] = Value(summary.ideal_lengths_q[x])
        out[f"coding.codeword_p.{i}"] = text_value(summary.huffman_p[x])
        out[f"coding.codeword_q.{i}"] = text_value(summary.huffman_q[x])
    return out


def lengths_table(data: LectureData) -> Table:
    """Per animal: p, q, ideal lengths under P's and Q's codes, Huffman codewords (length);
    then the expected bits per animal of P's data under each code, and the extra bits."""
    forest = data.forest
    s = coding_summary(forest.p, forest.q)
    rows = [
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
            "**Bits per animal of P's data**",
            "",
            "",
            f"**{format_number(s.entropy_bits, 4)}**",
            f"**{format_number(s.cross_entropy_bits, 4)}**",
            f"**{format_number(s.huffman_length_p, 4)}**",
            f"**{format_number(s.huffman_length_q, 4)}**",
        ]
    )
    rows.append(
        [
            "**Extra bits with Q's code**",
            "",
            "",
            "",
            f"**{format_number(s.ideal_extra_bits, 4)}**",
            "",
            f"**{format_number(s.huffman_extra_bits, 4)}**",
        ]
    )
    return Table(
        headers=[
            "Animal",
            "p(x)",
            "q(x)",
            "−log₂ p(x)",
            "−log₂ q(x)",
            "Huffman for P",
            "Huffman for Q",
        ],
        rows=rows,
        align=["l", "r", "r", "r", "r", "c", "c"],
    )


def blocks_table(data: LectureData) -> Table:
    """Huffman codes for blocks of k animals: bits per animal of P's data under the code
    made for P and for Q, and the extra bits per animal; last, the ideal-length limit."""
    rows = [
        [
            str(k),
            f"{len(s.outcomes):,}",
            format_number(s.huffman_length_p / k, 4),
            format_number(s.huffman_length_q / k, 4),
            format_number(s.huffman_extra_bits / k, 4),
        ]
        for k, s in block_summaries(data)
    ]
    limit = coding_summary(data.forest.p, data.forest.q)
    rows.append(
        [
            "ideal lengths",
            "",
            format_number(limit.entropy_bits, 4),
            format_number(limit.cross_entropy_bits, 4),
            f"**{format_number(limit.ideal_extra_bits, 4)}**",
        ]
    )
    return Table(
        headers=["Animals per block", "Codewords", "P's code", "Q's code", "Extra bits"],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"coding-lengths": lengths_table(data), "coding-blocks": blocks_table(data)}
