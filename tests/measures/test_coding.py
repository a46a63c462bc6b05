import itertools
import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from kl.errors import DistributionError
from kl.measures.coding import (
    codeword_lengths,
    coding_summary,
    expected_length,
    extra_bits_experiment,
    huffman_code,
    ideal_code_lengths,
    ruled_out,
)
from kl.measures.discrete import cross_entropy, entropy, kl_divergence

P = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
Q = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}


@st.composite
def distributions(draw, min_size=1, max_size=8, allow_zero=True):
    """A mapping of outcome names to probabilities summing to 1."""
    size = draw(st.integers(min_size, max_size))
    low = 0 if allow_zero else 1
    weights = draw(st.lists(st.integers(low, 1000), min_size=size, max_size=size))
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    return {f"x{i}": w / total for i, w in enumerate(weights)}


def is_prefix_free(words):
    return not any(a != b and b.startswith(a) for a in words for b in words)


def brute_force_optimal_length(p):
    """Least sum p*l over codeword lengths obeying Kraft (every outcome gets a codeword)."""
    probs = list(p.values())
    if len(probs) == 1:
        return 1.0
    best = math.inf
    for lengths in itertools.product(range(1, len(probs)), repeat=len(probs)):
        if sum(2.0**-n for n in lengths) <= 1:
            best = min(best, sum(pi * n for pi, n in zip(probs, lengths, strict=True)))
    return best


# ideal_code_lengths


def test_ideal_code_lengths_forest():
    lengths = ideal_code_lengths(P)
    assert lengths["Squirrel"] == pytest.approx(-math.log2(0.6))
    assert lengths["Deer"] == pytest.approx(math.log2(10))
    assert list(lengths) == list(P)


def test_ideal_code_length_of_impossible_outcome_is_infinite():
    assert ideal_code_lengths({"a": 1.0, "b": 0.0}) == {"a": 0.0, "b": math.inf}


def test_ideal_code_lengths_rejects_bad_distribution():
    with pytest.raises(DistributionError, match="sum"):
        ideal_code_lengths({"a": 0.5, "b": 0.6})


# huffman_code


def test_huffman_code_forest_is_canonical():
    assert huffman_code(P) == {"Squirrel": "0", "Rabbit": "10", "Deer": "11"}
    assert huffman_code(Q) == {"Squirrel": "0", "Rabbit": "10", "Deer": "11"}


def test_huffman_single_outcome_gets_one_bit():
    assert huffman_code({"only": 1.0}) == {"only": "0"}


def test_huffman_gives_impossible_outcomes_a_codeword():
    code = huffman_code({"a": 1.0, "b": 0.0, "c": 0.0})
    assert code == {"a": "0", "b": "10", "c": "11"}


def test_huffman_ties_follow_input_order():
    assert huffman_code({"d": 0.25, "c": 0.25, "b": 0.25, "a": 0.25}) == {
        "d": "00",
        "c": "01",
        "b": "10",
        "a": "11",
    }
    # The merged node {c, d} (weight 0.5) ties with b (0.5): b, an outcome, goes first.
    assert codeword_lengths(huffman_code({"b": 0.5, "c": 0.25, "d": 0.25})) == {
        "b": 1.0,
        "c": 2.0,
        "d": 2.0,
    }


def test_huffman_rejects_bad_distribution():
    with pytest.raises(DistributionError, match="negative"):
        huffman_code({"a": 1.5, "b": -0.5})
    with pytest.raises(DistributionError, match="empty"):
        huffman_code({})


@given(distributions())
def test_huffman_code_is_prefix_free_binary_and_complete(p):
    code = huffman_code(p)
    assert list(code) == list(p)
    assert all(word and set(word) <= {"0", "1"} for word in code.values())
    assert is_prefix_free(list(code.values()))
    if len(p) >= 2:
        assert sum(2.0 ** -len(word) for word in code.values()) == 1.0


@given(distributions())
def test_huffman_is_canonical(p):
    code = huffman_code(p)
    ordered = sorted(code.values(), key=lambda w: (len(w), w))
    assert ordered[0] == "0" * len(ordered[0])
    for a, b in itertools.pairwise(ordered):
        # the next codeword is the previous one plus 1, padded with zeros on the right
        assert int(b, 2) == (int(a, 2) + 1) << (len(b) - len(a))


@given(distributions())
def test_huffman_expected_length_within_one_bit_of_entropy(p):
    length = expected_length(codeword_lengths(huffman_code(p)), p)
    h = entropy(p, base=2)
    assert h - 1e-12 <= length
    if sum(v > 0 for v in p.values()) >= 2:
        assert length < h + 1
    else:
        assert length == 1.0


@settings(max_examples=60)
@given(distributions(max_size=5))
def test_huffman_is_optimal_by_brute_force(p):
    length = expected_length(codeword_lengths(huffman_code(p)), p)
    assert length == pytest.approx(brute_force_optimal_length(p), abs=1e-12)


# expected_length


def test_expected_length_forest():
    assert expected_length(codeword_lengths(huffman_code(P)), P) == pytest.approx(1.4)
    assert expected_length(ideal_code_lengths(P), P) == pytest.approx(1.295462, abs=1e-6)


def test_expected_length_ignores_impossible_outcomes_but_not_infinite_lengths():
    assert expected_length({"a": 1.0, "b": math.inf}, {"a": 1.0, "b": 0.0}) == 1.0
    assert expected_length({"a": 1.0, "b": math.inf}, {"a": 0.5, "b": 0.5}) == math.inf


def test_expected_length_rejects_missing_or_bad_lengths():
    with pytest.raises(DistributionError, match="no length for outcome 'b'"):
        expected_length({"a": 1.0}, {"a": 0.5, "b": 0.5})
    with pytest.raises(DistributionError, match="outcome 'a' has length -1"):
        expected_length({"a": -1.0}, {"a": 1.0})
    with pytest.raises(DistributionError, match="nan"):
        expected_length({"a": math.nan}, {"a": 1.0})


# coding_summary


def test_coding_summary_forest_reference_values():
    s = coding_summary(P, Q)
    assert s.outcomes == ("Squirrel", "Rabbit", "Deer")
    assert s.entropy_bits == pytest.approx(1.295462, abs=1e-6)
    assert s.cross_entropy_bits == pytest.approx(1.328771, abs=1e-6)
    assert s.ideal_extra_bits == pytest.approx(0.033309, abs=1e-6)
    assert s.ideal_lengths_q["Squirrel"] == pytest.approx(1.0)
    # Whole-bit codes for P and Q coincide here, so the Huffman code shows no extra bits.
    assert s.huffman_length_p == pytest.approx(1.4)
    assert s.huffman_length_q == pytest.approx(1.4)
    assert s.huffman_extra_bits == pytest.approx(0.0)


def test_coding_summary_direction_is_p_data_with_q_code():
    s = coding_summary({"a": 0.9, "b": 0.1}, {"a": 0.1, "b": 0.9})
    assert s.ideal_extra_bits == pytest.approx(kl_divergence([0.9, 0.1], [0.1, 0.9], base=2))
    assert s.cross_entropy_bits == pytest.approx(0.9 * math.log2(10) + 0.1 * math.log2(1 / 0.9))


@st.composite
def pairs(draw):
    """Two distributions over the same outcomes; q gives every outcome positive probability."""
    size = draw(st.integers(2, 6))
    pw = draw(st.lists(st.integers(0, 1000), min_size=size, max_size=size).filter(any))
    qw = draw(st.lists(st.integers(1, 1000), min_size=size, max_size=size))
    names = [f"x{i}" for i in range(size)]
    return (
        {k: w / sum(pw) for k, w in zip(names, pw, strict=True)},
        {k: w / sum(qw) for k, w in zip(names, qw, strict=True)},
    )


@given(pairs())
def test_coding_summary_laws(pair):
    p, q = pair
    s = coding_summary(p, q)
    assert s.entropy_bits == pytest.approx(entropy(p, base=2), abs=1e-12)
    assert s.cross_entropy_bits == pytest.approx(cross_entropy(p, q, base=2), abs=1e-12)
    assert s.ideal_extra_bits == pytest.approx(s.cross_entropy_bits - s.entropy_bits, abs=1e-12)
    assert s.ideal_extra_bits >= 0
    # P's Huffman code is optimal for P's data, so Q's can only cost more.
    assert s.huffman_extra_bits >= -1e-12
    assert (
        s.huffman_length_q >= s.cross_entropy_bits - 1e-12 or s.huffman_length_q >= s.entropy_bits
    )


def test_coding_summary_when_q_rules_out_what_p_allows():
    s = coding_summary({"a": 0.5, "b": 0.5}, {"a": 1.0})
    assert s.outcomes == ("a", "b")
    assert s.ideal_lengths_q["b"] == math.inf
    assert s.cross_entropy_bits == math.inf
    assert s.ideal_extra_bits == math.inf
    assert s.huffman_q == {"a": "0", "b": "1"}
    assert s.huffman_length_q == 1.0
    assert s.huffman_extra_bits == 0.0


def test_coding_summary_rejects_bad_input():
    with pytest.raises(DistributionError, match="q: probabilities sum"):
        coding_summary(P, {"Squirrel": 0.5})


# extra_bits_experiment


def per_symbol_standard_error(p, q, n, repeats):
    """Standard error of the mean over repeats of the measured extra bits per symbol."""
    pv, qv = np.array(list(p.values())), np.array([q[k] for k in p])
    d = np.log2(pv / qv)
    variance = float(pv @ d**2 - (pv @ d) ** 2)
    return math.sqrt(variance / (n * repeats))


def test_experiment_converges_on_kl_at_large_n():
    sizes = [10, 100, 1000, 10_000, 100_000]
    e = extra_bits_experiment(P, Q, sizes, seed=2026, repeats=20)
    assert e.kl_bits == pytest.approx(0.033309, abs=1e-6)
    se = per_symbol_standard_error(P, Q, 100_000, 20)
    assert abs(e.ideal_mean[-1] - e.kl_bits) < 4 * se
    assert se < 0.002


def test_experiment_single_run_also_within_a_few_standard_errors():
    for seed in range(5):
        e = extra_bits_experiment(P, Q, [100_000], seed=seed, repeats=1)
        assert abs(e.ideal_mean[0] - e.kl_bits) < 4 * per_symbol_standard_error(P, Q, 100_000, 1)
        assert e.ideal_low == e.ideal_mean == e.ideal_high


def test_experiment_band_narrows_and_contains_kl_at_large_n():
    e = extra_bits_experiment(P, Q, [100, 100_000], seed=7, repeats=50)
    widths = [hi - lo for lo, hi in zip(e.ideal_low, e.ideal_high, strict=True)]
    assert widths[1] < widths[0] / 10
    assert e.ideal_low[1] < e.kl_bits < e.ideal_high[1]


def test_experiment_huffman_converges_on_huffman_extra_bits():
    p = {"a": 0.7, "b": 0.2, "c": 0.1}
    q = {"a": 0.1, "b": 0.2, "c": 0.7}
    e = extra_bits_experiment(p, q, [100_000], seed=3, repeats=10)
    assert e.huffman_expected_extra_bits == pytest.approx(0.6)  # a: 2 bits instead of 1, c: 1 not 2
    assert e.huffman_mean[0] == pytest.approx(0.6, abs=0.01)
    assert e.huffman_low[0] <= e.huffman_mean[0] <= e.huffman_high[0]


def test_experiment_forest_huffman_shows_no_extra_bits():
    e = extra_bits_experiment(P, Q, [10, 1000], seed=1, repeats=5)
    assert e.huffman_mean == e.huffman_low == e.huffman_high == (0.0, 0.0)


def test_experiment_is_deterministic_and_seeded():
    a = extra_bits_experiment(P, Q, [10, 100, 1000], seed=11)
    assert a == extra_bits_experiment(P, Q, [10, 100, 1000], seed=11)
    assert a != extra_bits_experiment(P, Q, [10, 100, 1000], seed=12)


def test_experiment_order_of_sizes_does_not_change_the_draws():
    a = extra_bits_experiment(P, Q, [10, 100, 1000], seed=5, repeats=3)
    b = extra_bits_experiment(P, Q, [1000, 10, 100], seed=5, repeats=3)
    assert b.sample_sizes == (1000, 10, 100)
    assert b.ideal_mean == (a.ideal_mean[2], a.ideal_mean[0], a.ideal_mean[1])


def test_experiment_sizes_nest_within_a_run():
    # With one run, 2n symbols = the first n plus n more: the measured totals must add up
    # to a value consistent with the per-symbol extra bits of the outcomes seen.
    e = extra_bits_experiment(
        {"a": 0.5, "b": 0.5}, {"a": 0.25, "b": 0.75}, [1, 2, 3], seed=0, repeats=1
    )
    steps = {math.log2(0.5 / 0.25), math.log2(0.5 / 0.75)}
    totals = [m * n for m, n in zip(e.ideal_mean, e.sample_sizes, strict=True)]
    increments = [totals[0], totals[1] - totals[0], totals[2] - totals[1]]
    assert all(min(abs(x - s) for s in steps) < 1e-12 for x in increments)


def test_experiment_ignores_outcomes_p_never_produces():
    e = extra_bits_experiment(
        {"a": 0.5, "b": 0.5, "z": 0.0}, {"a": 0.5, "b": 0.25, "z": 0.25}, [1000], seed=1
    )
    assert math.isfinite(e.ideal_mean[0])
    assert e.kl_bits == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("sizes", "repeats", "message"),
    [
        ([], 1, "empty"),
        ([10, 0], 1, "positive integers"),
        ([10, 2.5], 1, "positive integers"),
        ([True], 1, "positive integers"),
        ([10], 0, "positive integers"),
    ],
)
def test_experiment_rejects_bad_sizes(sizes, repeats, message):
    with pytest.raises(DistributionError, match=message):
        extra_bits_experiment(P, Q, sizes, seed=0, repeats=repeats)


def test_ruled_out_lists_outcomes_p_allows_and_q_rules_out_in_p_order():
    assert ruled_out(P, Q) == ()
    assert ruled_out(P, {"Squirrel": 0.5, "Rabbit": 0.5}) == ("Deer",)  # missing counts as 0
    assert ruled_out({"a": 0.5, "b": 0.5, "c": 0.0}, {"a": 0.0, "b": 0.0, "c": 1.0}) == ("a", "b")
    assert ruled_out({"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 0.0}) == ("b",)  # p = 0 is no reason
    with pytest.raises(DistributionError, match="sum"):
        ruled_out({"a": 0.5}, Q)


def test_experiment_with_q_ruling_out_a_p_outcome_has_infinite_ideal_and_finite_huffman():
    """Q's ideal code cannot encode the Deer (KL infinite); Q's Huffman code still can."""
    q = {"Squirrel": 0.6, "Rabbit": 0.4, "Deer": 0.0}
    sizes = [10, 1000, 100_000]
    e = extra_bits_experiment(P, q, sizes, seed=4, repeats=20)
    assert e.ruled_out == ("Deer",)
    assert e.kl_bits == math.inf == float(scipy.stats.entropy(list(P.values()), list(q.values())))
    assert e.ideal_mean == e.ideal_low == e.ideal_high == (math.inf,) * len(sizes)
    # Huffman for Q: Squirrel 1 bit, Rabbit 2, Deer 2 (zero weight still gets a codeword);
    # for P: the same lengths, so the Huffman codes cost nothing extra on P's data.
    assert huffman_code(q) == {"Squirrel": "0", "Rabbit": "10", "Deer": "11"}
    assert e.huffman_expected_extra_bits == 0.0
    assert e.huffman_mean == e.huffman_low == e.huffman_high == (0.0,) * len(sizes)
    assert all(math.isfinite(x) for x in (*e.huffman_mean, *e.huffman_low, *e.huffman_high))


def test_experiment_with_q_ruling_out_measures_huffman_extra_bits_on_the_same_draws():
    # Q's Huffman code gives c (q = 0) a 2-bit codeword where P's has 1 bit: every c in the
    # sample costs one extra bit, every b one bit less (ties go to the earlier outcome, so
    # c merges with a first), and a the same in both.
    p = {"a": 0.25, "b": 0.25, "c": 0.5}
    q = {"a": 0.5, "b": 0.5, "c": 0.0}
    assert {k: len(w) for k, w in huffman_code(p).items()} == {"a": 2, "b": 2, "c": 1}
    assert {k: len(w) for k, w in huffman_code(q).items()} == {"a": 2, "b": 1, "c": 2}
    e = extra_bits_experiment(p, q, [100_000], seed=9, repeats=10)
    assert e.ruled_out == ("c",) and e.ideal_mean == (math.inf,)
    assert e.huffman_expected_extra_bits == pytest.approx(0.25)  # 0.5 · 1 − 0.25 · 1
    sd = math.sqrt(0.75 - 0.25**2) / math.sqrt(100_000 * 10)  # per-symbol extra: 1, −1 or 0
    assert abs(e.huffman_mean[0] - 0.25) < 4 * sd
    # The finite experiment on the same seed draws the same counts: its Huffman figures
    # agree wherever the codes agree (here the same pair of Huffman codes, so exactly).
    finite = extra_bits_experiment(
        p, {"a": 0.45, "b": 0.45, "c": 0.1}, [100_000], seed=9, repeats=10
    )
    assert finite.ruled_out == () and math.isfinite(finite.ideal_mean[0])
    assert huffman_code({"a": 0.45, "b": 0.45, "c": 0.1}) == huffman_code(q)
    assert finite.huffman_mean == e.huffman_mean
