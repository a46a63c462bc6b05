"""figures/extra_bits.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from kl.build.style import LAYOUTS, LIGHT, Layout
from kl.lecture.data import Forest, LectureData
from kl.measures.discrete import kl_divergence
from tests.figurecheck import csv_rows, drawn, label_boxes, light_svg, other_data


def test_extra_bits_table_holds_every_sample_size_and_kl(data: LectureData) -> None:
    rows = csv_rows("extra-bits", data)
    assert [int(r[0]) for r in rows[1:]] == list(data.coding.sample_sizes)
    kl = kl_divergence(data.forest.p, data.forest.q, base=2)
    assert all(float(r[-1]) == pytest.approx(kl, abs=5e-7) for r in rows[1:])


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


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_the_huffman_label_moves_above_its_line_off_the_ideal_label(
    data: LectureData, layout: Layout
) -> None:
    """With P = (0.5, 0.3, 0.2) and Q = (0.4, 0.4, 0.2) the Huffman codes cost 0.2 extra
    bits, and on a phone their label, under its line, ran into "ideal code lengths".
    `light_svg` checks every text against every other and the canvas's edge."""
    animals = ("Squirrel", "Rabbit", "Deer")
    forest = Forest(
        p=dict(zip(animals, (0.5, 0.3, 0.2), strict=True)),
        q=dict(zip(animals, (0.4, 0.4, 0.2), strict=True)),
    )
    svg = light_svg("extra-bits", dataclasses.replace(data, forest=forest), layout)
    assert svg.startswith(b"<?xml")
