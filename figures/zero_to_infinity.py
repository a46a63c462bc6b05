"""From zero to infinity: KL(P‖Q_t) as Q_t slides from P to a Q that rules out an animal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np

from kl.build.render import DrawContext
from kl.build.style import SMALL_FONT_SIZE
from kl.lecture.formatting import format_number
from kl.lecture.sections.zero_to_infinity import path_end, path_point, rarest_outcome, table_steps
from kl.lecture.tables import Table
from kl.measures.discrete import kl_divergence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "zero-to-infinity"
TITLE = "From zero to infinity: KL(P‖Q) as Q moves away from P"
NARROW_SIZE = "1:1"
CAPTION = (
    "Q slides from P (t = 0) towards a Q that gives the {{ zero_to_infinity.rarest }} probability "
    "0 "
    "(t = 1). KL(P‖Q) starts at {{ zero_to_infinity.kl_same_bits | decimals(0) }}, grows all the "
    "way "
    "({% for t in zero_to_infinity.t[1:-1] %}{{ zero_to_infinity.kl_bits[loop.index] | decimals(3) "
    "}} bits at "
    "t = {{ t }}{{ ', ' if not loop.last }}{% endfor %}) and is infinite at t = 1."
)
ALT = (
    "A line chart of KL(P‖Q) in bits against t from 0 to 1. The curve starts at 0 where "
    "Q = P, rises slowly, passes "
    "{% for t in zero_to_infinity.t[1:-1] %}{{ zero_to_infinity.kl_bits[loop.index] | decimals(3) "
    "}} bits at "
    "t = {{ t }}{{ (' and ' if loop.revindex == 2 else ', ') if not loop.last }}{% endfor %}, "
    "each marked with a square, then shoots up along a dashed vertical line at t = 1, where "
    "Q gives the {{ zero_to_infinity.rarest }} probability 0; an upward arrow marked with the "
    "infinity sign shows that KL(P‖Q) is infinite there."
)

_points_before_end = 400  # samples in t on [0, 1): even, then crowding towards t = 1


# The label of the end point names an animal (up to 40 characters): wrapped at this width.
_wrap = {"wide": 60, "narrow": 22}


def _path_ts() -> np.ndarray:
    """t from 0 towards 1: an even grid, then 1 - 10^-k ever closer to the end."""
    even = np.linspace(0.0, 0.99, _points_before_end // 2, endpoint=False)
    close = 1.0 - np.geomspace(1e-2, 1e-12, _points_before_end // 2)
    return np.concatenate([even, close])


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    p = ctx.data.forest.p
    r = path_end(ctx.data)
    rare = rarest_outcome(p)
    ts = _path_ts()
    kl = np.array([kl_divergence(p, path_point(p, r, float(t)), base=2) for t in ts])

    ax = fig.add_subplot()
    near_end = float(np.interp(0.99, ts, kl))
    top = 2.0 * near_end
    ax.set_xlim(-0.02, 1.03)
    ax.set_ylim(-0.04 * top, top)
    ax.plot(ts, kl, color=colors.poor, linewidth=2.6, clip_on=True)
    ax.axvline(1.0, color=colors.neutral, linestyle=(0, (4, 3)), linewidth=1.3)
    ax.grid(axis="y")
    ax.set_xlabel(
        "t: how far Q has moved\nfrom P" if ctx.narrow else "t: how far Q has moved from P"
    )
    ax.set_ylabel("KL(P‖Q) (bits)")

    ax.plot([0.0], [0.0], "o", color=colors.truth, markersize=9, zorder=3)
    ax.annotate(
        f"Q = P\nKL = {format_number(kl_divergence(p, p, base=2), 0)}",
        xy=(0.0, 0.0),
        xytext=(8, 14),
        textcoords="offset points",
        ha="left",
        va="bottom",
        color=colors.truth,
    )

    for t in table_steps(ctx.data):
        if 0.0 < t < 1.0:
            kl_t = kl_divergence(p, path_point(p, r, t), base=2)
            ax.plot([t], [kl_t], "s", color=colors.poor, markersize=7, zorder=3)
            ax.annotate(
                f"{format_number(kl_t, 3)} bits",
                xy=(t, kl_t),
                xytext=(-9, 5),
                textcoords="offset points",
                ha="right",
                va="bottom",
                color=colors.text,
                fontsize=SMALL_FONT_SIZE,
            )

    ax.annotate(
        "",
        xy=(1.0, top),
        xytext=(1.0, 0.7 * top),
        arrowprops={"arrowstyle": "-|>", "color": colors.poor, "linewidth": 2.2},
        annotation_clip=False,
    )
    ax.annotate(
        textwrap.fill(f"q({rare}) = 0:", _wrap[ctx.layout.name]) + "\nKL = ∞",
        xy=(1.0, 0.93 * top),
        xytext=(-14, 0),
        textcoords="offset points",
        ha="right",
        va="top",
        color=colors.poor,
        fontweight="bold",
    )

    shown = ts[:: _points_before_end // 40]
    return Table(
        headers=["t", *(f"q({x})" for x in p), "KL(P‖Q) (bits)"],
        rows=[
            [
                f"{t:.12g}",
                *(f"{v:.6g}" for v in path_point(p, r, float(t)).values()),
                f"{kl_divergence(p, path_point(p, r, float(t)), base=2):.6g}",
            ]
            for t in [*shown, 1.0]
        ],
    )
