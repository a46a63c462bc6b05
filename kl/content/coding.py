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
    block_sizes,
    coding_summary,
    extra_bits_experiment,
    ruled_out,
)
from kl.content.forest import join_names, zero_reason
from kl.data import CodingExperiment, LectureData
from kl.formatting import format_number, format_probability
from kl.tables import Table, bold
from kl.values import Fact, Value, text_value


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
    """`coding_summary` of the k-animal block distributions of P and Q, for each of the
    data file's ``[coding] block_sizes`` whose code stays within the codeword budget
    (`kl.coding.block_sizes`)."""
    p, q = data.forest.p, data.forest.q
    allowed = block_sizes(len(p), max(data.coding.block_sizes))
    return [
        (k, coding_summary(block_distribution(p, k), block_distribution(q, k)))
        for k in data.coding.block_sizes
        if k in allowed
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


def _bits3(x: float) -> str:
    return format_number(x, 3)


def whole_bits_lead(summary: CodingSummary) -> str:
    """The start of the sentence "... a real prefix code has to round the ideal lengths to
    whole numbers": an ideal length that is not a whole number, if there is one."""
    lengths = [*summary.ideal_lengths_p.values(), *summary.ideal_lengths_q.values()]
    fractional = [x for x in lengths if math.isfinite(x) and x != round(x)]
    if not fractional:
        return "Here every ideal length happens to be a whole number, but in general"
    return f"No codeword can be {_bits3(fractional[0])} bits long, so"


def ruled_out_note(data: LectureData) -> str:
    """Why Q's ideal code cannot carry P's data when Q rules out an outcome P allows
    (a sentence starting with a space, to follow the infinite KL); "" otherwise."""
    zeros = ruled_out(data.forest.p, data.forest.q)
    if not zeros:
        return ""
    return (
        f" {zero_reason(data.forest.p, data.forest.q)}, so Q's ideal code has no codeword "
        f"for {'it' if len(zeros) == 1 else 'them'} at all "
        r"($-\log_2 0 = \infty$): the first such animal that turns up cannot be sent, however "
        "many bits you spend. A real code made for Q, such as the Huffman code below, still "
        "gives every animal some codeword, so its extra cost stays finite."
    )


def experiment_result(data: LectureData, run: ExtraBitsExperiment) -> str:
    """The paragraph after the extra-bits figure: what the runs measured (Markdown)."""
    band = Value((BAND_PERCENTILES[1] - BAND_PERCENTILES[0]) / 100, kind="percent").text()
    n_min, n_max = (f"{n:,}" for n in (run.sample_sizes[0], run.sample_sizes[-1]))
    bits = [format_number(x, 4) for x in (run.ideal_low[0], run.ideal_high[0])]
    huffman = (
        f"Q's Huffman code, which does give every animal a codeword, can be measured: with "
        f"n = {n_max} it costs {format_number(run.huffman_mean[-1], 4)} extra bits per animal."
    )
    if run.ruled_out:
        p = data.forest.p
        missing = math.fsum(p[x] for x in run.ruled_out)
        chance = Value(1 - (1 - missing) ** run.sample_sizes[0], kind="percent").text()
        return (
            "With ideal code lengths there is nothing to measure: Q's code has no codeword "
            f"for {join_names([f'the {x}' for x in run.ruled_out])}, and a run of "
            f"n = {n_min} animals already includes one with probability {chance}. " + huffman
        )
    if run.kl_bits == 0:
        return (
            "Here Q is P, so the two codes are the same, and every run of every size measures "
            "exactly 0 extra bits."
        )
    ahead = ", and Q's code can even come out ahead" if run.ideal_low[0] < 0 else ""
    return (
        f"Over {run.repeats:,} runs per size, the middle {band} of runs with n = {n_min} "
        f"animals spans from {bits[0]} to {bits[1]} extra bits per animal: on a short message "
        f"luck matters as much as the code{ahead}. With n = {n_max} the band has shrunk to "
        f"{format_number(run.ideal_low[-1], 4)} to {format_number(run.ideal_high[-1], 4)} "
        f"bits, and the mean, {format_number(run.ideal_mean[-1], 4)}, sits on the KL "
        "divergence. On average, the wrong code never wins."
    )


def experiment_caption(data: LectureData, run: ExtraBitsExperiment) -> str:
    """The extra-bits figure's caption sentence about ideal code lengths."""
    if run.ruled_out:
        return (
            "With ideal code lengths there is no line: KL(P‖Q) = ∞, because "
            f"{zero_reason(data.forest.p, data.forest.q)}, and Q's ideal code has no "
            "codeword for an animal Q calls impossible."
        )
    if run.kl_bits == 0:
        return "With ideal code lengths Q's code is P's own, and every run measures 0 extra bits."
    return (
        "With ideal code lengths the measured cost closes in on KL(P‖Q) = "
        f"{format_number(run.kl_bits, 4)} bits per animal ({format_number(run.ideal_mean[-1], 4)} "
        f"at n = {run.sample_sizes[-1]:,})."
    )


def experiment_alt(run: ExtraBitsExperiment) -> str:
    """The extra-bits figure's alt text about the ideal-code series."""
    if run.ruled_out:
        return (
            "There is no line for ideal code lengths; a note says KL(P‖Q) = ∞, because Q's "
            f"ideal code has no codeword for {join_names([f'the {x}' for x in run.ruled_out])}."
        )
    if run.kl_bits == 0:
        return (
            "A horizontal dashed line marks KL(P‖Q) = 0 bits; with ideal code lengths every "
            "run measures exactly that, so the measured mean lies on the line with no band."
        )
    n_min, n_max = (f"{n:,}" for n in (run.sample_sizes[0], run.sample_sizes[-1]))
    low, high = run.ideal_low, run.ideal_high
    return (
        f"A horizontal dashed line marks KL(P‖Q) = {format_number(run.kl_bits, 4)} bits. The "
        "measured mean with ideal code lengths stays near that line, inside a band that is "
        f"wide for small n (from {format_number(low[0], 4)} to {format_number(high[0], 4)} "
        f"bits at n = {n_min}) and narrows to between {format_number(low[-1], 4)} and "
        f"{format_number(high[-1], 4)} bits at n = {n_max}."
    )


def ideal_listing(
    names: list[str],
    lengths: dict[str, float],
    probabilities: dict[str, float],
    owner: str,
    *,
    named: bool = False,
) -> str:
    """Ideal lengths in the order of ``names``, "0.737, 1.322 and 3.322 bits" (or, if
    ``named``, "Squirrel 0.737 bits, Rabbit ..."), with the reason for any ∞: an outcome
    ``owner`` (the distribution's name) gives probability 0."""
    if named:
        listing = join_names([f"{x} {_bits3(lengths[x])} bits" for x in names])
    else:
        listing = join_names([_bits3(lengths[x]) for x in names]) + " bits"
    zeros = [x for x in names if probabilities[x] == 0]
    if zeros:
        listing += (
            f" (∞ for {join_names([f'the {x}' for x in zeros])}: {owner} gives "
            f"{'it' if len(zeros) == 1 else 'them'} probability 0, and "
            r"$-\log_2 0 = \infty$)"
        )
    return listing


def lengths_alt(data: LectureData, summary: CodingSummary) -> str:
    """The code-lengths figure's alt text, animal by animal: ideal lengths under P's and
    Q's codes (2 decimals) and the two Huffman codewords."""
    parts = []
    for i, x in enumerate(data.forest.outcomes):
        ideal_p, ideal_q = summary.ideal_lengths_p[x], summary.ideal_lengths_q[x]
        lengths = f"{format_number(ideal_p, 2)} and {format_number(ideal_q, 2)}"
        if i == 0:
            lengths = (
                f"ideal {format_number(ideal_p, 2)} bits under P's code, "
                f"{format_number(ideal_q, 2)} under Q's"
            )
        unbounded = [name for name, v in (("P", ideal_p), ("Q", ideal_q)) if math.isinf(v)]
        if unbounded:
            lengths += (
                f" ({join_names(unbounded)} gives it probability 0; an ∞ bar stops at the top "
                "of the scale)"
            )
        words = "Huffman codewords" if i == 0 else "codewords"
        parts.append(f"{x}: {lengths}; {words} {summary.huffman_p[x]} and {summary.huffman_q[x]}.")
    return " ".join(parts)


def values(data: LectureData) -> dict[str, Fact]:
    forest = data.forest
    summary = coding_summary(forest.p, forest.q)
    run = experiment(data)
    blocks = block_summaries(data)
    k_max, largest = blocks[-1]
    same = all(summary.huffman_p[x] == summary.huffman_q[x] for x in forest.outcomes)
    out: dict[str, Fact] = {
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
        "coding.ideal_p_listing": text_value(
            ideal_listing(forest.outcomes, summary.ideal_lengths_p, forest.p, "P", named=True)
        ),
        "coding.ideal_q_listing": text_value(
            ideal_listing(forest.outcomes, summary.ideal_lengths_q, forest.q, "Q")
        ),
        "coding.whole_bits_lead": text_value(whole_bits_lead(summary)),
        "coding.ruled_out_note": text_value(ruled_out_note(data)),
        "coding.experiment_result": text_value(experiment_result(data, run)),
        "coding.experiment_caption": text_value(experiment_caption(data, run)),
        "coding.experiment_alt": text_value(experiment_alt(run)),
        "coding.lengths_alt": text_value(lengths_alt(data, summary)),
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
            bold("Bits per animal of P's data"),
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
            bold("Extra bits with Q's code"),
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
            bold(format_number(limit.ideal_extra_bits, 4)),
        ]
    )
    return Table(
        headers=["Animals per block", "Codewords", "P's code", "Q's code", "Extra bits"],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"coding-lengths": lengths_table(data), "coding-blocks": blocks_table(data)}
