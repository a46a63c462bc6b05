"""Values for the lecture's framing sections (SPEC sections 1-3): surprise, units, the worked rows.

`kl.content.forest` holds the forest example's measures; this module adds what the prose
around them quotes: each animal's surprise, the commonest and rarest animal, the row of
the worked table with the largest and with the most negative term, and the bits/nats
conversion factors.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kl.content.extremes import rarest_outcome
from kl.content.forest import join_names
from kl.data import LectureData
from kl.formatting import format_number, format_probability
from kl.measures import cross_entropy, entropy, kl_terms
from kl.tables import Table, bold
from kl.values import Fact, Value, text_value


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
        f"{prefix}.name": text_value(name),
        f"{prefix}.p": Value(p, kind="probability"),
        f"{prefix}.q": Value(q, kind="probability"),
        f"{prefix}.ratio": Value(ratio),
        f"{prefix}.log_ratio": Value(math.log2(ratio)),
        f"{prefix}.term": Value(term),
    }


def negative_terms(p: dict[str, float], q: dict[str, float], lowest: str, term: float) -> str:
    """The worked example's paragraph on negative terms, about the outcome ``lowest`` with
    the most negative term ``term`` (bits); or why there is no negative term at all."""
    if term < 0:
        row = _row_values("row", lowest, p[lowest], q[lowest], term)
        return (
            f"Q expects more of the {lowest} than the forest holds ({row['row.q'].text()} "
            f"against {row['row.p'].text()}). There the ratio $p/q$ = {row['row.ratio'].text()} "
            f"is below 1, its log is negative ({row['row.log_ratio'].text()}), and so is the "
            f"term ({row['row.term'].text()}): Q is *less* surprised than P at these sightings."
        )
    unseen = [x for x in p if p[x] == 0 < q[x]]
    if unseen:
        return (
            "No term is negative here. Q's extra probability all goes to "
            f"{join_names([f'the {x}' for x in unseen])}, which P never produces, and a row "
            "with $p = 0$ counts nothing, whatever Q expects of it."
        )
    return (
        "No term is negative here: Q gives every animal exactly the probability P gives it, "
        "so every ratio is 1 and every term is 0."
    )


def values(data: LectureData) -> dict[str, Fact]:
    forest = data.forest
    p, q, names = forest.p, forest.q, forest.outcomes
    terms = [float(t) for t in kl_terms(p, q, base=2)]
    possible = [x for x in names if p[x] > 0]
    commonest = max(possible, key=lambda x: p[x])
    rarest = rarest_outcome(p)
    term = dict(zip(names, terms, strict=True))
    largest = max(possible, key=lambda x: term[x])
    lowest = min(possible, key=lambda x: term[x])
    out: dict[str, Fact] = {
        "recap.animals": text_value(join_names(names)),
        "recap.animal_count": Value(len(names), kind="integer"),
        "recap.p_listing": text_value(listing(p)),
        "recap.q_listing": text_value(listing(q)),
        "recap.commonest.name": text_value(commonest),
        "recap.commonest.p": Value(p[commonest], kind="probability"),
        "recap.commonest.surprise": Value(surprise_bits(p[commonest])),
        "recap.rarest.name": text_value(rarest),
        "recap.rarest.p": Value(p[rarest], kind="probability"),
        "recap.rarest.surprise": Value(surprise_bits(p[rarest])),
        "recap.overestimated": text_value(
            join_names([f"the {x}" for x in names if q[x] > p[x]]) or "any animal"
        ),
        "recap.negative_terms": text_value(negative_terms(p, q, lowest, term[lowest])),
        "recap.cross_entropy_order": text_value(
            "The cross-entropy is the larger of the two"
            if p != q
            else "Here the two are equal, because Q is P itself; for any other Q the "
            "cross-entropy would be the larger"
        ),
        "recap.positive_terms_bits": Value(math.fsum(t for t in terms if t > 0)),
        "recap.negative_terms_bits": Value(math.fsum(t for t in terms if t < 0)),
        "recap.bits_per_nat": Value(1 / math.log(2)),
        "recap.nats_per_bit": Value(math.log(2)),
    }
    for prefix, x in (("recap.largest", largest), ("recap.lowest", lowest)):
        out |= _row_values(prefix, x, p[x], q[x], term[x])
    for i, name in enumerate(names):
        out[f"recap.surprise_p.{i}"] = Value(surprise_bits(p[name]))
        out[f"recap.surprise_q.{i}"] = Value(surprise_bits(q[name]))
    return out


def surprise_table(data: LectureData) -> Table:
    """Each animal's surprise under P and under Q (bits), then their averages over P's data:
    the averages are the entropy H(P) and the cross-entropy H(P, Q)."""
    p, q = data.forest.p, data.forest.q
    rows = [
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
            bold("Average over P"),
            "",
            bold(f"H(P) = {format_number(entropy(p, base=2), 4)}"),
            "",
            bold(f"H(P, Q) = {format_number(cross_entropy(p, q, base=2), 4)}"),
        ]
    )
    return Table(
        headers=[
            "Animal",
            "p(x)",
            "surprise under P: −log₂ p(x)",
            "q(x)",
            "surprise under Q: −log₂ q(x)",
        ],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"recap-surprise": surprise_table(data)}
