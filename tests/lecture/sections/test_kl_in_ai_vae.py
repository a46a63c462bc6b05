"""kl.lecture.sections.kl_in_ai_vae (section 10): the VAE KL term, against kl.measures.gaussian."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kl.lecture.data import LectureData
from kl.lecture.sections import kl_in_ai_vae
from kl.lecture.tables import Label
from kl.measures.gaussian import kl_mvn, kl_to_standard_normal, standard_normal_kl_terms


def test_vae_terms_equal_kl_to_standard_normal_and_the_mvn_form(frozen_file: LectureData) -> None:
    got = kl_in_ai_vae.values(frozen_file)
    c = frozen_file.curves
    for name in ("good", "poor"):
        n = getattr(c, name)
        assert got[f"kl_in_ai_vae.{name}_kl_nats"].number == pytest.approx(
            kl_to_standard_normal(n.mean, n.sd), rel=1e-12
        )
    means, sds = [c.good.mean, c.poor.mean], [c.good.sd, c.poor.sd]
    total = got["kl_in_ai_vae.two_dim_kl_nats"].number
    assert total == pytest.approx(kl_mvn(means, np.diag(np.square(sds)), [0, 0], np.eye(2)))
    assert total == pytest.approx(
        0.5 * sum(m**2 + s**2 - 1 - math.log(s**2) for m, s in zip(means, sds, strict=True))
    )


def test_vae_term_grid_matches_the_pointwise_function() -> None:
    mu = np.linspace(-3, 3, 13)
    sigma = np.linspace(0.05, 3, 11)
    grid_mu, grid_sigma = np.meshgrid(mu, sigma)
    grid = standard_normal_kl_terms(grid_mu, grid_sigma)
    for m, s, value in zip(grid_mu.ravel(), grid_sigma.ravel(), grid.ravel(), strict=True):
        assert value == pytest.approx(kl_to_standard_normal(m, s), rel=1e-12, abs=1e-15)
    assert standard_normal_kl_terms(np.array(0.0), np.array(1.0)) == 0.0


def test_vae_table_rows(frozen_file: LectureData) -> None:
    rows = kl_in_ai_vae.tables(frozen_file)["vae"].rows
    assert len(rows) == 3 and rows[-1][0] == Label("total", bold=True)
    assert rows[0][0] == Label("dimension", {"index": 1, "curve": "good"})
