"""The lecture's infographic: the true distribution P with a good and a poor approximation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.continuous import normal_pdf
from kl.data import Normal
from kl.formatting import format_number
from kl.gaussian import kl_normal
from kl.render import DrawContext
from kl.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "hero"
TITLE = "KL divergence at a glance: a good fit and a poor fit"
CAPTION = (
    "The true distribution P (solid blue) with two approximations. The green dashed curve "
    "hugs P, and KL(P‖Q) is only {{ value curves.kl_good_nats 3 }} nats; the red dashed curve "
    "peaks in the wrong place with the wrong width, and the shaded area where it parts from P "
    "costs {{ value curves.kl_poor_nats 2 }} nats."
)
ALT = (
    "Three bell-shaped curves over the same axis. A solid blue curve labelled True "
    "Distribution (P). A green dashed curve almost on top of it, with an arrow to the thin gap "
    "between them labelled Low KL Divergence (Good Fit), KL = {{ value curves.kl_good_nats 3 }} "
    "nats. A red dashed curve, narrower and shifted to the right, with the area between it and "
    "the blue curve shaded and an arrow to that area labelled High KL Divergence (Poor Fit), "
    "KL = {{ value curves.kl_poor_nats 2 }} nats."
)


def _kl(p: Normal, q: Normal) -> float:
    return kl_normal(p.mean, p.sd, q.mean, q.sd)


def draw(fig: Figure, ctx: DrawContext) -> Table:
    curves, colors = ctx.data.curves, ctx.palette
    lo = min(c.mean - 4 * c.sd for c in (curves.p, curves.good, curves.poor))
    hi = max(c.mean + 4 * c.sd for c in (curves.p, curves.good, curves.poor))
    x = np.linspace(lo, hi, 601)
    p = normal_pdf(x, curves.p.mean, curves.p.sd)
    good = normal_pdf(x, curves.good.mean, curves.good.sd)
    poor = normal_pdf(x, curves.poor.mean, curves.poor.sd)

    ax = fig.add_subplot()
    ax.fill_between(x, p, poor, color=colors.poor, alpha=0.14, linewidth=0)
    ax.plot(x, p, color=colors.truth, linewidth=3.2, solid_capstyle="round")
    ax.plot(x, good, color=colors.good, linestyle=(0, (5, 2.5)), alpha=0.85)
    ax.plot(x, poor, color=colors.poor, linestyle=(0, (2, 2)), alpha=0.85)

    peak = float(p.max())
    top = max(peak, float(good.max()), float(poor.max()))
    ax.set_ylim(0, top * 1.32)
    ax.set_xlim(lo, hi)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("x")

    i_p = int(np.argmax(p))
    ax.annotate(
        "True Distribution (P)",
        xy=(x[i_p], peak),
        xytext=(x[i_p], top * 1.2),
        ha="center",
        color=colors.truth,
        fontweight="bold",
        arrowprops={"arrowstyle": "-", "color": colors.truth, "linewidth": 1},
    )

    # The good fit: point at the widest gap on the left flank, where the two curves part.
    left = x < curves.p.mean
    i_gap = int(np.argmax(np.where(left, np.abs(good - p), -1)))
    gap_y = (good[i_gap] + p[i_gap]) / 2
    kl_good = format_number(_kl(curves.p, curves.good), 3)
    ax.annotate(
        f"Low KL Divergence\n(Good Fit)\nKL(P‖Q) = {kl_good} nats",
        xy=(x[i_gap], gap_y),
        xytext=(lo + 0.02 * (hi - lo), top * 0.8),
        ha="left",
        va="center",
        color=colors.good,
        arrowprops={"arrowstyle": "-|>", "color": colors.good, "linewidth": 1.4},
    )

    # The poor fit: point into the shaded region where P has mass the poor fit misses.
    i_area = int(np.argmax(np.where(p > poor, p - poor, -1)))
    kl_poor = format_number(_kl(curves.p, curves.poor), 2)
    ax.annotate(
        f"High KL Divergence\n(Poor Fit)\nKL(P‖Q) = {kl_poor} nats",
        xy=(x[i_area], (p[i_area] + poor[i_area]) / 2),
        xytext=(hi - 0.02 * (hi - lo), top * 0.8),
        ha="right",
        va="center",
        color=colors.poor,
        arrowprops={
            "arrowstyle": "-|>",
            "color": colors.poor,
            "linewidth": 1.4,
            "connectionstyle": "arc3,rad=0.25",
        },
    )

    step = slice(None, None, 20)
    return Table(
        headers=["x", "p(x)", "good q(x)", "poor q(x)"],
        rows=[
            [f"{a:.6g}", f"{b:.6g}", f"{c:.6g}", f"{d:.6g}"]
            for a, b, c, d in zip(x[step], p[step], good[step], poor[step], strict=True)
        ],
    )
