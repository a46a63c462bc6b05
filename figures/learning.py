"""Learning by pushing KL towards zero: KL(P‖Q) per step and snapshots of Q approaching P."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import NullLocator

from kl.content.learning import kl_text, learning_trace, snapshot_steps
from kl.formatting import format_number
from kl.render import DrawContext
from kl.tables import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "learning"
TITLE = "Learning by pushing KL towards zero"
SIZE = "tall"
CAPTION = (
    "A model Q starts out uniform over the {{ forest.count_words }} animals and takes "
    "{{ learning.steps }} steps of gradient descent on KL(P‖Q) (learning rate "
    "{{ learning.rate }}). Top: the divergence after each step, in bits, on a "
    "logarithmic scale, from {{ learning.kl_start_bits }} bits at the start to "
    "{{ learning.kl_end_bits }} bits at the end; the straight stretch means each step "
    "removes the same fraction of what is left. Bottom: Q (hatched bars) at four of those "
    "steps, against the truth P (solid bars)."
)
ALT = (
    "Top panel: a falling curve of KL(P‖Q) in bits against the step number on a log scale, "
    "from {{ learning.kl_start_bits }} bits at step 0 through "
    "{% for snap in learning.snapshots %}{{ snap.kl_bits }} at step {{ snap.step }}"
    "{{ ', ' if not loop.last }}{% endfor %} to "
    "{{ learning.kl_end_bits }} at step {{ learning.steps }}, almost a straight "
    "line after the first few steps. Bottom: small bar charts of Q for each animal at those "
    "four steps, each beside P's bars: the uniform start is far from P, and by the last step "
    "Q's bars match P's."
)


def _kl_panel(ax: Axes, ctx: DrawContext, kl_bits: np.ndarray, shown: list[int]) -> None:
    colors = ctx.palette
    steps = np.arange(kl_bits.size)
    positive = kl_bits > 0
    ax.plot(steps[positive], kl_bits[positive], color=colors.accent)
    picked = [s for s in shown if kl_bits[s] > 0]
    ax.plot(
        picked,
        kl_bits[picked],
        linestyle="none",
        marker="o",
        markersize=7,
        color=colors.accent,
        markeredgecolor=colors.background,
        clip_on=False,
    )
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("step")
    ax.set_ylabel("KL(P‖Q), bits")
    ax.set_xlim(0, steps[-1])
    ax.grid(True, axis="y", which="major")


def _snapshot(
    ax: Axes, ctx: DrawContext, p: np.ndarray, q: np.ndarray, title: str, names: tuple[str, ...]
) -> None:
    colors = ctx.palette
    rows = np.arange(p.size)
    ax.barh(rows - 0.2, p, height=0.4, color=colors.truth)
    ax.barh(
        rows + 0.2,
        q,
        height=0.4,
        color="none",
        edgecolor=colors.highlight,
        hatch="////",
        linewidth=1,
    )
    ax.set_yticks(rows, names)
    ax.set_ylim(p.size - 0.5, -0.5)  # first animal on top
    ax.set_xlim(0, 1.08 * max(p.max(), q.max()))
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title(title, fontsize=ctx.theme.rc["xtick.labelsize"])


def draw(fig: Figure, ctx: DrawContext) -> Table:
    trace = learning_trace(ctx.data)
    kl_bits = np.array(trace.kl_bits)
    shown = snapshot_steps(ctx.data)
    p = np.array(trace.target)

    grid = fig.add_gridspec(2, len(shown), height_ratios=(1.15, 1))
    _kl_panel(fig.add_subplot(grid[0, :]), ctx, kl_bits, shown)
    first = None
    for column, step in enumerate(shown):
        q = np.array(trace.q[step])
        ax = fig.add_subplot(grid[1, column], sharey=first)
        _snapshot(ax, ctx, p, q, f"step {step}", trace.outcomes)
        if first is None:
            first = ax
            # Direct labels on the first animal's pair of bars.
            for label, x, y, color in (
                ("P", p[0], -0.2, ctx.palette.truth),
                ("Q", q[0], 0.2, ctx.palette.highlight),
            ):
                ax.text(x, y, f" {label}", color=color, va="center", ha="left", fontweight="bold")
        else:
            ax.tick_params(labelleft=False)

    return Table(
        headers=["step", *(f"q({name})" for name in trace.outcomes), "KL(P‖Q), bits"],
        rows=[
            [str(step), *(format_number(v, 6) for v in q), kl_text(kl)]
            for step, (q, kl) in enumerate(zip(trace.q, trace.kl_bits, strict=True))
        ],
    )
