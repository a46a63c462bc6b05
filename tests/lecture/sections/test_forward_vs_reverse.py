"""kl.lecture.sections.forward_vs_reverse (section 9): forward and reverse fits to two peaks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.stats

from kl.lecture.data import LectureData
from kl.lecture.sections import forward_vs_reverse
from kl.lecture.tables import Label
from tests.lecture_data import with_separation


def _scipy_reverse_kl(d: float, mean: float, sd: float) -> float:
    q = scipy.stats.norm(mean, sd)

    def integrand(x: float) -> float:
        log_p = np.logaddexp(
            math.log(0.5) + scipy.stats.norm.logpdf(x, -d / 2, 1),
            math.log(0.5) + scipy.stats.norm.logpdf(x, d / 2, 1),
        )
        return float(q.pdf(x) * (q.logpdf(x) - log_p))

    value, _ = scipy.integrate.quad(integrand, mean - 12 * sd, mean + 12 * sd, limit=200)
    return float(value)


def test_forward_fit_is_moment_matching(frozen_file: LectureData) -> None:
    d = frozen_file.fitting.separation
    result = forward_vs_reverse.fits(frozen_file)
    assert result.forward.mean == pytest.approx(0.0, abs=1e-12)
    assert result.forward.sd == pytest.approx(math.sqrt(1 + (d / 2) ** 2), rel=1e-12)
    assert result.forward.kl_qp_nats == pytest.approx(
        _scipy_reverse_kl(d, result.forward.mean, result.forward.sd), rel=1e-6
    )


def test_reverse_fit_locks_onto_one_peak_at_the_datas_separation(frozen_file: LectureData) -> None:
    d = frozen_file.fitting.separation
    result = forward_vs_reverse.fits(frozen_file)
    best = result.best_reverse
    assert d > forward_vs_reverse.thresholds().peaks_win
    assert abs(best.mean) == pytest.approx(d / 2, abs=0.1) and best.sd == pytest.approx(1, abs=0.1)
    assert best.kl_qp_nats == pytest.approx(_scipy_reverse_kl(d, best.mean, best.sd), rel=1e-6)
    assert best.kl_qp_nats < math.log(2)
    mirror = [f for f in result.reverse if f.mean == pytest.approx(-best.mean, abs=1e-4)]
    centred = [f for f in result.reverse if f.centred]
    assert mirror and centred and centred[0].kl_qp_nats > best.kl_qp_nats


def test_each_fit_is_best_at_the_divergence_it_minimises(frozen_file: LectureData) -> None:
    result = forward_vs_reverse.fits(frozen_file)
    assert all(result.forward.kl_pq_nats <= f.kl_pq_nats for f in result.reverse)
    assert all(result.best_reverse.kl_qp_nats <= f.kl_qp_nats for f in result.reverse)
    assert result.best_reverse.kl_qp_nats < result.forward.kl_qp_nats


def test_what_reverse_kl_does_follows_the_separation(frozen_file: LectureData) -> None:
    limits = forward_vs_reverse.thresholds()
    assert 3 < limits.peaks_appear < limits.peaks_win < 8
    for separation, centred, peaks in [(4.0, True, False), (5.2, True, True), (7.0, False, True)]:
        got = forward_vs_reverse.values(with_separation(frozen_file, separation))
        assert got["forward_vs_reverse.best_is_centred"] is centred, separation
        assert got["forward_vs_reverse.has_peak_minima"] is peaks, separation
        assert got["forward_vs_reverse.has_centred_minimum"] is True
        assert got["forward_vs_reverse.other_minima"] == (2 if peaks else 0)
        assert len(got["forward_vs_reverse.other_means"]) == got["forward_vs_reverse.other_minima"]
        if peaks:
            assert got["forward_vs_reverse.peak_kl_qp_nats"] < math.log(2)


def test_fits_table_lists_the_forward_fit_and_every_reverse_minimum(
    frozen_file: LectureData,
) -> None:
    result = forward_vs_reverse.fits(frozen_file)
    rows = forward_vs_reverse.tables(frozen_file)["fits"].rows
    assert len(rows) == 1 + len(result.reverse)
    assert rows[0][0] == Label("forward")
    best = [r[0].args["best"] for r in rows[1:] if isinstance(r[0], Label)]
    assert best.count(True) == 2  # the two mirror-image peaks tie
    assert [r[0] for r in rows[1:]] == [
        Label("reverse", {"place": fit.place, "best": fit.best}) for fit in result.reverse
    ]
    assert all(len(r) == 5 for r in rows)
