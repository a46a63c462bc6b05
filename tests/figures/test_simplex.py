"""figures/simplex.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import scipy.stats

from kl.build.style import LIGHT
from kl.lecture.data import Forest, LectureData
from kl.lecture.formatting import format_number
from kl.lecture.sections.not_a_distance import SIMPLEX_COLUMNS, forest_vectors, simplex_kl_raster
from kl.measures.discrete import kl_divergence
from kl.measures.simplex import simplex_from_xy
from tests.figurecheck import csv_rows, drawn, label_texts, other_data


def _number(cell: str) -> float:
    return math.inf if cell == "∞" else float(cell.replace("−", "-"))


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
        texts = label_texts(fig)
        for name in data.forest.outcomes:
            assert texts.count(name) == 2
        assert texts.count("P") == 2 and texts.count("Q") == 2
        assert [ax.get_title() for ax in fig.axes[:2]] == ["KL(P‖Q)", "KL(Q‖P)"]
        label = fig.axes[2].get_xlabel()
        assert (
            "bits" in label and format_number(-math.log2(min(data.forest.p.values())), 2) in label
        )


def test_simplex_with_four_animals_lumps_the_rest_and_its_data_says_so(data: LectureData) -> None:
    changed = other_data(data, "four animals")
    rows = csv_rows("simplex", changed)
    assert rows[0][:3] == ["q(Squirrel)", "q(Rabbit)", "q(other animals)"]
    with drawn("simplex", changed, LIGHT) as fig:
        texts = label_texts(fig)
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
