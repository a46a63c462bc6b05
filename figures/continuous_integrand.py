"""Where KL(P‖Q) comes from: the integrand p(x) ln(p(x)/q(x)) for the good and the poor fit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.build.render import DrawContext
from kl.lecture.formatting import format_number
from kl.lecture.sections.continuous import FITS, closed_form_nats, integrand
from kl.lecture.tables import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "continuous-integrand"
TITLE = "Where the divergence comes from: the integrand of KL(P‖Q)"
SIZE = "tall"
NARROW_SIZE = "3:5"
CAPTION = (
    "For each fit, in the panels titled “Good fit” and “Poor fit”: the true distribution P "
    "(solid) with the fit, and beneath it the integrand p(x)·ln(p(x)/q(x)). The shaded area "
    "above the axis, minus the hatched area below it, is KL(P‖Q): "
    "{{ continuous.kl_good_nats | decimals(3) }} nats for the good fit and "
    "{{ continuous.kl_poor_nats | decimals(3) }} nats for the poor one. The integrand dips "
    "below zero wherever q(x) > p(x), but the total never does. Note the different vertical "
    "scales: each panel is scaled to its own integrand, which for the poor fit is largest at "
    "x = {{ continuous.poor_peak_x }}, where P has mass that Q makes unlikely."
)
ALT = (
    "Four panels, two per fit, each fit's bell curves above its integrand. The good fit's "
    "curves: P with the good fit. The poor fit's: P with the poor fit"
    "{% if continuous.poor_mean != continuous.p_mean or continuous.poor_sd != continuous.p_sd %}, "
    "{% if continuous.poor_mean != continuous.p_mean %}"
    "shifted {{ 'right' if continuous.poor_mean > continuous.p_mean else 'left' }}"
    "{{ ' and ' if continuous.poor_sd != continuous.p_sd }}{% endif %}"
    "{% if continuous.poor_sd != continuous.p_sd %}"
    "{{ 'wider' if continuous.poor_sd > continuous.p_sd else 'narrower' }}{% endif %}{% endif %}"
    ". Beneath each: the integrand p times log of p over q. For the good fit its "
    "positive area is {{ continuous.good_above_nats }} nats and its negative area "
    "{{ continuous.good_below_nats }} nats, netting "
    "{{ continuous.kl_good_nats | decimals(3) }} nats. For the poor fit it rises highest "
    "at x = {{ continuous.poor_peak_x }}, where P has mass the poor fit hardly expects "
    "(positive area {{ continuous.poor_above_nats }} nats), and dips below zero where the "
    "poor fit exceeds P (negative area {{ continuous.poor_below_nats }} nats), netting "
    "{{ continuous.kl_poor_nats | decimals(3) }} nats."
)


def _densities(
    ax: Axes, ctx: DrawContext, x: np.ndarray, p: np.ndarray, q: np.ndarray, fit: str
) -> None:
    colors = ctx.palette
    color = getattr(colors, fit)
    style = (0, (5, 2.5)) if fit == "good" else (0, (2, 2))
    ax.plot(x, p, color=colors.truth, linewidth=3)
    ax.plot(x, q, color=color, linestyle=style)
    i_p, i_q = int(np.argmax(p)), int(np.argmax(q))
    top = max(p.max(), q.max())
    ax.text(
        x[i_p],
        p[i_p] + 0.04 * top,
        "P",
        color=colors.truth,
        ha="right",
        va="bottom",
        fontweight="bold",
    )
    ax.text(
        x[i_q], q[i_q] + 0.04 * top, "Q", color=color, ha="left", va="bottom", fontweight="bold"
    )
    ax.set_ylim(0, top * 1.25)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_title(f"{fit.capitalize()} fit", color=color, fontweight="bold")


def _integrand(
    ax: Axes, ctx: DrawContext, x: np.ndarray, values: np.ndarray, fit: str, kl_nats: float
) -> None:
    colors = ctx.palette
    color = getattr(colors, fit)
    above, below = np.maximum(values, 0.0), np.minimum(values, 0.0)
    ax.fill_between(x, 0, above, color=color, alpha=0.3, linewidth=0)
    ax.fill_between(
        x, 0, below, facecolor="none", edgecolor=colors.highlight, hatch="////", linewidth=0
    )
    ax.plot(x, values, color=color, linewidth=2)
    ax.axhline(0, color=colors.neutral, linewidth=0.8)
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo
    ax.set_ylim(lo - 0.12 * span, hi + 0.35 * span)
    ax.text(
        0.97,
        0.95,
        f"area = KL(P‖Q)\n= {format_number(kl_nats, 3)} nats",
        transform=ax.transAxes,
        ha="right",
        va="top",
        color=colors.text,
    )
    i_low = int(np.argmin(values))
    if values[i_low] < 0:
        ax.annotate(
            "q > p",
            xy=(x[i_low], values[i_low]),
            xytext=(x[i_low] + 0.08 * (x[-1] - x[0]), values[i_low]),
            ha="left",
            va="center",
            color=colors.text,
            fontsize=ctx.theme.rc["xtick.labelsize"],
        )
    if not ctx.narrow or fit == FITS[-1]:
        ax.set_xlabel("x")


def draw(fig: Figure, ctx: DrawContext) -> Table:
    curves = ctx.data.curves
    grids = {fit: integrand(curves, fit, points=1201) for fit in FITS}  # enough to draw
    normals = (curves.p, curves.good, curves.poor)
    lo = min(n.mean - 4 * n.sd for n in normals)
    hi = max(n.mean + 4 * n.sd for n in normals)

    # Each fit's densities above its integrand: side by side, or one under the other on a
    # phone's narrow canvas.
    if ctx.narrow:
        column = fig.subplots(4, 1, sharex=True, height_ratios=(1, 1.3, 1, 1.3))
        pairs = [(column[0], column[1]), (column[2], column[3])]
    else:
        grid_axes = fig.subplots(2, 2, sharex=True, height_ratios=(1, 1.3))
        pairs = [(grid_axes[0, 0], grid_axes[1, 0]), (grid_axes[0, 1], grid_axes[1, 1])]
    for (top, bottom), fit in zip(pairs, FITS, strict=True):
        grid = grids[fit]
        shown = (grid.x >= lo) & (grid.x <= hi)
        x = grid.x[shown]
        _densities(top, ctx, x, grid.p[shown], grid.q[shown], fit)
        _integrand(bottom, ctx, x, grid.values[shown], fit, closed_form_nats(curves, fit))
    for _, bottom in pairs if ctx.narrow else pairs[:1]:
        bottom.set_ylabel("p·ln(p/q)")
    pairs[0][0].set_xlim(lo, hi)

    good, poor = grids["good"], grids["poor"]
    shown = (good.x >= lo) & (good.x <= hi)
    step = max(1, int(shown.sum()) // 60)
    return Table(
        headers=["x", "p(x)", "good q(x)", "poor q(x)", "good p·ln(p/q)", "poor p·ln(p/q)"],
        rows=[
            [repr(float(v)) for v in row]
            for row in zip(
                good.x[shown][::step],
                good.p[shown][::step],
                good.q[shown][::step],
                poor.q[shown][::step],
                good.values[shown][::step],
                poor.values[shown][::step],
                strict=True,
            )
        ],
    )
