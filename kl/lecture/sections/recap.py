"""Values for the lecture's framing sections (SPEC sections 1-3): surprise, units, the worked rows.

`kl.lecture.sections.forest_example` holds the forest example's measures; this module adds
what the prose around them quotes: each animal's surprise, the commonest and rarest animal
(with how many animals share that probability: ``ties`` is 1 when it is the only one), the
animals Q over- and underestimates, the row of the worked table with the largest finite and
with the most negative term, and the bits/nats conversion factors.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, format_probability
from kl.lecture.sections.zero_to_infinity import rarest_outcome
from kl.lecture.tables import Cell, Label, Table, bold
from kl.lecture.values import Fact, Value
from kl.measures.discrete import cross_entropy, entropy, kl_terms


def surprise_bits(probability: float) -> float:
    """The surprise −log2 p of an outcome with probability p, in bits (∞ when p = 0)."""
    return -math.log2(probability) if probability > 0 else math.inf


def listing(
    distribution: dict[str, float], shown: Callable[[float], str] = format_probability
) -> str:
    """A distribution written out, e.g. "Squirrel 0.6, Rabbit 0.3, Deer 0.1"."""
    return ", ".join(f"{x} {shown(px)}" for x, px in distribution.items())


def _row_values(prefix: str, name: str, p: float, q: float, term: float) -> dict[str, Fact]:
    """One row of the worked table as values: name, p, q, p/q, log2(p/q), p·log2(p/q)."""
    ratio = p / q if q > 0 else math.inf
    return {
        f"{prefix}.name": name,
        f"{prefix}.p": Value(p, kind="probability"),
        f"{prefix}.q": Value(q, kind="probability"),
        f"{prefix}.ratio": Value(ratio),
        f"{prefix}.log_ratio": Value(math.log2(ratio)),
        f"{prefix}.term": Value(term),
    }


def _ties(p: dict[str, float], x: str) -> int:
    """How many outcomes P gives exactly the probability it gives ``x`` (``x`` included)."""
    return sum(1 for y in p if p[y] == p[x])


def values(data: LectureData) -> dict[str, Fact]:
    forest = data.forest
    p, q, names = forest.p, forest.q, forest.outcomes
    terms = [float(t) for t in kl_terms(p, q, base=2)]
    possible = [x for x in names if p[x] > 0]
    commonest = max(possible, key=lambda x: p[x])
    rarest = rarest_outcome(p)
    term = dict(zip(names, terms, strict=True))
    finite = [x for x in possible if math.isfinite(term[x])] or possible
    out: dict[str, Fact] = {
        "recap.commonest.ties": _ties(p, commonest),
        "recap.rarest.ties": _ties(p, rarest),
        "recap.overestimated": [x for x in names if q[x] > p[x]],
        "recap.underestimated": [x for x in names if q[x] < p[x]],
        "recap.unseen_but_expected": [x for x in names if p[x] == 0 < q[x]],
        "recap.positive_terms_bits": Value(math.fsum(t for t in terms if t > 0)),
        "recap.negative_terms_bits": Value(math.fsum(t for t in terms if t < 0)),
        "recap.bits_per_nat": Value(1 / math.log(2)),
        "recap.nats_per_bit": Value(math.log(2)),
        "recap.surprise_p": [Value(surprise_bits(p[x])) for x in names],
        "recap.surprise_q": [Value(surprise_bits(q[x])) for x in names],
    }
    for prefix, x in (("recap.commonest", commonest), ("recap.rarest", rarest)):
        out[f"{prefix}.name"] = x
        out[f"{prefix}.p"] = Value(p[x], kind="probability")
        out[f"{prefix}.surprise"] = Value(surprise_bits(p[x]))
    # The worked example's rows: the largest finite term, and the most negative one.
    largest = max(finite, key=lambda x: term[x])
    lowest = min(possible, key=lambda x: term[x])
    for prefix, x in (("recap.largest", largest), ("recap.lowest", lowest)):
        out |= _row_values(prefix, x, p[x], q[x], term[x])
    return out


def surprise_table(data: LectureData) -> Table:
    """Each animal's surprise under P and under Q (bits), then their averages over P's data:
    the averages are the entropy H(P) and the cross-entropy H(P, Q)."""
    p, q = data.forest.p, data.forest.q
    rows: list[list[Cell]] = [
        [
            name,
            format_probability(p[name]),
            format_number(surprise_bits(p[name]), 4),
            format_probability(q[name]),
            format_number(surprise_bits(q[name]), 4),
        ]
        for name in data.forest.outcomes
    ]
    rows.append(
        [
            Label("average", bold=True),
            "",
            bold(f"H(P) = {format_number(entropy(p, base=2), 4)}"),
            "",
            bold(f"H(P, Q) = {format_number(cross_entropy(p, q, base=2), 4)}"),
        ]
    )
    return Table(
        headers=[Label("animal"), "p(x)", Label("surprise_p"), "q(x)", Label("surprise_q")],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"recap-surprise": surprise_table(data)}
