"""The forest example (SPEC sections 1, 3, 5-7): P, Q, their measures and the worked sum.

Lists follow the data file's order of animals (``forest_example.name``,
``forest_example.p``, ...). Where a divergence is infinite, ``forest_example.pq_infinite``
(KL(P||Q)) and ``forest_example.qp_infinite`` (KL(Q||P)) name the outcomes that make it so,
for the page to say why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, format_probability
from kl.lecture.tables import Cell, Label, Table, bold
from kl.lecture.values import Fact, Value
from kl.measures.coding import ruled_out
from kl.measures.discrete import cross_entropy, entropy, kl_divergence, kl_terms


def _ruled_out(truth: Mapping[str, float], model: Mapping[str, float]) -> dict[str, Fact]:
    """The outcomes that make KL(truth||model) infinite (``names``: model gives them 0,
    truth does not) and truth's probabilities of them (``truth``); both empty if finite."""
    zeros = ruled_out(truth, model)
    return {
        "names": list(zeros),
        "truth": [Value(truth[x], kind="probability") for x in zeros],
    }


def _same(a: float, b: float) -> bool:
    """Equal up to the rounding of summing the same terms in another order."""
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def values(data: LectureData) -> dict[str, Fact]:
    p, q, names = data.forest.p, data.forest.q, data.forest.outcomes
    terms = [float(t) for t in kl_terms(p, q, base=2)]
    out: dict[str, Fact] = {
        "forest_example.name": list(names),
        "forest_example.count": len(names),
        "forest_example.q_is_p": all(p[x] == q[x] for x in names),
        "forest_example.pq_infinite": _ruled_out(p, q),
        "forest_example.qp_infinite": _ruled_out(q, p),
        "forest_example.unseen": [x for x in names if p[x] == 0],
        "forest_example.p": [Value(p[x], kind="probability") for x in names],
        "forest_example.q": [Value(q[x], kind="probability") for x in names],
        "forest_example.p_percent": [Value(p[x], kind="percent") for x in names],
        # One row of the worked sum per animal: p - q, p log2(p/q) and p ln(p/q).
        "forest_example.gap": [Value(p[x] - q[x], kind="probability") for x in names],
        "forest_example.term_bits": [Value(t) for t in terms],
        "forest_example.term_nats": [Value(t * math.log(2)) for t in terms],
        "forest_example.kl_pq_bits": Value(kl_divergence(p, q, base=2)),
        "forest_example.kl_pq_nats": Value(kl_divergence(p, q)),
        "forest_example.kl_qp_bits": Value(kl_divergence(q, p, base=2)),
        "forest_example.kl_qp_nats": Value(kl_divergence(q, p)),
        # KL(P||Q) = KL(Q||P), e.g. when Q swaps two of P's probabilities (both may be ∞).
        "forest_example.kl_equal_both_ways": _same(kl_divergence(p, q), kl_divergence(q, p)),
        "forest_example.h_p_bits": Value(entropy(p, base=2)),
        "forest_example.h_q_bits": Value(entropy(q, base=2)),
        "forest_example.h_pq_bits": Value(cross_entropy(p, q, base=2)),
        "forest_example.h_qp_bits": Value(cross_entropy(q, p, base=2)),
        "forest_example.h_p_nats": Value(entropy(p)),
        "forest_example.h_pq_nats": Value(cross_entropy(p, q)),
    }
    return out


def worked_table(data: LectureData) -> Table:
    """One row per outcome: p, q, p/q, log2(p/q), p·log2(p/q); then the total in bits and nats."""
    p, q = data.forest.p, data.forest.q
    terms = kl_terms(p, q, base=2)
    rows: list[list[Cell]] = []
    for outcome, term in zip(data.forest.outcomes, terms, strict=True):
        px, qx = p[outcome], q[outcome]
        ratio = px / qx if qx > 0 else math.inf
        log_ratio = math.log2(ratio) if px > 0 else -math.inf
        rows.append(
            [
                outcome,
                format_probability(px),
                format_probability(qx),
                format_number(ratio, 4) if px > 0 else "0",
                format_number(log_ratio, 4) if px > 0 else "—",
                format_number(float(term), 4),
            ]
        )
    total_bits = kl_divergence(p, q, base=2)
    total_nats = kl_divergence(p, q)
    rows.append(
        [Label("total_bits", bold=True), "", "", "", "", bold(format_number(total_bits, 6))]
    )
    rows.append(
        [Label("total_nats", bold=True), "", "", "", "", bold(format_number(total_nats, 6))]
    )
    return Table(
        headers=[Label("animal"), "p(x)", "q(x)", "p/q", "log₂(p/q)", "p · log₂(p/q)"],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"forest-worked": worked_table(data)}
