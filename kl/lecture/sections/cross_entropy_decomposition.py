"""Cross-entropy = entropy + KL (SPEC section 7), for the forest's P against several Qs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number
from kl.lecture.sections.zero_to_infinity import path_end, rarest_outcome
from kl.lecture.tables import Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.discrete import cross_entropy, entropy, kl_divergence

MODEL = "the model's Q"


@dataclass(frozen=True)
class Decomposition:
    """H(P), KL(P||Q) and H(P, Q) for one Q, each computed on its own, in log(base) units."""

    label: str
    entropy: float
    kl: float
    cross_entropy: float


def _decompose(
    label: str, p: dict[str, float], q: dict[str, float], base: float = 2.0
) -> Decomposition:
    return Decomposition(
        label=label,
        entropy=entropy(p, base=base),
        kl=kl_divergence(p, q, base=base),
        cross_entropy=cross_entropy(p, q, base=base),
    )


def uniform(outcomes: list[str]) -> dict[str, float]:
    """The uniform distribution over ``outcomes``."""
    return {x: 1.0 / len(outcomes) for x in outcomes}


def candidate_qs(data: LectureData) -> dict[str, dict[str, float]]:
    """The Qs compared with the forest's P, by label: P itself, the model's Q, the uniform
    distribution, and P with its rarest animal ruled out."""
    p = data.forest.p
    return {
        "Q = P": p,
        MODEL: data.forest.q,
        "uniform Q": uniform(data.forest.outcomes),
        f"Q without {rarest_outcome(p)}": path_end(data),
    }


def _row_labels(data: LectureData) -> list[Label]:
    """The table's label for each of `candidate_qs`, in its order."""
    rare = {"animal": rarest_outcome(data.forest.p)}
    return [Label("q_is_p"), Label("model"), Label("uniform"), Label("without", rare)]


def decompositions(data: LectureData, base: float = 2.0) -> list[Decomposition]:
    """H(P), KL(P||Q) and H(P, Q) for each of `candidate_qs`, in log(base) units."""
    p = data.forest.p
    return [_decompose(label, p, q, base) for label, q in candidate_qs(data).items()]


def kl_share(case: Decomposition) -> float:
    """KL(P||Q) as a fraction of H(P, Q): 0 when Q = P, 1 when both are infinite (the
    limit: a finite entropy is no part of an infinite cross-entropy)."""
    if math.isinf(case.kl):
        return 1.0
    return case.kl / case.cross_entropy if case.cross_entropy > 0 else 0.0


def values(data: LectureData) -> dict[str, Fact]:
    cases = {c.label: c for c in decompositions(data)}
    model, flat = cases[MODEL], cases["uniform Q"]
    p, q = data.forest.p, data.forest.q
    even = uniform(data.forest.outcomes)
    return {
        "cross_entropy_decomposition.kl_uniform_bits": Value(flat.kl),
        "cross_entropy_decomposition.h_uniform_bits": Value(flat.cross_entropy),
        "cross_entropy_decomposition.outcome_count": Value(
            len(data.forest.outcomes), kind="integer"
        ),
        "cross_entropy_decomposition.belief_count": len(cases),
        "cross_entropy_decomposition.kl_share_percent": Value(kl_share(model), kind="percent"),
        "cross_entropy_decomposition.p_is_uniform": all(p[x] == even[x] for x in p),
        "cross_entropy_decomposition.q_is_uniform": all(q[x] == even[x] for x in q),
    }


def _row(label: Label, case: Decomposition) -> list[str | Label]:
    numbers = (case.entropy, case.kl, case.cross_entropy, case.entropy + case.kl)
    return [label, *(format_number(x, 6) for x in numbers)]


def decomposition_table(data: LectureData) -> Table:
    """One row per candidate Q in bits (the model's Q in nats too): H(P), KL(P||Q), H(P, Q)
    and the check H(P) + KL(P||Q). Each measure is computed on its own, so the last two
    columns agree only because the identity holds."""
    rows = []
    cases = zip(_row_labels(data), decompositions(data), decompositions(data, math.e), strict=True)
    for label, bits, nats in cases:
        rows.append(_row(label, bits))
        if bits.label == MODEL:
            rows.append(_row(Label("model_nats"), nats))
    return Table(
        headers=[Label("q"), "H(P)", "KL(P‖Q)", "H(P, Q)", Label("check")],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"decomposition": decomposition_table(data)}
