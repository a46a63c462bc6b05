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
