"""kl.lecture.sections.kl_in_ai_learning (section 10): gradient descent of Q towards P."""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import cast

import numpy as np
import pytest

from kl.lecture.data import Forest, LectureData
from kl.lecture.sections import kl_in_ai_learning
from kl.lecture.tables import Label
from kl.lecture.values import nest
from kl.measures.discrete import cross_entropy, entropy, kl_divergence


def test_learning_values_follow_the_trace(frozen_file: LectureData) -> None:
    trace = kl_in_ai_learning.learning_trace(frozen_file)
    got = kl_in_ai_learning.values(frozen_file)
    p = np.array(list(frozen_file.forest.p.values()))
    kl = [bits * math.log(2) for bits in trace.kl_bits]
    assert got["kl_in_ai_learning.kl_start_nats"] == pytest.approx(
        math.log(3) - entropy(p), rel=1e-12
    )
    assert all(b < a for a, b in itertools.pairwise(trace.kl_bits))
    snapshots = cast(list[dict[str, float]], got["kl_in_ai_learning.snapshots"])
    assert [s["step"] for s in snapshots] == list(frozen_file.learning.snapshot_steps)
    for snapshot in snapshots:
        assert snapshot["kl_nats"] == pytest.approx(kl[int(snapshot["step"])], rel=1e-12)
    assert got["kl_in_ai_learning.kl_end_nats"] == pytest.approx(kl[-1], rel=1e-12)
    half = frozen_file.learning.steps // 2
    ratios = [b / a for a, b in itertools.pairwise(kl[half:])]
    assert got["kl_in_ai_learning.step_ratio"] == pytest.approx(np.median(ratios), rel=1e-12)
    assert got["kl_in_ai_learning.avg_log_likelihood_bits"] == pytest.approx(
        -(entropy(p, base=2) + kl_divergence(frozen_file.forest.p, frozen_file.forest.q, base=2)),
        rel=1e-12,
    )
    assert got["kl_in_ai_learning.avg_log_likelihood_bits"] == pytest.approx(
        -cross_entropy(frozen_file.forest.p, frozen_file.forest.q, base=2)
    )


def test_snapshot_steps(frozen_file: LectureData) -> None:
    steps = frozen_file.learning.steps
    assert kl_in_ai_learning.snapshot_steps(frozen_file) == [
        0,
        *frozen_file.learning.snapshot_steps,
        steps,
    ]


def test_learning_table_ends_with_p(frozen_file: LectureData) -> None:
    rows = kl_in_ai_learning.tables(frozen_file)["learning"].rows
    assert len(rows) == len(kl_in_ai_learning.snapshot_steps(frozen_file)) + 1
    assert rows[0][0] == Label("start") and rows[-1][0] == Label("target")
    assert rows[1][0] == Label("after", {"step": kl_in_ai_learning.snapshot_steps(frozen_file)[1]})
    assert rows[-2][1:4] == rows[-1][1:4]  # after the last step Q equals P to 4 decimals


def test_the_end_of_learning_says_how_close_q_came(frozen_file: LectureData) -> None:
    got = kl_in_ai_learning.values(frozen_file)
    assert (
        got["kl_in_ai_learning.end_matches"] is True and got["kl_in_ai_learning.zero_names"] == []
    )
    zero = dataclasses.replace(
        frozen_file,
        forest=Forest(p={"Squirrel": 0.6, "Rabbit": 0.4, "Deer": 0.0}, q=frozen_file.forest.q),
    )
    trace = kl_in_ai_learning.learning_trace(zero)
    assert trace.q[-1][2] > 0 and trace.kl_bits[-1] > 1e-4  # softmax never reaches 0
    got = kl_in_ai_learning.values(zero)
    assert (
        got["kl_in_ai_learning.zero_names"] == ["Deer"]
        and got["kl_in_ai_learning.end_matches"] is False
    )
    assert (
        0.4 < got["kl_in_ai_learning.end_over_half"] < 0.6
    )  # about 1/t: twice the steps, half the KL
    short = dataclasses.replace(
        frozen_file,
        learning=dataclasses.replace(frozen_file.learning, steps=2, snapshot_steps=(1,)),
    )
    gap = max(
        abs(a - b)
        for a, b in zip(
            kl_in_ai_learning.learning_trace(short).q[-1],
            frozen_file.forest.p.values(),
            strict=True,
        )
    )
    assert kl_in_ai_learning.values(short)["kl_in_ai_learning.end_gap"] == pytest.approx(
        gap, rel=1e-12
    )
    assert kl_in_ai_learning.values(short)["kl_in_ai_learning.end_matches"] is False


def test_a_run_without_snapshots_lists_none(frozen_file: LectureData) -> None:
    """Snapshot steps all at or past the end are dropped; the pages still loop over them."""
    none = dataclasses.replace(
        frozen_file, learning=dataclasses.replace(frozen_file.learning, snapshot_steps=())
    )
    assert nest(kl_in_ai_learning.values(none))["kl_in_ai_learning"]["snapshots"] == []  # type: ignore[index]
