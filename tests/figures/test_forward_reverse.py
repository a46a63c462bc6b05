"""figures/forward_reverse.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import itertools

import pytest
import scipy.stats

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.lecture.sections.forward_vs_reverse import fits
from tests.figurecheck import csv_rows, drawn, label_boxes
from tests.lecture_data import with_separation


@pytest.mark.parametrize("separation", [3.0, 5.0, 6.0, 8.0])
def test_forward_reverse_labels_each_fit_with_its_kl(
    separation: float, frozen_file: LectureData
) -> None:
    varied = with_separation(frozen_file, separation)
    result = fits(varied)
    with drawn("forward-reverse", varied, LIGHT) as fig:
        boxes = label_boxes(fig)
        lines = fig.axes[0].lines
    texts = [t for t, _ in boxes]
    forward = format_number(result.forward.kl_pq_nats, 3)
    best = format_number(result.best_reverse.kl_qp_nats, 3)
    assert any(t.startswith("forward fit") and forward in t for t in texts)
    assert any(t.startswith("reverse fit") and best in t for t in texts)
    for fit in result.reverse[1:]:
        assert any(format_number(fit.kl_qp_nats, 3) in t for t in texts if "fit" not in t)
    assert len(lines) == 2 + len(result.reverse)  # P, the forward fit, every reverse minimum
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_forward_reverse_data_hold_p_and_every_fit(frozen_file: LectureData) -> None:
    rows = csv_rows("forward-reverse", frozen_file)
    result = fits(frozen_file)
    assert len(rows[0]) == 3 + len(result.reverse)
    d = frozen_file.fitting.separation
    for row in rows[1:]:
        x = float(row[0])
        expected = 0.5 * (scipy.stats.norm.pdf(x, -d / 2) + scipy.stats.norm.pdf(x, d / 2))
        assert float(row[1]) == pytest.approx(expected, rel=1e-5, abs=1e-300)
        forward = scipy.stats.norm.pdf(x, result.forward.mean, result.forward.sd)
        assert float(row[2]) == pytest.approx(forward, rel=1e-5, abs=1e-300)
