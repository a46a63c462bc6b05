"""The extra-bits experiment: P's animals encoded with Q's code, extra bits per animal vs n."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from kl.build.render import DrawContext
from kl.build.style import SMALL_FONT_SIZE, count_tick_label
from kl.build.textcheck import laid_out_boxes
from kl.lecture.formatting import format_number
from kl.lecture.sections.coding_intuition import experiment
from kl.lecture.tables import Table
from kl.measures.coding import BAND_PERCENTILES, ExtraBitsExperiment, coding_summary

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

ID = "extra-bits"
TITLE = "The extra-bits experiment: measured cost of Q's code converges on KL(P‖Q)"
CAPTION = (
    "Draw n animals from P, encode them with the code made for Q and with the code made for "
    "P, and divide the difference in length by n. The line is the mean over "
    "{{ coding_intuition.repeats }} runs, the band holds the middle {{ "
    "coding_intuition.band_percent }} of runs. "
    "{% if coding_intuition.ruled_out %}With ideal code lengths there is no line: KL(P‖Q) = ∞, "
    "because Q gives {{ words.the(coding_intuition.ruled_out) }} probability 0, but P gives "
    "{{ words.them(coding_intuition.ruled_out) }} {% for a in coding_intuition.animals if a.name "
    "in "
    "coding_intuition.ruled_out %}{{ words.sep(loop) }}{{ a.p }}{% endfor %}, and Q's ideal code "
    "has "
    "no codeword for an animal Q calls impossible."
    "{% elif coding_intuition.q_is_p %}With ideal code lengths Q's code is P's own, and every run "
    "measures 0 extra bits."
    "{% else %}With ideal code lengths the measured cost closes in on KL(P‖Q) = "
    "{{ coding_intuition.kl_bits }} bits per animal ({{ coding_intuition.n_max_mean_bits }} at "
    "n = {{ coding_intuition.n_max }}).{% endif %} "
    "The Huffman codes of the table above, which spend whole bits, cost "
    "{{ coding_intuition.huffman_extra_bits }} extra bits per animal on average"
    "{% if coding_intuition.codes_identical %} (the two codes are identical){% endif %}."
)
ALT = (
    "A line chart with n, the number of animals, on a logarithmic axis from "
    "{{ coding_intuition.n_min }} to {{ coding_intuition.n_max }}, and the measured extra bits per "
    "animal on the vertical axis. "
    "{% if coding_intuition.ruled_out %}There is no line for ideal code lengths; a note says "
    "KL(P‖Q) = ∞, because Q's ideal code has no codeword for "
    "{{ words.the(coding_intuition.ruled_out) }}."
    "{% elif coding_intuition.q_is_p %}A horizontal dashed line marks KL(P‖Q) = 0 bits; with ideal "
    "code lengths every run measures exactly that, so the measured mean lies on the line "
    "with no band."
    "{% else %}A horizontal dashed line marks KL(P‖Q) = {{ coding_intuition.kl_bits }} bits. The "
    "measured mean with ideal code lengths stays near that line, inside a band that is wide "
    "for small n (from {{ coding_intuition.n_min_low_bits }} to {{ "
    "coding_intuition.n_min_high_bits }} bits at "
    "n = {{ coding_intuition.n_min }}) and narrows to between {{ coding_intuition.n_max_low_bits "
    "}} and "
    "{{ coding_intuition.n_max_high_bits }} bits at n = {{ coding_intuition.n_max }}.{% endif %} "
    "A line for the Huffman codes settles at {{ coding_intuition.huffman_extra_bits }} bits per "
    "animal."
)


def _ideal_series(ax: Axes, ctx: DrawContext, run: ExtraBitsExperiment, n: np.ndarray) -> Text:
    """The measured cost with ideal code lengths (mean and band) and KL(P‖Q) as a line."""
    colors = ctx.palette
    ax.fill_between(n, run.ideal_low, run.ideal_high, color=colors.poor, alpha=0.18, linewidth=0)
    ax.plot(n, run.ideal_mean, color=colors.poor, marker="o", markersize=5, linewidth=2.2)
    ax.axhline(run.kl_bits, color=colors.text, linestyle=(0, (5, 3)), linewidth=1.4)
    ax.annotate(
        f"KL(P‖Q) = {format_number(run.kl_bits, 4)}",
        xy=(n[-1], run.kl_bits),
        xytext=(0, 5),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color=colors.text,
        fontweight="bold",
    )
    band = run.ideal_high[0] > run.ideal_low[0]  # no band when every run measures the same
    return ax.annotate(
        "ideal code lengths",
        xy=(n[0], run.ideal_high[0]),
        # Without a band it sits on the line: on a phone, above the KL label's height.
        xytext=(6, -2) if band else (6, 22 if ctx.narrow else 6),
        textcoords="offset points",
        ha="left",
        va="top" if band else "bottom",
        color=colors.poor,
        fontsize=SMALL_FONT_SIZE,
    )


def _no_ideal_code(ax: Axes, ctx: DrawContext, run: ExtraBitsExperiment) -> None:
    """Q rules out an animal P allows: say so where the ideal-code line would be."""
    animals = " or ".join(run.ruled_out)
    ax.text(
        0.03,
        0.95,
        f"KL(P‖Q) = ∞: Q's ideal code has\nno codeword for {animals}",
        transform=ax.transAxes,
        ha="left",
        va="top",
        color=ctx.palette.poor,
        fontweight="bold",
        linespacing=1.4,
    )
    low, high = min(run.huffman_low), max(run.huffman_high)
    margin = max(0.5 * (high - low), 0.05)
    ax.set_ylim(low - margin, high + 3 * margin)  # room for the note above the Huffman line


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    run = experiment(ctx.data)
    n = np.array(run.sample_sizes, dtype=float)

    ax = fig.add_subplot()
    ax.set_xscale("log")
    ideal_label = None if run.ruled_out else _ideal_series(ax, ctx, run, n)
    if run.ruled_out:
        _no_ideal_code(ax, ctx, run)
    ax.plot(
        n,
        run.huffman_mean,
        color=colors.accent,
        marker="s",
        markersize=5,
        linewidth=1.8,
        linestyle=(0, (1, 1.5)),
    )
    if any(lo != hi for lo, hi in zip(run.huffman_low, run.huffman_high, strict=True)):
        ax.fill_between(
            n, run.huffman_low, run.huffman_high, color=colors.accent, alpha=0.12, linewidth=0
        )
    ax.axhline(0, color=colors.neutral, linewidth=0.8)
    ax.set_xlim(n[0] / 1.25, n[-1] * 1.25)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: count_tick_label(v)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("n, animals drawn from P (log scale)")
    ax.set_ylabel("extra bits per animal")
    ax.grid(axis="y")

    # Room under the end of the Huffman line for its label, above the tick labels.
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, run.huffman_mean[-1] - 0.25 * (high - low)), high)
    summary = coding_summary(ctx.data.forest.p, ctx.data.forest.q)
    identical = " (the two codes are identical)" if summary.huffman_p == summary.huffman_q else ""
    if ctx.narrow:
        identical = identical.replace(" (", "\n(")
    huffman_label = ax.annotate(
        f"Huffman codes: {format_number(run.huffman_expected_extra_bits, 4)}{identical}",
        xy=(n[-1], run.huffman_mean[-1]),
        xytext=(0, -6),
        textcoords="offset points",
        ha="right",
        va="top",
        color=colors.accent,
        fontsize=SMALL_FONT_SIZE,
    )
    if ideal_label is not None:  # under its line unless that is where the other label is
        ideal_box, huffman_box = laid_out_boxes(fig, [ideal_label, huffman_label])
        if ideal_box.overlaps(huffman_box):
            huffman_label.xyann = (0, 6)
            huffman_label.set_verticalalignment("bottom")
    low_pct, high_pct = (format_number(b, 0) for b in BAND_PERCENTILES)
    # CSV cells are machine-readable: an infinite value (no ideal code) reads "inf".
    return Table(
        headers=[
            "n",
            "ideal: mean extra bits",
            f"ideal: {low_pct}th percentile",
            f"ideal: {high_pct}th percentile",
            "Huffman: mean extra bits",
            "KL(P‖Q)",
        ],
        rows=[
            [str(size), *(f"{v:.6f}" for v in (mean, low, high, huffman, run.kl_bits))]
            for size, mean, low, high, huffman in zip(
                run.sample_sizes,
                run.ideal_mean,
                run.ideal_low,
                run.ideal_high,
                run.huffman_mean,
                strict=True,
            )
        ],
    )
