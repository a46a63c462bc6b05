"""figures/code_lengths.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import math

import pytest

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from tests.figurecheck import csv_rows, drawn, label_boxes, other_data


def test_code_lengths_show_the_huffman_codewords(data: LectureData) -> None:
    from kl.measures.coding import huffman_code

    with drawn("code-lengths", data, LIGHT) as fig:
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    for code in (huffman_code(data.forest.p), huffman_code(data.forest.q)):
        for word in code.values():
            assert any(t.endswith(f"\n{word}") for t in ticks)


def test_code_lengths_mark_an_infinite_ideal_length(data: LectureData) -> None:
    changed = other_data(data, "Q rules out the Deer")
    with drawn("code-lengths", changed, LIGHT) as fig:
        texts = [t for t, _ in label_boxes(fig)]
    assert texts.count("∞") == 1
    rows = csv_rows("code-lengths", changed)
    deer = next(r for r in rows if r[0] == "Deer")
    assert deer[2] == "inf" and float(deer[1]) == pytest.approx(-math.log2(0.1), abs=1e-6)
