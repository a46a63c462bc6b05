"""Learning by pushing KL towards zero (SPEC section 10), and maximum likelihood as KL.

A model Q = softmax(logits) starts uniform over the forest's animals and follows
gradient descent on KL(P||Q) (`kl.fitting.learn_by_gradient`), with the number of steps
and the learning rate from the data file. The figure shows Q at a few snapshot steps.
"""

from __future__ import annotations

from functools import lru_cache

from kl.content.continuous import scientific
from kl.content.forest import join_names
from kl.data import LectureData
from kl.fitting import LearningTrace, learn_by_gradient
from kl.formatting import format_number
from kl.measures import cross_entropy
from kl.tables import Table
from kl.values import Fact, Value, text_value


@lru_cache(maxsize=4)
def _trace(p: tuple[tuple[str, float], ...], steps: int, learning_rate: float) -> LearningTrace:
    return learn_by_gradient(dict(p), steps=steps, learning_rate=learning_rate)


def learning_trace(data: LectureData) -> LearningTrace:
    """The run of the data file's learning demo (cached)."""
    return _trace(tuple(data.forest.p.items()), data.learning.steps, data.learning.learning_rate)


def snapshot_steps(data: LectureData) -> list[int]:
    """The steps shown as snapshots: the start, the data file's ``[learning]
    snapshot_steps`` and the end, in order."""
    return [0, *data.learning.snapshot_steps, data.learning.steps]


def kl_text(kl_bits: float) -> str:
    """KL in bits as shown in prose and labels: 4 decimals, or 1.2 × 10⁻⁵ when smaller."""
    return format_number(kl_bits, 4) if kl_bits >= 1e-4 else scientific(kl_bits)


def end_verdict(trace: LearningTrace) -> str:
    """How close Q ends up to P, as a sentence: equal to the four decimals the table shows,
    or how far off and (if P rules an animal out, which a softmax never can) why."""
    gap = max(abs(a - b) for a, b in zip(trace.q[-1], trace.target, strict=True))
    if round(gap, 4) == 0:
        return "By then Q is P to every digit shown."
    never = [x for x, px in zip(trace.outcomes, trace.target, strict=True) if px == 0]
    if never:
        return (
            f"Q is not P yet, and never will be: P gives {join_names([f'the {x}' for x in never])} "
            "probability 0, which a softmax can approach but never reach, so the divergence "
            "keeps shrinking without ever arriving at 0."
        )
    return f"By then no probability of Q is more than {format_number(gap, 4)} away from P's."


def values(data: LectureData) -> dict[str, Fact]:
    trace = learning_trace(data)
    start, end = trace.kl_bits[0], trace.kl_bits[-1]
    out: dict[str, Fact] = {
        "learning.steps": Value(data.learning.steps, kind="integer"),
        "learning.rate": Value(data.learning.learning_rate, kind="probability"),
        "learning.kl_start_bits": Value(start, digits=4),
        "learning.kl_end_bits": text_value(kl_text(end)),
        "learning.end_verdict": text_value(end_verdict(trace)),
        "learning.avg_log_likelihood_bits": Value(
            -cross_entropy(data.forest.p, data.forest.q, base=2), digits=4
        ),
    }
    for i, step in enumerate(data.learning.snapshot_steps):
        out[f"learning.snapshots.{i}.step"] = Value(step, kind="integer")
        out[f"learning.snapshots.{i}.kl_bits"] = text_value(kl_text(trace.kl_bits[step]))
    return out


def learning_table(data: LectureData) -> Table:
    """Q and KL(P||Q) at each snapshot step, then P itself."""
    trace = learning_trace(data)
    rows = [
        [
            f"Q after {step} step{'' if step == 1 else 's'}"
            if step
            else "Q at the start (uniform)",
            *(format_number(v, 4) for v in trace.q[step]),
            kl_text(trace.kl_bits[step]),
        ]
        for step in snapshot_steps(data)
    ]
    rows.append(["P (the target)", *(format_number(v, 4) for v in trace.target), "0"])
    return Table(headers=["Distribution", *trace.outcomes, "KL(P‖Q), bits"], rows=rows)


def tables(data: LectureData) -> dict[str, Table]:
    return {"learning": learning_table(data)}
