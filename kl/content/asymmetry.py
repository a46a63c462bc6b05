"""Not a distance (SPEC section 6): KL is asymmetric and breaks the triangle inequality.

Three constructions, all from the forest data:
- the forest's own pair, P and Q, both ways round;
- a dramatic pair: P and N, P "sharpened" (each probability raised to the power
  SHARPENING, then rescaled to sum to 1), a near-certain belief in P's likeliest animal;
- a triangle: A = P, C = Q and B = M, their half-and-half mixture. KL is strictly
  convex in each argument, so KL(P||M) + KL(M||Q) < KL(P||Q) whenever P != Q and
  KL(P||Q) is finite: the detour through M is always shorter than the direct route.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from kl.data import LectureData
from kl.distributions import FloatArray
from kl.formatting import format_number
from kl.measures import kl_divergence
from kl.simplex import SQRT3_HALF, kl_rows, simplex_from_xy
from kl.tables import Table
from kl.values import Value, text_value

SHARPENING = 10
SIMPLEX_COLUMNS = 360  # pixels across the simplex figure's raster


def forest_vectors(data: LectureData) -> tuple[FloatArray, FloatArray]:
    """P and Q of the forest as aligned vectors, in the data file's order of outcomes."""
    p, q = data.forest.p, data.forest.q
    outcomes = data.forest.outcomes
    return np.array([p[k] for k in outcomes]), np.array([q[k] for k in outcomes])


def sharpened(p: FloatArray, power: int = SHARPENING) -> FloatArray:
    """p(x)^power rescaled to sum to 1: more certain of the likeliest outcome, same order."""
    raised = np.exp(power * (np.log(np.where(p > 0, p, 1.0)) - np.log(p.max())))
    weights = np.where(p > 0, raised, 0.0)
    result: FloatArray = weights / weights.sum()
    return result


def midpoint(p: FloatArray, q: FloatArray) -> FloatArray:
    """The half-and-half mixture (P + Q) / 2."""
    result: FloatArray = (p + q) / 2
    return result


@lru_cache(maxsize=4)
def simplex_kl_raster(
    p: tuple[float, ...], columns: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """KL(P||Q) and KL(Q||P) in bits at the pixel centres of a raster ``columns`` wide over
    the triangle's bounding box (outside points are pulled onto the simplex, see
    `kl.simplex.simplex_from_xy`). Returns x, y, forward, backward, each (rows, columns).
    Cached: the figure draws it once per theme."""
    rows = math.ceil(columns * SQRT3_HALF)
    x, y = np.meshgrid((np.arange(columns) + 0.5) / columns, (np.arange(rows) + 0.5) / columns)
    points = simplex_from_xy(x, y)
    forward = kl_rows(p, points, base=2).reshape(x.shape)
    backward = kl_rows(points, p, base=2).reshape(x.shape)
    return x, y, forward, backward


def simplex_cap_bits(p: FloatArray) -> float:
    """The top of the simplex figure's colour scale: the largest value KL(Q||P) takes on
    the simplex, log2(1/p) for P's least likely outcome (reached when Q is certain of it).
    KL(P||Q) grows past it, to infinity, near the edges."""
    return -math.log2(float(p[p > 0].min()))


def _bits(p: FloatArray, q: FloatArray) -> float:
    return kl_divergence(p, q, base=2)


def ratio(larger: float, smaller: float) -> float:
    """larger / smaller, with 0 / 0 read as 1 (equal) and x / 0 as infinity."""
    if smaller == 0:
        return 1.0 if larger == 0 else math.inf
    return larger / smaller


def values(data: LectureData) -> dict[str, Value]:
    p, q = forest_vectors(data)
    names = data.forest.outcomes
    n, m = sharpened(p), midpoint(p, q)
    direct, first_leg, second_leg = _bits(p, q), _bits(p, m), _bits(m, q)
    out: dict[str, Value] = {
        "asymmetry.forest_gap_bits": Value(abs(_bits(q, p) - _bits(p, q)), digits=6),
        "asymmetry.sharpening": Value(SHARPENING, kind="integer"),
        "asymmetry.likeliest": text_value(names[int(np.argmax(p))]),
        "asymmetry.pn_bits": Value(_bits(p, n), digits=2),
        "asymmetry.np_bits": Value(_bits(n, p), digits=2),
        "asymmetry.sharp_ratio": Value(ratio(_bits(p, n), _bits(n, p)), digits=1),
        "asymmetry.triangle_direct_bits": Value(direct, digits=5),
        "asymmetry.triangle_first_bits": Value(first_leg, digits=5),
        "asymmetry.triangle_second_bits": Value(second_leg, digits=5),
        "asymmetry.triangle_detour_bits": Value(first_leg + second_leg, digits=5),
        "asymmetry.triangle_ratio": Value(ratio(direct, first_leg + second_leg), digits=2),
        "asymmetry.simplex_cap_bits": Value(simplex_cap_bits(p), digits=2),
        "asymmetry.simplex_cap_outcome": text_value(names[int(np.argmin(np.where(p > 0, p, 2)))]),
    }
    for i in range(len(names)):
        out[f"asymmetry.sharp_percent.{i}"] = Value(float(n[i]), kind="percent")
        if n[i] > 0:
            out[f"asymmetry.sharp_one_in.{i}"] = Value(1 / float(n[i]), kind="integer")
        out[f"asymmetry.mid.{i}"] = Value(float(m[i]), kind="probability")
    return out


def asymmetry_table(data: LectureData) -> Table:
    """Each pair both ways round, in bits, and how many times larger one direction is."""
    p, q = forest_vectors(data)
    pairs = [
        ("P (the forest)", "Q (the model's belief)", p, q),
        ("P (the forest)", "N (P sharpened)", p, sharpened(p)),
    ]
    rows = []
    for name_a, name_b, a, b in pairs:
        ab, ba = _bits(a, b), _bits(b, a)
        rows.append(
            [
                name_a,
                name_b,
                format_number(ab, 4),
                format_number(ba, 4),
                format_number(ratio(max(ab, ba), min(ab, ba)), 2) + "×",
            ]
        )
    return Table(
        headers=["A", "B", "KL(A‖B), bits", "KL(B‖A), bits", "Larger ÷ smaller"],
        rows=rows,
        align=["l", "l", "r", "r", "r"],
    )


def triangle_table(data: LectureData) -> Table:
    """The direct route P → Q against the detour P → M → Q, in bits."""
    p, q = forest_vectors(data)
    m = midpoint(p, q)
    first, second = _bits(p, m), _bits(m, q)
    return Table(
        headers=["Route", "KL, bits"],
        rows=[
            ["Direct: KL(P‖Q)", format_number(_bits(p, q), 5)],
            ["First leg: KL(P‖M)", format_number(first, 5)],
            ["Second leg: KL(M‖Q)", format_number(second, 5)],
            ["Detour: KL(P‖M) + KL(M‖Q)", format_number(first + second, 5)],
        ],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"asymmetry": asymmetry_table(data), "triangle": triangle_table(data)}
