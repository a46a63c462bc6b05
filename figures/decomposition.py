"""Cross-entropy = entropy + KL, as stacked bars for the forest's P against several Qs."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

from kl.build.render import DrawContext
from kl.build.style import CHAR_PT, SMALL_FONT_SIZE, points_per_group
from kl.lecture.formatting import format_number
from kl.lecture.sections.cross_entropy_decomposition import Decomposition, decompositions
from kl.lecture.tables import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "decomposition"
TITLE = "Cross-entropy = entropy + KL divergence"
NARROW_SIZE = "1:1"
CAPTION = (
    "Each bar is the cross-entropy H(P, Q): the average bits per animal when the forest's "
    "animals are encoded with a code made for Q. The solid part is the entropy H(P) = "
    "{{ forest_example.h_p_bits | decimals(3) }} bits, the same for every Q; the hatched part is "
    "KL(P‖Q): 0 for Q = P; "
    "{% if forest_example.q_is_p %}0 for the model's Q, which is P; "
    "{% elif forest_example.kl_pq_bits is infinite %}without end for the model's Q, because "
    "{{ words.zero_reason('Q', 'P', forest_example.pq_infinite) }}; "
    "{% else %}{{ forest_example.kl_pq_bits | decimals(3) }} for the model's Q; {% endif %}"
    "{% if cross_entropy_decomposition.p_is_uniform %}0 for the uniform Q, which is P; "
    "{% else %}{{ cross_entropy_decomposition.kl_uniform_bits | decimals(3) }} for the uniform Q; "
    "{% endif %}"
    "and without end for the Q without the {{ zero_to_infinity.rarest }}, which gives it "
    "probability 0."
)
ALT = (
    "{{ words.count(cross_entropy_decomposition.belief_count) | capitalize }} horizontal stacked "
    "bars, one "
    "per Q. Each has a solid part of {{ forest_example.h_p_bits | decimals(3) }} bits, the entropy "
    "of "
    "P. On top: nothing for Q = P (total {{ forest_example.h_p_bits | decimals(3) }} bits); "
    "{% if forest_example.q_is_p %}nothing for the model's Q, which is P (total "
    "{{ forest_example.h_p_bits | decimals(3) }}); "
    "{% elif forest_example.kl_pq_bits is infinite %}for the model's Q a hatched part running off "
    "the "
    "right edge with an arrow, marked infinite; "
    "{% else %}a hatched part of {{ forest_example.kl_pq_bits | decimals(3) }} bits for the "
    "model's Q "
    "(total {{ forest_example.h_pq_bits | decimals(3) }}); {% endif %}"
    "{% if cross_entropy_decomposition.p_is_uniform %}nothing for the uniform Q, which is P (total "
    "{{ forest_example.h_p_bits | decimals(3) }}); "
    "{% else %}{{ cross_entropy_decomposition.kl_uniform_bits | decimals(3) }} bits for the "
    "uniform Q (total "
    "{{ cross_entropy_decomposition.h_uniform_bits | decimals(3) }}); {% endif %}"
    "and for the Q without the {{ zero_to_infinity.rarest }} a hatched part running off the right "
    "edge with an arrow, marked infinite."
)


# Each bar's name sits above it, from the left edge, wrapped at this many characters (a
# name from the data may take 40); the bars are this thick (1 is the row's pitch), and the
# plot reaches this far past the longest finite bar, for the totals.
_wrap = {"wide": 60, "narrow": 28}
_height = {"wide": 0.5, "narrow": 0.42}
_room = {"wide": 1.5, "narrow": 1.85}


def _above(ax: Axes, text: str, xy: tuple[float, float], **style: Any) -> None:
    """``text`` just above the point ``xy`` (data units), at the small house size."""
    ax.annotate(
        text,
        xy=xy,
        xytext=(0, 3),
        textcoords="offset points",
        va="bottom",
        fontsize=SMALL_FONT_SIZE,
        **style,
    )


# The words for each Q compared, by its label's key (the lecture's table has its own).
_names = {"q_is_p": "Q = P", "model": "the model's Q", "uniform": "uniform Q"}


def _name(case: Decomposition) -> str:
    label = case.label
    return f"Q without {label.args['animal']}" if label.key == "without" else _names[label.key]


def _total_label(kl: float, cross_entropy: float) -> str:
    total = format_number(cross_entropy, 3)
    return f"+ {format_number(kl, 0 if kl == 0 else 3)} = {total}"


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    cases = decompositions(ctx.data)
    longest = max(c.cross_entropy for c in cases if math.isfinite(c.cross_entropy))
    cut = longest * 1.12  # where an infinite bar stops and its arrow starts
    right = longest * _room[ctx.layout.name]
    rows = list(range(len(cases)))[::-1]  # first case on top
    height = _height[ctx.layout.name]

    ax = fig.add_subplot()
    ax.set_xlim(0, right)
    ax.set_ylim(-0.5, len(cases) - 0.3)
    for row, case in zip(rows, cases, strict=True):
        name = textwrap.fill(_name(case), _wrap[ctx.layout.name])
        _above(ax, name, (0, row + height / 2), ha="left", color=colors.text)
        ax.barh(row, case.entropy, height=height, color=colors.truth)
        end = case.cross_entropy if math.isfinite(case.cross_entropy) else cut
        if case.kl > 0:
            ax.barh(
                row,
                end - case.entropy,
                left=case.entropy,
                height=height,
                color="none",
                edgecolor=colors.poor,
                hatch="///",
                linewidth=1.6,
            )
        if not math.isfinite(case.kl):
            ax.annotate(
                "",
                xy=(cut + 0.08 * right, row),
                xytext=(cut, row),
                arrowprops={"arrowstyle": "-|>", "color": colors.poor, "linewidth": 2.2},
            )
            end = cut + 0.08 * right
        ax.annotate(
            _total_label(case.kl, case.cross_entropy),
            xy=(end, row),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            color=colors.poor if not math.isfinite(case.kl) else colors.text,
            fontsize=SMALL_FONT_SIZE,
            fontweight="bold" if not math.isfinite(case.kl) else "normal",
        )

    top_row = rows[0]
    bar_pt = points_per_group(ax, 1) * cases[0].entropy / right
    if bar_pt >= 8 * CHAR_PT:  # "H(P)" inside the bar where it fits, clear of the total
        ax.text(
            cases[0].entropy / 2,
            top_row,
            "H(P)",
            ha="center",
            va="center",
            color=colors.background,
            fontweight="bold",
        )
    # Label the KL part on the first bar that has one, a finite one if there is any.
    with_kl = min(
        ((r, c) for r, c in zip(rows, cases, strict=True) if c.kl > 0),
        key=lambda row_case: math.isinf(row_case[1].kl),
    )
    # Above the right end of that bar, clear of the bar's name at the left.
    with_kl_end = with_kl[1].cross_entropy if math.isfinite(with_kl[1].kl) else cut
    _above(
        ax,
        "KL(P‖Q)",
        (with_kl_end, with_kl[0] + height / 2),
        ha="center",
        color=colors.poor,
        fontweight="bold",
    )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(
        "cross-entropy H(P, Q),\nin bits per animal"
        if ctx.narrow
        else "cross-entropy H(P, Q), in bits per animal"
    )

    # CSV cells are machine-readable: an infinite value reads "inf".
    return Table(
        headers=["Q", "H(P) (bits)", "KL(P‖Q) (bits)", "H(P, Q) (bits)"],
        rows=[[_name(c), *(f"{x:.6f}" for x in (c.entropy, c.kl, c.cross_entropy))] for c in cases],
    )
