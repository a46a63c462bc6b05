"""The lecture's infographic: the true distribution P with a good and a poor approximation.

Layout: P sits in the middle of the x range with its label just above its peak; the two
fit labels sit in the top corners, in a band kept free of curves by the y-axis headroom,
and their arrows point down to where each approximation parts from P.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.continuous import normal_pdf
from kl.data import Normal
from kl.distributions import FloatArray
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
    "hugs P, and KL(P‖Q) is only {{ curves.kl_good_nats | decimals(3) }} nats; the red dashed curve "
    "has a different shape and peak, and the shaded area where it parts from P costs "
    "{{ curves.kl_poor_nats | decimals(2) }} nats."
)
ALT = (
    "Three bell-shaped curves over the same axis. A solid blue curve in the middle, labelled "
    "True Distribution (P). A green dashed curve almost on top of it, with an arrow to the thin "
    "gap between them labelled Low KL Divergence (Good Fit), KL = "
    "{{ curves.kl_good_nats | decimals(3) }} nats. A red dashed curve with a clearly different "
    "shape and peak, the area between it and the blue curve shaded, and an arrow to that area "
    "labelled High KL Divergence (Poor Fit), KL = {{ curves.kl_poor_nats | decimals(2) }} nats."
)

_tail_sds = 3.0  # each curve is drawn out to this many standard deviations from its mean
_peak_height = 0.6  # the tallest curve's peak, as a fraction of the plot's height
_label_size = 15.5  # points: larger than the house size, so the labels read at phone width
_label_top = 0.99  # top of the corner labels, as a fraction of the plot's height


def _kl(p: Normal, q: Normal) -> float:
    return kl_normal(p.mean, p.sd, q.mean, q.sd)


def _midway(x: FloatArray, p: FloatArray, q: FloatArray, score: FloatArray) -> tuple[float, float]:
    """The point midway between curves p and q where ``score`` is largest."""
    i = int(np.argmax(score))
    return float(x[i]), float(p[i] + q[i]) / 2


def draw(fig: Figure, ctx: DrawContext) -> Table:
    curves, colors = ctx.data.curves, ctx.palette
    centre = curves.p.mean
    half_width = max(abs(c.mean - centre) + _tail_sds * c.sd for c in (curves.good, curves.poor))
    half_width = max(half_width, (_tail_sds + 0.5) * curves.p.sd)
    x = np.linspace(centre - half_width, centre + half_width, 601)
    p = normal_pdf(x, curves.p.mean, curves.p.sd)
    good = normal_pdf(x, curves.good.mean, curves.good.sd)
    poor = normal_pdf(x, curves.poor.mean, curves.poor.sd)

    ax = fig.add_subplot()
    ax.fill_between(x, p, poor, color=colors.poor, alpha=0.16, linewidth=0)
    ax.plot(x, p, color=colors.truth, linewidth=3.4, solid_capstyle="round")
    ax.plot(x, good, color=colors.good, linestyle=(0, (5, 2.5)), linewidth=2.6, alpha=0.8)
    ax.plot(x, poor, color=colors.poor, linestyle=(0, (1.5, 1.8)), linewidth=2.8, alpha=0.8)

    top = max(float(p.max()), float(good.max()), float(poor.max()))
    ax.set_ylim(0, top / _peak_height)
    ax.set_xlim(x[0], x[-1])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks([])

    i_peak = int(np.argmax(p))
    ax.annotate(
        "True Distribution (P)",
        xy=(x[i_peak], p[i_peak]),
        xytext=(0, 7),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=colors.truth,
        fontweight="bold",
        fontsize=_label_size,
    )

    kl_good = format_number(_kl(curves.p, curves.good), 3)
    ax.annotate(
        f"Low KL Divergence\n(Good Fit)\nKL(P‖Q) = {kl_good} nats",
        xy=_midway(x, p, good, np.where(x < centre, np.abs(good - p), -np.inf)),
        xytext=(0.01, _label_top),
        textcoords="axes fraction",
        ha="left",
        va="top",
        fontsize=_label_size,
        color=colors.good,
        arrowprops={
            "arrowstyle": "-|>",
            "color": colors.good,
            "linewidth": 1.4,
            "shrinkA": 4,
            "shrinkB": 2,
            "connectionstyle": "arc3,rad=0.2",
        },
    )

    kl_poor = format_number(_kl(curves.p, curves.poor), 2)
    poor_side = x > centre if curves.poor.mean >= centre else x < centre
    ax.annotate(
        f"High KL Divergence\n(Poor Fit)\nKL(P‖Q) = {kl_poor} nats",
        xy=_midway(x, p, poor, np.where(poor_side, poor - p, -np.inf)),
        xytext=(0.99, _label_top),
        textcoords="axes fraction",
        ha="right",
        va="top",
        fontsize=_label_size,
        color=colors.poor,
        arrowprops={
            "arrowstyle": "-|>",
            "color": colors.poor,
            "linewidth": 1.4,
            "shrinkA": 4,
            "shrinkB": 2,
            "connectionstyle": "arc3,rad=-0.2",
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
