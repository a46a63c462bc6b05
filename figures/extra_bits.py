"""The extra-bits experiment: P's animals encoded with Q's code, extra bits per animal vs n."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from kl.coding import BAND_PERCENTILES, coding_summary
from kl.content.coding import experiment
from kl.formatting import format_number
from kl.render import DrawContext
from kl.style import SMALL_FONT_SIZE
from kl.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "extra-bits"
TITLE = "The extra-bits experiment: measured cost of Q's code converges on KL(P‖Q)"
CAPTION = (
    "Draw n animals from P, encode them with the code made for Q and with the code made for "
    "P, and divide the difference in length by n. The line is the mean over "
    "{{ value coding.repeats }} runs, the band holds the middle {{ value coding.band_percent }} "
    "of runs. With ideal code lengths the measured cost closes in on KL(P‖Q) = "
    "{{ value forest.kl_pq_bits }} bits per animal ({{ value coding.n_max_mean_bits }} at "
    "n = {{ value coding.n_max }}). The Huffman codes, which spend whole bits, cost "
    "{{ value coding.huffman_extra_bits }} extra bits per animal here."
)
ALT = (
    "A line chart with n, the number of animals, on a logarithmic axis from "
    "{{ value coding.n_min }} to {{ value coding.n_max }}, and the measured extra bits per "
    "animal on the vertical axis. A horizontal dashed line marks KL(P‖Q) = "
    "{{ value forest.kl_pq_bits }} bits. The measured mean with ideal code lengths stays near "
    "that line, inside a band that is wide for small n (from {{ value coding.n_min_low_bits }} "
    "to {{ value coding.n_min_high_bits }} bits at n = {{ value coding.n_min }}) and narrows "
    "to between {{ value coding.n_max_low_bits }} and {{ value coding.n_max_high_bits }} bits "
    "at n = {{ value coding.n_max }}. A second line, for the Huffman codes, stays at "
    "{{ value coding.huffman_extra_bits }} bits per animal."
)


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    run = experiment(ctx.data)
    n = np.array(run.sample_sizes, dtype=float)

    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.fill_between(n, run.ideal_low, run.ideal_high, color=colors.poor, alpha=0.18, linewidth=0)
    ax.plot(n, run.ideal_mean, color=colors.poor, marker="o", markersize=5, linewidth=2.2)
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
    ax.axhline(run.kl_bits, color=colors.text, linestyle=(0, (5, 3)), linewidth=1.4)
    ax.axhline(0, color=colors.neutral, linewidth=0.8)
    ax.set_xlim(n[0] / 1.25, n[-1] * 1.25)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("n, animals drawn from P (log scale)")
    ax.set_ylabel("extra bits per animal")
    ax.grid(axis="y")

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
    ax.annotate(
        "ideal code lengths",
        xy=(n[0], run.ideal_high[0]),
        xytext=(6, -2),
        textcoords="offset points",
        ha="left",
        va="top",
        color=colors.poor,
        fontsize=SMALL_FONT_SIZE,
    )
    summary = coding_summary(ctx.data.forest.p, ctx.data.forest.q)
    identical = " (the two codes are identical)" if summary.huffman_p == summary.huffman_q else ""
    ax.annotate(
        f"Huffman codes: {format_number(run.huffman_expected_extra_bits, 4)}{identical}",
        xy=(n[-1], run.huffman_mean[-1]),
        xytext=(0, -6),
        textcoords="offset points",
        ha="right",
        va="top",
        color=colors.accent,
        fontsize=SMALL_FONT_SIZE,
    )
    low_pct, high_pct = (format_number(b, 0) for b in BAND_PERCENTILES)
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
            [
                str(size),
                *(format_number(v, 6) for v in (mean, low, high, huffman)),
                format_number(run.kl_bits, 6),
            ]
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
