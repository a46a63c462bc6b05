"""Helpers for the figure tests: draw a figure module as the build does and inspect it."""

from __future__ import annotations

import csv
import dataclasses
import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import matplotlib

from kl.build.gallery import FigureSpec, discover_figures, read_figure_spec
from kl.build.render import DrawContext, load_draw_function, load_figure_module, render_theme
from kl.build.style import LIGHT, TALL, WIDE, WIDE_LAYOUT, Layout, Theme
from kl.build.textcheck import DrawnText, check_texts, texts_drawn
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


def figure_module(fig_id: str) -> ModuleType:
    """The figure module of ``fig_id``, imported from its file (for a test that checks
    other words against the figure's own)."""
    return load_figure_module(SPECS[fig_id])


# The head of a figure module an author might write: its imports and declarations.
_MODULE_HEAD = """\
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb

from kl.lecture.tables import Table

ID = "{fig_id}"
TITLE = "A made figure"
CAPTION = "A caption."
"""


def figure_source(body: str, fig_id: str = "made", alt: str | None = "An alt text.") -> str:
    """The source of a figure module ``fig_id`` whose draw(fig, ctx) adds one axes ``ax``,
    runs the statements ``body`` (numpy as ``np``, matplotlib's ``colormaps`` and ``to_rgb``
    at hand) and returns a one-cell table; ``alt`` None declares no ALT."""
    declared = "" if alt is None else f"ALT = {alt!r}\n"
    draw = "def draw(fig, ctx):\n    ax = fig.add_subplot()\n"
    body = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    table = '    return Table(headers=["x"], rows=[["1"]])\n'
    return f"{_MODULE_HEAD.format(fig_id=fig_id)}{declared}\n\n{draw}{body}\n{table}"


def made_figure(folder: Path, body: str, fig_id: str = "made") -> FigureSpec:
    """`figure_source` written to ``folder``/``fig_id``.py, read as the build reads it."""
    path = folder / f"{fig_id}.py"
    path.write_text(figure_source(body, fig_id), encoding="utf-8")
    return read_figure_spec(path)


def line_of(source: str, needle: str) -> int:
    """The number of the first line of ``source`` holding ``needle``."""
    return next(i for i, line in enumerate(source.splitlines(), 1) if needle in line)


def csv_rows(fig_id: str, data: LectureData) -> list[list[str]]:
    """The figure's data table (its CSV download) drawn from ``data``; raises FigureError,
    as the build does, if two texts of the drawing overlap or one is cut by its edge."""
    drawing = _drawing(fig_id, data, LIGHT)
    check_texts(drawing.texts, where=f"{drawing.spec.path} (wide layout)")
    return list(csv.reader(io.StringIO(drawing.table.to_csv())))


# The light theme under another name: `render_theme` writes a theme other than "light" as
# its SVG alone, so a test that reads only the SVG draws no PNG and writes no CSV.
SVG_ONLY = dataclasses.replace(LIGHT, name="svg-only")


def light_svg(fig_id: str, data: LectureData, layout: Layout = WIDE_LAYOUT) -> bytes:
    """The figure's light SVG in ``layout`` as `render_theme` draws it (raising FigureError
    for two texts that overlap or one cut by the canvas's edge), without its PNG."""
    files = render_theme(figure_spec(fig_id), data, SVG_ONLY, layout)
    return files[f"{fig_id}{layout.suffix}.{SVG_ONLY.name}.svg"]


@dataclasses.dataclass(frozen=True)
class _Drawing:
    spec: FigureSpec
    fig: Figure
    table: Table
    texts: list[DrawnText]


# Drawings by figure, data and theme: a test reads a drawing and never changes it, so each
# is drawn once per test process however many tests read it.
_DRAWINGS: dict[tuple[str, str, str], _Drawing] = {}


def _drawing(fig_id: str, data: LectureData, theme: Theme) -> _Drawing:
    key = (fig_id, repr(data), theme.name)
    if key not in _DRAWINGS:
        spec = figure_spec(fig_id)
        draw = load_draw_function(spec)
        with matplotlib.rc_context(cast(Any, theme.rc)):
            fig = Figure(figsize=WIDE if spec.size == "wide" else TALL, layout="constrained")
            FigureCanvasAgg(fig)
            table = draw(fig, DrawContext(data=data, theme=theme))
            with texts_drawn() as texts:
                fig.draw_without_rendering()  # laid out as drawn, without the pixels
        _DRAWINGS[key] = _Drawing(spec, fig, table, texts)
    return _DRAWINGS[key]


@contextmanager
def drawn(fig_id: str, data: LectureData, theme: Theme) -> Iterator[Figure]:
    """The figure as render_theme draws it, laid out, for inspecting its artists (the same
    drawing for every test that reads it: read it, never change it)."""
    with drawn_with_table(fig_id, data, theme) as (fig, _):
        yield fig


@contextmanager
def drawn_with_table(
    fig_id: str, data: LectureData, theme: Theme
) -> Iterator[tuple[Figure, Table]]:
    """`drawn`, and the data table its draw() returned (the figure's CSV download)."""
    drawing = _drawing(fig_id, data, theme)
    with matplotlib.rc_context(cast(Any, theme.rc)):
        yield drawing.fig, drawing.table


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
