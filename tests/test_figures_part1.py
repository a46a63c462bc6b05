"""Tests for the figures of the hero and sections 3-5 and 7: each renders in both themes with
a non-empty data table, its labels carry the computed numbers, and no label collides with
another label or (in the hero) with a curve."""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any, cast

import numpy as np
import pytest
import scipy.stats

from kl.data import LectureData, Normal, load_lecture_data
from kl.gaussian import kl_normal
from kl.measures import kl_divergence
from kl.style import LIGHT, THEMES, WIDE, Theme
from tests.figurecheck import csv_rows, drawn, figure_spec, label_boxes, lecture_data, other_data
from tests.sitebuild import ROOT


@pytest.fixture(scope="module")
def data() -> LectureData:
    return lecture_data()


@pytest.fixture(scope="module")
def frozen() -> LectureData:
    """The frozen copy of the lecture's data, so an edit of docs/data never fails these."""
    return load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")


def _hero_data(frozen: LectureData, poor: str) -> LectureData:
    """The frozen data, or with a poor fit narrower than P (off to one side, taller)."""
    if poor == "frozen":
        return frozen
    narrow = Normal(frozen.curves.p.mean + 1.5 * frozen.curves.p.sd, 0.5 * frozen.curves.p.sd)
    return dataclasses.replace(frozen, curves=dataclasses.replace(frozen.curves, poor=narrow))


HERO_DATA = ("frozen", "narrow poor fit")


def test_hero_is_widescreen_and_labels_carry_the_computed_kl(frozen: LectureData) -> None:
    spec = figure_spec("hero")
    assert spec.size == "wide" and WIDE[0] / WIDE[1] == pytest.approx(16 / 9)
    c = frozen.curves
    good = kl_normal(c.p.mean, c.p.sd, c.good.mean, c.good.sd)
    poor = kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)
    with drawn("hero", frozen, LIGHT) as fig:
        texts = [t for t, _ in label_boxes(fig)]
    assert "True Distribution (P)" in texts
    labels = {"Good Fit": f"{good:.3f} nats", "Poor Fit": f"{poor:.2f} nats"}
    for fit, kl in labels.items():
        level = "Low" if fit == "Good Fit" else "High"
        assert any(f"{level} KL Divergence\n({fit})" in t and kl in t for t in texts)


@pytest.mark.parametrize("poor", HERO_DATA)
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_hero_labels_keep_clear_of_the_curves(theme: Theme, poor: str, frozen: LectureData) -> None:
    """Issue 11: with a poor fit narrower than P, P's label must not sit on a curve."""
    with drawn("hero", _hero_data(frozen, poor), theme) as fig:
        ax = fig.axes[0]
        points = np.vstack([ax.transData.transform(line.get_xydata()) for line in ax.lines])
        boxes = label_boxes(fig)
        for text, box in boxes:
            padded = box.expanded(1.0, 1.0).padded(2)
            inside = (
                (points[:, 0] >= padded.x0)
                & (points[:, 0] <= padded.x1)
                & (points[:, 1] >= padded.y0)
                & (points[:, 1] <= padded.y1)
            )
            assert not inside.any(), f"{text!r} touches a curve"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


@pytest.mark.parametrize("poor", HERO_DATA)
def test_hero_arrows_point_where_the_divergence_comes_from(poor: str, frozen: LectureData) -> None:
    """Issue 11, defect 2: each arrow points at the x where p·ln(p/q) is largest (scipy),
    midway between P and that fit, where P is above it (the region that adds to KL)."""
    data = _hero_data(frozen, poor)
    c = data.curves
    x_fine = np.linspace(-20, 20, 400_001)
    with drawn("hero", data, LIGHT) as fig:
        ax = fig.axes[0]
        p_line, good_line, poor_line = ax.lines
        arrows = {t.get_text(): cast(Any, t).xy for t in ax.texts if "Fit" in t.get_text()}
    for name, fit, line in (("Good Fit", c.good, good_line), ("Poor Fit", c.poor, poor_line)):
        (x, y) = next(xy for label, xy in arrows.items() if name in label)
        log_p = scipy.stats.norm.logpdf(x_fine, c.p.mean, c.p.sd)
        log_q = scipy.stats.norm.logpdf(x_fine, fit.mean, fit.sd)
        peak = x_fine[np.argmax(np.exp(log_p) * (log_p - log_q))]
        assert x == pytest.approx(peak, abs=0.02)
        p_y, fit_y = np.interp(x, *p_line.get_data()), np.interp(x, *line.get_data())
        assert fit_y < y < p_y  # inside the gap, on the side where p > q


def test_zero_to_infinity_data_runs_from_zero_to_infinity(data: LectureData) -> None:
    rows = csv_rows("zero-to-infinity", data)
    kl = [float(r[-1]) for r in rows[1:]]
    assert kl[0] == 0.0 and kl[-1] == math.inf
    assert all(a <= b for a, b in itertools.pairwise(kl))


def test_extra_bits_table_holds_every_sample_size_and_kl(data: LectureData) -> None:
    rows = csv_rows("extra-bits", data)
    assert [int(r[0]) for r in rows[1:]] == list(data.coding.sample_sizes)
    kl = kl_divergence(data.forest.p, data.forest.q, base=2)
    assert all(float(r[-1]) == pytest.approx(kl, abs=5e-7) for r in rows[1:])


def test_decomposition_bars_add_up(data: LectureData) -> None:
    rows = csv_rows("decomposition", data)
    assert len(rows) == 5
    for _, entropy, kl, cross in rows[1:]:
        if kl == "inf":
            assert cross == "inf"
        else:
            assert float(cross) == pytest.approx(float(entropy) + float(kl), abs=2e-6)


def test_code_lengths_show_the_huffman_codewords(data: LectureData) -> None:
    from kl.coding import huffman_code

    with drawn("code-lengths", data, LIGHT) as fig:
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    for code in (huffman_code(data.forest.p), huffman_code(data.forest.q)):
        for word in code.values():
            assert any(t.endswith(f"\n{word}") for t in ticks)


# --- other data: a Q that rules out an animal, a zero in P, four animals ----------------


def test_extra_bits_with_q_ruling_out_an_animal_draws_only_huffman(data: LectureData) -> None:
    changed = other_data(data, "Q rules out the Deer")
    with drawn("extra-bits", changed, LIGHT) as fig:
        ax = fig.axes[0]
        texts = [t for t, _ in label_boxes(fig)]
        lines = [line for line in ax.lines if len(line.get_xdata()) > 2]
    assert any(t.startswith("KL(P‖Q) = ∞") and "Deer" in t for t in texts)
    assert len(lines) == 1  # the Huffman series; no ideal-code line, no line at infinity
    assert all(np.isfinite(y) for line in ax.lines for y in line.get_ydata())
    rows = csv_rows("extra-bits", changed)
    for row in rows[1:]:
        assert row[1:4] == ["inf", "inf", "inf"] and row[-1] == "inf"
        assert math.isfinite(float(row[4]))


def test_code_lengths_mark_an_infinite_ideal_length(data: LectureData) -> None:
    changed = other_data(data, "Q rules out the Deer")
    with drawn("code-lengths", changed, LIGHT) as fig:
        texts = [t for t, _ in label_boxes(fig)]
    assert texts.count("∞") == 1
    rows = csv_rows("code-lengths", changed)
    deer = next(r for r in rows if r[0] == "Deer")
    assert deer[2] == "inf" and float(deer[1]) == pytest.approx(-math.log2(0.1), abs=1e-6)
