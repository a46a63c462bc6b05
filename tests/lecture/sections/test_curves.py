"""kl.lecture.sections.curves: the infographic's curves, and their KL from P by scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from kl.lecture.data import LectureData
from kl.lecture.sections.curves import values


def _kl_by_quadrature(p: stats.rv_continuous, q: stats.rv_continuous) -> float:
    def integrand(x: float) -> float:
        return float(np.exp(p.logpdf(x)) * (p.logpdf(x) - q.logpdf(x)))

    return float(integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-12)[0])


@pytest.mark.parametrize("fit", ["good", "poor"])
def test_each_fits_kl_from_p_agrees_with_quadrature(data: LectureData, fit: str) -> None:
    p, q = data.curves.p, getattr(data.curves, fit)
    expected = _kl_by_quadrature(stats.norm(p.mean, p.sd), stats.norm(q.mean, q.sd))
    assert values(data)[f"curves.kl_{fit}_nats"] == pytest.approx(expected, rel=1e-9)


def test_every_curves_mean_and_spread_are_shown_as_written(data: LectureData) -> None:
    found = values(data)
    for name in ("p", "good", "poor"):
        normal = getattr(data.curves, name)
        assert found[f"curves.{name}_mean"] == normal.mean
        assert found[f"curves.{name}_sd"] == normal.sd
