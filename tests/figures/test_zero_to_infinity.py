"""figures/zero_to_infinity.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import itertools
import math

from kl.lecture.data import LectureData
from tests.figurecheck import csv_rows


def test_zero_to_infinity_data_runs_from_zero_to_infinity(data: LectureData) -> None:
    rows = csv_rows("zero-to-infinity", data)
    kl = [float(r[-1]) for r in rows[1:]]
    assert kl[0] == 0.0 and kl[-1] == math.inf
    assert all(a <= b for a, b in itertools.pairwise(kl))
