"""The lecture's infographic: the true distribution P with a good and a poor approximation.

Layout: P sits in the middle of the x range with its label just above its peak (moved
sideways, with a leader line, where a taller approximation would cross it); the two fit
labels sit in the top corners, in a band kept free of curves by the y-axis headroom, and
their arrows point down to where each approximation's divergence comes from: the x where
the integrand p·ln(p/q) is largest, midway between P and the approximation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from kl.build.render import DrawContext
from kl.lecture.data import Normal
from kl.lecture.formatting import format_number
from kl.lecture.sections.continuous import integrand
from kl.lecture.tables import Table
from kl.measures.continuous import normal_pdf
from kl.measures.distributions import FloatArray
from kl.measures.gaussian import kl_normal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "hero"
TITLE = "KL divergence at a glance: a good fit and a poor fit"
NARROW_SIZE = "1:1"
CAPTION = (
    "The true distribution P (solid blue) with two approximations Q, each dashed in its own "
    "pattern. The good fit (green, long dashes) hugs P, and KL(P‖Q) is only "
    "{{ continuous.kl_good_nats | decimals(3) }} nats. The poor fit (red, short dashes) "
    "{% if continuous.poor_mean != continuous.p_mean %}peaks "
    "{{ 'to the right' if continuous.poor_mean > continuous.p_mean else 'to the left' }} of P"
    "{% if continuous.poor_sd != continuous.p_sd %} and is "
    "{{ 'wider' if continuous.poor_sd > continuous.p_sd else 'narrower' }}{% endif %}"
    "{% elif continuous.poor_sd != continuous.p_sd %}shares P's peak but is "
    "{{ 'wider' if continuous.poor_sd > continuous.p_sd else 'narrower' }}"
    "{% else %}is P itself{% endif %}, and costs {{ continuous.kl_poor_nats | decimals(2) }} nats. "
    "The shading fills the gap between P and the poor fit; its area, "
    "{{ continuous.poor_gap_area }}, is not the divergence. The divergence is the average "
    "of ln(p/q) over P, and the arrows point to where each fit's share of it, p·ln(p/q), "
    "is largest: for the poor fit at x = {{ continuous.poor_peak_x }}, where P's density is "
    "{{ continuous.poor_peak_ratio }} times the poor fit's. Where the poor fit rises above P, "
    "the share is negative and takes {{ continuous.poor_below_nats }} nats off the total."
)
ALT = (
    "Three bell-shaped curves over the same axis. A solid blue curve in the middle, labelled "
    "True Distribution (P). A green curve in long dashes almost on top of it, with an arrow "
    "to the thin gap between them labelled Low KL Divergence (Good Fit), KL = "
    "{{ continuous.kl_good_nats | decimals(3) }} nats. A red curve in short dashes"
    "{% if continuous.poor_mean != continuous.p_mean %}, its peak "
    "{{ 'to the right' if continuous.poor_mean > continuous.p_mean else 'to the left' }} of P's"
    "{% endif %}{% if continuous.poor_sd != continuous.p_sd %}, "
    "{{ 'wider' if continuous.poor_sd > continuous.p_sd else 'narrower and taller' }} than P{% "
    "endif %}"
    ", the gap between it and the blue curve shaded, and an arrow into that gap at "
    "x = {{ continuous.poor_peak_x }}, where the blue curve is far above the red one, labelled "
    "High KL Divergence (Poor Fit), KL = {{ continuous.kl_poor_nats | decimals(2) }} nats."
)

_tail_sds = 3.0  # each curve is drawn out to this many standard deviations from its mean
_peak_height = 0.6  # the tallest curve's peak, as a fraction of the plot's height
# Points, by layout: larger than the house size; on a phone's narrow canvas the two corner
# labels need room side by side, and 13 points there still show larger than 15.5 wide.
_label_sizes = {"wide": 15.5, "narrow": 13.0}
_label_top = 0.99  # top of the corner labels, as a fraction of the plot's height
_corner_band = 0.72  # the corner labels reach down to about this fraction of the height
_p_label = "True Distribution (P)"
_p_gap = 7.0  # points between P's peak and its label
_good_dashes = (0, (6.0, 2.2))  # long dashes, in line widths
_poor_dashes = (0, (2.6, 1.6))  # short dashes: still dashes, not dots


def _kl(p: Normal, q: Normal) -> float:
    return kl_normal(p.mean, p.sd, q.mean, q.sd)


def _arrow_target(x: FloatArray, p: FloatArray, q: FloatArray, at: float) -> tuple[float, float]:
    """The point at ``at`` midway between curves p and q (sampled on x)."""
    return at, float(np.interp(at, x, p) + np.interp(at, x, q)) / 2


def _label_size_data(ax: Axes, fig: Figure, size: float) -> tuple[float, float]:
    """Width and height of P's label (``size`` points) in data units, from the font's own
    metrics and the figure's size (the axes fill nearly all of it: no ticks, no y axis)."""
    width, height, _ = TextToPath().get_text_width_height_descent(
        _p_label, FontProperties(size=size, weight="bold"), ismath=False
    )
    fig_w, fig_h = (72 * v for v in fig.get_size_inches())
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return width * (x1 - x0) / (0.97 * fig_w), (height + 4) * (y1 - y0) / (0.9 * fig_h)


def _p_label_place(
    ax: Axes, fig: Figure, size: float, x: FloatArray, p: FloatArray, others: list[FloatArray]
) -> tuple[float, float, bool]:
    """Where P's label is centred and where its bottom is (data units), and whether that
    is away from its usual place just above P's peak: it moves, to the nearest clear spot
    at that height or a little higher below the corner labels, where another curve
    comes near."""
    width, height = _label_size_data(ax, fig, size)
    (x_lo, x_hi), (_, y_top) = ax.get_xlim(), ax.get_ylim()
    i = int(np.argmax(p))
    gap = _p_gap * y_top / (0.9 * 72 * fig.get_size_inches()[1])
    base = float(p[i]) + gap
    curves = np.vstack([p, *others])
    for lift in np.arange(0.0, 0.5, 0.05) * y_top:
        bottom = base + lift
        if bottom + height > _corner_band * y_top:
            break
        for shift in np.arange(0.0, 1.05, 0.1) * width:
            for centre in (float(x[i]) - shift, float(x[i]) + shift):
                left, right = centre - width / 2, centre + width / 2
                if left < x_lo or right > x_hi:
                    continue
                span = (x >= left - 0.1 * width) & (x <= right + 0.1 * width)
                if np.all(curves[:, span] < bottom - gap / 2):
                    return centre, bottom, bool(lift or shift)
    return float(x[i]), base, False


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
    ax.plot(x, good, color=colors.good, linestyle=_good_dashes, linewidth=2.6, alpha=0.8)
    ax.plot(x, poor, color=colors.poor, linestyle=_poor_dashes, linewidth=2.8, alpha=0.8)

    top = max(float(p.max()), float(good.max()), float(poor.max()))
    ax.set_ylim(0, top / _peak_height)
    ax.set_xlim(x[0], x[-1])
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks([])

    i_peak = int(np.argmax(p))
    label_size = _label_sizes[ctx.layout.name]
    label_x, label_y, moved = _p_label_place(ax, fig, label_size, x, p, [good, poor])
    ax.annotate(
        _p_label,
        xy=(x[i_peak], p[i_peak]),
        xytext=(label_x, label_y),
        textcoords="data",
        ha="center",
        va="bottom",
        color=colors.truth,
        fontweight="bold",
        fontsize=label_size,
        bbox={"boxstyle": "round,pad=0.1", "facecolor": colors.background, "edgecolor": "none"},
        zorder=5,  # over the fit labels' arrows, which may pass behind it
        arrowprops=(
            {"arrowstyle": "-", "color": colors.truth, "linewidth": 1.2, "shrinkB": 3}
            if moved
            else None
        ),
    )

    for fit, q, kl_digits, corner, bend in (
        ("good", good, 3, 0.01, 0.2),
        ("poor", poor, 2, 0.99, -0.2),
    ):
        color = getattr(colors, fit)
        level, name = ("Low", "Good Fit") if fit == "good" else ("High", "Poor Fit")
        kl = format_number(_kl(curves.p, getattr(curves, fit)), kl_digits)
        ax.annotate(
            f"{level} KL Divergence\n({name})\nKL(P‖Q) = {kl} nats",
            xy=_arrow_target(x, p, q, integrand(curves, fit).peak_x()),
            xytext=(corner, _label_top),
            textcoords="axes fraction",
            ha="left" if corner < 0.5 else "right",
            va="top",
            fontsize=label_size,
            color=color,
            arrowprops={
                "arrowstyle": "-|>",
                "color": color,
                "linewidth": 1.4,
                "shrinkA": 4,
                "shrinkB": 2,
                "connectionstyle": f"arc3,rad={bend}",
            },
        )

    step = slice(None, None, 20)
    return Table(
        headers=["x", "p(x)", "good q(x)", "poor q(x)"],
        rows=[
            [repr(float(v)) for v in row]
            for row in zip(x[step], p[step], good[step], poor[step], strict=True)
        ],
    )
