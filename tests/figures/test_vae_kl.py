"""figures/vae_kl.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import dataclasses

import pytest

from kl.build.style import LAYOUTS, LIGHT, Layout
from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.measures.gaussian import kl_to_standard_normal
from tests.figurecheck import csv_rows, drawn, label_texts, light_svg


def test_vae_kl_data_equal_the_closed_form(frozen_file: LectureData) -> None:
    rows = csv_rows("vae-kl", frozen_file)
    assert rows[0] == ["μ", "σ", "KL term, nats"]
    for mu, sigma, kl in rows[1:]:
        assert float(kl) == pytest.approx(kl_to_standard_normal(float(mu), float(sigma)), rel=1e-5)
    assert min(float(r[2]) for r in rows[1:]) >= 0


def test_vae_kl_marks_the_minimum_and_the_examples(frozen_file: LectureData) -> None:
    with drawn("vae-kl", frozen_file, LIGHT) as fig:
        texts = label_texts(fig)
        ax = fig.axes[0]
        markers = [line.get_xydata()[0].tolist() for line in ax.lines]
    assert [0.0, 1.0] in markers
    assert "0 at μ = 0, σ = 1" in texts
    for name in ("good", "poor"):
        n = getattr(frozen_file.curves, name)
        assert [n.mean, n.sd] in markers
        kl = format_number(kl_to_standard_normal(n.mean, n.sd), 2)
        assert f"{name}: {kl}" in texts


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize(("mean", "sd"), [(4.0, 1.5), (-4.0, 1.5), (2.0, 0.2)])
def test_an_example_far_out_keeps_its_label_clear(
    frozen_file: LectureData, layout: Layout, mean: float, sd: float
) -> None:
    """Where matplotlib puts the contour labels depends on the data: one under an example's
    label is dropped (these three poor fits each put one there), and an example near the
    right edge is labelled on its left. `light_svg` checks every text against every
    other and the canvas's edge."""
    curves = frozen_file.curves
    poor = dataclasses.replace(curves.poor, mean=mean, sd=sd)
    data = dataclasses.replace(frozen_file, curves=dataclasses.replace(curves, poor=poor))
    assert light_svg("vae-kl", data, layout).startswith(b"<?xml")
