"""Tests for the figures of sections 6 and 8-10 (simplex, continuous-integrand,
forward-reverse, vae-kl, learning): each renders in both themes with a non-empty data
table, its data and labels carry the right computed numbers, and no label collides with
another or leaves the figure."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
import scipy.stats
from matplotlib.figure import Figure

from kl.content.asymmetry import SIMPLEX_COLUMNS, forest_vectors, simplex_kl_raster
from kl.content.fitting import fits
from kl.content.learning import learning_trace, snapshot_steps
from kl.data import Forest, LectureData, load_lecture_data
from kl.formatting import format_number
from kl.gaussian import kl_normal, kl_to_standard_normal
from kl.measures import kl_divergence
from kl.simplex import simplex_from_xy
from kl.style import LIGHT
from tests.figurecheck import csv_rows, drawn, label_boxes, lecture_data, other_data
from tests.sitebuild import ROOT


@pytest.fixture(scope="module")
def data() -> LectureData:
    return lecture_data()


def _texts(fig: Figure) -> list[str]:
    return [text for text, _ in label_boxes(fig)]


def _number(cell: str) -> float:
    return math.inf if cell == "∞" else float(cell.replace("−", "-"))


def _with_separation(data: LectureData, separation: float) -> LectureData:
    return dataclasses.replace(
        data, fitting=dataclasses.replace(data.fitting, separation=separation)
    )


# --- every figure ---------------------------------------------------------------------


# --- simplex --------------------------------------------------------------------------
# On a frozen forest of three animals (the SPEC's P and Q), not the data file.


@pytest.fixture(scope="module")
def forest3(data: LectureData) -> LectureData:
    p = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
    q = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
    return dataclasses.replace(data, forest=Forest(p=p, q=q))


def test_simplex_data_match_kl_divergence_both_ways(forest3: LectureData) -> None:
    data = forest3
    rows = csv_rows("simplex", data)
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


def test_simplex_raster_matches_kl_divergence_at_sample_pixels(forest3: LectureData) -> None:
    data = forest3
    p, _ = forest_vectors(data)
    x, y, forward, backward = simplex_kl_raster(tuple(p), SIMPLEX_COLUMNS)
    assert x.shape == forward.shape == backward.shape
    rng = np.random.default_rng(6)
    for i, j in zip(rng.integers(0, x.shape[0], 40), rng.integers(0, x.shape[1], 40), strict=True):
        q = simplex_from_xy([x[i, j]], [y[i, j]])[0]
        assert forward[i, j] == pytest.approx(kl_divergence(p, q, base=2), rel=1e-10, abs=1e-12)
        assert backward[i, j] == pytest.approx(kl_divergence(q, p, base=2), rel=1e-10, abs=1e-12)


def test_simplex_marks_p_and_q_and_labels_every_corner(forest3: LectureData) -> None:
    data = forest3
    with drawn("simplex", data, LIGHT) as fig:
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


@pytest.fixture(scope="module")
def frozen() -> LectureData:
    """The frozen copy of the lecture's data, so an edit of docs/data never fails these."""
    return load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")


def test_integrand_data_match_scipy_densities(frozen: LectureData) -> None:
    rows = csv_rows("continuous-integrand", frozen)
    c = frozen.curves
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


def test_integrand_panels_label_the_closed_form_kl(frozen: LectureData) -> None:
    c = frozen.curves
    with drawn("continuous-integrand", frozen, LIGHT) as fig:
        texts = _texts(fig)
    for q in (c.good, c.poor):
        kl = format_number(kl_normal(c.p.mean, c.p.sd, q.mean, q.sd), 3)
        assert any(kl in t and "nats" in t for t in texts)
    assert texts.count("q > p") == 2


# --- forward-reverse ------------------------------------------------------------------


@pytest.mark.parametrize("separation", [3.0, 5.0, 6.0, 8.0])
def test_forward_reverse_labels_each_fit_with_its_kl(
    separation: float, frozen: LectureData
) -> None:
    varied = _with_separation(frozen, separation)
    result = fits(varied)
    with drawn("forward-reverse", varied, LIGHT) as fig:
        boxes = label_boxes(fig)
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


def test_forward_reverse_data_hold_p_and_every_fit(frozen: LectureData) -> None:
    rows = csv_rows("forward-reverse", frozen)
    result = fits(frozen)
    assert len(rows[0]) == 3 + len(result.reverse)
    d = frozen.fitting.separation
    for row in rows[1:]:
        x = float(row[0])
        expected = 0.5 * (scipy.stats.norm.pdf(x, -d / 2) + scipy.stats.norm.pdf(x, d / 2))
        assert float(row[1]) == pytest.approx(expected, rel=1e-5, abs=1e-300)
        forward = scipy.stats.norm.pdf(x, result.forward.mean, result.forward.sd)
        assert float(row[2]) == pytest.approx(forward, rel=1e-5, abs=1e-300)


# --- vae-kl ---------------------------------------------------------------------------


def test_vae_kl_data_equal_the_closed_form(frozen: LectureData) -> None:
    rows = csv_rows("vae-kl", frozen)
    assert rows[0] == ["μ", "σ", "KL term, nats"]
    for mu, sigma, kl in rows[1:]:
        assert float(kl) == pytest.approx(kl_to_standard_normal(float(mu), float(sigma)), rel=1e-5)
    assert min(float(r[2]) for r in rows[1:]) >= 0


def test_vae_kl_marks_the_minimum_and_the_examples(frozen: LectureData) -> None:
    with drawn("vae-kl", frozen, LIGHT) as fig:
        texts = _texts(fig)
        ax = fig.axes[0]
        markers = [line.get_xydata()[0].tolist() for line in ax.lines]
    assert [0.0, 1.0] in markers
    assert "0 at μ = 0, σ = 1" in texts
    for name in ("good", "poor"):
        n = getattr(frozen.curves, name)
        assert [n.mean, n.sd] in markers
        kl = format_number(kl_to_standard_normal(n.mean, n.sd), 2)
        assert f"{name}: {kl}" in texts


# --- learning -------------------------------------------------------------------------


def test_learning_data_trace_kl_per_step(frozen: LectureData) -> None:
    rows = csv_rows("learning", frozen)
    assert len(rows) == frozen.learning.steps + 2
    assert rows[0][-1] == "KL(P‖Q), nats"
    p = np.array(list(frozen.forest.p.values()))
    kls = []
    for row in rows[1:]:
        q = np.array([float(v) for v in row[1:4]])
        kls.append(float(scipy.stats.entropy(p, q)))
        assert float(row[-1]) == pytest.approx(kls[-1], rel=1e-9, abs=1e-15)  # full precision
    assert kls[0] == pytest.approx(math.log(3) - scipy.stats.entropy(p), abs=1e-12)
    assert all(b < a for a, b in itertools.pairwise(kls))


def test_learning_shows_a_snapshot_per_chosen_step(frozen: LectureData) -> None:
    steps = snapshot_steps(frozen)
    trace = learning_trace(frozen)
    with drawn("learning", frozen, LIGHT) as fig:
        kl_axes, *bar_axes = fig.axes
        assert kl_axes.get_yscale() == "log"
        assert kl_axes.get_ylabel() == "KL(P‖Q), nats"
        assert [ax.get_title() for ax in bar_axes] == [f"step {s}" for s in steps]
        for ax, step in zip(bar_axes, steps, strict=True):
            widths = [bar.get_width() for bar in ax.patches]
            n = len(trace.outcomes)
            assert widths[:n] == pytest.approx(list(trace.target))
            assert widths[n:] == pytest.approx(list(trace.q[step]))


# --- other data: a zero in Q or in P, four animals --------------------------------------


def test_simplex_with_four_animals_lumps_the_rest_and_its_data_says_so(data: LectureData) -> None:
    changed = other_data(data, "four animals")
    rows = csv_rows("simplex", changed)
    assert rows[0][:3] == ["q(Squirrel)", "q(Rabbit)", "q(other animals)"]
    with drawn("simplex", changed, LIGHT) as fig:
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
    rows = csv_rows("simplex", other_data(data, "P rules out the Deer"))
    for row in rows[1:]:
        q_deer, backward = float(row[2]), float(row[4])
        assert (backward == math.inf) == (q_deer > 0)
