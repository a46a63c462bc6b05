"""Valid data at the edges of its range: a 1e-300 probability, a sample size of 10**12.
Numbers past a documented size are written in scientific notation and axes keep a
readable number of ticks whose labels do not overlap."""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import cast

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from kl.build.style import LIGHT, MAX_TICKS
from kl.lecture.data import Forest, LectureData
from kl.lecture.formatting import (
    SCIENTIFIC_FROM,
    WHOLE_NUMBERS_UP_TO,
    format_integer,
    format_number,
    format_probability,
)
from kl.lecture.sections import lecture_tables, lecture_values
from kl.lecture.values import Number, shown
from tests.figurecheck import drawn
from tests.lecture_data import lecture_data

TINY = 1e-300


def with_tiny_q(data: LectureData) -> LectureData:
    """Q gives the last animal a probability of 1e-300 (and its share to the second)."""
    p, q = data.forest.p, dict(data.forest.q)
    _, second, last = list(q)
    q[second] += q[last] - TINY
    q[last] = TINY
    return dataclasses.replace(data, forest=Forest(p=p, q=q))


def with_sample_sizes(data: LectureData, sizes: tuple[int, ...]) -> LectureData:
    return dataclasses.replace(data, coding=dataclasses.replace(data.coding, sample_sizes=sizes))


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (6e299, "6.00 × 10²⁹⁹"),
        (-1.5e7, "−1.50 × 10⁷"),
        (SCIENTIFIC_FROM, "1.00 × 10⁶"),
        (999_999.5, "999999.5000"),
        (0.0333, "0.0333"),
    ],
)
def test_numbers_past_the_range_are_in_scientific_notation(number: float, text: str) -> None:
    assert format_number(number) == text


def test_probabilities_and_whole_numbers_past_the_range_too() -> None:
    assert format_probability(TINY) == "1 × 10⁻³⁰⁰"
    assert format_probability(0.25) == "0.25"
    assert format_integer(10**12) == "1,000,000,000,000"
    assert format_integer(WHOLE_NUMBERS_UP_TO) == "1.00 × 10¹⁵"


def _shown(fact: object) -> list[str]:
    """Every text a fact prints as on a page (a plain float as `{{ x }}` shows it), nested
    lists and namespaces included."""
    if isinstance(fact, Number):
        return [fact.text()]
    if isinstance(fact, float):
        return [shown(fact)]
    if isinstance(fact, dict):
        return [text for value in fact.values() for text in _shown(value)]
    if isinstance(fact, list | tuple):
        return [text for value in fact for text in _shown(value)]
    return [str(fact)]


def test_a_tiny_probability_prints_no_run_of_hundreds_of_digits() -> None:
    data = with_tiny_q(lecture_data())
    texts = [text for v in lecture_values(data).values() for text in _shown(v)]
    texts += [str(cell) for t in lecture_tables(data).values() for row in t.rows for cell in row]
    longest = max((m.group() for t in texts for m in re.finditer(r"[\d,.]+", t)), key=len)
    assert len(longest) <= 20, longest


def tick_labels(fig_id: str, data: LectureData, axis: str) -> list[tuple[str, object]]:
    """The visible labelled ticks of the figure's first axes: (text, window extent)."""
    with drawn(fig_id, data, LIGHT) as fig:
        renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
        ax = fig.axes[0]
        low, high = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
        ticks = ax.yaxis.get_major_ticks() if axis == "y" else ax.xaxis.get_major_ticks()
        return [
            (t.label1.get_text(), t.label1.get_window_extent(renderer))
            for t in ticks
            if t.label1.get_visible() and t.label1.get_text() and low <= t.get_loc() <= high
        ]


def test_a_tiny_probability_keeps_the_code_length_axis_readable() -> None:
    labels = tick_labels("code-lengths", with_tiny_q(lecture_data()), "y")
    assert 2 <= len(labels) <= MAX_TICKS, [text for text, _ in labels]


def test_a_sample_size_of_a_trillion_keeps_the_axis_labels_apart() -> None:
    data = with_sample_sizes(lecture_data(), (10, 1000, 100_000, 10**12))
    labels = tick_labels("extra-bits", data, "x")
    assert len(labels) >= 3
    for (a, box_a), (b, box_b) in itertools.pairwise(labels):
        assert box_a.x1 < box_b.x0, f"{a!r} overlaps {b!r}"  # type: ignore[attr-defined]
