"""Forward vs reverse KL: one normal fitted to a two-peaked P by minimising each direction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kl.build.render import DrawContext
from kl.lecture.formatting import format_number
from kl.lecture.sections.forward_vs_reverse import Fit, fits
from kl.lecture.tables import Table
from kl.measures.continuous import normal_pdf
from kl.measures.fitting import KL_TIE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "forward-reverse"
TITLE = "Forward vs reverse KL: covering both peaks or sitting on one"
NARROW_SIZE = "3:4"
CAPTION = (
    "P (solid, shaded) is an equal mix of two bell curves {{ forward_vs_reverse.separation }} "
    "apart. "
    "Minimising the forward KL(P‖Q) gives the dashed curve: it matches P's mean and spread "
    "and covers all of P"
    "{% if forward_vs_reverse.two_peaked %}, even though that puts its own peak in the valley "
    "where P "
    "has little{% endif %}. Minimising the reverse KL(Q‖P) gives the dash-dotted curve "
    "(KL(Q‖P) = {{ forward_vs_reverse.reverse_kl_qp_nats }} nats)"
    "{% if forward_vs_reverse.other_minima == 1 %}; the dotted curve is the reverse KL's other "
    "local "
    "minimum, where a fit started nearby would settle"
    "{% elif forward_vs_reverse.other_minima %}; the dotted curves are the reverse KL's other "
    "local "
    "minima, where a fit started nearby would settle{% endif %}. Each label gives the "
    "divergence that fit "
    "minimises, in nats."
)
ALT = (
    "A {{ 'two-humped' if forward_vs_reverse.two_peaked else 'single-humped' }} curve P, an equal "
    "mix of "
    "two bell curves {{ forward_vs_reverse.separation }} apart. A wide dashed bell curve centred "
    "at "
    "{{ forward_vs_reverse.forward_mean }} with standard deviation {{ "
    "forward_vs_reverse.forward_sd }} spans "
    "{{ 'both humps' if forward_vs_reverse.two_peaked else 'all of it' }}: the forward fit, "
    "KL(P‖Q) = "
    "{{ forward_vs_reverse.forward_kl_pq_nats }} nats. A dash-dotted bell curve centred at "
    "{{ forward_vs_reverse.reverse_mean }} with standard deviation {{ "
    "forward_vs_reverse.reverse_sd }}: "
    "the best reverse fit, KL(Q‖P) = {{ forward_vs_reverse.reverse_kl_qp_nats }} nats."
    "{% if forward_vs_reverse.other_minima %} Fainter dotted "
    "{{ words.plural(forward_vs_reverse.other_minima, 'curve', 'curves') }} centred at "
    "{{ words.list(forward_vs_reverse.other_means) }} show the reverse KL's "
    "{{ words.count(forward_vs_reverse.other_minima) }} other local "
    "{{ words.plural(forward_vs_reverse.other_minima, 'minimum', 'minima') }}.{% endif %}"
)


def _height(fit: Fit, at: float) -> float:
    return float(normal_pdf(np.array([at]), fit.mean, fit.sd)[0])


# Where the fit labels sit (axes fraction): the centre of the top row, and how far each
# further row is below it. A wide canvas has one row; a narrow one alternates two, so
# neighbouring labels never share a row and each has two slots' width.
_label_top = {"wide": 0.87, "narrow": 0.92}
_row_step = 0.12


def _labels(
    ax: Axes, ctx: DrawContext, labels: list[tuple[list[tuple[float, float]], str, str]]
) -> None:
    """Spread the labels evenly across the top, in the order of their curves' anchors,
    with a leader line from each label to each of its anchor points."""
    labels = sorted(labels, key=lambda item: min(x for x, _ in item[0]))
    size = ctx.theme.rc["xtick.labelsize"]
    rows = 2 if ctx.narrow else 1
    for i, (anchors, text, color) in enumerate(labels):
        x = (i + 0.5) / len(labels)
        y = _label_top[ctx.layout.name] - (i % rows) * _row_step
        ax.text(
            x,
            y,
            text,
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=color,
            fontsize=size,
        )
        for xy in anchors:
            ax.annotate(
                "",
                xy=xy,
                xytext=(x, y - 0.1),
                textcoords="axes fraction",
                arrowprops={
                    "arrowstyle": "-",
                    "color": color,
                    "linewidth": 1,
                    "shrinkA": 0,
                    "shrinkB": 2,
                },
            )


def _curve(fit: Fit, x: np.ndarray) -> np.ndarray:
    return normal_pdf(x, fit.mean, fit.sd)


def fit_name(fit: Fit) -> str:
    """A reverse fit's name in the data: "Reverse, right peak (local minimum)", as the
    forward-reverse widget names it."""
    where = "centred" if fit.centred else f"{fit.place} peak"
    return f"Reverse, {where}" + (" (best)" if fit.best else " (local minimum)")


def draw(fig: Figure, ctx: DrawContext) -> Table:
    colors = ctx.palette
    result = fits(ctx.data)
    half = ctx.data.fitting.separation / 2
    reach = max(half + 4.0, result.forward.sd * 3)
    x = np.linspace(-reach, reach, 801)
    p = result.p.pdf(x)
    forward = _curve(result.forward, x)
    best, *others = result.reverse

    ax = fig.add_subplot()
    ax.fill_between(x, p, color=colors.truth, alpha=0.15, linewidth=0)
    ax.plot(x, p, color=colors.truth, linewidth=3)
    ax.plot(x, forward, color=colors.highlight, linestyle=(0, (6, 3)))
    for fit in others:
        ax.plot(
            x, _curve(fit, x), color=colors.accent, linestyle=(0, (1.5, 2)), linewidth=2, alpha=0.6
        )
    ax.plot(x, _curve(best, x), color=colors.accent, linestyle=(0, (8, 3, 2, 3)), linewidth=2.8)

    top = max(float(p.max()), *(float(_curve(f, x).max()) for f in result.reverse))
    ax.set_ylim(0, top * (2.0 if ctx.narrow else 1.6))  # headroom for the labels
    ax.set_xlim(-reach, reach)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("x")

    # P: label the left hump.
    i_peak = int(np.argmax(np.where(x < 0, p, -1)))
    ax.annotate(
        "P",
        xy=(x[i_peak], p[i_peak]),
        xytext=(-10, 6),
        textcoords="offset points",
        color=colors.truth,
        fontweight="bold",
        ha="right",
    )

    fx = result.forward.mean - 1.6 * result.forward.sd
    bx = best.mean + (1.2 * best.sd if best.centred else 0.0)
    labels = [
        (
            [(fx, _height(result.forward, fx))],
            f"forward fit\nKL(P‖Q) = {format_number(result.forward.kl_pq_nats, 3)}",
            colors.highlight,
        ),
        (
            [(bx, _height(best, bx))],
            f"reverse fit\nKL(Q‖P) = {format_number(best.kl_qp_nats, 3)}",
            colors.accent,
        ),
    ]
    tied = [f for f in others if f.kl_qp_nats <= best.kl_qp_nats + KL_TIE]
    groups = [
        ("mirror image", tied),
        ("centred minimum", [f for f in others if f not in tied and f.centred]),
        ("one-peak minima", [f for f in others if f not in tied and not f.centred]),
    ]
    for name, group in groups:
        if group:
            labels.append(
                (
                    [(f.mean, _height(f, f.mean)) for f in group],
                    f"{name}\nKL(Q‖P) = {format_number(group[0].kl_qp_nats, 3)}",
                    colors.accent,
                )
            )
    _labels(ax, ctx, labels)

    step = slice(None, None, 10)
    headers = ["x", "p(x)", "forward q(x)", *(f"{fit_name(fit)} q(x)" for fit in result.reverse)]
    columns = [x, p, forward, *(_curve(fit, x) for fit in result.reverse)]
    return Table(
        headers=headers,
        rows=[
            [repr(float(v)) for v in row] for row in zip(*(c[step] for c in columns), strict=True)
        ],
    )
