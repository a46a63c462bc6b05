"""kl.lecture.sections.continuous: KL of the curves by integration and in closed form."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import scipy.integrate
import scipy.stats

from kl.lecture.data import Curves, LectureData, Normal
from kl.lecture.formatting import format_small
from kl.lecture.sections import continuous
from kl.lecture.tables import Label


@pytest.mark.parametrize("fit", continuous.FITS)
def test_numeric_kl_matches_the_closed_form_and_scipy(fit: str, frozen_file: LectureData) -> None:
    c = frozen_file.curves
    q = getattr(c, fit)
    numeric = continuous.numeric_nats(c, fit)
    closed = continuous.closed_form_nats(c, fit)
    p_dist, q_dist = scipy.stats.norm(c.p.mean, c.p.sd), scipy.stats.norm(q.mean, q.sd)
    reference, _ = scipy.integrate.quad(
        lambda x: p_dist.pdf(x) * (p_dist.logpdf(x) - q_dist.logpdf(x)), -np.inf, np.inf
    )
    textbook = (
        math.log(q.sd / c.p.sd) + (c.p.sd**2 + (c.p.mean - q.mean) ** 2) / (2 * q.sd**2) - 0.5
    )
    assert closed == pytest.approx(textbook, rel=1e-12)
    assert numeric == pytest.approx(closed, abs=1e-10)
    assert numeric == pytest.approx(reference, rel=1e-7)


@pytest.mark.parametrize("fit", continuous.FITS)
def test_integrand_parts_add_up_to_the_kl(fit: str, frozen_file: LectureData) -> None:
    grid = continuous.integrand(frozen_file.curves, fit)
    above, below = grid.parts_nats()
    assert above > 0 > below
    assert above + below == pytest.approx(
        continuous.closed_form_nats(frozen_file.curves, fit), abs=1e-5
    )
    negative = grid.values < 0
    assert np.all(grid.q[negative] > grid.p[negative])


def test_continuous_table_shows_numeric_closed_form_and_a_tiny_difference(
    frozen_file: LectureData,
) -> None:
    rows = continuous.tables(frozen_file)["continuous"].rows
    assert [r[0] for r in rows] == [Label("good"), Label("poor")]
    for row in rows:
        assert row[2] == row[3]
        assert re.fullmatch(r"0|\d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+", str(row[4]))
    assert rows[0][1] == continuous.normal_label(frozen_file.curves.good)


def test_labels_and_scientific_notation() -> None:
    assert continuous.normal_label(Normal(-1.5, 0.5)) == "N(−1.5, 0.5²)"
    assert format_small(1.23e-13, 0) == "1.2 × 10⁻¹³"


def test_integration_bounds_hold_every_curve() -> None:
    curves = Curves(p=Normal(0, 1), good=Normal(-30, 2), poor=Normal(5, 0.1))
    lower, upper = continuous.integration_bounds(curves)
    assert lower <= -30 - 10 * 2 and upper >= 5 + 10 * 0.1


@pytest.mark.parametrize("fit", continuous.FITS)
def test_the_quoted_kl_of_each_fit_is_the_closed_form(fit: str, data: LectureData) -> None:
    quoted = continuous.values(data)[f"continuous.kl_{fit}_nats"]
    assert quoted == continuous.closed_form_nats(data.curves, fit)


def test_every_curves_mean_and_spread_are_shown_as_written(data: LectureData) -> None:
    found = continuous.values(data)
    for name in ("p", *continuous.FITS):
        normal = getattr(data.curves, name)
        assert found[f"continuous.{name}_mean"] == normal.mean
        assert found[f"continuous.{name}_sd"] == normal.sd
