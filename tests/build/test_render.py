"""Tests for kl.build.render: the files of a figure by theme and layout, drawing that gives the
same bytes every time, a broken draw() or an undrawable name named; and each layout laid
out and drawn once, in the light theme, its dark SVG the light one recoloured (a heat map
through the themes' colour map included), a raster that could hold a palette colour drawn
dark too."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

import kl.build.render
from kl.build.gallery import FigureSpec
from kl.build.render import (
    DrawContext,
    DrawFunction,
    all_figure_files,
    check_names,
    figure_files,
    render_figure,
    render_theme,
)
from kl.build.style import DARK, LAYOUTS, LIGHT, NARROW_LAYOUT, PNG_DPI
from kl.errors import DataError, FigureError
from kl.lecture.data import LectureData
from tests.figurecheck import figure_source, figure_spec, line_of, made_figure
from tests.figures.test_every_figure import without_ids
from tests.lecture_data import lecture_data, with_forest

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def test_the_light_wide_layout_also_gives_the_png_and_the_csv() -> None:
    assert figure_files("hero", LIGHT) == ["hero.svg", "hero.png", "hero.csv"]
    assert figure_files("hero", DARK) == ["hero.dark.svg"]
    assert figure_files("hero", LIGHT, NARROW_LAYOUT) == ["hero.narrow.svg"]
    assert figure_files("hero", DARK, NARROW_LAYOUT) == ["hero.narrow.dark.svg"]
    assert all_figure_files("hero") == [
        *("hero.svg", "hero.png", "hero.csv", "hero.dark.svg"),
        *("hero.narrow.svg", "hero.narrow.dark.svg"),
    ]


# A figure drawn on a canvas with no colour (its theme paints the canvas its background).
SEE_THROUGH = "import matplotlib\nmatplotlib.rcParams['savefig.facecolor'] = 'none'\n"


# 5.1 in at 200 dpi is 1019.9999999999999 pixels, which matplotlib's canvas rounds to 1020.
ODD_WIDTH = "fig.set_size_inches(5.1, 3.6)\n"


@pytest.mark.parametrize(
    ("body", "mode", "size"),
    [("", "RGB", (1280, 720)), (SEE_THROUGH, "RGBA", (1280, 720)), (ODD_WIDTH, "RGB", (1020, 720))],
)
def test_the_png_has_matplotlibs_pixels_and_an_alpha_channel_only_if_it_is_seen_through(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: LectureData,
    body: str,
    mode: str,
    size: tuple[int, int],
) -> None:
    """Opaque (every theme's canvas is), the PNG holds no alpha channel: the same pixels as
    matplotlib's own PNG of the figure, of any size, in fewer bytes."""
    spec = made_figure(tmp_path, body + "ax.plot([0, 1, 0.5], marker='o')")
    own: list[bytes] = []
    save_png = kl.build.render._save_png

    def saved_by_both(fig: Figure) -> bytes:
        own.append(kl.build.render._save(fig, "png", dpi=PNG_DPI, metadata={"Software": None}))
        return save_png(fig)

    monkeypatch.setattr(kl.build.render, "_save_png", saved_by_both)
    png = render_theme(spec, data, LIGHT)["made.png"]
    ours, theirs = Image.open(io.BytesIO(png)), Image.open(io.BytesIO(own[0]))
    assert ours.mode == mode and theirs.mode == "RGBA"
    assert ours.size == theirs.size == size and ours.info["dpi"] == theirs.info["dpi"]
    assert np.array_equal(np.asarray(ours.convert("RGBA")), np.asarray(theirs))
    assert (len(png) < len(own[0])) == (mode == "RGB")


def test_drawing_twice_gives_the_same_bytes_with_no_date(data: LectureData) -> None:
    first = render_theme(figure_spec("hero"), data, LIGHT)
    assert first == render_theme(figure_spec("hero"), data, LIGHT)
    assert b"<dc:date>" not in first["hero.svg"] and b"Software" not in first["hero.png"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("return None", r"made\.py: draw\(\) must return a kl\.lecture\.tables\.Table"),
        ("raise KeyError('p')", r"made\.py:{line}: draw\(\) raised KeyError\('p'\)"),
    ],
)
def test_a_broken_draw_is_named(tmp_path: Path, data: LectureData, body: str, message: str) -> None:
    line = line_of(figure_source(body), body)
    with pytest.raises(FigureError, match=message.format(line=line)):
        render_theme(made_figure(tmp_path, body), data, LIGHT)


def test_a_module_that_fails_to_import_is_named(tmp_path: Path, data: LectureData) -> None:
    spec = made_figure(tmp_path, "ax.plot([0, 1])")
    spec.path.write_text("import no_such_module\n" + spec.path.read_text(encoding="utf-8"))
    with pytest.raises(FigureError, match=r"made\.py:1: import failed: ModuleNotFoundError"):
        render_theme(spec, data, LIGHT)


def test_the_layout_check_can_be_left_to_the_caller(tmp_path: Path, data: LectureData) -> None:
    spec = made_figure(tmp_path, "fig.text(0.5, 0.5, 'one')\nfig.text(0.5, 0.5, 'two')")
    with pytest.raises(FigureError, match="the text 'one' overlaps the text 'two'"):
        render_figure(spec, data)
    assert list(render_figure(spec, data, check_layout=False)) == all_figure_files("made")


def test_a_name_the_figure_font_lacks_is_a_data_error(data: LectureData) -> None:
    named = with_forest(data, {"Cat 🐈": 0.5, "$x$ & <b>": 0.5}, {"Cat 🐈": 0.4, "$x$ & <b>": 0.6})
    with pytest.raises(DataError, match=r"lecture\.toml: \[forest\.p\] the name 'Cat 🐈' has '🐈'"):
        check_names(named)
    check_names(with_forest(data, {"$x$ & <b>": 1.0}, {"$x$ & <b>": 1.0}))  # drawn as written


# A heat map's values, for the figures below to draw.
HEAT = "heat = np.arange(60.0).reshape(6, 10)\n"

MAPPED = "ctx.theme.colormap"
CASES = {
    "heat map": (f"ax.imshow(heat, cmap={MAPPED})", True),
    # A colour bar of 50 colours or more draws its solids rasterised.
    "heat map with a colour bar": (f"fig.colorbar(ax.imshow(heat, cmap={MAPPED}))", True),
    "picture in a palette colour": ("ax.imshow([[to_rgb(ctx.palette.truth)]])", False),
    "palette colour for missing values": (
        "ax.imshow(np.ma.masked_less(heat, 3),"
        f" cmap=colormaps[{MAPPED}].with_extremes(bad=ctx.palette.grid))",
        False,
    ),
    "rasterised line": ("ax.plot([0, 1], color=ctx.palette.truth, rasterized=True)", False),
}


def themes_drawn(
    monkeypatch: pytest.MonkeyPatch, draw: Callable[[FigureSpec], DrawFunction]
) -> list[str]:
    """The names of the themes each draw() loaded from now on is called in, in order."""
    drawn: list[str] = []

    def counting(spec: FigureSpec) -> DrawFunction:
        module_draw = draw(spec)

        def counted(fig: object, ctx: DrawContext) -> object:
            drawn.append(ctx.theme.name)
            return module_draw(fig, ctx)  # type: ignore[arg-type]

        return counted  # type: ignore[return-value]

    monkeypatch.setattr(kl.build.render, "load_draw_function", counting)
    return drawn


@pytest.mark.parametrize(("body", "recoloured"), CASES.values(), ids=CASES)
def test_rasters_of_the_shared_colour_map_are_recoloured_others_drawn_dark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, recoloured: bool
) -> None:
    spec = made_figure(tmp_path, HEAT + body, "raster")
    data = lecture_data()
    drawn = themes_drawn(monkeypatch, kl.build.render.load_draw_function)
    files = render_figure(spec, data)
    assert drawn == (["light"] if recoloured else ["light", "dark"]) * len(LAYOUTS)
    for layout in LAYOUTS:
        name = f"raster{layout.suffix}.dark.svg"
        assert b"<image" in files[name]
        assert without_ids(files[name]) == without_ids(render_theme(spec, data, DARK, layout)[name])


def test_each_file_costs_one_drawing_of_the_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layout is worked out once per layout, for its SVG, and the figure drawn once for
    each file saved: an SVG per layout and the wide one's PNG (savefig would walk every
    artist once more before each file to lay it out)."""
    from matplotlib.figure import Figure

    spec = made_figure(tmp_path, HEAT + "ax.plot(heat[0])", "raster")
    draws: list[str] = []
    original = Figure.draw

    def draw(fig: Figure, renderer: object) -> None:
        draws.append(type(renderer).__name__)
        original(fig, renderer)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "draw", draw)
    render_figure(spec, lecture_data())
    assert sorted(draws) == ["MixedModeRenderer", "MixedModeRenderer", "RendererAgg"]
