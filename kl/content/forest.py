"""The forest example (SPEC sections 1, 3, 5-7): P, Q and their measures."""

from __future__ import annotations

import math

from kl.data import LectureData
from kl.formatting import format_number, format_probability
from kl.measures import cross_entropy, entropy, kl_divergence, kl_terms
from kl.tables import Table
from kl.values import Value, text_value


def values(data: LectureData) -> dict[str, Value]:
    p, q = data.forest.p, data.forest.q
    out: dict[str, Value] = {
        "forest.outcomes": text_value(", ".join(data.forest.outcomes)),
        "forest.kl_pq_bits": Value(kl_divergence(p, q, base=2)),
        "forest.kl_pq_nats": Value(kl_divergence(p, q)),
        "forest.kl_qp_bits": Value(kl_divergence(q, p, base=2)),
        "forest.kl_qp_nats": Value(kl_divergence(q, p)),
        "forest.h_p_bits": Value(entropy(p, base=2)),
        "forest.h_q_bits": Value(entropy(q, base=2)),
        "forest.h_pq_bits": Value(cross_entropy(p, q, base=2)),
        "forest.h_qp_bits": Value(cross_entropy(q, p, base=2)),
        "forest.h_p_nats": Value(entropy(p)),
        "forest.h_pq_nats": Value(cross_entropy(p, q)),
    }
    for i, outcome in enumerate(data.forest.outcomes):
        out[f"forest.name.{i}"] = text_value(outcome)
        out[f"forest.p.{i}"] = Value(p[outcome], kind="probability")
        out[f"forest.q.{i}"] = Value(q[outcome], kind="probability")
        out[f"forest.p_percent.{i}"] = Value(p[outcome], kind="percent")
    return out


def worked_table(data: LectureData) -> Table:
    """One row per outcome: p, q, p/q, log2(p/q), p·log2(p/q); then the total in bits and nats."""
    p, q = data.forest.p, data.forest.q
    terms = kl_terms(p, q, base=2)
    rows = []
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
    rows.append(["**Total (bits)**", "", "", "", "", f"**{format_number(total_bits, 6)}**"])
    rows.append(["**Total (nats)**", "", "", "", "", f"**{format_number(total_nats, 6)}**"])
    return Table(
        headers=["Animal", "p(x)", "q(x)", "p/q", "log₂(p/q)", "p · log₂(p/q)"],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"forest-worked": worked_table(data)}
