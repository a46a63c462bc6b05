"""Not a distance (SPEC section 6): KL is asymmetric and breaks the triangle inequality.

Facts for four parts of the section (the page words them, for every case below):
- the forest's own pair, P and Q, both ways round: equal only when Q = P or when Q swaps
  two of P's probabilities; one or both infinite when one rules out what the other allows;
- a dramatic pair: P and N, P "sharpened" (each probability raised to the power
  `[asymmetry] sharpening`, then rescaled to sum to 1), a near-certain belief in P's
  likeliest animal (N = P when P is uniform over the animals it allows);
- a triangle: A = P, C = Q and B = M, their half-and-half mixture. KL is strictly
  convex in each argument, so KL(P||M) + KL(M||C) < KL(P||C) whenever P != C and
  KL(P||C) is finite: the detour through M is always shorter than the direct route.
  When the data make KL(P||Q) zero or infinite, C is the uniform belief U instead, or,
  if P is uniform, P moved half-way towards certainty in the first animal (`triangle_end`);
- the simplex figure, which needs three corners: with more than three animals, all but
  P's two likeliest are lumped together (`simplex_groups`). A corner is the list of its
  animals, for the page (and the figure) to name: the animal, or what they call the rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, shown
from kl.lecture.tables import Cell, Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.coding import ruled_out
from kl.measures.discrete import kl_divergence
from kl.measures.distributions import FloatArray
from kl.measures.simplex import SQRT3_HALF, kl_rows, simplex_from_xy

SIMPLEX_COLUMNS = 360  # pixels across the simplex figure's raster
NEARLY_SYMMETRIC = 1.25  # the two directions count as close when neither is this much larger
QUADRATIC_FIT = 0.15  # "close": both directions within 15% of their shared quadratic term
EQUAL_TOLERANCE = 1e-9  # relative: two divergences this close are the same number
PAIR_DIGITS = 6  # decimals the page gives the forest pair's two divergences in
QUARTER_TOLERANCE = 0.05  # "about a quarter": a half-step costing 20% to 30% of the step
T = TypeVar("T")  # what _named picks from: animals' names, or corners


def forest_vectors(data: LectureData) -> tuple[FloatArray, FloatArray]:
    """P and Q of the forest as aligned vectors, in the data file's order of outcomes."""
    p, q = data.forest.p, data.forest.q
    outcomes = data.forest.outcomes
    return np.array([p[k] for k in outcomes]), np.array([q[k] for k in outcomes])


def sharpened(p: FloatArray, power: float) -> FloatArray:
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
    `kl.measures.simplex.simplex_from_xy`). Returns x, y, forward, backward, each (rows, columns).
    Cached: the figure draws it once per theme."""
    rows = math.ceil(columns * SQRT3_HALF)
    x, y = np.meshgrid((np.arange(columns) + 0.5) / columns, (np.arange(rows) + 0.5) / columns)
    points = simplex_from_xy(x, y)
    forward = kl_rows(p, points, base=2).reshape(x.shape)
    backward = kl_rows(points, p, base=2).reshape(x.shape)
    return x, y, forward, backward


def simplex_cap_bits(p: FloatArray) -> float:
    """The top of the simplex figure's colour scale: log2(1/p) for P's least likely
    possible corner, the largest value KL(Q||P) takes where it is finite (KL(Q||P) is
    convex in Q, so its maximum is at a corner: Q certain of that corner). KL(P||Q) grows
    past it, to infinity, near the edges."""
    return -math.log2(float(p[p > 0].min()))


def _bits(p: FloatArray, q: FloatArray) -> float:
    return kl_divergence(p, q, base=2)


def ratio(larger: float, smaller: float) -> float:
    """larger / smaller, with 0 / 0 read as 1 (equal) and x / 0 as infinity.

    Raises ValueError when both are infinite: no number compares them.
    """
    if math.isinf(smaller):
        if math.isinf(larger):
            raise ValueError("both are infinite; their ratio is undefined")
        return 0.0
    if smaller == 0:
        return 1.0 if larger == 0 else math.inf
    return larger / smaller


def ratio_text(a: float, b: float) -> str:
    """The larger of a and b divided by the smaller, for a table cell: "1.04×", "∞×", or
    "—" when both are infinite or both 0 (no number of times compares them)."""
    if (math.isinf(a) and math.isinf(b)) or a == b == 0:
        return "—"
    return format_number(ratio(max(a, b), min(a, b)), 2) + "×"


def decimals_needed(x: float, minimum: int) -> int:
    """The fewest decimals, at least ``minimum``, that keep ``x`` from rounding to 0 or 1
    unless it is exactly 0 or 1 (0.9999964 needs 6: 0.999996). At most 15."""
    digits = minimum
    while digits < 15 and x not in (0.0, 1.0) and round(x, digits) in (0.0, 1.0):
        digits += 1
    return digits


def probability(x: float, minimum: int = 4) -> Value:
    """A probability as a person writes it (0.55), rounded to ``minimum`` decimals or as
    many more as keep it from reading 0 or 1 when it is neither (`decimals_needed`)."""
    return Value(round(x, decimals_needed(x, minimum)), kind="probability")


def percent(x: float, minimum: int = 2) -> Value:
    """A probability as a number of percent (the page writes the "%"), with ``minimum``
    decimals or as many more as keep it from reading 0 or 100 when the probability is
    neither 0 nor 1 (0.9999964 is 99.9996)."""
    return Value(100 * x, digits=decimals_needed(x, minimum + 2) - 2)


def bits(x: float, minimum: int = 2) -> Value:
    """A divergence in bits with ``minimum`` decimals, or more to show two significant
    digits of a small one (0.0069, not 0.01)."""
    small = 0 < x < 1
    return Value(x, digits=max(minimum, 1 - math.floor(math.log10(x))) if small else minimum)


def _named(names: Sequence[T], mask: npt.NDArray[np.bool_]) -> list[T]:
    return [x for x, keep in zip(names, mask, strict=True) if keep]


def _swap_of(p: FloatArray, q: FloatArray) -> list[int]:
    """The two positions Q exchanges if Q is P with exactly two probabilities swapped."""
    differ = [int(i) for i in np.flatnonzero(p != q)]
    if len(differ) == 2 and p[differ[0]] == q[differ[1]] and p[differ[1]] == q[differ[0]]:
        return differ
    return []


def _pair_values(data: LectureData) -> dict[str, Fact]:
    """The forest's pair both ways round: how they compare, and why when they cannot."""
    names = data.forest.outcomes
    p, q = forest_vectors(data)
    forward, backward = _bits(p, q), _bits(q, p)
    finite = math.isfinite(forward) and math.isfinite(backward)
    equal = finite and math.isclose(forward, backward, rel_tol=EQUAL_TOLERANCE, abs_tol=1e-15)
    swap = _swap_of(p, q)
    q_zeros, p_zeros = (
        ruled_out(data.forest.p, data.forest.q),
        ruled_out(data.forest.q, data.forest.p),
    )
    larger, smaller = max(forward, backward), min(forward, backward)
    out: dict[str, Fact] = {
        "not_a_distance.q_is_p": bool(np.array_equal(p, q)),
        "not_a_distance.directions_equal": equal,
        "not_a_distance.q_swaps_p": bool(swap),
        "not_a_distance.swapped": [names[i] for i in swap],
        "not_a_distance.forward_infinite": math.isinf(forward),
        "not_a_distance.backward_infinite": math.isinf(backward),
        # The gap of the two as the page shows them, so that a reader's subtraction agrees.
        "not_a_distance.forest_gap_bits": Value(
            abs(shown(backward, PAIR_DIGITS) - shown(forward, PAIR_DIGITS)) if finite else math.inf,
            digits=PAIR_DIGITS,
        ),
        "not_a_distance.forest_ratio": Value(
            ratio(larger, smaller) if finite else math.inf, digits=3
        ),
        "not_a_distance.nearly_symmetric": finite
        and not equal
        and ratio(larger, smaller) < NEARLY_SYMMETRIC,
        # Q rules out (q = 0 < p) and P rules out (p = 0 < q), with the other's probabilities
        "not_a_distance.q_zeros": list(q_zeros),
        "not_a_distance.q_zeros_p": [probability(data.forest.p[x]) for x in q_zeros],
        "not_a_distance.p_zeros": list(p_zeros),
        "not_a_distance.p_zeros_q": [probability(data.forest.q[x]) for x in p_zeros],
    }
    # To second order both directions are the same sum, (1/2) Σ (p − q)² / p, in nats.
    allowed = p > 0
    quadratic = float(np.sum((p[allowed] - q[allowed]) ** 2 / p[allowed])) / 2 / math.log(2)
    out["not_a_distance.quadratic_bits"] = Value(quadratic, digits=4)
    out["not_a_distance.close"] = (
        finite
        and not np.array_equal(p, q)
        and all(abs(d / quadratic - 1) <= QUADRATIC_FIT for d in (forward, backward))
    )
    # With Q = P, a swap of P's likeliest and least likely animal gives equal divergences.
    positive = [i for i in range(p.size) if p[i] > 0]
    most = max(positive, key=lambda i: p[i])
    least = min(positive, key=lambda i: p[i])
    example = [most, least] if p[most] != p[least] else []
    out["not_a_distance.swap_example"] = [names[i] for i in example]
    if example:
        swapped = p.copy()
        swapped[example] = p[example[::-1]]
        out["not_a_distance.swap_example_bits"] = Value(_bits(p, swapped), digits=6)
    return out


def _sharp_values(data: LectureData) -> dict[str, Fact]:
    """P against N, P sharpened: the shares, the rarities and the two divergences."""
    names = data.forest.outcomes
    p, _ = forest_vectors(data)
    n = sharpened(p, data.asymmetry.sharpening)
    top = p == p.max()
    pn, np_ = _bits(p, n), _bits(n, p)
    sharp_ratio = ratio(max(pn, np_), min(pn, np_))
    return {
        "not_a_distance.sharpening": Value(data.asymmetry.sharpening, kind="written"),
        "not_a_distance.sharp_is_p": bool(np.allclose(n, p, rtol=0, atol=1e-15)),
        "not_a_distance.likeliest": _named(names, top),
        "not_a_distance.likeliest_p": probability(float(p.max())),
        "not_a_distance.likeliest_sharp_percent": percent(float(n[top][0])),
        "not_a_distance.rest_percent": percent(float(math.fsum(p[~top])), minimum=0),
        "not_a_distance.sharp_rare": [
            {"name": names[i], "one_in": Value(1 / float(n[i]), kind="integer")}
            for i in range(n.size)
            if not top[i] and n[i] > 0
        ],
        "not_a_distance.pn_bits": bits(pn),
        "not_a_distance.np_bits": bits(np_),
        "not_a_distance.sharp_ratio": Value(sharp_ratio, digits=1),
        "not_a_distance.sharp_forward_larger": pn > np_,
        "not_a_distance.sharp_nearly_symmetric": sharp_ratio < NEARLY_SYMMETRIC,
    }


@dataclass(frozen=True)
class TriangleEnd:
    """The far corner C of the triangle P -> M -> C: its symbol on the page and the belief.
    ``kind`` is "q" (the forest's Q), "uniform" (U) or "towards" (P moved half-way to
    certainty in the first animal)."""

    symbol: str
    belief: FloatArray
    kind: str


def triangle_end(data: LectureData) -> TriangleEnd:
    """C = the forest's Q when 0 < KL(P||Q) < ∞; otherwise the uniform belief U, or, if P
    is itself uniform, C = P moved half-way to certainty in its first animal. Either way
    0 < KL(P||C) < ∞, so the detour through the midpoint is strictly shorter."""
    p, q = forest_vectors(data)
    if 0 < _bits(p, q) < math.inf:
        return TriangleEnd("Q", q, "q")
    uniform = np.full(p.size, 1 / p.size)
    if _bits(p, uniform) > 0:
        return TriangleEnd("U", uniform, "uniform")
    return TriangleEnd("C", midpoint(p, np.eye(p.size)[0]), "towards")


def _triangle_values(data: LectureData) -> dict[str, Fact]:
    names = data.forest.outcomes
    p, _ = forest_vectors(data)
    end = triangle_end(data)
    m = midpoint(p, end.belief)
    direct, first_leg, second_leg = _bits(p, end.belief), _bits(p, m), _bits(m, end.belief)
    shares = [first_leg / direct, second_leg / direct]  # 0 < direct < inf (`triangle_end`)
    return {
        "not_a_distance.triangle_end": end.symbol,
        "not_a_distance.triangle_end_is_q": end.kind == "q",
        "not_a_distance.triangle_end_is_uniform": end.kind == "uniform",
        "not_a_distance.triangle_towards": names[0],
        "not_a_distance.triangle_end_belief": [
            {"name": x, "probability": probability(float(c))}
            for x, c in zip(names, end.belief, strict=True)
        ],
        "not_a_distance.triangle_mid": [
            {"name": x, "probability": probability(float(v))} for x, v in zip(names, m, strict=True)
        ],
        "not_a_distance.triangle_direct_bits": Value(direct, digits=5),
        "not_a_distance.triangle_detour_bits": Value(first_leg + second_leg, digits=5),
        "not_a_distance.triangle_ratio": Value(ratio(direct, first_leg + second_leg), digits=2),
        # Each half-step's share of the direct step: a quarter each where KL is quadratic
        # in the gap, which it is not when C gives probability to an animal P rules out.
        "not_a_distance.triangle_shares_percent": [percent(x, minimum=0) for x in shares],
        "not_a_distance.triangle_quarter_each": all(
            abs(x - 0.25) <= QUARTER_TOLERANCE for x in shares
        ),
        "not_a_distance.triangle_ruled_out": _named(names, (p == 0) & (end.belief > 0)),
    }


def simplex_groups(data: LectureData) -> list[list[str]]:
    """The simplex figure's three corners, each the list of its animals: one animal each
    when there are three; otherwise P's two likeliest (in the data's order), then the rest
    (a corner of several animals: the lumped one)."""
    names, p = data.forest.outcomes, data.forest.p
    if len(names) <= 3:
        return [[x] for x in names]
    keep = sorted(sorted(names, key=lambda x: -p[x])[:2], key=names.index)
    return [*([x] for x in keep), [x for x in names if x not in keep]]


def simplex_vectors(data: LectureData) -> tuple[list[list[str]], FloatArray, FloatArray]:
    """The corners (`simplex_groups`), and P and Q summed over each corner's animals."""
    groups = simplex_groups(data)
    p, q = data.forest.p, data.forest.q
    return (
        groups,
        np.array([math.fsum(p[x] for x in members) for members in groups]),
        np.array([math.fsum(q[x] for x in members) for members in groups]),
    )


def _simplex_values(data: LectureData) -> dict[str, Fact]:
    """What the simplex shows: the corners, where each map is infinite, and the cap."""
    corners, p, q = simplex_vectors(data)
    names = data.forest.outcomes
    full_p, _ = forest_vectors(data)
    lumped = [x for members in corners if len(members) > 1 for x in members]
    least = p == p[p > 0].min()
    full_least = full_p == full_p[full_p > 0].min()
    return {
        "not_a_distance.simplex_corners": corners,
        "not_a_distance.simplex_lumped": lumped,
        "not_a_distance.simplex_animal_count": len(names),
        "not_a_distance.simplex_p_corners": _named(corners, p > 0),
        "not_a_distance.simplex_p_zero_corners": _named(corners, p == 0),
        "not_a_distance.simplex_cap_bits": Value(simplex_cap_bits(p), digits=2),
        "not_a_distance.simplex_cap_corners": _named(corners, least),
        "not_a_distance.simplex_cap_p": probability(float(p[least][0])),
        "not_a_distance.simplex_cap_is_lumped": bool(lumped) and bool(least[-1]),
        "not_a_distance.simplex_q_forward_bits": Value(_bits(p, q)),
        "not_a_distance.simplex_q_backward_bits": Value(_bits(q, p)),
        # over beliefs about every animal (not lumped), where KL(Q||P) is finite
        "not_a_distance.full_max_bits": Value(simplex_cap_bits(full_p), digits=2),
        "not_a_distance.full_max_animals": _named(names, full_least),
        "not_a_distance.full_max_p": probability(float(full_p[full_least][0])),
        "not_a_distance.full_max_higher": simplex_cap_bits(full_p) > simplex_cap_bits(p),
        "not_a_distance.p_never": _named(names, full_p == 0),
    }


def values(data: LectureData) -> dict[str, Fact]:
    return _pair_values(data) | _sharp_values(data) | _triangle_values(data) | _simplex_values(data)


def asymmetry_table(data: LectureData) -> Table:
    """Each pair both ways round, in bits, and how many times larger one direction is."""
    p, q = forest_vectors(data)
    pairs = [
        (Label("forest"), Label("model"), p, q),
        (Label("forest"), Label("sharpened"), p, sharpened(p, data.asymmetry.sharpening)),
    ]
    rows: list[list[Cell]] = []
    for name_a, name_b, a, b in pairs:
        ab, ba = _bits(a, b), _bits(b, a)
        rows.append(
            [
                name_a,
                name_b,
                format_number(ab, 4),
                format_number(ba, 4),
                ratio_text(ab, ba),
            ]
        )
    return Table(
        headers=["A", "B", Label("ab_bits"), Label("ba_bits"), Label("ratio")],
        rows=rows,
        align=["l", "l", "r", "r", "r"],
    )


def triangle_table(data: LectureData) -> Table:
    """The direct route P → C against the detour P → M → C, in bits (C from `triangle_end`)."""
    p, _ = forest_vectors(data)
    end = triangle_end(data)
    corner = {"corner": end.symbol}
    m = midpoint(p, end.belief)
    first, second = _bits(p, m), _bits(m, end.belief)
    return Table(
        headers=[Label("route"), Label("kl_bits")],
        rows=[
            [Label("direct", corner), format_number(_bits(p, end.belief), 5)],
            [Label("first_leg"), format_number(first, 5)],
            [Label("second_leg", corner), format_number(second, 5)],
            [Label("detour", corner), format_number(first + second, 5)],
        ],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"asymmetry": asymmetry_table(data), "triangle": triangle_table(data)}
