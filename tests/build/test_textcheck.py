"""The draw-time text check: two texts that overlap, or one cut by the canvas's edge, stop
the build with one line naming the figure module and the texts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kl.build.gallery import FigureSpec
from kl.build.render import render_theme
from kl.build.style import LIGHT, NARROW_LAYOUT
from kl.errors import FigureError
from tests.figurecheck import figure_spec, made_figure
from tests.lecture_data import lecture_data


def _clash(tmp_path: Path, x: float) -> FigureSpec:
    """A figure with two labels on one line, the second's left end at ``x``."""
    body = f"fig.text(0.5, 0.5, 'first label')\nfig.text({x!r}, 0.5, 'second label')"
    return made_figure(tmp_path, body, "clash")


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (
            0.55,
            r"clash\.py \(wide layout\): the text 'first label' overlaps the text 'second label'",
        ),
        (0.95, r"clash\.py \(wide layout\): the text 'second label' is cut by the edge"),
    ],
)
def test_overlapping_or_cut_texts_fail_the_drawing_naming_them(
    tmp_path: Path, x: float, message: str
) -> None:
    with pytest.raises(FigureError, match=message) as info:
        render_theme(_clash(tmp_path, x), lecture_data(), LIGHT)
    assert "\n" not in str(info.value)


def test_texts_apart_pass(tmp_path: Path) -> None:
    assert "clash.svg" in render_theme(_clash(tmp_path, 0.05), lecture_data(), LIGHT)


def test_the_forward_reverse_labels_of_one_row_collide_on_a_phone_canvas(tmp_path: Path) -> None:
    """The figure as it was drawn before it had a narrow layout (one row of labels across
    the top) fails the check on the phone's canvas; the module today draws two rows."""
    spec = figure_spec("forward-reverse")
    one_row = spec.path.read_text(encoding="utf-8").replace(
        "rows = 2 if ctx.narrow else 1", "rows = 1"
    )
    assert one_row != spec.path.read_text(encoding="utf-8")
    old = tmp_path / "forward_reverse.py"
    old.write_text(one_row, encoding="utf-8")
    with pytest.raises(FigureError, match=r"the text 'forward fit\\nKL\(P‖Q\) = .*' overlaps"):
        render_theme(dataclasses.replace(spec, path=old), lecture_data(), LIGHT, NARROW_LAYOUT)
    render_theme(spec, lecture_data(), LIGHT, NARROW_LAYOUT)


def test_laid_out_boxes_are_those_of_the_figure_drawn() -> None:
    """The layout engine alone places every kind of text as a drawing does: a title, an
    axis label, a text in data coordinates and an annotation offset from a point."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from kl.build.textcheck import laid_out_boxes

    def figure() -> tuple[Figure, list[Text]]:
        fig = Figure(figsize=(4, 3), layout="constrained")
        ax = fig.subplots()
        ax.plot([0, 10], [0, 1000])
        texts = [
            ax.set_title("a title"),
            ax.set_ylabel("a long label of the y axis"),
            ax.text(5, 500, "in the data"),
            ax.annotate("offset", xy=(8, 200), xytext=(6, -6), textcoords="offset points"),
        ]
        return fig, texts

    fig, texts = figure()
    boxes = laid_out_boxes(fig, texts)
    drawn, drawn_texts = figure()
    canvas = FigureCanvasAgg(drawn)
    drawn.draw_without_rendering()
    expected = [Text.get_window_extent(t, canvas.get_renderer()) for t in drawn_texts]
    for box, drawn_box in zip(boxes, expected, strict=True):  # to a billionth of a pixel
        assert box.bounds == pytest.approx(drawn_box.bounds, abs=1e-9)
    unlaid, unlaid_texts = figure()  # the layout moves them all: the test can tell
    before = [
        Text.get_window_extent(t, FigureCanvasAgg(unlaid).get_renderer()) for t in unlaid_texts
    ]
    assert all(b.bounds != e.bounds for b, e in zip(before, expected, strict=True))
