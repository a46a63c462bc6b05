"""figures/continuous_integrand.py: its data table and labels carry the computed numbers,
for the lecture's data and for other data."""

from __future__ import annotations

import pytest
import scipy.stats

from kl.build.style import LIGHT
from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.measures.gaussian import kl_normal
from tests.figurecheck import csv_rows, drawn, label_texts


def test_integrand_data_match_scipy_densities(frozen_file: LectureData) -> None:
    rows = csv_rows("continuous-integrand", frozen_file)
    c = frozen_file.curves
    p, good, poor = (scipy.stats.norm(n.mean, n.sd) for n in (c.p, c.good, c.poor))
    for row in rows[1:]:
        x, px, gx, qx, g_term, q_term = (float(v) for v in row)
        assert px == pytest.approx(p.pdf(x), rel=1e-5)
        assert gx == pytest.approx(good.pdf(x), rel=1e-5)
        assert qx == pytest.approx(poor.pdf(x), rel=1e-5)
        assert g_term == pytest.approx(
            p.pdf(x) * (p.logpdf(x) - good.logpdf(x)), rel=1e-4, abs=1e-9
        )
        assert q_term == pytest.approx(
            p.pdf(x) * (p.logpdf(x) - poor.logpdf(x)), rel=1e-4, abs=1e-9
        )
    assert any(float(r[4]) < 0 for r in rows[1:]), "the integrand dips below zero somewhere"


def test_integrand_panels_label_the_closed_form_kl(frozen_file: LectureData) -> None:
    c = frozen_file.curves
    with drawn("continuous-integrand", frozen_file, LIGHT) as fig:
        texts = label_texts(fig)
    for q in (c.good, c.poor):
        kl = format_number(kl_normal(c.p.mean, c.p.sd, q.mean, q.sd), 3)
        assert any(kl in t and "nats" in t for t in texts)
    assert texts.count("q > p") == 2
