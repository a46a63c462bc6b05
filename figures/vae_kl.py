"""The VAE's KL term for one latent dimension, KL(N(μ, σ²) ‖ N(0, 1)), over μ and σ."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib import patheffects
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from kl.build.render import DrawContext
from kl.build.textcheck import laid_out_boxes
from kl.lecture.formatting import format_number
from kl.lecture.sections.kl_in_ai_vae import examples, term_nats
from kl.lecture.tables import Table
from kl.measures.gaussian import standard_normal_kl_terms

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ID = "vae-kl"
TITLE = "The VAE's KL term over the encoder's mean and spread"
NARROW_SIZE = "1:1"
CAPTION = (
    "The KL term of one latent dimension, KL(q(z|x) ‖ p(z)) with the encoder's "
    "q(z|x) = N(μ, σ²) and the prior p(z) = N(0, 1), in nats, for every mean μ and standard "
    "deviation σ. It is 0 only at μ = 0, σ = 1 (star), where the encoder's distribution is "
    "the prior itself. It grows with the square of μ, and it grows fastest as σ shrinks "
    "towards 0: the term pushes each code to stay near 0 and keep some spread. The two dots "
    "are the worked examples: {{ kl_in_ai_vae.good_kl_nats }} and "
    "{{ kl_in_ai_vae.poor_kl_nats }} nats."
)
ALT = (
    "A contour map with the mean μ across and the standard deviation σ up. The KL term is a "
    "bowl with its lowest point, 0, at μ = 0 and σ = 1, marked with a star; the contour "
    "lines widen around it, rise gently as σ grows, rise with the square of μ sideways and "
    "crowd together as σ approaches 0. Two dots mark worked examples: the good curve at "
    "{{ kl_in_ai_vae.good_kl_nats }} nats and the poor curve at {{ kl_in_ai_vae.poor_kl_nats }} "
    "nats"
    "{% if kl_in_ai_vae.good_kl_nats < kl_in_ai_vae.poor_kl_nats %}, on a higher contour"
    "{% elif kl_in_ai_vae.good_kl_nats > kl_in_ai_vae.poor_kl_nats %}, on a lower contour{% endif "
    "%}."
)


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    points = examples(ctx.data)
    mu_max = max(3.0, 1.25 * max(abs(n.mean) for _, n in points))
    sigma_max = max(3.0, 1.25 * max(n.sd for _, n in points))
    mu = np.linspace(-mu_max, mu_max, 241)
    sigma = np.linspace(sigma_max / 60, sigma_max, 240)
    grid_mu, grid_sigma = np.meshgrid(mu, sigma)
    kl = standard_normal_kl_terms(grid_mu, grid_sigma)

    ax = fig.add_subplot()
    levels = MaxNLocator(nbins=12, steps=[1, 2, 5, 10]).tick_values(
        0.0, float(np.percentile(kl, 90))
    )
    # The bands are filled from a grid half as fine: the lines drawn over them bound them,
    # and a band's outline at the fine grid's resolution was most of the figure's weight.
    coarse_mu, coarse_sigma = np.meshgrid(mu[::2], np.linspace(sigma[0], sigma_max, 120))
    coarse_kl = standard_normal_kl_terms(coarse_mu, coarse_sigma)
    filled = ax.contourf(
        coarse_mu, coarse_sigma, coarse_kl, levels=levels, cmap=ctx.theme.colormap, extend="max"
    )
    lines = ax.contour(
        grid_mu, grid_sigma, kl, levels=levels[1:], colors=colors.background, linewidths=0.8
    )
    # On a phone's narrow canvas the contours go unlabelled (the colour bar below gives
    # their values): labels at that size would crowd the marked points.
    labels = (
        []
        if ctx.narrow
        else ax.clabel(
            lines,
            levels=levels[2::2],
            fmt=lambda v: format_number(v, 1),
            fontsize=ctx.theme.rc["xtick.labelsize"],
        )
    )
    for label in labels:
        label.set_color(colors.text)
        label.set_path_effects([patheffects.withStroke(linewidth=3, foreground=colors.background)])
    bar = (
        fig.colorbar(filled, ax=ax, orientation="horizontal", pad=0.02, aspect=25)
        if ctx.narrow
        else fig.colorbar(filled, ax=ax, pad=0.02, aspect=25)
    )
    bar.set_label("KL term, nats")
    bar.outline.set_visible(False)

    box = {
        "boxstyle": "round,pad=0.25",
        "facecolor": colors.background,
        "edgecolor": "none",
        "alpha": 0.85,
    }
    ax.plot(0, 1, marker="*", markersize=16, color=colors.highlight, markeredgecolor=colors.text)
    marks = [
        ax.annotate(
            "0 at μ = 0, σ = 1",
            xy=(0, 1),
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            va="top",
            color=colors.text,
            bbox=box,
        )
    ]
    for name, normal in points:
        ax.plot(
            normal.mean,
            normal.sd,
            marker="o",
            markersize=8,
            color=colors.background,
            markeredgecolor=colors.text,
        )
        # On a phone each label sits above its point, or below it under σ = 1 (clear of
        # the star's label), centred or, near an edge, ending over it; on a wide canvas to
        # its upper right.
        # Beside the dot (above or below it when narrow), towards the middle near an edge.
        edge = normal.mean / mu_max
        if ctx.narrow:
            ha = "center" if abs(edge) <= 0.7 else "right" if edge > 0 else "left"
            offset = (0, 9 if normal.sd >= 1 else -9)
        else:
            ha = "right" if edge > 0.5 else "left"
            offset = (-8 if edge > 0.5 else 8, 6)
        marks.append(
            ax.annotate(
                f"{name}: {format_number(term_nats(normal), 2)}",
                xy=(normal.mean, normal.sd),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va="top" if ctx.narrow and normal.sd < 1 else "bottom",
                color=colors.text,
                bbox=box,
            )
        )
    ax.set_xlabel("encoder mean μ")
    ax.set_ylabel("encoder sd σ")
    ax.set_ylim(0, sigma_max)
    _clear_contour_labels_from(fig, labels, marks)

    rows_mu, rows_sigma = mu[::20], sigma[::20]
    return Table(
        headers=["μ", "σ", "KL term, nats"],
        rows=[
            [
                f"{m:.10g}",
                f"{s:.10g}",
                f"{float(standard_normal_kl_terms(m, s)):.6g}",
            ]
            for s in rows_sigma
            for m in rows_mu
        ],
    )


def _clear_contour_labels_from(fig: Figure, labels: list[Text], marks: list[Text]) -> None:
    """Drop each contour label that the figure, laid out, shows under one of ``marks`` (the
    star's and the examples' labels): where matplotlib puts a contour label depends on
    the data, and a mark must stay readable."""
    if not labels:
        return
    boxes = laid_out_boxes(fig, [*labels, *marks])
    label_boxes, taken = boxes[: len(labels)], boxes[len(labels) :]
    for label, box in zip(labels, label_boxes, strict=True):
        if any(box.overlaps(mark) for mark in taken):
            label.remove()
