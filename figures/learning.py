"""Learning by pushing KL towards zero: KL(P‖Q) per step and snapshots of Q approaching P."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from kl.build.render import DrawContext
from kl.build.style import SMALL_FONT_SIZE, log_tick_label, short_name
from kl.lecture.sections.kl_in_ai_learning import kl_nats, learning_trace, snapshot_steps
from kl.lecture.tables import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ID = "learning"
TITLE = "Learning by pushing KL towards zero"
SIZE = "tall"
NARROW_SIZE = "3:4"
CAPTION = (
    "A model Q starts out uniform over the {{ words.count(kl_in_ai_learning.animals) }} animals "
    "and "
    "takes {{ kl_in_ai_learning.steps }} steps of gradient descent on KL(P‖Q) (learning rate "
    "{{ kl_in_ai_learning.rate }}). Top: the divergence after each step, in nats, on a "
    "logarithmic scale, from {{ kl_in_ai_learning.kl_start_nats }} nats at the start to "
    "{{ kl_in_ai_learning.kl_end_nats | small }} nats at the end"
    "{% if kl_in_ai_learning.kl_start_nats == 0 %}: P is uniform, so there is nothing to learn"
    "{% elif kl_in_ai_learning.zero_names %}; the curve keeps flattening, because P gives "
    "{{ words.the(kl_in_ai_learning.zero_names) }} probability 0, which Q can only approach: the "
    "divergence falls roughly like one over the number of steps"
    "{% else %}; the straight stretch means each step keeps about the same fraction, "
    "{{ kl_in_ai_learning.step_ratio | percent }}, of the divergence that was left{% endif %}. "
    "Bottom: Q (hatched bars) at {{ words.count(kl_in_ai_learning.snapshots | length + 2) }} of "
    "those "
    "steps, against the truth P (solid bars)."
)
ALT = (
    "Top panel: a falling curve of KL(P‖Q) in nats against the step number on a log scale, "
    "from {{ kl_in_ai_learning.kl_start_nats }} nats at step 0{% if kl_in_ai_learning.snapshots %} "
    "through "
    "{% for snap in kl_in_ai_learning.snapshots %}{{ snap.kl_nats | small }} at step "
    "{{ snap.step }}{{ ', ' if not loop.last }}{% endfor %}{% endif %} to "
    "{{ kl_in_ai_learning.kl_end_nats | small }} at step {{ kl_in_ai_learning.steps }}"
    "{% if kl_in_ai_learning.zero_names %}, bending ever flatter{% else %}, almost a straight "
    "line after the first few steps{% endif %}. Bottom: small bar charts of Q for each animal "
    "at {{ words.count(kl_in_ai_learning.snapshots | length + 2) }} of those steps, each beside "
    "P's bars: "
    "the uniform start is far from P, and by the last step "
    "{% if kl_in_ai_learning.zero_names %}Q still gives {{ words.the(kl_in_ai_learning.zero_names) "
    "}} a "
    "sliver of probability where P's {{ words.plural(kl_in_ai_learning.zero_names | length, 'bar "
    "is', "
    "'bars are') }} empty"
    "{% elif kl_in_ai_learning.end_matches %}Q's bars match P's"
    "{% else %}Q's bars are within {{ kl_in_ai_learning.end_gap }} of P's{% endif %}."
)


def _kl_panel(ax: Axes, ctx: DrawContext, kl_nats: np.ndarray, shown: list[int]) -> None:
    colors = ctx.palette
    steps = np.arange(kl_nats.size)
    positive = kl_nats > 0
    ax.plot(steps[positive], kl_nats[positive], color=colors.accent)
    picked = [s for s in shown if kl_nats[s] > 0]
    if picked:  # an empty line drawn unclipped would count as a point at (0, 0) in the layout
        ax.plot(
            picked,
            kl_nats[picked],
            linestyle="none",
            marker="o",
            markersize=7,
            color=colors.accent,
            markeredgecolor=colors.background,
            clip_on=False,
        )
    if positive.any():
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: log_tick_label(v)))
    else:  # P is uniform, Q's start: KL is 0 throughout, on a plain axis (a log one has no 0)
        ax.plot(steps, kl_nats, color=colors.accent)
        ax.set_ylim(-0.05, 1)
    ax.set_xlabel("step")
    ax.set_ylabel("KL(P‖Q), nats")
    ax.set_xlim(0, steps[-1])
    ax.grid(True, axis="y", which="major")


# The snapshots' rows are named on the first one, each name cut to this many characters
# (a name may take 40); where the rows are too close for their names, they go unnamed.
_name_chars = {"wide": 14, "narrow": 12}
_columns = {"wide": 8, "narrow": 4}  # snapshots side by side, at most
_line_pt = 1.3 * SMALL_FONT_SIZE  # the height a row's name needs


def _snapshot(
    ax: Axes, ctx: DrawContext, p: np.ndarray, q: np.ndarray, title: str, names: list[str]
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
    ax.set_yticks(rows if names else [], names)
    ax.set_ylim(p.size - 0.5, -0.5)  # first animal on top
    ax.set_xlim(0, 1.08 * max(p.max(), q.max()))
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title(title, fontsize=ctx.theme.rc["xtick.labelsize"])


def draw(fig: Figure, ctx: DrawContext) -> Table:
    trace = learning_trace(ctx.data)
    kl = np.array(kl_nats(trace))
    shown = snapshot_steps(ctx.data)
    p = np.array(trace.target)

    columns = min(len(shown), _columns[ctx.layout.name])
    rows = math.ceil(len(shown) / columns)
    grid = fig.add_gridspec(1 + rows, columns, height_ratios=(1.15, *[1] * rows))
    _kl_panel(fig.add_subplot(grid[0, :]), ctx, kl, shown)
    # About how many points of height each animal's row gets in a snapshot.
    row_pt = 0.7 * 72 * fig.get_size_inches()[1] / (1.15 + rows) / p.size
    most = _name_chars[ctx.layout.name]
    names = [short_name(n, most) for n in trace.outcomes] if row_pt >= _line_pt else []
    first = None
    for i, step in enumerate(shown):
        q = np.array(trace.q[step])
        ax = fig.add_subplot(grid[1 + i // columns, i % columns], sharey=first)
        _snapshot(ax, ctx, p, q, f"step {step}", names)
        if first is None:
            first = ax
            if row_pt >= 2 * _line_pt:  # room for direct labels on the first pair of bars
                for label, x, y, color in (
                    ("P", p[0], -0.2, ctx.palette.truth),
                    ("Q", q[0], 0.2, ctx.palette.highlight),
                ):
                    ax.text(
                        x, y, f" {label}", color=color, va="center", ha="left", fontweight="bold"
                    )
        if i % columns:
            ax.tick_params(labelleft=False)

    return Table(
        headers=["step", *(f"q({name})" for name in trace.outcomes), "KL(P‖Q), nats"],
        rows=[
            [str(step), *(repr(float(v)) for v in q), repr(float(value))]
            for step, (q, value) in enumerate(zip(trace.q, kl, strict=True))
        ],
    )
