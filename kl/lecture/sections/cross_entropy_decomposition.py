"""Cross-entropy = entropy + KL (SPEC section 7), for the forest's P against several Qs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, shown
from kl.lecture.sections.zero_to_infinity import path_end, rarest_outcome
from kl.lecture.tables import Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.discrete import cross_entropy, entropy, kl_divergence

EXCESS_DIGITS = 3  # decimals the page gives the model's and the uniform guess's excess in


@dataclass(frozen=True)
class Decomposition:
    """H(P), KL(P||Q) and H(P, Q) for one Q, each computed on its own, in log(base) units;
    ``label`` names the Q (`candidate_qs`): its words are where it is shown, in the
    lecture's table and in the decomposition figure."""

    label: Label
    entropy: float
    kl: float
    cross_entropy: float


def _decompose(
    label: Label, p: dict[str, float], q: dict[str, float], base: float = 2.0
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


def candidate_qs(data: LectureData) -> list[tuple[Label, dict[str, float]]]:
    """The Qs compared with the forest's P, each with its label: P itself (``q_is_p``), the
    model's Q (``model``), the uniform distribution (``uniform``), and P with its rarest
    animal ruled out (``without``, of that ``animal``)."""
    p = data.forest.p
    return [
        (Label("q_is_p"), p),
        (Label("model"), data.forest.q),
        (Label("uniform"), uniform(data.forest.outcomes)),
        (Label("without", {"animal": rarest_outcome(p)}), path_end(data)),
    ]


def decompositions(data: LectureData, base: float = 2.0) -> list[Decomposition]:
    """H(P), KL(P||Q) and H(P, Q) for each of `candidate_qs`, in log(base) units."""
    p = data.forest.p
    return [_decompose(label, p, q, base) for label, q in candidate_qs(data)]


def by_key(cases: list[Decomposition]) -> dict[str, Decomposition]:
    """``cases`` by their labels' keys (``model``, ...)."""
    return {case.label.key: case for case in cases}


def kl_share(case: Decomposition) -> float:
    """KL(P||Q) as a fraction of H(P, Q): 0 when Q = P, 1 when both are infinite (the
    limit: a finite entropy is no part of an infinite cross-entropy)."""
    if math.isinf(case.kl):
        return 1.0
    return case.kl / case.cross_entropy if case.cross_entropy > 0 else 0.0


def values(data: LectureData) -> dict[str, Fact]:
    cases = by_key(decompositions(data))
    model, flat = cases["model"], cases["uniform"]
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
        # the model's excess above the uniform guess's, as the page shows both
        "cross_entropy_decomposition.model_worse_than_uniform": math.isfinite(model.kl)
        and shown(model.kl, EXCESS_DIGITS) > shown(flat.kl, EXCESS_DIGITS),
        "cross_entropy_decomposition.p_is_uniform": all(p[x] == even[x] for x in p),
        "cross_entropy_decomposition.q_is_uniform": all(q[x] == even[x] for x in q),
    }


def _row(case: Decomposition, label: Label | None = None) -> list[str | Label]:
    numbers = (case.entropy, case.kl, case.cross_entropy, case.entropy + case.kl)
    return [label or case.label, *(format_number(x, 6) for x in numbers)]


def decomposition_table(data: LectureData) -> Table:
    """One row per candidate Q in bits (the model's Q in nats too): H(P), KL(P||Q), H(P, Q)
    and the check H(P) + KL(P||Q). Each measure is computed on its own, so the last two
    columns agree only because the identity holds."""
    rows = []
    for bits, nats in zip(decompositions(data), decompositions(data, math.e), strict=True):
        rows.append(_row(bits))
        if bits.label.key == "model":
            rows.append(_row(nats, Label("model_nats")))
    return Table(
        headers=[Label("q"), "H(P)", "KL(P‖Q)", "H(P, Q)", Label("check")],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"decomposition": decomposition_table(data)}
