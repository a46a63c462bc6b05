"""Tests for kl.build.render: the files of a figure by theme and layout, drawing that gives the
same bytes every time, and a broken draw() or an undrawable name named."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kl.build.gallery import FigureSpec
from kl.build.render import all_figure_files, check_names, figure_files, render_figure, render_theme
from kl.build.style import DARK, LIGHT, NARROW_LAYOUT
from kl.errors import DataError, FigureError
from kl.lecture.data import LectureData
from tests.figurecheck import figure_spec
from tests.lecture_data import with_forest

DRAW = """
from kl.lecture.tables import Table


def draw(fig, ctx):
    fig.add_subplot()
{body}
"""


def _spec(tmp_path: Path, body: str) -> FigureSpec:
    path = tmp_path / "made.py"
    path.write_text(DRAW.format(body=body), encoding="utf-8")
    return dataclasses.replace(figure_spec("hero"), id="made", path=path)


def test_the_light_wide_layout_also_gives_the_png_and_the_csv() -> None:
    assert figure_files("hero", LIGHT) == ["hero.svg", "hero.png", "hero.csv"]
    assert figure_files("hero", DARK) == ["hero.dark.svg"]
    assert figure_files("hero", LIGHT, NARROW_LAYOUT) == ["hero.narrow.svg"]
    assert figure_files("hero", DARK, NARROW_LAYOUT) == ["hero.narrow.dark.svg"]
    assert all_figure_files("hero") == [
        *("hero.svg", "hero.png", "hero.csv", "hero.dark.svg"),
        *("hero.narrow.svg", "hero.narrow.dark.svg"),
    ]


def test_drawing_twice_gives_the_same_bytes_with_no_date(data: LectureData) -> None:
    first = render_theme(figure_spec("hero"), data, LIGHT)
    assert first == render_theme(figure_spec("hero"), data, LIGHT)
    assert b"<dc:date>" not in first["hero.svg"] and b"Software" not in first["hero.png"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    return None", r"made\.py: draw\(\) must return a kl\.lecture\.tables\.Table"),
        ("    raise KeyError('p')", r"made\.py:7: draw\(\) raised KeyError\('p'\)"),
    ],
)
def test_a_broken_draw_is_named(tmp_path: Path, data: LectureData, body: str, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        render_theme(_spec(tmp_path, body), data, LIGHT)


def test_a_module_that_fails_to_import_is_named(tmp_path: Path, data: LectureData) -> None:
    spec = _spec(tmp_path, "    return Table(headers=['x'], rows=[['1']])")
    spec.path.write_text("import no_such_module\n" + spec.path.read_text(encoding="utf-8"))
    with pytest.raises(FigureError, match=r"made\.py:1: import failed: ModuleNotFoundError"):
        render_theme(spec, data, LIGHT)


def test_the_layout_check_can_be_left_to_the_caller(tmp_path: Path, data: LectureData) -> None:
    body = "    fig.text(0.5, 0.5, 'one')\n    fig.text(0.5, 0.5, 'two')\n"
    spec = _spec(tmp_path, body + "    return Table(headers=['x'], rows=[['1']])")
    with pytest.raises(FigureError, match="the text 'one' overlaps the text 'two'"):
        render_figure(spec, data)
    assert list(render_figure(spec, data, check_layout=False)) == all_figure_files("made")


def test_a_name_the_figure_font_lacks_is_a_data_error(data: LectureData) -> None:
    named = with_forest(data, {"Cat 🐈": 0.5, "$x$ & <b>": 0.5}, {"Cat 🐈": 0.4, "$x$ & <b>": 0.6})
    with pytest.raises(DataError, match=r"lecture\.toml: \[forest\.p\] the name 'Cat 🐈' has '🐈'"):
        check_names(named)
    check_names(with_forest(data, {"$x$ & <b>": 1.0}, {"$x$ & <b>": 1.0}))  # drawn as written
