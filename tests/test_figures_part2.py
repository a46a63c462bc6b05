"""Tests for the figures of sections 6 and 8-10 (simplex, continuous-integrand,
forward-reverse, vae-kl, learning): each renders in both themes with a non-empty data
table, its data and labels carry the right computed numbers, and no label collides with
another or leaves the figure."""

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
import scipy.stats

from kl.content.asymmetry import SIMPLEX_COLUMNS, forest_vectors, simplex_kl_raster
from kl.content.fitting import fits
from kl.content.learning import learning_trace, snapshot_steps
from kl.data import Forest, LectureData, load_lecture_data
from kl.formatting import format_number
from kl.gallery import FigureSpec, read_figure_spec
from kl.gaussian import kl_normal, kl_to_standard_normal
from kl.measures import kl_divergence
from kl.render import DrawContext, load_draw_function, render_theme
from kl.simplex import simplex_from_xy
from kl.style import DARK, LIGHT, TALL, THEMES, WIDE, Theme

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "simplex": "simplex.py",
    "continuous-integrand": "continuous_integrand.py",
    "forward-reverse": "forward_reverse.py",
    "vae-kl": "vae_kl.py",
    "learning": "learning.py",
}


@pytest.fixture(scope="module")
def data() -> LectureData:
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


def _spec(fig_id: str) -> FigureSpec:
    spec = read_figure_spec(ROOT / "figures" / MODULES[fig_id])
    assert spec.id == fig_id
    return spec


def _csv_rows(fig_id: str, data: LectureData) -> list[list[str]]:
    files = render_theme(_spec(fig_id), data, LIGHT)
    return list(csv.reader(io.StringIO(files[f"{fig_id}.csv"].decode())))


@contextmanager
def _drawn(fig_id: str, data: LectureData, theme: Theme) -> Iterator[Figure]:
    """The figure as render_theme draws it, laid out, for inspecting its artists."""
    spec = _spec(fig_id)
    draw = load_draw_function(spec)
    with matplotlib.rc_context(cast(Any, theme.rc)):
        fig = Figure(figsize=WIDE if spec.size == "wide" else TALL, layout="constrained")
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
                boxes.append((text.get_text(), Text.get_window_extent(text, renderer)))
    return boxes


def _texts(fig: Figure) -> list[str]:
    return [text for text, _ in _label_boxes(fig)]


def _number(cell: str) -> float:
    return math.inf if cell == "∞" else float(cell.replace("−", "-"))


def _with_separation(data: LectureData, separation: float) -> LectureData:
    return dataclasses.replace(
        data, fitting=dataclasses.replace(data.fitting, separation=separation)
    )


# --- every figure ---------------------------------------------------------------------


@pytest.mark.parametrize("fig_id", sorted(MODULES))
def test_figure_renders_in_both_themes_with_its_data(fig_id: str, data: LectureData) -> None:
    spec = _spec(fig_id)
    light = render_theme(spec, data, LIGHT)
    dark = render_theme(spec, data, DARK)
    assert set(light) == {f"{fig_id}.svg", f"{fig_id}.png", f"{fig_id}.csv"}
    assert set(dark) == {f"{fig_id}.dark.svg"}
    assert light[f"{fig_id}.png"].startswith(b"\x89PNG")
    assert b"<svg" in light[f"{fig_id}.svg"] and b"<svg" in dark[f"{fig_id}.dark.svg"]
    assert light[f"{fig_id}.svg"] != dark[f"{fig_id}.dark.svg"]
    rows = list(csv.reader(io.StringIO(light[f"{fig_id}.csv"].decode())))
    assert len(rows) >= 3 and all(len(r) == len(rows[0]) for r in rows)
    assert spec.caption and spec.alt and spec.title
    assert "{{ value" in spec.alt, "the alt text should quote computed numbers"


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


# --- simplex --------------------------------------------------------------------------


def test_simplex_data_match_kl_divergence_both_ways(data: LectureData) -> None:
    rows = _csv_rows("simplex", data)
    p, _ = forest_vectors(data)
    assert rows[0][:3] == [f"q({name})" for name in data.forest.outcomes]
    assert len(rows) - 1 == 66  # every multiple of 1/10 on the simplex
    for row in rows[1:]:
        q = np.array([float(v) for v in row[:3]])
        q = q / q.sum()
        forward, backward = _number(row[3]), _number(row[4])
        expected = kl_divergence(p, q, base=2)
        if math.isinf(expected):
            assert forward == math.inf
        else:
            assert forward == pytest.approx(expected, abs=1e-6)
        assert backward == pytest.approx(kl_divergence(q, p, base=2), abs=1e-6)


def test_simplex_raster_matches_kl_divergence_at_sample_pixels(data: LectureData) -> None:
    p, _ = forest_vectors(data)
    x, y, forward, backward = simplex_kl_raster(tuple(p), SIMPLEX_COLUMNS)
    assert x.shape == forward.shape == backward.shape
    rng = np.random.default_rng(6)
    for i, j in zip(rng.integers(0, x.shape[0], 40), rng.integers(0, x.shape[1], 40), strict=True):
        q = simplex_from_xy([x[i, j]], [y[i, j]])[0]
        assert forward[i, j] == pytest.approx(kl_divergence(p, q, base=2), rel=1e-10, abs=1e-12)
        assert backward[i, j] == pytest.approx(kl_divergence(q, p, base=2), rel=1e-10, abs=1e-12)


def test_simplex_marks_p_and_q_and_labels_every_corner(data: LectureData) -> None:
    with _drawn("simplex", data, LIGHT) as fig:
        texts = _texts(fig)
        for name in data.forest.outcomes:
            assert texts.count(name) == 2
        assert texts.count("P") == 2 and texts.count("Q") == 2
        assert [ax.get_title() for ax in fig.axes[:2]] == ["KL(P‖Q)", "KL(Q‖P)"]
        label = fig.axes[2].get_xlabel()
        assert (
            "bits" in label and format_number(-math.log2(min(data.forest.p.values())), 2) in label
        )


# --- continuous-integrand -------------------------------------------------------------


def test_integrand_data_match_scipy_densities(data: LectureData) -> None:
    rows = _csv_rows("continuous-integrand", data)
    c = data.curves
    p, good, poor = (scipy.stats.norm(n.mean, n.sd) for n in (c.p, c.good, c.poor))
    for row in rows[1:]:
        x, px, gx, qx, g_term, q_term = (float(v) for v in row)
        assert px == pytest.approx(p.pdf(x), rel=1e-5)
        assert gx == pytest.approx(good.pdf(x), rel=1e-5)
        assert qx == pytest.approx(poor.pdf(x), rel=1e-5)
        assert g_term == pytest.approx(
            p.pdf(x) * (p.logpdf(x) - good.logpdf(x)), rel=1e-4, abs=1e-9
        )
        assert q_term == pytest.approx(
            p.pdf(x) * (p.logpdf(x) - poor.logpdf(x)), rel=1e-4, abs=1e-9
        )
    assert any(float(r[4]) < 0 for r in rows[1:]), "the integrand dips below zero somewhere"


def test_integrand_panels_label_the_closed_form_kl(data: LectureData) -> None:
    c = data.curves
    with _drawn("continuous-integrand", data, LIGHT) as fig:
        texts = _texts(fig)
    for q in (c.good, c.poor):
        kl = format_number(kl_normal(c.p.mean, c.p.sd, q.mean, q.sd), 3)
        assert any(kl in t and "nats" in t for t in texts)
    assert texts.count("q > p") == 2


# --- forward-reverse ------------------------------------------------------------------


@pytest.mark.parametrize("separation", [3.0, 5.0, 6.0, 8.0])
def test_forward_reverse_labels_each_fit_with_its_kl(separation: float, data: LectureData) -> None:
    varied = _with_separation(data, separation)
    result = fits(varied)
    with _drawn("forward-reverse", varied, LIGHT) as fig:
        boxes = _label_boxes(fig)
        lines = fig.axes[0].lines
    texts = [t for t, _ in boxes]
    forward = format_number(result.forward.kl_pq_nats, 3)
    best = format_number(result.best_reverse.kl_qp_nats, 3)
    assert any(t.startswith("forward fit") and forward in t for t in texts)
    assert any(t.startswith("reverse fit") and best in t for t in texts)
    for fit in result.reverse[1:]:
        assert any(format_number(fit.kl_qp_nats, 3) in t for t in texts if "fit" not in t)
    assert len(lines) == 2 + len(result.reverse)  # P, the forward fit, every reverse minimum
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_forward_reverse_data_hold_p_and_every_fit(data: LectureData) -> None:
    rows = _csv_rows("forward-reverse", data)
    result = fits(data)
    assert len(rows[0]) == 3 + len(result.reverse)
    d = data.fitting.separation
    for row in rows[1:]:
        x = float(row[0])
        expected = 0.5 * (scipy.stats.norm.pdf(x, -d / 2) + scipy.stats.norm.pdf(x, d / 2))
        assert float(row[1]) == pytest.approx(expected, rel=1e-5, abs=1e-300)
        forward = scipy.stats.norm.pdf(x, result.forward.mean, result.forward.sd)
        assert float(row[2]) == pytest.approx(forward, rel=1e-5, abs=1e-300)


# --- vae-kl ---------------------------------------------------------------------------


def test_vae_kl_data_equal_the_closed_form(data: LectureData) -> None:
    rows = _csv_rows("vae-kl", data)
    assert rows[0] == ["μ", "σ", "KL term, nats"]
    for mu, sigma, kl in rows[1:]:
        assert float(kl) == pytest.approx(kl_to_standard_normal(float(mu), float(sigma)), rel=1e-5)
    assert min(float(r[2]) for r in rows[1:]) >= 0


def test_vae_kl_marks_the_minimum_and_the_examples(data: LectureData) -> None:
    with _drawn("vae-kl", data, LIGHT) as fig:
        texts = _texts(fig)
        ax = fig.axes[0]
        markers = [line.get_xydata()[0].tolist() for line in ax.lines]
    assert [0.0, 1.0] in markers
    assert "0 at μ = 0, σ = 1" in texts
    for name in ("good", "poor"):
        n = getattr(data.curves, name)
        assert [n.mean, n.sd] in markers
        kl = format_number(kl_to_standard_normal(n.mean, n.sd), 2)
        assert f"{name}: {kl}" in texts


# --- learning -------------------------------------------------------------------------


def test_learning_data_trace_kl_per_step(data: LectureData) -> None:
    rows = _csv_rows("learning", data)
    assert len(rows) == data.learning.steps + 2
    p = np.array(list(data.forest.p.values()))
    kls = []
    for row in rows[1:]:
        q = np.array([float(v) for v in row[1:4]])
        kls.append(kl_divergence(p, q / q.sum(), base=2))
    assert kls[0] == pytest.approx(math.log2(3) - scipy.stats.entropy(p, base=2), abs=1e-6)
    assert all(b < a for a, b in itertools.pairwise(kls))
    assert float(rows[1][-1]) == pytest.approx(kls[0], abs=1e-4)


def test_learning_shows_a_snapshot_per_chosen_step(data: LectureData) -> None:
    steps = snapshot_steps(data.learning.steps)
    trace = learning_trace(data)
    with _drawn("learning", data, LIGHT) as fig:
        kl_axes, *bar_axes = fig.axes
        assert kl_axes.get_yscale() == "log"
        assert [ax.get_title() for ax in bar_axes] == [f"step {s}" for s in steps]
        for ax, step in zip(bar_axes, steps, strict=True):
            widths = [bar.get_width() for bar in ax.patches]
            n = len(trace.outcomes)
            assert widths[:n] == pytest.approx(list(trace.target))
            assert widths[n:] == pytest.approx(list(trace.q[step]))


# --- other data: a zero in Q or in P, four animals --------------------------------------

OTHER_FORESTS = {
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
@pytest.mark.parametrize("fig_id", ["simplex", "learning"])
def test_forest_figures_draw_other_data_with_labels_in_place(
    fig_id: str, case: str, data: LectureData
) -> None:
    changed = _other(data, case)
    rows = _csv_rows(fig_id, changed)
    assert len(rows) >= 3 and all(len(r) == len(rows[0]) for r in rows)
    assert not any(cell.lower() == "nan" or "∞" in cell for row in rows for cell in row)
    with _drawn(fig_id, changed, LIGHT) as fig:
        boxes = _label_boxes(fig)
        frame = fig.bbox
        for text, box in boxes:
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text!r} leaves the figure"
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text!r} leaves the figure"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_simplex_with_four_animals_lumps_the_rest_and_its_data_says_so(data: LectureData) -> None:
    changed = _other(data, "four animals")
    rows = _csv_rows("simplex", changed)
    assert rows[0][:3] == ["q(Squirrel)", "q(Rabbit)", "q(other animals)"]
    with _drawn("simplex", changed, LIGHT) as fig:
        texts = _texts(fig)
    assert texts.count("other animals") == 2  # one corner label per panel
    # a corner of the lumped triangle: Q certain of "other animals"
    p = np.array([0.5, 0.3, 0.2])
    corner = next(r for r in rows[1:] if r[:3] == ["0.0", "0.0", "1.0"])
    assert float(corner[3]) == math.inf
    assert float(corner[4]) == pytest.approx(-math.log2(0.2), abs=1e-6)
    assert float(corner[4]) == pytest.approx(
        float(scipy.stats.entropy([0, 0, 1], p, base=2)), abs=1e-6
    )


def test_simplex_with_p_ruling_out_an_animal_is_finite_only_on_that_edge(
    data: LectureData,
) -> None:
    rows = _csv_rows("simplex", _other(data, "P rules out the Deer"))
    for row in rows[1:]:
        q_deer, backward = float(row[2]), float(row[4])
        assert (backward == math.inf) == (q_deer > 0)
