"""Tests for the figures of the hero and sections 3-5 and 7: each renders in both themes with
a non-empty data table, its labels carry the computed numbers, and no label collides with
another label or (in the hero) with a curve."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib
import numpy as np
import pytest

from kl.data import Forest, LectureData, load_lecture_data
from kl.gallery import FigureSpec, read_figure_spec
from kl.gaussian import kl_normal
from kl.measures import kl_divergence
from kl.render import DrawContext, load_draw_function, render_theme
from kl.style import DARK, LIGHT, THEMES, WIDE, Theme

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "hero": "hero.py",
    "forest-bars": "forest_bars.py",
    "code-lengths": "code_lengths.py",
    "extra-bits": "extra_bits.py",
    "zero-to-infinity": "zero_to_infinity.py",
    "decomposition": "decomposition.py",
}


@pytest.fixture(scope="module")
def data() -> LectureData:
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


def _spec(fig_id: str) -> FigureSpec:
    spec = read_figure_spec(ROOT / "figures" / MODULES[fig_id])
    assert spec.id == fig_id
    return spec


def _csv_rows(files: dict[str, bytes], fig_id: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(files[f"{fig_id}.csv"].decode())))


@contextmanager
def _drawn(fig_id: str, data: LectureData, theme: Theme) -> Iterator[Figure]:
    """The figure as render_theme draws it, laid out, for inspecting its artists."""
    spec = _spec(fig_id)
    draw = load_draw_function(spec)
    with matplotlib.rc_context(cast(Any, theme.rc)):
        fig = Figure(figsize=WIDE if spec.size == "wide" else (6.4, 4.8), layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig, DrawContext(data=data, theme=theme))
        fig.canvas.draw()
        yield fig


def _label_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every visible, non-empty text drawn inside the axes (labels and annotations)."""
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
    boxes = []
    for ax in fig.axes:
        for text in ax.texts:
            if isinstance(text, Text) and text.get_visible() and text.get_text().strip():
                # Text's own extent: an Annotation's would include its arrow
                boxes.append((text.get_text(), Text.get_window_extent(text, renderer)))
    return boxes


@pytest.mark.parametrize("fig_id", sorted(MODULES))
def test_figure_renders_in_both_themes_with_its_data(fig_id: str, data: LectureData) -> None:
    spec = _spec(fig_id)
    light = render_theme(spec, data, LIGHT)
    dark = render_theme(spec, data, DARK)
    assert set(light) == {f"{fig_id}.svg", f"{fig_id}.png", f"{fig_id}.csv"}
    assert set(dark) == {f"{fig_id}.dark.svg"}
    assert light[f"{fig_id}.png"].startswith(b"\x89PNG")
    assert light[f"{fig_id}.svg"] != dark[f"{fig_id}.dark.svg"]
    rows = _csv_rows(light, fig_id)
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert spec.caption and spec.alt and spec.title


@pytest.mark.parametrize("fig_id", sorted(MODULES))
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_labels_do_not_overlap_each_other_and_stay_in_the_figure(
    fig_id: str, theme: Theme, data: LectureData
) -> None:
    with _drawn(fig_id, data, theme) as fig:
        boxes = _label_boxes(fig)
        frame = fig.bbox
        for text, box in boxes:
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text!r} leaves the figure"
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text!r} leaves the figure"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_hero_is_widescreen_and_labels_carry_the_computed_kl(data: LectureData) -> None:
    spec = _spec("hero")
    assert spec.size == "wide" and WIDE[0] / WIDE[1] == pytest.approx(16 / 9)
    c = data.curves
    good = kl_normal(c.p.mean, c.p.sd, c.good.mean, c.good.sd)
    poor = kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)
    with _drawn("hero", data, LIGHT) as fig:
        texts = [t for t, _ in _label_boxes(fig)]
    assert "True Distribution (P)" in texts
    labels = {"Good Fit": f"{good:.3f} nats", "Poor Fit": f"{poor:.2f} nats"}
    for fit, kl in labels.items():
        level = "Low" if fit == "Good Fit" else "High"
        assert any(f"{level} KL Divergence\n({fit})" in t and kl in t for t in texts)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_hero_labels_keep_clear_of_the_curves(theme: Theme, data: LectureData) -> None:
    with _drawn("hero", data, theme) as fig:
        ax = fig.axes[0]
        points = np.vstack([ax.transData.transform(line.get_xydata()) for line in ax.lines])
        for text, box in _label_boxes(fig):
            padded = box.expanded(1.0, 1.0).padded(2)
            inside = (
                (points[:, 0] >= padded.x0)
                & (points[:, 0] <= padded.x1)
                & (points[:, 1] >= padded.y0)
                & (points[:, 1] <= padded.y1)
            )
            assert not inside.any(), f"{text!r} touches a curve"


def test_hero_arrows_point_between_p_and_each_fit(data: LectureData) -> None:
    with _drawn("hero", data, LIGHT) as fig:
        ax = fig.axes[0]
        p_line, good_line, poor_line = ax.lines
        for text in ax.texts:
            label = text.get_text()
            if "Good Fit" in label or "Poor Fit" in label:
                x, y = cast(Any, text).xy
                fit = good_line if "Good Fit" in label else poor_line
                p_y = np.interp(x, *p_line.get_data())
                fit_y = np.interp(x, *fit.get_data())
                assert min(p_y, fit_y) <= y <= max(p_y, fit_y)
                assert abs(p_y - fit_y) > 0


def test_zero_to_infinity_data_runs_from_zero_to_infinity(data: LectureData) -> None:
    rows = _csv_rows(render_theme(_spec("zero-to-infinity"), data, LIGHT), "zero-to-infinity")
    kl = [float(r[-1]) for r in rows[1:]]
    assert kl[0] == 0.0 and kl[-1] == math.inf
    assert all(a <= b for a, b in itertools.pairwise(kl))


def test_extra_bits_table_holds_every_sample_size_and_kl(data: LectureData) -> None:
    rows = _csv_rows(render_theme(_spec("extra-bits"), data, LIGHT), "extra-bits")
    assert [int(r[0]) for r in rows[1:]] == list(data.coding.sample_sizes)
    kl = kl_divergence(data.forest.p, data.forest.q, base=2)
    assert all(float(r[-1]) == pytest.approx(kl, abs=5e-7) for r in rows[1:])


def test_decomposition_bars_add_up(data: LectureData) -> None:
    rows = _csv_rows(render_theme(_spec("decomposition"), data, LIGHT), "decomposition")
    assert len(rows) == 5
    for _, entropy, kl, cross in rows[1:]:
        if kl == "inf":
            assert cross == "inf"
        else:
            assert float(cross) == pytest.approx(float(entropy) + float(kl), abs=2e-6)


def test_code_lengths_show_the_huffman_codewords(data: LectureData) -> None:
    from kl.coding import huffman_code

    with _drawn("code-lengths", data, LIGHT) as fig:
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    for code in (huffman_code(data.forest.p), huffman_code(data.forest.q)):
        for word in code.values():
            assert any(t.endswith(f"\n{word}") for t in ticks)


# --- other data: a Q that rules out an animal, a zero in P, four animals ----------------

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


def _other(data: LectureData, case: str) -> LectureData:
    p, q = OTHER_FORESTS[case]
    return dataclasses.replace(data, forest=Forest(p=p, q=q))


@pytest.mark.parametrize("case", sorted(OTHER_FORESTS))
@pytest.mark.parametrize("fig_id", sorted(MODULES))
def test_figure_draws_other_data_with_labels_in_place_and_no_nan(
    fig_id: str, case: str, data: LectureData
) -> None:
    changed = _other(data, case)
    rows = _csv_rows(render_theme(_spec(fig_id), changed, LIGHT), fig_id)
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert not any(cell.lower() == "nan" for row in rows for cell in row)
    assert not any("∞" in cell for row in rows for cell in row)  # CSV writes "inf"
    with _drawn(fig_id, changed, LIGHT) as fig:
        boxes = _label_boxes(fig)
        frame = fig.bbox
        for text, box in boxes:
            assert "nan" not in text.lower()
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text!r} leaves the figure"
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text!r} leaves the figure"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_extra_bits_with_q_ruling_out_an_animal_draws_only_huffman(data: LectureData) -> None:
    changed = _other(data, "Q rules out the Deer")
    with _drawn("extra-bits", changed, LIGHT) as fig:
        ax = fig.axes[0]
        texts = [t for t, _ in _label_boxes(fig)]
        lines = [line for line in ax.lines if len(line.get_xdata()) > 2]
    assert any(t.startswith("KL(P‖Q) = ∞") and "Deer" in t for t in texts)
    assert len(lines) == 1  # the Huffman series; no ideal-code line, no line at infinity
    assert all(np.isfinite(y) for line in ax.lines for y in line.get_ydata())
    rows = _csv_rows(render_theme(_spec("extra-bits"), changed, LIGHT), "extra-bits")
    for row in rows[1:]:
        assert row[1:4] == ["inf", "inf", "inf"] and row[-1] == "inf"
        assert math.isfinite(float(row[4]))


def test_code_lengths_mark_an_infinite_ideal_length(data: LectureData) -> None:
    changed = _other(data, "Q rules out the Deer")
    with _drawn("code-lengths", changed, LIGHT) as fig:
        texts = [t for t, _ in _label_boxes(fig)]
    assert texts.count("∞") == 1
    rows = _csv_rows(render_theme(_spec("code-lengths"), changed, LIGHT), "code-lengths")
    deer = next(r for r in rows if r[0] == "Deer")
    assert deer[2] == "inf" and float(deer[1]) == pytest.approx(-math.log2(0.1), abs=1e-6)
