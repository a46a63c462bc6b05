"""Learning by pushing KL towards zero (SPEC section 10), and maximum likelihood as KL.

A model Q = softmax(logits) starts uniform over the forest's animals and follows
gradient descent on KL(P||Q) (`kl.measures.fitting.learn_by_gradient`), with the number of steps
and the learning rate from the data file. The figure shows Q at a few snapshot steps.
"""

from __future__ import annotations

import itertools
import math
import statistics
from functools import lru_cache

from kl.lecture.data import LectureData
from kl.lecture.formatting import format_number, format_small
from kl.lecture.tables import Cell, Label, Table
from kl.lecture.values import Fact, Value
from kl.measures.discrete import cross_entropy
from kl.measures.fitting import LearningTrace, learn_by_gradient


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


def kl_nats(trace: LearningTrace) -> list[float]:
    """KL(P||Q) in nats after each step: the unit of the gradient q - p the steps follow."""
    return [bits * math.log(2) for bits in trace.kl_bits]


def step_ratio(kl: list[float]) -> float:
    """KL after a step as a fraction of KL before it, the median over the run's second
    half (where a positive P's decay has settled to a fixed fraction per step); 1 for a
    run too short to tell or a divergence already 0."""
    tail = [b / a for a, b in itertools.pairwise(kl[len(kl) // 2 :]) if a > 0]
    return statistics.median(tail) if tail else 1.0


def values(data: LectureData) -> dict[str, Fact]:
    """The demo's steps, learning rate and KL(P||Q) in nats at the start, the snapshots and
    the end; how far Q ends from P (the largest gap in any probability) and whether that
    shows at 4 decimals; the animals P rules out (a softmax never reaches 0); how the decay
    runs: the fraction kept per step, and KL at the end against KL halfway (about 1/2 when
    the decay goes like 1/t). Also the forest model's average log-likelihood (bits)."""
    trace = learning_trace(data)
    kl = kl_nats(trace)
    gap = max(abs(a - b) for a, b in zip(trace.q[-1], trace.target, strict=True))
    half = data.learning.steps // 2
    out: dict[str, Fact] = {
        "kl_in_ai_learning.animals": len(trace.outcomes),
        "kl_in_ai_learning.steps": Value(data.learning.steps, kind="integer"),
        "kl_in_ai_learning.half_steps": Value(half, kind="integer"),
        "kl_in_ai_learning.rate": Value(data.learning.learning_rate, kind="probability"),
        "kl_in_ai_learning.kl_start_nats": Value(kl[0], digits=4),
        "kl_in_ai_learning.kl_end_nats": Value(kl[-1], digits=4),
        "kl_in_ai_learning.end_gap": Value(gap, digits=4),
        "kl_in_ai_learning.end_matches": round(gap, 4) == 0,
        "kl_in_ai_learning.zero_names": [
            x for x, px in zip(trace.outcomes, trace.target, strict=True) if px == 0
        ],
        "kl_in_ai_learning.step_ratio": Value(step_ratio(kl), kind="percent"),
        "kl_in_ai_learning.end_over_half": Value(
            kl[-1] / kl[half] if kl[half] > 0 else 1.0, kind="percent"
        ),
        "kl_in_ai_learning.avg_log_likelihood_bits": Value(
            -cross_entropy(data.forest.p, data.forest.q, base=2), digits=4
        ),
        # Quoted by the Summary (in bits) until it moves to the nats above.
    }
    out["kl_in_ai_learning.snapshots"] = [  # none when every one is at or past the end
        {"step": Value(step, kind="integer"), "kl_nats": Value(kl[step], digits=4)}
        for step in data.learning.snapshot_steps
    ]
    return out


def learning_table(data: LectureData) -> Table:
    """Q and KL(P||Q) (nats) at each snapshot step, then P itself."""
    trace = learning_trace(data)
    kl = kl_nats(trace)
    rows: list[list[Cell]] = [
        [
            Label("after", {"step": step}) if step else Label("start"),
            *(format_number(v, 4) for v in trace.q[step]),
            format_small(kl[step]),
        ]
        for step in snapshot_steps(data)
    ]
    rows.append([Label("target"), *(format_number(v, 4) for v in trace.target), "0"])
    return Table(headers=[Label("distribution"), *trace.outcomes, Label("kl_nats")], rows=rows)


def tables(data: LectureData) -> dict[str, Table]:
    return {"learning": learning_table(data)}
