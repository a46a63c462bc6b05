"""From zero to infinity (SPEC section 5): KL(P||Q) as Q moves from P to a Q with a zero.

The path is Q_t = (1 - t) P + t R, where R is P with its rarest outcome removed (and the
rest rescaled to sum to 1). At t = 0, Q = P and the divergence is 0; it grows with t; at
t = 1, Q gives probability 0 to an outcome P allows and the divergence is infinite.
"""

from __future__ import annotations

import math

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.lecture.tables import Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.discrete import kl_divergence


def rarest_outcome(p: dict[str, float]) -> str:
    """The outcome P gives the smallest positive probability (the first such, on ties)."""
    return min((x for x in p if p[x] > 0), key=lambda x: p[x])


def without_outcome(p: dict[str, float], outcome: str) -> dict[str, float]:
    """P with ``outcome`` given probability 0 and the rest rescaled to sum to 1.

    Raises ValueError if ``outcome`` carries all of P's probability.
    """
    # The rest's own sum, not 1 - p[outcome]: P sums to 1 only within the data file's
    # tolerance, and dividing by a tiny rest would magnify that error.
    rest = math.fsum(px for x, px in p.items() if x != outcome)
    if rest <= 0:
        raise ValueError(f"{outcome!r} has all the probability; nothing is left to rescale")
    return {x: 0.0 if x == outcome else px / rest for x, px in p.items()}


def path_point(p: dict[str, float], r: dict[str, float], t: float) -> dict[str, float]:
    """Q_t = (1 - t) P + t R, for t in [0, 1]; raises ValueError outside that range."""
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"t must lie in [0, 1], got {t!r}")
    return {x: (1.0 - t) * p[x] + t * r[x] for x in p}


def path_end(data: LectureData) -> dict[str, float]:
    """R: the forest's P with its rarest animal ruled out."""
    p = data.forest.p
    return without_outcome(p, rarest_outcome(p))


def table_steps(data: LectureData) -> tuple[float, ...]:
    """The points t of the path the table shows: 0 (Q = P), the data file's
    ``[extremes] path_steps``, and 1 (Q rules the rarest animal out)."""
    return (0.0, *data.extremes.path_steps, 1.0)


def _step_label(t: float) -> str:
    return format_number(t, 0) if t in (0.0, 1.0) else f"{t:g}"


def values(data: LectureData) -> dict[str, Fact]:
    """The path's facts; ``zero_to_infinity.t``, ``.q_rare`` and ``.kl_bits`` follow `table_steps`
    (first 0, last 1), ``zero_to_infinity.r`` the data file's order of animals."""
    p = data.forest.p
    rare = rarest_outcome(p)
    r = path_end(data)
    steps = table_steps(data)
    qs = [path_point(p, r, t) for t in steps]
    return {
        "zero_to_infinity.rarest": rare,
        "zero_to_infinity.rarest_p": Value(p[rare], kind="probability"),
        "zero_to_infinity.rarest_ties": sum(1 for x in p if p[x] == p[rare]),
        "zero_to_infinity.kl_same_bits": Value(kl_divergence(p, p, base=2)),
        "zero_to_infinity.kl_zero_bits": Value(kl_divergence(p, r, base=2)),
        "zero_to_infinity.kl_zero_reverse_bits": Value(kl_divergence(r, p, base=2)),
        # Near the end of the path the rarest animal's term p log2(p/q) dominates: each
        # tenfold cut in q adds p log2(10) bits.
        "zero_to_infinity.rare_bits_per_tenfold": Value(p[rare] * math.log2(10)),
        "zero_to_infinity.r": [Value(r[x]) for x in p],
        "zero_to_infinity.t": [Value(t, kind="written") for t in steps],
        "zero_to_infinity.q_rare": [Value(q[rare]) for q in qs],
        "zero_to_infinity.kl_bits": [Value(kl_divergence(p, q, base=2)) for q in qs],
    }


def extremes_table(data: LectureData) -> Table:
    """One row per point of `table_steps` on the path: t, Q's probabilities, KL(P||Q_t) in bits."""
    p = data.forest.p
    r = path_end(data)
    rare = rarest_outcome(p)
    rows = []
    for t in table_steps(data):
        q = path_point(p, r, t)
        case = (
            "Q = P"
            if t == 0
            else Label("rules_out", {"animal": rare})
            if t == 1
            else Label("between")
        )
        rows.append(
            [
                case,
                _step_label(t),
                *(format_number(q[x], 4) for x in p),
                format_number(kl_divergence(p, q, base=2), 4),
            ]
        )
    return Table(
        headers=["Q", "t", *(f"q({x})" for x in p), Label("kl_bits")],
        rows=rows,
        optional=["between"],
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"extremes": extremes_table(data)}
