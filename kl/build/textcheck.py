"""Check a drawn figure's text: no two texts overlap, and none is cut by the canvas's edge.

The check uses the figure's own text extents (each text's box as matplotlib lays it out,
ascent to descent of its lines), so it holds for any data, font and layout: a label that
would collide with another or run off the canvas stops the build, naming both texts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kl.errors import FigureError

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

# How far (in pixels of the canvas drawn on: points, for the SVG) two boxes may share an
# edge, or a box cross the canvas's edge, before it counts: a layout's rounding, not a fault.
TOLERANCE_PX = 0.5


@dataclass(frozen=True)
class DrawnText:
    """A text as it was drawn: its string and its box, in the pixels of the canvas it was
    drawn on (``canvas``: width and height)."""

    text: str
    box: Bbox
    canvas: tuple[float, float]


@contextmanager
def texts_drawn() -> Iterator[list[DrawnText]]:
    """The texts matplotlib draws while the block runs, filled in when the block ends (each
    once, as last drawn): visible, non-empty ones, and of an axis's tick labels only those
    it shows (it keeps labels for ticks outside its view, which are never drawn)."""
    from matplotlib.text import Text

    drawn: dict[int, DrawnText] = {}
    original = Text.draw

    def draw(self: Text, renderer: RendererBase) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            # Text's own extent: an annotation's would include its arrow.
            box = Text.get_window_extent(self, renderer)
            drawn[id(self)] = DrawnText(self.get_text(), box, renderer.get_canvas_width_height())

    found: list[DrawnText] = []
    Text.draw = draw  # type: ignore[method-assign,assignment]
    try:
        yield found
    finally:
        Text.draw = original  # type: ignore[method-assign]
        found.extend(drawn.values())


def check_texts(texts: list[DrawnText], where: str) -> None:
    """Raise FigureError, one line starting with ``where``, if two of ``texts`` overlap or
    one reaches past the edge of its canvas."""
    for t in texts:
        width, height = t.canvas
        box = t.box
        if (
            min(box.x0, box.y0) < -TOLERANCE_PX
            or box.x1 > width + TOLERANCE_PX
            or box.y1 > height + TOLERANCE_PX
        ):
            raise FigureError(f"{where}: the text {t.text!r} is cut by the edge of the figure")
    for a, b in itertools.combinations(texts, 2):
        if _overlap(a.box, b.box):
            raise FigureError(f"{where}: the text {a.text!r} overlaps the text {b.text!r}")


def _overlap(a: Bbox, b: Bbox) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return bool(width > TOLERANCE_PX and height > TOLERANCE_PX)


def laid_out_boxes(fig: Figure, texts: Sequence[Text]) -> list[Bbox]:
    """The box of each of ``texts`` (its own extent, without an annotation's arrow) with
    ``fig`` laid out as it will be saved, in the pixels of an Agg canvas: for a figure
    module that places a label by where another one landed. Only the layout engine runs:
    the boxes are those a drawing would give, at a third less of the drawing's cost."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return [Text.get_window_extent(text, renderer) for text in texts]
