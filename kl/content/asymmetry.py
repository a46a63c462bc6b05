"""Not a distance (SPEC section 6): KL is asymmetric and breaks the triangle inequality.

Three constructions, all from the forest data:
- the forest's own pair, P and Q, both ways round;
- a dramatic pair: P and N, P "sharpened" (each probability raised to the power
  `[asymmetry] sharpening`, then rescaled to sum to 1), a near-certain belief in P's
  likeliest animal;
- a triangle: A = P, C = Q and B = M, their half-and-half mixture. KL is strictly
  convex in each argument, so KL(P||M) + KL(M||Q) < KL(P||Q) whenever P != Q and
  KL(P||Q) is finite: the detour through M is always shorter than the direct route.
  When the data make KL(P||Q) zero or infinite, C is the uniform belief instead (see
  `triangle_end`).

The simplex figure needs three corners: with more than three animals, all but P's two
likeliest are lumped together (`simplex_groups`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kl.content.forest import count_words, join_names, zero_reason
from kl.data import LectureData
from kl.distributions import FloatArray
from kl.formatting import format_number, format_probability
from kl.measures import kl_divergence
from kl.simplex import SQRT3_HALF, kl_rows, simplex_from_xy
from kl.tables import Table
from kl.values import Fact, Value, text_value

SIMPLEX_COLUMNS = 360  # pixels across the simplex figure's raster
NEARLY_SYMMETRIC = 1.25  # the two directions count as close when neither is this much larger
OTHERS = "other animals"  # the simplex's third corner when more than three animals are lumped

KL_PQ = r"$D_{\mathrm{KL}}(P \,\|\, Q)$"
KL_QP = r"$D_{\mathrm{KL}}(Q \,\|\, P)$"


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
    "—" when both are infinite."""
    if math.isinf(a) and math.isinf(b):
        return "—"
    return format_number(ratio(max(a, b), min(a, b)), 2) + "×"


def summary_pair(data: LectureData) -> str:
    """The two directions side by side for the summary, "KL(Q||P) = 0.034498 bits, not
    0.033309" (Markdown with math), or why they agree when Q = P."""
    p, q = data.forest.p, data.forest.q
    forward, backward = kl_divergence(p, q, base=2), kl_divergence(q, p, base=2)
    if p == q:
        return "for the forest both directions are 0, but only because Q = P"
    if math.isinf(forward) and math.isinf(backward):
        return "for the forest both directions happen to be infinite, for different reasons"
    return f"{KL_QP} = {format_number(backward, 6)} bits, not {format_number(forward, 6)}"


def gap_sentence(data: LectureData) -> str:
    """How the forest's two directions compare, as a sentence (Markdown with math): close,
    far apart, equal because Q = P, or one or both infinite (and why)."""
    p, q = data.forest.p, data.forest.q
    forward, backward = kl_divergence(p, q, base=2), kl_divergence(q, p, base=2)
    if math.isinf(forward) and math.isinf(backward):
        return (
            f"Here both are infinite: in {KL_PQ}, {zero_reason(p, q)}; in {KL_QP}, "
            f"{zero_reason(q, p, ('Q', 'P'))}."
        )
    if math.isinf(forward) or math.isinf(backward):
        infinite, reason = (
            (KL_PQ, zero_reason(p, q))
            if math.isinf(forward)
            else (
                KL_QP,
                zero_reason(q, p, ("Q", "P")),
            )
        )
        return (
            f"Here the two could hardly differ more: {infinite} is infinite, because {reason}. "
            "In the other direction that row is weighted by a probability of 0, and counts "
            "nothing."
        )
    if forward == backward == 0:
        return "Here both are 0, but only because Q is P itself; any other Q separates them."
    gap = format_number(abs(forward - backward), 6)
    if ratio(max(forward, backward), min(forward, backward)) < NEARLY_SYMMETRIC:
        return (
            f"Here the two directions differ by only {gap} bits, because P and Q are close, "
            "and close together the divergence is nearly symmetric."
        )
    return f"Here the two directions differ by {gap} bits."


@dataclass(frozen=True)
class TriangleEnd:
    """The far corner C of the triangle P -> M -> C: its symbol on the page, the belief
    itself, and (when it is not the forest's Q) the Markdown that says why."""

    symbol: str
    belief: FloatArray
    note: str


def triangle_end(data: LectureData) -> TriangleEnd:
    """C = the forest's Q when 0 < KL(P||Q) < ∞; otherwise the uniform belief U, or, if P
    is itself uniform, C = P moved half-way to certainty in its first animal. Either way
    0 < KL(P||C) < ∞, so the detour through the midpoint is strictly shorter."""
    p, q = forest_vectors(data)
    direct = _bits(p, q)
    if 0 < direct < math.inf:
        return TriangleEnd("Q", q, "")
    uniform = np.full(p.size, 1 / p.size)
    if _bits(p, uniform) > 0:
        symbol, belief, described = "U", uniform, "the uniform belief U"
    else:
        symbol, belief = "C", midpoint(p, np.eye(p.size)[0])
        described = f"C, P moved half-way towards certainty in the {data.forest.outcomes[0]},"
    if math.isinf(direct):
        why = (
            f"{KL_PQ} is infinite ({zero_reason(data.forest.p, data.forest.q)}), and so is "
            "every detour that ends at Q"
        )
    else:
        why = "Q is P itself, so every route from P to Q costs 0"
    return TriangleEnd(
        symbol,
        belief,
        f"The forest's own Q cannot show it here: {why}. So let {described} stand in for Q. ",
    )


def probability_listing(names: list[str], vector: FloatArray) -> str:
    """ "Squirrel 0.55, Rabbit 0.35, Deer 0.1": each probability rounded to 4 decimals."""
    return ", ".join(
        f"{x} {format_probability(round(float(v), 4))}" for x, v in zip(names, vector, strict=True)
    )


def sharp_rarities(names: list[str], n: FloatArray) -> str:
    """How rarely N expects each animal but its likeliest: "a Rabbit once in 1,025
    sightings and a Deer once in 59,049" (animals N rules out are left out)."""
    likeliest = int(np.argmax(n))
    rare = [i for i in range(n.size) if i != likeliest and n[i] > 0]
    parts = [
        f"a {names[i]} once in {Value(1 / float(n[i]), kind='integer').text()}"
        + (" sightings" if k == 0 else "")
        for k, i in enumerate(rare)
    ]
    return join_names(parts) if parts else "nothing else at all"


def simplex_groups(data: LectureData) -> list[tuple[str, list[str]]]:
    """The simplex figure's three corners as (label, animals): one animal each when there
    are three; otherwise P's two likeliest (in the data's order) and OTHERS, the rest."""
    names, p = data.forest.outcomes, data.forest.p
    if len(names) <= 3:
        return [(x, [x]) for x in names]
    keep = sorted(sorted(names, key=lambda x: -p[x])[:2], key=names.index)
    return [*((x, [x]) for x in keep), (OTHERS, [x for x in names if x not in keep])]


def simplex_vectors(data: LectureData) -> tuple[list[str], FloatArray, FloatArray]:
    """The corner labels, and P and Q summed over each corner's animals."""
    groups = simplex_groups(data)
    p, q = data.forest.p, data.forest.q
    return (
        [label for label, _ in groups],
        np.array([math.fsum(p[x] for x in members) for _, members in groups]),
        np.array([math.fsum(q[x] for x in members) for _, members in groups]),
    )


def _simplex_values(data: LectureData) -> dict[str, Fact]:
    corners, p, _ = simplex_vectors(data)
    cap = format_number(simplex_cap_bits(p), 2)
    cap_corner = corners[int(np.argmin(np.where(p > 0, p, 2)))]
    produced = [f"the {x}" for x, px in zip(corners, p, strict=True) if px > 0]
    never = join_names([f"the {x}" for x, px in zip(corners, p, strict=True) if px == 0])
    lumped = [x for label, members in simplex_groups(data) if label == OTHERS for x in members]
    if never:
        edges = f"the edges where Q rules out {join_names(produced).replace(' and ', ' or ')}"
        forward = (
            f"{KL_PQ} climbs steeply towards {edges}, and is infinite on them, because P "
            f"keeps producing those animals; on the edge where Q rules out {never}, which P "
            "never produces, it stays finite, and P itself lies on that edge."
        )
        reverse = (
            f"{KL_QP} is infinite wherever Q gives {never} any probability, because P rules "
            f"it out; on the edge where Q rules it out too, its largest value, {cap} bits, is "
            f"at the {cap_corner} corner."
        )
        cap_reason = (
            f"the most KL(Q‖P) reaches on the edge where Q, like P, rules out {never} (at "
            f"the {cap_corner} corner); everywhere else KL(Q‖P) is infinite"
        )
        alt_reverse = (
            f"on the right it is at the top of the scale everywhere except along the edge "
            f"where Q rules out {never}, where it peaks at the {cap_corner} corner at {cap} "
            "bits, the cap of the shared colour scale"
        )
    else:
        edges = "the edges"
        forward = (
            f"{KL_PQ} climbs steeply towards the edges and is infinite on them: an edge is a "
            "belief that rules an animal out, and P keeps producing that animal."
        )
        reverse = (
            f"{KL_QP} stays finite everywhere; its largest value, {cap} bits, is at the "
            f"{cap_corner} corner, where Q is certain of the "
            f"{'animals' if cap_corner == OTHERS else 'animal'} P thinks least likely."
        )
        cap_reason = f"the most KL(Q‖P) ever reaches (at the {cap_corner} corner)"
        alt_reverse = (
            f"on the right it stays lower and peaks at the {cap_corner} corner at {cap} bits, "
            "where the shared colour scale is capped"
        )
    return {
        "asymmetry.simplex_cap_bits": Value(simplex_cap_bits(p), digits=2),
        "asymmetry.simplex_cap_outcome": text_value(cap_corner),
        "asymmetry.simplex_corner_names": text_value(join_names(corners)),
        "asymmetry.simplex_things": text_value("groups of animals" if lumped else "animals"),
        "asymmetry.simplex_lumping": text_value(
            f"With {count_words(len(data.forest.outcomes))} animals, a belief is a point of a "
            "shape with more corners than a flat page can show, so the figure lumps "
            f"{join_names(lumped)} together as “{OTHERS}”; the colours then show the divergence "
            "between lumped beliefs, which is never more than between the full ones. "
            if lumped
            else ""
        ),
        "asymmetry.simplex_forward": text_value(forward),
        "asymmetry.simplex_reverse": text_value(reverse),
        "asymmetry.simplex_forward_edges": text_value(edges),
        "asymmetry.simplex_cap_reason": text_value(cap_reason),
        "asymmetry.simplex_alt_reverse": text_value(alt_reverse),
    }


def values(data: LectureData) -> dict[str, Fact]:
    p, q = forest_vectors(data)
    names = data.forest.outcomes
    end = triangle_end(data)
    n, m = sharpened(p, data.asymmetry.sharpening), midpoint(p, end.belief)
    direct, first_leg, second_leg = _bits(p, end.belief), _bits(p, m), _bits(m, end.belief)
    likeliest = int(np.argmax(p))
    forward, backward = _bits(p, q), _bits(q, p)
    both_finite = math.isfinite(forward) and math.isfinite(backward)
    out: dict[str, Fact] = {
        "asymmetry.forest_gap_bits": Value(
            abs(backward - forward) if both_finite else math.inf, digits=6
        ),
        "asymmetry.gap_sentence": text_value(gap_sentence(data)),
        "asymmetry.summary_pair": text_value(summary_pair(data)),
        "asymmetry.sharpening": Value(data.asymmetry.sharpening, kind="written"),
        "asymmetry.likeliest": text_value(names[likeliest]),
        "asymmetry.likeliest_sharp_percent": Value(float(n[likeliest]), kind="percent"),
        "asymmetry.sharp_rarities": text_value(sharp_rarities(names, n)),
        "asymmetry.pn_bits": Value(_bits(p, n), digits=2),
        "asymmetry.np_bits": Value(_bits(n, p), digits=2),
        "asymmetry.sharp_ratio": Value(ratio(_bits(p, n), _bits(n, p)), digits=1),
        "asymmetry.triangle_end": text_value(end.symbol),
        "asymmetry.triangle_end_note": text_value(end.note),
        "asymmetry.mid_listing": text_value(probability_listing(names, m)),
        "asymmetry.triangle_direct_bits": Value(direct, digits=5),
        "asymmetry.triangle_first_bits": Value(first_leg, digits=5),
        "asymmetry.triangle_second_bits": Value(second_leg, digits=5),
        "asymmetry.triangle_detour_bits": Value(first_leg + second_leg, digits=5),
        "asymmetry.triangle_ratio": Value(ratio(direct, first_leg + second_leg), digits=2),
    }
    for i in range(len(names)):
        out[f"asymmetry.sharp_percent.{i}"] = Value(float(n[i]), kind="percent")
        if n[i] > 0:
            out[f"asymmetry.sharp_one_in.{i}"] = Value(1 / float(n[i]), kind="integer")
        out[f"asymmetry.mid.{i}"] = Value(float(m[i]), kind="probability")
    return out | _simplex_values(data)


def asymmetry_table(data: LectureData) -> Table:
    """Each pair both ways round, in bits, and how many times larger one direction is."""
    p, q = forest_vectors(data)
    pairs = [
        ("P (the forest)", "Q (the model's belief)", p, q),
        ("P (the forest)", "N (P sharpened)", p, sharpened(p, data.asymmetry.sharpening)),
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
                ratio_text(ab, ba),
            ]
        )
    return Table(
        headers=["A", "B", "KL(A‖B), bits", "KL(B‖A), bits", "Larger ÷ smaller"],
        rows=rows,
        align=["l", "l", "r", "r", "r"],
    )


def triangle_table(data: LectureData) -> Table:
    """The direct route P → C against the detour P → M → C, in bits (C from `triangle_end`)."""
    p, _ = forest_vectors(data)
    end = triangle_end(data)
    c = end.symbol
    m = midpoint(p, end.belief)
    first, second = _bits(p, m), _bits(m, end.belief)
    return Table(
        headers=["Route", "KL, bits"],
        rows=[
            [f"Direct: KL(P‖{c})", format_number(_bits(p, end.belief), 5)],
            ["First leg: KL(P‖M)", format_number(first, 5)],
            [f"Second leg: KL(M‖{c})", format_number(second, 5)],
            [f"Detour: KL(P‖M) + KL(M‖{c})", format_number(first + second, 5)],
        ],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"asymmetry": asymmetry_table(data), "triangle": triangle_table(data)}
