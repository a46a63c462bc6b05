"""figures/forest_bars.py: a pair of bars per animal, P solid and Q hatched, each labelled with
its probability as the data file writes it, and its data table the data file's P and Q."""

from __future__ import annotations

from matplotlib.patches import Rectangle

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from kl.lecture.formatting import format_probability
from tests.figurecheck import csv_rows, drawn, label_texts, other_data


def test_forest_bars_data_are_the_data_files_p_and_q(data: LectureData) -> None:
    forest = other_data(data, "four animals").forest
    rows = csv_rows("forest-bars", other_data(data, "four animals"))
    assert rows[0] == ["Animal", "p(x)", "q(x)"]
    assert rows[1:] == [
        [x, format_probability(forest.p[x]), format_probability(forest.q[x])]
        for x in forest.outcomes
    ]


def test_each_bar_is_as_tall_as_its_probability_and_labelled_with_it(data: LectureData) -> None:
    forest = data.forest
    with drawn("forest-bars", data, LIGHT) as fig:
        ax = fig.axes[0]
        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        labels = label_texts(fig)
    heights = [forest.p[x] for x in forest.outcomes] + [forest.q[x] for x in forest.outcomes]
    assert [bar.get_height() for bar in bars] == heights
    assert [bar.get_hatch() for bar in bars] == [None] * 3 + ["///"] * 3  # Q hatched
    shown = [format_probability(h) for h in heights]
    assert sorted(labels) == sorted([*shown, *forest.outcomes])  # values, and group names


def test_a_zero_probability_is_a_bar_of_no_height_labelled_0(data: LectureData) -> None:
    changed = other_data(data, "Q rules out the Deer")
    with drawn("forest-bars", changed, LIGHT) as fig:
        bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
        labels = label_texts(fig)
    assert bars[-1].get_height() == 0.0 and labels.count("0") == 1
