"""kl.lecture.sections.coding_intuition (section 4): code lengths, blocks and the extra-bits
experiment."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.stats

from kl.lecture.data import LectureData
from kl.lecture.sections import coding_intuition
from tests.lecture_data import kl_bits


def test_coding_lengths_table(data: LectureData) -> None:
    table = coding_intuition.tables(data)["coding-lengths"]
    animals = data.forest.outcomes
    assert [r[0] for r in table.rows[: len(animals)]] == animals
    assert len(table.rows) == len(animals) + 2
    for row, x in zip(table.rows[: len(animals)], animals, strict=True):
        assert float(row[3]) == pytest.approx(-math.log2(data.forest.p[x]), abs=5e-5)
        assert float(row[4]) == pytest.approx(-math.log2(data.forest.q[x]), abs=5e-5)
        word, length = row[5].split()
        assert set(word) <= {"0", "1"} and length == f"({len(word)})"
    expected, extra = table.rows[-2], table.rows[-1]
    p_values = list(data.forest.p.values())
    assert float(expected[3].strip("*")) == pytest.approx(
        scipy.stats.entropy(p_values, base=2), abs=5e-5
    )
    assert float(extra[4].strip("*")) == pytest.approx(
        kl_bits(data.forest.p, data.forest.q), abs=5e-5
    )


def test_block_distribution() -> None:
    block = coding_intuition.block_distribution({"a": 0.25, "b": 0.75}, 3)
    assert len(block) == 8 and math.fsum(block.values()) == pytest.approx(1.0)
    assert block["a b b"] == pytest.approx(0.25 * 0.75 * 0.75)
    with pytest.raises(ValueError, match="at least one"):
        coding_intuition.block_distribution({"a": 1.0}, 0)


def test_experiment_at_the_largest_n_is_within_a_few_standard_errors_of_kl(
    data: LectureData,
) -> None:
    p = np.array(list(data.forest.p.values()))
    q = np.array(list(data.forest.q.values()))
    per_animal = np.log2(p / q)
    kl = float(p @ per_animal)
    sd = math.sqrt(float(p @ per_animal**2) - kl**2)
    run = coding_intuition.experiment(data)
    n_max = run.sample_sizes[-1]
    standard_error = sd / math.sqrt(n_max * run.repeats)
    assert abs(run.ideal_mean[-1] - kl) < 4 * standard_error
    assert run.kl_bits == pytest.approx(kl)
    # the band narrows as n grows
    widths = [hi - lo for lo, hi in zip(run.ideal_low, run.ideal_high, strict=True)]
    assert widths[-1] < widths[0] / 10
    values = coding_intuition.values(data)
    assert values["coding_intuition.n_max_mean_bits"].number == run.ideal_mean[-1]
    assert values["coding_intuition.n_max"].text() == f"{n_max:,}"


def test_the_values_and_tables_code_each_block_size_once(
    data: LectureData, monkeypatch: pytest.MonkeyPatch
) -> None:
    coded: list[int] = []
    block = coding_intuition.block_distribution

    def counted(p: dict[str, float], k: int) -> dict[str, float]:
        coded.append(k)
        return block(p, k)

    monkeypatch.setattr(coding_intuition, "block_distribution", counted)
    coding_intuition._block_summaries.cache_clear()
    coding_intuition.values(data)
    coding_intuition.tables(data)
    sizes = [k for k, _ in coding_intuition.block_summaries(data)]
    assert sorted(coded) == sorted(2 * sizes)  # P's and Q's distribution, once each
