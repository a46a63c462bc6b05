"""figures/code_lengths.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import dataclasses
import math

import pytest

from kl.build.style import LAYOUTS, LIGHT, Layout
from kl.lecture.data import Forest, LectureData
from tests.figurecheck import csv_rows, drawn, label_boxes, light_svg, other_data


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


NAMES = ["<script>pwned()</script>", "R&D <b>x</b> *y*", "<unknown> | `$x^2$` {{ w }}"]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_long_names_wrap_under_their_bars_and_leave_the_bars_their_height(
    data: LectureData, layout: Layout
) -> None:
    """Names too wide for their group are wrapped onto up to three lines, whole, instead of
    standing on end (they took half the height, and the key ran into the bars' values).
    `light_svg` checks every text against every other and the canvas's edge."""
    forest = Forest(
        p=dict(zip(NAMES, (0.5, 0.3, 0.2), strict=True)),
        q=dict(zip(NAMES, (0.4, 0.4, 0.2), strict=True)),
    )
    named = dataclasses.replace(data, forest=forest)
    light_svg("code-lengths", named, layout)
    with drawn("code-lengths", named, LIGHT) as fig:
        names = {"".join(t.get_text().split()): t for t in fig.axes[0].texts}
    for name in NAMES:  # shown whole, wrapped at any point, and lying flat
        assert names["".join(name.split())].get_rotation() == 0, name
