"""The forest example as bars: the true mix P beside the model's belief Q, animal by animal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.build.render import DrawContext
from kl.build.style import (
    CHAR_PT,
    FONT_SIZE,
    SMALL_FONT_SIZE,
    bar_value_rotation,
    label_groups,
    points_per_group,
)
from kl.lecture.formatting import format_probability
from kl.lecture.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "forest-bars"
TITLE = "The forest: the true mix P beside the model's belief Q"
CAPTION = (
    "For each animal, the true share P (solid bar) beside the model's belief Q (hatched bar): "
    "{% for name in forest_example.name %}{{ name }} {{ forest_example.p[loop.index0] }} against "
    "{{ forest_example.q[loop.index0] }}{{ ', ' if not loop.last }}{% endfor %}. "
    "{% if forest_example.q_is_p %}Every pair of bars is equal, because Q is P, and {% endif %}"
    "KL(P‖Q) = {{ forest_example.kl_pq_bits }} bits{% if forest_example.kl_pq_bits is infinite %}, "
    "because "
    "{{ words.zero_reason('Q', 'P', forest_example.pq_infinite) }}{% endif %}."
)
ALT = (
    "Grouped bar chart, one pair of bars per animal, each bar labelled with its value. "
    "{% for name in forest_example.name %}{{ name }}: P {{ forest_example.p[loop.index0] }}, "
    "Q {{ forest_example.q[loop.index0] }}. {% endfor %}"
    "P bars are solid, Q bars hatched."
)

_bar_width = 0.38
# A bar this many points wide has room for its value on end (across it, for one as wide).


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
    bar_pt = points_per_group(ax, len(animals)) * _bar_width
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
        values = [format_probability(h) for h in heights]
        rotation = bar_value_rotation(bar_pt, values)
        if rotation is not None:
            ax.bar_label(
                bars,
                labels=values,
                padding=3,
                color=colors.text,
                fontsize=SMALL_FONT_SIZE,
                rotation=rotation,
            )
        ticks += list(xs)
        tick_labels += [name] * len(animals)

    if bar_pt < 1.2 * CHAR_PT:  # too thin for "P" and "Q": the key says which is which
        ticks, tick_labels = [], []
    ax.set_xticks(ticks, tick_labels, fontweight="bold")
    ax.tick_params(axis="x", length=0, pad=4)
    label_groups(ax, centres, animals, drop=26 if ticks else 6, color=colors.text)
    # The key above the plot (a title has room kept for it), where no bar's value can reach.
    ax.set_title(
        "P: the forest's true mix\nQ: the model's belief",
        loc="right",
        color=colors.text,
        fontsize=FONT_SIZE,
        linespacing=1.5,
    )
    top = max(max(h) for _, h, _, _ in series)
    # Headroom for the values and the key (more where bars may run under the key: on a
    # phone, where the key spans more of the width, or with more animals).
    ax.set_ylim(0, top * (1.18 if len(animals) <= 3 and not ctx.narrow else 1.7))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)

    return Table(
        headers=["Animal", "p(x)", "q(x)"],
        rows=[
            [a, format_probability(forest.p[a]), format_probability(forest.q[a])] for a in animals
        ],
    )
