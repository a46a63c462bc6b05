"""The draw-time text check: two texts that overlap, or one cut by the canvas's edge, stop
the build with one line naming the figure module and the texts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kl.build.render import render_theme
from kl.build.style import LIGHT, NARROW_LAYOUT
from kl.errors import FigureError
from tests.figurecheck import figure_spec
from tests.lecture_data import lecture_data

FIGURE = """
from kl.lecture.tables import Table
ID = "clash"
TITLE = "t"
CAPTION = "c"
ALT = "a {{ forest_example.kl_pq_bits }}"


def draw(fig, ctx):
    fig.add_subplot()
    fig.text(0.5, 0.5, "first label")
    fig.text({x}, 0.5, "second label")
    return Table(headers=["x"], rows=[["1"]])
"""


def _figure(tmp_path: Path, x: float) -> Path:
    path = tmp_path / "clash.py"
    path.write_text(FIGURE.replace("{x}", repr(x)), encoding="utf-8")
    return path


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
    spec = dataclasses.replace(figure_spec("hero"), id="clash", path=_figure(tmp_path, x))
    with pytest.raises(FigureError, match=message) as info:
        render_theme(spec, lecture_data(), LIGHT)
    assert "\n" not in str(info.value)


def test_texts_apart_pass(tmp_path: Path) -> None:
    spec = dataclasses.replace(figure_spec("hero"), id="clash", path=_figure(tmp_path, 0.05))
    assert "clash.svg" in render_theme(spec, lecture_data(), LIGHT)


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
