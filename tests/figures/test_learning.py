"""figures/learning.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.stats

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from kl.lecture.sections.kl_in_ai_learning import learning_trace, snapshot_steps
from tests.figurecheck import csv_rows, drawn


def test_learning_data_trace_kl_per_step(frozen_file: LectureData) -> None:
    rows = csv_rows("learning", frozen_file)
    assert len(rows) == frozen_file.learning.steps + 2
    assert rows[0][-1] == "KL(P‖Q), nats"
    p = np.array(list(frozen_file.forest.p.values()))
    kls = []
    for row in rows[1:]:
        q = np.array([float(v) for v in row[1:4]])
        kls.append(float(scipy.stats.entropy(p, q)))
        assert float(row[-1]) == pytest.approx(kls[-1], rel=1e-9, abs=1e-15)  # full precision
    assert kls[0] == pytest.approx(math.log(3) - scipy.stats.entropy(p), abs=1e-12)
    assert all(b < a for a, b in itertools.pairwise(kls))


def test_learning_shows_a_snapshot_per_chosen_step(frozen_file: LectureData) -> None:
    steps = snapshot_steps(frozen_file)
    trace = learning_trace(frozen_file)
    with drawn("learning", frozen_file, LIGHT) as fig:
        kl_axes, *bar_axes = fig.axes
        assert kl_axes.get_yscale() == "log"
        assert kl_axes.get_ylabel() == "KL(P‖Q), nats"
        assert [ax.get_title() for ax in bar_axes] == [f"step {s}" for s in steps]
        for ax, step in zip(bar_axes, steps, strict=True):
            widths = [bar.get_width() for bar in ax.patches]
            n = len(trace.outcomes)
            assert widths[:n] == pytest.approx(list(trace.target))
            assert widths[n:] == pytest.approx(list(trace.q[step]))
