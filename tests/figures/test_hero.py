"""figures/hero.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any, cast

import numpy as np
import pytest
import scipy.stats

from kl.build.style import LIGHT, THEMES, WIDE, Theme
from kl.lecture.data import LectureData, Normal
from kl.measures.gaussian import kl_normal
from tests.figurecheck import drawn, figure_spec, label_boxes


def _hero_data(frozen_file: LectureData, poor: str) -> LectureData:
    """The frozen data, or with a poor fit narrower than P (off to one side, taller)."""
    if poor == "frozen":
        return frozen_file
    narrow = Normal(
        frozen_file.curves.p.mean + 1.5 * frozen_file.curves.p.sd, 0.5 * frozen_file.curves.p.sd
    )
    return dataclasses.replace(
        frozen_file, curves=dataclasses.replace(frozen_file.curves, poor=narrow)
    )


HERO_DATA = ("frozen", "narrow poor fit")


def test_hero_is_widescreen_and_labels_carry_the_computed_kl(frozen_file: LectureData) -> None:
    spec = figure_spec("hero")
    assert spec.size == "wide" and WIDE[0] / WIDE[1] == pytest.approx(16 / 9)
    c = frozen_file.curves
    good = kl_normal(c.p.mean, c.p.sd, c.good.mean, c.good.sd)
    poor = kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)
    with drawn("hero", frozen_file, LIGHT) as fig:
        texts = [t for t, _ in label_boxes(fig)]
    assert "True Distribution (P)" in texts
    labels = {"Good Fit": f"{good:.3f} nats", "Poor Fit": f"{poor:.2f} nats"}
    for fit, kl in labels.items():
        level = "Low" if fit == "Good Fit" else "High"
        assert any(f"{level} KL Divergence\n({fit})" in t and kl in t for t in texts)


@pytest.mark.parametrize("poor", HERO_DATA)
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_hero_labels_keep_clear_of_the_curves(
    theme: Theme, poor: str, frozen_file: LectureData
) -> None:
    """With a poor fit narrower than P, P's label must not sit on a curve."""
    with drawn("hero", _hero_data(frozen_file, poor), theme) as fig:
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
def test_hero_arrows_point_where_the_divergence_comes_from(
    poor: str, frozen_file: LectureData
) -> None:
    """Each arrow points at the x where p·ln(p/q) is largest (scipy),
    midway between P and that fit, where P is above it (the region that adds to KL)."""
    data = _hero_data(frozen_file, poor)
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
