"""What every figure module must do, whichever it is: render in both themes with its data,
declare a title, caption and alt text that quotes computed numbers, and keep its labels
inside the figure and clear of each other."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from kl.build.render import all_figure_files, render_figure, render_theme
from kl.build.style import DARK, LAYOUTS, LIGHT, NARROW_LAYOUT, THEMES, Layout, Theme
from kl.lecture.data import MAX_NAME_LENGTH, MAX_OUTCOMES, LectureData, parse_lecture_data
from tests.conftest import ROOT
from tests.figurecheck import (
    OTHER_FORESTS,
    SPECS,
    drawn,
    drawn_with_table,
    figure_spec,
    label_boxes,
    light_svg,
    other_data,
)
from tests.lecture.test_data_ranges import forest_text, long_names
from tests.lecture_data import lecture_data


@pytest.fixture(scope="module")
def data() -> LectureData:
    return lecture_data()


SVG_ID = re.compile(rb'(?<=\bid=")[^"]+|(?<=url\(#)[^)]+|(?<=href="#)[^"]+')


def without_ids(svg: bytes) -> bytes:
    """``svg`` with its element ids numbered in order of appearance. matplotlib derives
    some ids from a hash that includes colours, so they differ from theme to theme."""
    numbers: dict[bytes, bytes] = {}
    return SVG_ID.sub(lambda m: numbers.setdefault(m.group(0), b"id%d" % len(numbers)), svg)


@pytest.mark.parametrize("fig_id", sorted(SPECS))
def test_figure_renders_in_both_themes_with_its_data(fig_id: str, data: LectureData) -> None:
    """The build draws the light theme and recolours it for the dark one, where that is
    exact: the dark SVG must be the figure as drawn in the dark theme."""
    spec = figure_spec(fig_id)
    files = render_figure(spec, data)
    assert list(files) == all_figure_files(fig_id)
    assert list(files) == [
        *(f"{fig_id}.svg", f"{fig_id}.png", f"{fig_id}.csv", f"{fig_id}.dark.svg"),
        *(f"{fig_id}.narrow.svg", f"{fig_id}.narrow.dark.svg"),
    ]
    dark = render_theme(spec, data, DARK)[f"{fig_id}.dark.svg"]
    assert without_ids(files[f"{fig_id}.dark.svg"]) == without_ids(dark)
    narrow_dark = render_theme(spec, data, DARK, NARROW_LAYOUT)[f"{fig_id}.narrow.dark.svg"]
    assert without_ids(files[f"{fig_id}.narrow.dark.svg"]) == without_ids(narrow_dark)
    assert files[f"{fig_id}.narrow.svg"] != files[f"{fig_id}.svg"]
    assert files[f"{fig_id}.png"].startswith(b"\x89PNG")
    assert b"<svg" in files[f"{fig_id}.svg"] and b"<svg" in dark
    assert files[f"{fig_id}.svg"] != dark
    rows = list(csv.reader(io.StringIO(files[f"{fig_id}.csv"].decode())))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert spec.caption and spec.alt and spec.title
    assert "{{" in spec.alt, "the alt text should quote computed numbers"


@pytest.mark.parametrize("fig_id", sorted(SPECS))
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_labels_stay_in_the_figure_clear_of_each_other_and_none_is_tex(
    fig_id: str, theme: Theme, data: LectureData
) -> None:
    """Figures draw text as written: a label matplotlib wrote in mathtext (its default log
    axis labels, "$\\mathdefault{10^{-5}}$") would show its TeX."""
    with drawn(fig_id, data, theme) as fig:
        assert_labels_in_place(fig)
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible()]
    assert not [t for t in texts if "$" in t or "\\mathdefault" in t]


@pytest.mark.parametrize("case", sorted(OTHER_FORESTS))
@pytest.mark.parametrize("fig_id", sorted(SPECS))
def test_figure_draws_other_data_with_labels_in_place_and_no_nan(
    fig_id: str, case: str, data: LectureData
) -> None:
    with drawn_with_table(fig_id, other_data(data, case), LIGHT) as (fig, table):
        assert_labels_in_place(fig)
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert not any(cell.lower() == "nan" for row in rows for cell in row)
    assert not any("∞" in cell for row in rows for cell in row)  # CSV writes "inf"


def assert_labels_in_place(fig: Figure) -> None:
    """No label says nan, leaves the figure, or overlaps another label."""
    boxes = label_boxes(fig)
    frame = fig.bbox
    for text, box in boxes:
        assert "nan" not in text.lower()
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text!r} leaves the figure"
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text!r} leaves the figure"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize("fig_id", sorted(SPECS))
def test_twelve_animals_with_40_character_names_draw_with_no_text_colliding(
    fig_id: str, layout: Layout
) -> None:
    """The data's limits (12 animals, names of 40 characters): `render_theme` checks every
    drawn text against every other and the canvas's edge, and raises naming the two."""
    names = long_names(MAX_OUTCOMES, MAX_NAME_LENGTH)
    data = parse_lecture_data(forest_text(names), ROOT / "docs" / "data" / "lecture.toml")
    assert light_svg(fig_id, data, layout).startswith(b"<?xml")


def test_the_narrow_layout_is_drawn_on_its_own_canvas(data: LectureData) -> None:
    spec = figure_spec("simplex")
    svg = render_theme(spec, data, LIGHT, NARROW_LAYOUT)["simplex.narrow.svg"].decode()
    width, height = NARROW_LAYOUT.size(spec.size, spec.narrow_size)
    assert f'viewBox="0 0 {width * 72:g} {height * 72:g}"' in svg
    assert height > width  # the two triangles stacked, not side by side
