"""KL(P‖Q) and KL(Q‖P) over every Q on the simplex of three outcomes, P and Q marked."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import patheffects
from matplotlib.patches import Polygon

from kl.build.render import DrawContext
from kl.lecture.formatting import format_number
from kl.lecture.sections.not_a_distance import (
    SIMPLEX_COLUMNS,
    simplex_cap_bits,
    simplex_kl_raster,
    simplex_vectors,
)
from kl.lecture.tables import Table
from kl.measures.simplex import SQRT3_HALF, kl_rows, simplex_grid, ternary_xy

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage

ID = "simplex"
TITLE = "KL divergence over every belief about three animals"
SIZE = "tall"
NARROW_SIZE = "3:5"
CAPTION = (
    "Every belief Q about {{ words.corners(not_a_distance.simplex_corners) }} is a point of the "
    "triangle; a corner is certainty"
    "{% if not_a_distance.simplex_lumped %} (the {{ words.list(not_a_distance.simplex_lumped) }} "
    "are lumped together as “{{ words.corner(not_a_distance.simplex_corners[2]) }}”){% endif %}. "
    "Colour shows KL(P‖Q) in the first panel and KL(Q‖P) in the second, each titled with its "
    "divergence, in bits, with P (star) and "
    "the forest's Q (circle) marked{% if not_a_distance.q_is_p %} at the same point, since Q = P"
    "{% endif %}. The colour scale stops at {{ not_a_distance.simplex_cap_bits }} bits, the most "
    "KL(Q‖P) reaches "
    "{%- if not_a_distance.simplex_p_zero_corners %} on the edge where Q, like P, rules out "
    "{{ words.corners(not_a_distance.simplex_p_zero_corners, prefix='the ') }} (at the "
    "{{ words.corners(not_a_distance.simplex_cap_corners) }} "
    "{{ words.plural(not_a_distance.simplex_cap_corners | length, 'corner', 'corners') }}); "
    "everywhere else KL(Q‖P) is infinite"
    "{%- else %} on this triangle (at the {{ words.corners(not_a_distance.simplex_cap_corners) }} "
    "{{ words.plural(not_a_distance.simplex_cap_corners | length, 'corner', 'corners') }})"
    "{%- endif %}. KL(P‖Q) climbs past it near the edges"
    "{%- if not_a_distance.simplex_p_zero_corners %} where Q rules out "
    "{{ words.corners(not_a_distance.simplex_p_corners, 'or', 'the ') }}{% endif %} and is "
    "infinite on them; "
    "everything above the cap is drawn in the top colour."
)
ALT = (
    "Two triangular heat maps, corners labelled "
    "{{ words.corners(not_a_distance.simplex_corners) }}. The first: KL(P‖Q) for every belief Q; "
    "the second: KL(Q‖P). Both are darkest (zero) at P, marked with a star; the forest's Q, "
    "a circle, "
    "{%- if not_a_distance.q_is_p %} sits on the star, since Q = P"
    "{%- else %} sits where KL(P‖Q) "
    "{%- if not_a_distance.simplex_q_forward_bits is infinite %} is infinite"
    "{%- else %} = {{ not_a_distance.simplex_q_forward_bits }} bits{% endif %} and KL(Q‖P) "
    "{%- if not_a_distance.simplex_q_backward_bits is infinite %} is infinite"
    "{%- else %} = {{ not_a_distance.simplex_q_backward_bits }} bits{% endif %}"
    "{{ ' between the lumped beliefs' if not_a_distance.simplex_lumped }}{% endif %}. "
    "In the first the colour climbs to the top of the scale along the edges"
    "{%- if not_a_distance.simplex_p_zero_corners %} where Q rules out "
    "{{ words.corners(not_a_distance.simplex_p_corners, 'or', 'the ') }}; in the second it is "
    "at the top of the scale everywhere except along the edge where Q rules out "
    "{{ words.corners(not_a_distance.simplex_p_zero_corners, prefix='the ') }}, where it peaks "
    "at the "
    "{%- else %}; in the second it stays lower and peaks at the{% endif %} "
    "{{ words.corners(not_a_distance.simplex_cap_corners) }} "
    "{{ words.plural(not_a_distance.simplex_cap_corners | length, 'corner', 'corners') }} at "
    "{{ not_a_distance.simplex_cap_bits }} bits, the cap of the shared colour scale."
)


def _halo(ctx: DrawContext) -> list[patheffects.AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=3, foreground=ctx.palette.background)]


# Corner names (an animal's name may take 40 characters) are wrapped: the two bottom ones
# at this many characters, so each keeps to its half of the triangle, the top one at twice
# that. Each line of a name takes about _line_height of the plot's data units.
_wrap = {"wide": 15, "narrow": 11}
_line_height = 0.075


def _corner_names(ctx: DrawContext, names: list[str]) -> list[str]:
    width = _wrap[ctx.layout.name]
    return [textwrap.fill(n, w) for n, w in zip(names, (width, width, 2 * width), strict=True)]


def _panel(
    ax: Axes,
    ctx: DrawContext,
    raster: tuple[np.ndarray, np.ndarray, np.ndarray],
    norm: mcolors.Normalize,
    title: str,
    names: list[str],
) -> AxesImage:
    colors = ctx.palette
    x, y, kl_bits = raster
    shown = np.minimum(kl_bits, norm.vmax)
    triangle = Polygon(
        [(0, 0), (1, 0), (0.5, SQRT3_HALF)],
        closed=True,
        facecolor="none",
        edgecolor=colors.neutral,
        linewidth=1,
    )
    ax.add_patch(triangle)
    image = ax.imshow(
        shown,
        origin="lower",
        extent=(0, 1, 0, float(y.max() + y.min())),
        cmap=ctx.theme.colormap,
        norm=norm,
        interpolation="bilinear",
    )
    image.set_clip_path(triangle)
    levels = norm.inverse(np.linspace(0, 1, 8)[1:-1])  # six contours, evenly spaced in colour
    lines = ax.contour(x, y, shown, levels=levels, colors=colors.background, linewidths=0.6)
    lines.set_clip_path(triangle)
    ax.set_title(title, pad=6)
    below = max(n.count("\n") for n in names[:2]) + 1
    above = names[2].count("\n") + 1
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.05 - below * _line_height, SQRT3_HALF + 0.04 + above * _line_height)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return image


def _corner_labels(ax: Axes, ctx: DrawContext, names: list[str]) -> None:
    style = {"color": ctx.palette.text, "fontsize": ctx.theme.rc["xtick.labelsize"]}
    ax.text(0, -0.04, names[0], ha="left", va="top", **style)
    ax.text(1, -0.04, names[1], ha="right", va="top", multialignment="right", **style)
    ax.text(0.5, SQRT3_HALF + 0.03, names[2], ha="center", va="bottom", **style)


def _mark(ax: Axes, ctx: DrawContext, p: np.ndarray, q: np.ndarray) -> None:
    colors = ctx.palette
    (px,), (py,) = ternary_xy(p)
    (qx,), (qy,) = ternary_xy(q)
    ax.plot(px, py, marker="*", markersize=15, color=colors.highlight, markeredgecolor=colors.text)
    ax.plot(qx, qy, marker="o", markersize=8, color=colors.background, markeredgecolor=colors.text)
    # Put each label on the far side of its point from the other one.
    away = np.array([px - qx, py - qy])
    away = away / np.hypot(*away) * 0.09 if np.hypot(*away) > 0 else np.array([0.0, 0.09])
    for label, x, y, sign in (("P", px, py, 1), ("Q", qx, qy, -1)):
        # Inside the triangle's height, clear of the corner names above and below it.
        label_y = min(max(y + sign * away[1], 0.06), SQRT3_HALF - 0.12)
        ax.text(
            x + sign * away[0],
            label_y,
            label,
            ha="center",
            va="center",
            fontweight="bold",
            color=colors.text,
            path_effects=_halo(ctx),
        )


# The corner the rest are lumped into, with more than three animals (as the pages call it).
OTHERS = "other animals"


def draw(fig: Figure, ctx: DrawContext) -> Table:
    groups, p, q = simplex_vectors(ctx.data)
    names = [members[0] if len(members) == 1 else OTHERS for members in groups]
    x, y, forward, backward = simplex_kl_raster(tuple(p), SIMPLEX_COLUMNS)
    norm = mcolors.PowerNorm(gamma=0.5, vmin=0.0, vmax=simplex_cap_bits(p))

    axes = fig.subplots(2, 1) if ctx.narrow else fig.subplots(1, 2)  # stacked on a phone
    corners = _corner_names(ctx, names)
    image = None
    for ax, values, title in zip(axes, (forward, backward), ("KL(P‖Q)", "KL(Q‖P)"), strict=True):
        image = _panel(ax, ctx, (x, y, values), norm, title, corners)
        _corner_labels(ax, ctx, corners)
        _mark(ax, ctx, p, q)
    bar = fig.colorbar(
        image, ax=axes, orientation="horizontal", fraction=0.06, pad=0.04, aspect=40, extend="max"
    )
    if ctx.narrow:  # five ticks, evenly spaced in colour: the default ones crowd at the top
        bar.set_ticks([float(f"{v:.2g}") for v in norm.inverse(np.linspace(0, 1, 5))])
    bar.set_label(f"KL in bits (scale capped at {format_number(norm.vmax, 2)})")
    bar.outline.set_visible(False)

    grid = simplex_grid(10)  # the CSV samples the simplex in steps of 1/10
    # CSV cells are machine-readable: KL on an edge that rules out an animal reads "inf".
    return Table(
        headers=[*(f"q({name})" for name in names), "KL(P‖Q), bits", "KL(Q‖P), bits"],
        rows=[
            [*(f"{v:.1f}" for v in row), f"{f:.6f}", f"{b:.6f}"]
            for row, f, b in zip(
                grid, kl_rows(p, grid, base=2), kl_rows(grid, p, base=2), strict=True
            )
        ],
    )
