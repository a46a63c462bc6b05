"""kl.measures.simplex: the grid of the 3-outcome simplex, vectorised KL, ternary coordinates."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings

from kl.errors import DistributionError
from kl.measures.discrete import kl_divergence
from kl.measures.simplex import kl_rows, simplex_from_xy, simplex_grid, ternary_xy
from tests.strategies import distribution_pairs

FOREST_P = (0.6, 0.3, 0.1)


def test_grid_holds_every_multiple_of_one_over_divisions_once() -> None:
    grid = simplex_grid(4)
    assert grid.shape == (15, 3)
    assert np.allclose(grid.sum(axis=1), 1.0)
    counts = {tuple(round(4 * float(v)) for v in row) for row in grid}
    assert len(counts) == 15
    assert {(4, 0, 0), (0, 4, 0), (0, 0, 4), (2, 1, 1)} <= counts


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_grid_rejects_bad_divisions(bad: object) -> None:
    with pytest.raises(DistributionError, match="divisions"):
        simplex_grid(bad)  # type: ignore[arg-type]


def test_kl_rows_matches_kl_divergence_over_a_grid_both_ways() -> None:
    grid = simplex_grid(12)
    forward = kl_rows(FOREST_P, grid, base=2)
    backward = kl_rows(grid, FOREST_P, base=2)
    for q, f, b in zip(grid, forward, backward, strict=True):
        assert f == pytest.approx(kl_divergence(FOREST_P, q, base=2), rel=1e-12, abs=1e-15)
        assert b == pytest.approx(kl_divergence(q, FOREST_P, base=2), rel=1e-12, abs=1e-15)


def test_kl_rows_follows_the_zero_conventions() -> None:
    assert kl_rows([1.0, 0.0, 0.0], [0.5, 0.5, 0.0])[0] == pytest.approx(math.log(2))
    assert kl_rows([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])[0] == math.inf
    assert kl_rows(FOREST_P, FOREST_P)[0] == 0.0


@settings(max_examples=150, deadline=None)
@given(distribution_pairs(min_size=3, max_size=3))
def test_kl_rows_agrees_with_scipy(pair: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pair
    expected = math.fsum(scipy.special.rel_entr(p, q))
    assert kl_rows(p, q)[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_kl_rows_rejects_rows_that_are_not_distributions() -> None:
    with pytest.raises(DistributionError, match="sum to 1"):
        kl_rows([0.5, 0.4, 0.0], FOREST_P)
    with pytest.raises(DistributionError, match="non-negative"):
        kl_rows([1.2, -0.2, 0.0], FOREST_P)
    with pytest.raises(DistributionError, match="broadcast"):
        kl_rows(FOREST_P, [[0.5, 0.5], [1.0, 0.0]])


def test_ternary_corners_and_centre() -> None:
    x, y = ternary_xy(np.eye(3))
    assert np.allclose(x, [0.0, 1.0, 0.5])
    assert np.allclose(y, [0.0, 0.0, math.sqrt(3) / 2])
    cx, cy = ternary_xy([1 / 3, 1 / 3, 1 / 3])
    assert cx[0] == pytest.approx(0.5)
    assert cy[0] == pytest.approx(math.sqrt(3) / 6)


def test_ternary_needs_three_outcomes() -> None:
    with pytest.raises(DistributionError, match="three outcomes"):
        ternary_xy([0.5, 0.5])


def test_simplex_from_xy_inverts_ternary_xy() -> None:
    grid = simplex_grid(9)
    assert np.allclose(simplex_from_xy(*ternary_xy(grid)), grid, atol=1e-12)


def test_simplex_from_xy_pulls_outside_points_onto_the_simplex() -> None:
    outside = simplex_from_xy([-0.5, 1.5, 0.5], [-0.1, 0.0, 2.0])
    assert np.all(outside >= 0)
    assert np.allclose(outside.sum(axis=1), 1.0)
    assert np.allclose(outside[0], [1.0, 0.0, 0.0])
    assert np.allclose(outside[2], [0.0, 0.0, 1.0])


def test_simplex_from_xy_rejects_mismatched_or_infinite_input() -> None:
    with pytest.raises(DistributionError, match="different sizes"):
        simplex_from_xy([0.1, 0.2], [0.1])
    with pytest.raises(DistributionError, match="finite"):
        simplex_from_xy([math.nan], [0.1])
