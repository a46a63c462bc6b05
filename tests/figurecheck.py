"""Helpers for the figure tests: draw a figure module as the build does and inspect it."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import matplotlib

from kl.build.gallery import FigureSpec, discover_figures
from kl.build.render import DrawContext, load_draw_function, render_theme
from kl.build.style import LIGHT, TALL, WIDE, Theme
from kl.lecture.data import Forest, LectureData
from kl.lecture.tables import Table
from tests.sitebuild import ROOT

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

SPECS = {spec.id: spec for spec in discover_figures(ROOT / "figures")}


def figure_spec(fig_id: str) -> FigureSpec:
    return SPECS[fig_id]


def csv_rows(fig_id: str, data: LectureData) -> list[list[str]]:
    """The figure's data table (its CSV download) drawn from ``data``."""
    files = render_theme(figure_spec(fig_id), data, LIGHT)
    return list(csv.reader(io.StringIO(files[f"{fig_id}.csv"].decode())))


@contextmanager
def drawn(fig_id: str, data: LectureData, theme: Theme) -> Iterator[Figure]:
    """The figure as render_theme draws it, laid out, for inspecting its artists."""
    with drawn_with_table(fig_id, data, theme) as (fig, _):
        yield fig


@contextmanager
def drawn_with_table(
    fig_id: str, data: LectureData, theme: Theme
) -> Iterator[tuple[Figure, Table]]:
    """`drawn`, and the data table its draw() returned (the figure's CSV download)."""
    spec = figure_spec(fig_id)
    draw = load_draw_function(spec)
    with matplotlib.rc_context(cast(Any, theme.rc)):
        fig = Figure(figsize=WIDE if spec.size == "wide" else TALL, layout="constrained")
        FigureCanvasAgg(fig)
        table = draw(fig, DrawContext(data=data, theme=theme))
        fig.canvas.draw()
        yield fig, table


def label_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every visible, non-empty text drawn inside the axes (labels and annotations)."""
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
    boxes = []
    for ax in fig.axes:
        for text in ax.texts:
            if isinstance(text, Text) and text.get_visible() and text.get_text().strip():
                # Text's own extent: an Annotation's would include its arrow.
                boxes.append((text.get_text(), Text.get_window_extent(text, renderer)))
    return boxes


def label_texts(fig: Figure) -> list[str]:
    """The text of every label of `label_boxes`."""
    return [text for text, _ in label_boxes(fig)]


# Forests a course author might write: a zero on either side, Q = P, a fourth animal.
OTHER_FORESTS = {
    "Q = P": (
        {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1},
        {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1},
    ),
    "Q rules out the Deer": (
        {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1},
        {"Squirrel": 0.7, "Rabbit": 0.3, "Deer": 0.0},
    ),
    "P rules out the Deer": (
        {"Squirrel": 0.6, "Rabbit": 0.4, "Deer": 0.0},
        {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1},
    ),
    "four animals": (
        {"Squirrel": 0.5, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.1},
        {"Squirrel": 0.4, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.2},
    ),
}


def other_data(data: LectureData, case: str) -> LectureData:
    """``data`` with the forest replaced by one of OTHER_FORESTS."""
    p, q = OTHER_FORESTS[case]
    return dataclasses.replace(data, forest=Forest(p=p, q=q))
