"""The forest example as bars: the true mix P beside the model's belief Q, animal by animal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.formatting import format_probability
from kl.render import DrawContext
from kl.style import SMALL_FONT_SIZE, label_groups
from kl.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "forest-bars"
TITLE = "The forest: the true mix P beside the model's belief Q"
CAPTION = (
    "For each animal, the true share P (solid bar) beside the model's belief Q (hatched bar): "
    "{{ forest.pq_listing }}. "
    "KL(P‖Q) = {{ forest.kl_pq_bits }} bits{{ forest.kl_pq_why }}."
)
ALT = (
    "Grouped bar chart, one pair of bars per animal, each bar labelled with its value. "
    "{{ forest.pq_alt_listing }} "
    "P bars are solid, Q bars hatched."
)

_bar_width = 0.38


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    forest = ctx.data.forest
    animals = forest.outcomes
    centres = np.arange(len(animals), dtype=float)
    series = [
        ("P", [forest.p[a] for a in animals], colors.truth, {"hatch": None}),
        ("Q", [forest.q[a] for a in animals], colors.highlight, {"hatch": "///"}),
    ]

    ax = fig.add_subplot()
    ticks, tick_labels = [], []
    for k, (name, heights, color, style) in enumerate(series):
        xs = centres + (k - 0.5) * (_bar_width + 0.03)
        solid = style["hatch"] is None
        bars = ax.bar(
            xs,
            heights,
            width=_bar_width,
            color=color if solid else "none",
            edgecolor=color,
            linewidth=0 if solid else 2.0,
            hatch=style["hatch"],
        )
        ax.bar_label(
            bars,
            labels=[format_probability(h) for h in heights],
            padding=3,
            color=colors.text,
            fontsize=SMALL_FONT_SIZE,
        )
        ticks += list(xs)
        tick_labels += [name] * len(animals)

    ax.set_xticks(ticks, tick_labels, fontweight="bold")
    ax.tick_params(axis="x", length=0, pad=4)
    label_groups(ax, centres, animals, drop=26, color=colors.text)
    ax.text(
        1.0,
        1.0,
        "P: the forest's true mix\nQ: the model's belief",
        transform=ax.transAxes,
        ha="right",
        va="top",
        color=colors.text,
        linespacing=1.5,
    )
    top = max(max(h) for _, h, _, _ in series)
    ax.set_ylim(0, top * 1.18)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)

    return Table(
        headers=["Animal", "p(x)", "q(x)"],
        rows=[
            [a, format_probability(forest.p[a]), format_probability(forest.q[a])] for a in animals
        ],
    )
