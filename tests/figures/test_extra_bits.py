"""figures/extra_bits.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from kl.measures.discrete import kl_divergence
from tests.figurecheck import csv_rows, drawn, label_boxes, other_data


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
