"""figures/decomposition.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import pytest

from kl.lecture.data import LectureData
from tests.figurecheck import csv_rows


def test_decomposition_bars_add_up(data: LectureData) -> None:
    rows = csv_rows("decomposition", data)
    assert len(rows) == 5
    for _, entropy, kl, cross in rows[1:]:
        if kl == "inf":
            assert cross == "inf"
        else:
            assert float(cross) == pytest.approx(float(entropy) + float(kl), abs=2e-6)
