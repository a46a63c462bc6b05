"""Code lengths per animal: ideal lengths −log2 p and −log2 q, and the real Huffman codewords."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.build.render import DrawContext
from kl.build.style import (
    CHAR_PT,
    SMALL_FONT_SIZE,
    bar_value_rotation,
    label_groups,
    points_per_group,
    whole_number_ticks,
)
from kl.lecture.formatting import format_number
from kl.lecture.tables import Table
from kl.measures.coding import coding_summary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "code-lengths"
TITLE = "Code lengths: ideal and Huffman, for P's code and for Q's code"
NARROW_SIZE = "1:1"
CAPTION = (
    "For each animal, the ideal code length in bits under a code made for P (solid) and for Q "
    "(hatched), and the real Huffman codeword of each code (written under the bar; its length "
    "is the thick line). "
    "{% if coding_intuition.q_is_p %}Q is P, so both codes give every animal the same length, and "
    "P's data cost nothing extra."
    "{% else %}"
    "{% for a in coding_intuition.animals if a.p > 0 and (a.ideal_q | decimals(2)) != "
    "(a.ideal_p | decimals(2)) %}"
    "{% if loop.first %}Under Q's code a {% else %}{{ words.sep(loop) }}a {% endif %}"
    "{{ a.name }} costs {{ a.ideal_q | decimals(2) }} bits instead of "
    "{{ a.ideal_p | decimals(2) }}{% if loop.last %}; averaged{% endif %}"
    "{% else %}To two decimals, every animal P produces costs the same under both codes; "
    "averaged{% endfor %} over P's mix of animals, the difference is "
    "{% if coding_intuition.ruled_out %}infinite: Q gives {{ words.the(coding_intuition.ruled_out) "
    "}} "
    "probability 0, so its ideal code has no codeword for {{ "
    "words.them(coding_intuition.ruled_out) }}."
    "{% else %}{{ coding_intuition.kl_bits }} bits per animal.{% endif %}"
    "{% endif %}"
)
ALT = (
    "Grouped bar chart of code lengths in bits, two bars per animal, for the code made for P "
    "and the code made for Q."
    "{% for a in coding_intuition.animals %} {{ a.name }}: ideal {{ a.ideal_p | decimals(2) }} "
    "bits "
    "under P's code and {{ a.ideal_q | decimals(2) }} under Q's"
    "{% if a.p == 0 or a.q == 0 %} ({{ 'P' if a.p == 0 }}{{ ' and ' if a.p == 0 and "
    "a.q == 0 }}{{ 'Q' if a.q == 0 }} gives it probability 0; an ∞ bar stops at the top of "
    "the scale, with an arrow){% endif %}; Huffman codewords {{ a.codeword_p }} and "
    "{{ a.codeword_q }}.{% endfor %}"
)

_bar_width = 0.38


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    forest = ctx.data.forest
    summary = coding_summary(forest.p, forest.q)
    animals = list(summary.outcomes)
    centres = np.arange(len(animals), dtype=float)
    series = [
        ("P", summary.ideal_lengths_p, summary.huffman_p, colors.truth, None),
        ("Q", summary.ideal_lengths_q, summary.huffman_q, colors.highlight, "///"),
    ]
    finite = [v for _, ideal, *_ in series for v in ideal.values() if np.isfinite(v)]
    tallest = max([*finite, *(len(w) for _, _, code, *_ in series for w in code.values())])
    cap = tallest * 1.1  # an infinite ideal length (probability 0) is drawn this tall, marked ∞

    ax = fig.add_subplot()
    bar_pt = points_per_group(ax, len(animals)) * _bar_width
    ticks, tick_labels = [], []
    for k, (name, ideal, code, color, hatch) in enumerate(series):
        xs = centres + (k - 0.5) * (_bar_width + 0.03)
        heights = [min(ideal[a], cap) for a in animals]
        ax.bar(
            xs,
            heights,
            width=_bar_width,
            color=color if hatch is None else "none",
            edgecolor=color,
            linewidth=0 if hatch is None else 2.0,
            hatch=hatch,
        )
        for x, a in zip(xs, animals, strict=True):
            word_bits = len(code[a])
            ax.hlines(
                word_bits,
                x - _bar_width / 2,
                x + _bar_width / 2,
                color=colors.text,
                linewidth=3.0,
                zorder=3,
            )
            top = max(min(ideal[a], cap), word_bits)
            if np.isinf(ideal[a]):  # probability 0: an arrow up from the capped bar
                ax.annotate(
                    "",
                    xy=(x, top + 0.12 * cap),
                    xytext=(x, top),
                    arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 2.0},
                )
                top += 0.12 * cap
            value = format_number(ideal[a], 2)
            rotation = bar_value_rotation(bar_pt, [value])
            if rotation is not None:
                ax.annotate(
                    value,
                    xy=(x, top),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    rotation=rotation,
                    color=colors.text,
                    fontsize=SMALL_FONT_SIZE,
                    fontweight="bold" if np.isinf(ideal[a]) else "normal",
                )
            ticks.append(x)
            tick_labels.append(f"{name}\n{code[a]}")

    # Under each bar its code's letter and codeword, where the bars are wide enough.
    widest = max(len(label.split("\n")[1]) for label in tick_labels)
    if bar_pt < max(widest, 1) * CHAR_PT:
        ticks, tick_labels = [], []
    ax.set_xticks(ticks, tick_labels, fontfamily="DejaVu Sans Mono", fontweight="bold")
    ax.tick_params(axis="x", length=0, pad=4)
    label_groups(ax, centres, animals, drop=44 if ticks else 6, color=colors.text)
    ax.text(
        0.02,
        1.0,
        "bars: ideal length, −log₂ of the probability\n"
        "thick line: length of the Huffman codeword\n"
        "under each bar: the codeword itself",
        transform=ax.transAxes,
        ha="left",
        va="top",
        color=colors.text,
        fontsize=SMALL_FONT_SIZE,
        linespacing=1.5,
    )
    ax.set_ylim(0, tallest * (2.0 if ctx.narrow else 1.6))  # the key spans a phone's width
    ax.set_yticks(whole_number_ticks(tallest))
    ax.set_ylabel("bits")
    ax.grid(axis="y")
    ax.set_axisbelow(True)

    return Table(
        headers=[
            "Animal",
            "ideal bits, P's code",
            "ideal bits, Q's code",
            "Huffman codeword, P's code",
            "Huffman codeword, Q's code",
        ],
        rows=[
            [
                a,
                f"{summary.ideal_lengths_p[a]:.6f}",
                f"{summary.ideal_lengths_q[a]:.6f}",
                summary.huffman_p[a],
                summary.huffman_q[a],
            ]
            for a in animals
        ],
    )
