"""kl.measures.discrete: entropy, cross-entropy, KL divergence and its per-outcome terms."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from typing import ClassVar

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from kl.errors import DistributionError
from kl.measures.discrete import cross_entropy, entropy, kl_divergence, kl_terms
from tests.strategies import FloatArray, distribution_pairs, distributions, nearly_equal_pairs

PROPERTY = settings(max_examples=150, deadline=None)

FOREST_P = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
FOREST_Q = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
LN2 = math.log(2)


@pytest.fixture(autouse=True)
def _numpy_warnings_are_errors() -> Iterator[None]:
    """No measure may rely on numpy producing (and warning about) inf or NaN on the way.

    Underflow to a subnormal or to 0 is harmless and stays allowed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(divide="raise", invalid="raise", over="raise"):
            yield


def close(a: float, b: float, *, rel: float = 1e-12, abs_: float = 0.0) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def scipy_cross_entropy(p: np.ndarray, q: np.ndarray, base: float = math.e) -> float:
    return -math.fsum(scipy.special.xlogy(p, q)) / math.log(base)


# --------------------------------------------------------------------------- input forms


class TestInputForms:
    P = (0.2, 0.5, 0.3)
    Q = (0.4, 0.4, 0.2)
    EXPECTED_KL = 0.2 * math.log(0.5) + 0.5 * math.log(1.25) + 0.3 * math.log(1.5)
    EXPECTED_H = -(0.2 * math.log(0.2) + 0.5 * math.log(0.5) + 0.3 * math.log(0.3))
    EXPECTED_CE = -(0.2 * math.log(0.4) + 0.5 * math.log(0.4) + 0.3 * math.log(0.2))

    FORMS: ClassVar[dict[str, Callable[[tuple[float, ...]], object]]] = {
        "list": list,
        "tuple": tuple,
        "array": np.array,
        "mapping": lambda v: dict(zip("abc", v, strict=True)),
    }

    @pytest.mark.parametrize("form", FORMS)
    def test_entropy(self, form: str) -> None:
        assert close(entropy(self.FORMS[form](self.P)), self.EXPECTED_H)  # type: ignore[arg-type]

    @pytest.mark.parametrize("form", FORMS)
    def test_cross_entropy(self, form: str) -> None:
        convert = self.FORMS[form]
        assert close(cross_entropy(convert(self.P), convert(self.Q)), self.EXPECTED_CE)  # type: ignore[arg-type]

    @pytest.mark.parametrize("form", FORMS)
    def test_kl_divergence(self, form: str) -> None:
        convert = self.FORMS[form]
        assert close(kl_divergence(convert(self.P), convert(self.Q)), self.EXPECTED_KL)  # type: ignore[arg-type]

    def test_results_are_python_floats(self) -> None:
        for value in (
            entropy(np.array(self.P)),
            cross_entropy(np.array(self.P), np.array(self.Q)),
            kl_divergence(np.array(self.P), np.array(self.Q)),
        ):
            assert type(value) is float

    def test_mappings_are_aligned_by_key_not_order(self) -> None:
        shuffled_q = {"Deer": 0.1, "Rabbit": 0.4, "Squirrel": 0.5}
        assert kl_divergence(FOREST_P, shuffled_q) == kl_divergence(FOREST_P, FOREST_Q)
        assert cross_entropy(FOREST_P, shuffled_q) == cross_entropy(FOREST_P, FOREST_Q)

    def test_mapping_outcome_missing_from_q_has_probability_zero_there(self) -> None:
        assert kl_divergence({"a": 0.5, "b": 0.5}, {"a": 1.0}) == math.inf
        assert cross_entropy({"a": 0.5, "b": 0.5}, {"a": 1.0}) == math.inf

    def test_mapping_outcome_missing_from_p_has_probability_zero_there(self) -> None:
        assert close(kl_divergence({"a": 1.0}, {"a": 0.5, "b": 0.5}), LN2)
        assert close(cross_entropy({"a": 1.0}, {"a": 0.5, "b": 0.5}), LN2)
        assert close(kl_divergence({"b": 1.0}, {"a": 0.25, "b": 0.75}), -math.log(0.75))

    def test_mapping_and_sequence_cannot_be_mixed(self) -> None:
        with pytest.raises(DistributionError, match="both be mappings"):
            kl_divergence(FOREST_P, [0.5, 0.4, 0.1])


# --------------------------------------------------------------------------- bases


class TestBase:
    def test_entropy_of_a_fair_coin(self) -> None:
        assert close(entropy([0.5, 0.5]), LN2)
        assert close(entropy([0.5, 0.5], base=2), 1.0)
        assert close(entropy([0.5, 0.5], base=10), math.log10(2))

    def test_entropy_of_uniform_over_ten_in_base_ten_is_one(self) -> None:
        assert close(entropy([0.1] * 10, base=10), 1.0)

    def test_default_base_is_e(self) -> None:
        p, q = [0.2, 0.8], [0.6, 0.4]
        assert kl_divergence(p, q) == kl_divergence(p, q, base=math.e)
        assert entropy(p) == entropy(p, base=math.e)
        assert cross_entropy(p, q) == cross_entropy(p, q, base=math.e)

    @pytest.mark.parametrize("base", [2, 10, 3.5])
    def test_kl_in_base_b_times_ln_b_is_kl_in_nats(self, base: float) -> None:
        p, q = [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]
        nats = kl_divergence(p, q)
        assert close(kl_divergence(p, q, base=base) * math.log(base), nats)
        assert close(entropy(p, base=base) * math.log(base), entropy(p))
        assert close(cross_entropy(p, q, base=base) * math.log(base), cross_entropy(p, q))

    def test_infinite_kl_is_infinite_in_every_base(self) -> None:
        for base in (2, 10, math.e):
            assert kl_divergence([0.5, 0.5], [1.0, 0.0], base=base) == math.inf

    @pytest.mark.parametrize("base", [0, -2, 1, 1.0, math.nan, math.inf, -math.inf])
    @pytest.mark.parametrize("measure", ["entropy", "cross_entropy", "kl_divergence", "kl_terms"])
    def test_invalid_base_is_an_error(self, measure: str, base: float) -> None:
        calls: dict[str, Callable[[], object]] = {
            "entropy": lambda: entropy([0.5, 0.5], base=base),
            "cross_entropy": lambda: cross_entropy([0.5, 0.5], [0.5, 0.5], base=base),
            "kl_divergence": lambda: kl_divergence([0.5, 0.5], [0.5, 0.5], base=base),
            "kl_terms": lambda: kl_terms([0.5, 0.5], [0.5, 0.5], base=base),
        }
        with pytest.raises(DistributionError, match=r"base must be finite, positive and not 1"):
            calls[measure]()


# --------------------------------------------------------------------------- zeros


class TestZeros:
    def test_p_zero_terms_contribute_nothing_to_entropy(self) -> None:
        assert entropy([0.0, 0.5, 0.5]) == entropy([0.5, 0.5])
        assert entropy([1.0, 0.0, 0.0]) == 0.0

    def test_p_zero_terms_contribute_nothing_to_kl(self) -> None:
        expected = 2 * 0.5 * math.log(0.5 / 0.4)
        assert close(kl_divergence([0.0, 0.5, 0.5], [0.2, 0.4, 0.4]), expected)

    def test_p_zero_terms_contribute_nothing_to_cross_entropy(self) -> None:
        assert close(cross_entropy([0.0, 0.5, 0.5], [0.2, 0.4, 0.4]), -math.log(0.4))

    def test_p_zero_and_q_zero_together_contribute_nothing(self) -> None:
        assert kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0
        assert cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
        assert close(
            kl_divergence([0.0, 0.5, 0.5], [0.0, 0.25, 0.75]),
            kl_divergence([0.5, 0.5], [0.25, 0.75]),
        )

    @pytest.mark.parametrize(
        ("p", "q"),
        [
            ([0.5, 0.5], [1.0, 0.0]),
            ([1e-300, 1.0], [0.0, 1.0]),
            ([0.1, 0.2, 0.7], [0.5, 0.5, 0.0]),
            ({"Squirrel": 0.6, "Rabbit": 0.4}, {"Squirrel": 1.0, "Rabbit": 0.0}),
        ],
    )
    def test_q_zero_where_p_positive_is_exactly_inf(self, p: object, q: object) -> None:
        kl = kl_divergence(p, q)  # type: ignore[arg-type]
        ce = cross_entropy(p, q)  # type: ignore[arg-type]
        assert kl == math.inf
        assert ce == math.inf
        assert not math.isnan(kl)
        assert not math.isnan(ce)

    def test_q_zero_where_p_positive_in_bits_is_inf(self) -> None:
        assert kl_divergence([0.5, 0.5], [1.0, 0.0], base=2) == math.inf
        assert cross_entropy([0.5, 0.5], [1.0, 0.0], base=2) == math.inf

    def test_zero_probability_in_p_only_is_finite_the_other_way_round(self) -> None:
        assert close(kl_divergence([1.0, 0.0], [0.5, 0.5]), LN2)


# --------------------------------------------------------------------------- bad input


class TestBadInput:
    def test_negative_entry_names_the_index(self) -> None:
        with pytest.raises(DistributionError, match=r"index 1"):
            entropy([0.5, -0.1, 0.6])
        with pytest.raises(DistributionError, match=r"^q: index 2 is negative"):
            kl_divergence([0.2, 0.3, 0.5], [0.6, 0.6, -0.2])

    def test_negative_entry_names_the_outcome(self) -> None:
        with pytest.raises(DistributionError, match="'Rabbit'"):
            kl_divergence(FOREST_P, {"Squirrel": 0.7, "Rabbit": -0.1, "Deer": 0.4})
        with pytest.raises(DistributionError, match="'Rabbit'"):
            entropy({"Squirrel": 0.8, "Rabbit": -0.2, "Deer": 0.4})

    @pytest.mark.parametrize(
        "measure",
        [
            lambda p: entropy(p),
            lambda p: cross_entropy(p, [0.25, 0.25, 0.5]),
            lambda p: kl_divergence(p, [0.25, 0.25, 0.5]),
            lambda p: kl_terms(p, [0.25, 0.25, 0.5]),
        ],
        ids=["entropy", "cross_entropy", "kl_divergence", "kl_terms"],
    )
    def test_every_measure_validates_p(self, measure: Callable[[object], float]) -> None:
        with pytest.raises(DistributionError, match=r"^p: index 0 is NaN"):
            measure([math.nan, 0.5, 0.5])
        with pytest.raises(DistributionError, match=r"^p: index 2 is infinite"):
            measure([0.0, 0.0, math.inf])
        with pytest.raises(DistributionError, match=r"^p: is empty"):
            measure([])
        with pytest.raises(DistributionError, match=r"^p: probabilities sum to 1\.1"):
            measure([0.3, 0.3, 0.5])

    def test_q_is_validated_too(self) -> None:
        with pytest.raises(DistributionError, match=r"^q: index 1 is NaN"):
            cross_entropy([0.5, 0.5], [0.5, math.nan])
        with pytest.raises(DistributionError, match=r"^q: is empty"):
            kl_divergence([1.0], [])

    def test_length_mismatch(self) -> None:
        with pytest.raises(DistributionError, match=r"different lengths \(2 and 3\)"):
            kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
        with pytest.raises(DistributionError, match=r"different lengths \(3 and 2\)"):
            cross_entropy([0.2, 0.3, 0.5], [0.5, 0.5])

    def test_sum_within_1e_10_is_accepted(self) -> None:
        p = [0.5, 0.5 + 1e-10]
        q = [0.5, 0.5 - 1e-10]
        assert math.isfinite(entropy(p))
        assert math.isfinite(cross_entropy(p, q))
        assert 0.0 <= kl_divergence(p, q) < 1e-15

    def test_sum_off_by_more_than_1e_9_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"^q: probabilities sum to .*not 1"):
            kl_divergence([0.5, 0.5], [0.5, 0.5 + 2e-9])

    def test_normalize_rescales_both(self) -> None:
        assert close(entropy([3, 3], normalize=True), LN2)
        assert close(
            kl_divergence([1, 3], [2, 2], normalize=True), kl_divergence([0.25, 0.75], [0.5, 0.5])
        )
        assert close(
            cross_entropy({"a": 6, "b": 4}, {"a": 1, "b": 1}, normalize=True),
            cross_entropy({"a": 0.6, "b": 0.4}, {"a": 0.5, "b": 0.5}),
        )


# --------------------------------------------------------------------------- textbook values


class TestTextbookValues:
    def test_cover_and_thomas_example_2_3_1(self) -> None:
        r, s = 0.5, 0.25
        p, q = [1 - r, r], [1 - s, s]
        assert round(kl_divergence(p, q, base=2), 4) == 0.2075
        assert round(kl_divergence(q, p, base=2), 4) == 0.1887
        exact_pq = 1 - 0.5 * math.log2(3)
        exact_qp = 0.75 * math.log2(3) - 1
        assert close(kl_divergence(p, q, base=2), exact_pq)
        assert close(kl_divergence(q, p, base=2), exact_qp)

    def test_forest_example(self) -> None:
        assert abs(kl_divergence(FOREST_P, FOREST_Q, base=2) - 0.033309) <= 5e-7
        assert abs(kl_divergence(FOREST_P, FOREST_Q) - 0.023088) <= 5e-7
        assert abs(kl_divergence(FOREST_Q, FOREST_P, base=2) - 0.034498) <= 5e-7
        assert abs(entropy(FOREST_P, base=2) - 1.295462) <= 5e-7
        assert abs(cross_entropy(FOREST_P, FOREST_Q, base=2) - 1.328771) <= 5e-7

    def test_forest_example_agrees_with_scipy(self) -> None:
        p = np.array(list(FOREST_P.values()))
        q = np.array([FOREST_Q[k] for k in FOREST_P])
        assert close(kl_divergence(FOREST_P, FOREST_Q, base=2), scipy.stats.entropy(p, q, base=2))
        assert close(kl_divergence(FOREST_Q, FOREST_P, base=2), scipy.stats.entropy(q, p, base=2))
        assert close(entropy(FOREST_P, base=2), scipy.stats.entropy(p, base=2))
        assert close(cross_entropy(FOREST_P, FOREST_Q, base=2), scipy_cross_entropy(p, q, 2))

    def test_forest_kl_is_asymmetric(self) -> None:
        forward = kl_divergence(FOREST_P, FOREST_Q)
        reverse = kl_divergence(FOREST_Q, FOREST_P)
        assert forward < reverse
        assert reverse - forward > 1e-4


# --------------------------------------------------------------------------- scipy agreement

SIZES = [2, 3, 5, 10, 100, 1000]
CONCENTRATIONS = [0.1, 0.5, 1.0, 5.0, 100.0]


def dirichlet_pairs(n: int, alpha: float, count: int = 4) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng([n, int(alpha * 10)])
    return [(rng.dirichlet([alpha] * n), rng.dirichlet([alpha] * n)) for _ in range(count)]


# The draws sum to 1 only to within rounding (~1e-16), and scipy renormalises them while
# `kl` does not: the two readings of the same numbers differ by a few units of 1e-16 in
# absolute terms, which is all the absolute slack allowed on top of 1e-12 relative.
SCIPY_ABS = 1e-15


@pytest.mark.parametrize("alpha", CONCENTRATIONS)
@pytest.mark.parametrize("n", SIZES)
class TestAgreesWithScipy:
    def test_entropy(self, n: int, alpha: float) -> None:
        for p, _ in dirichlet_pairs(n, alpha):
            assert close(entropy(p), scipy.stats.entropy(p), abs_=SCIPY_ABS)
            assert close(entropy(p, base=2), scipy.stats.entropy(p, base=2), abs_=SCIPY_ABS)

    def test_kl_divergence(self, n: int, alpha: float) -> None:
        for p, q in dirichlet_pairs(n, alpha):
            assert close(kl_divergence(p, q), scipy.stats.entropy(p, q), abs_=SCIPY_ABS)
            assert close(
                kl_divergence(q, p, base=2), scipy.stats.entropy(q, p, base=2), abs_=SCIPY_ABS
            )

    def test_cross_entropy(self, n: int, alpha: float) -> None:
        for p, q in dirichlet_pairs(n, alpha):
            assert close(cross_entropy(p, q), scipy_cross_entropy(p, q), abs_=SCIPY_ABS)
            assert close(
                cross_entropy(p, q, base=10), scipy_cross_entropy(p, q, 10), abs_=SCIPY_ABS
            )
            via_scipy = scipy.stats.entropy(p) + scipy.stats.entropy(p, q)
            assert close(cross_entropy(p, q), via_scipy, rel=1e-11, abs_=SCIPY_ABS)


def test_scipy_comparison_uses_nontrivial_inputs() -> None:
    kls = [
        kl_divergence(p, q) for n in SIZES for a in CONCENTRATIONS for p, q in dirichlet_pairs(n, a)
    ]
    assert all(math.isfinite(k) for k in kls)
    assert len(set(kls)) == len(kls)
    assert sum(k > 1e-3 for k in kls) >= 0.9 * len(kls)


@pytest.mark.parametrize("n", [3, 10, 1000])
def test_agrees_with_scipy_when_there_are_zeros(n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(5):
        p, q = rng.dirichlet([0.7] * n), rng.dirichlet([0.7] * n)
        p[rng.choice(n, size=n // 3 + 1, replace=False)] = 0.0
        p /= p.sum()
        assert close(entropy(p), scipy.stats.entropy(p), abs_=SCIPY_ABS)
        assert close(kl_divergence(p, q), scipy.stats.entropy(p, q), abs_=SCIPY_ABS)
        assert close(cross_entropy(p, q), scipy_cross_entropy(p, q), abs_=SCIPY_ABS)
        q[p > 0] = 0.0
        q /= q.sum()
        assert kl_divergence(p, q) == scipy.stats.entropy(p, q) == math.inf


# --------------------------------------------------------------------------- tiny probabilities


def _decimal_kl(p: list[Decimal], q: list[Decimal]) -> float:
    with localcontext() as ctx:
        ctx.prec = 400
        return float(sum((a * (a / b).ln() for a, b in zip(p, q, strict=True) if a), Decimal(0)))


def _decimal_divergence(p: FloatArray, q: FloatArray) -> float:
    """sum p ln(p/q) - p + q of the floats exactly as given (what `kl_divergence` sums:
    for floats whose sums are 1 only to rounding, sum p ln(p/q) differs from it by that)."""
    with localcontext() as ctx:
        ctx.prec = 400
        pairs = [(Decimal(a), Decimal(b)) for a, b in zip(p.tolist(), q.tolist(), strict=True)]
        return float(sum((a * (a / b).ln() - a + b for a, b in pairs), Decimal(0)))


def _decimal_cross_entropy(p: list[Decimal], q: list[Decimal]) -> float:
    with localcontext() as ctx:
        ctx.prec = 400
        return float(-sum((a * b.ln() for a, b in zip(p, q, strict=True) if a), Decimal(0)))


def _decimal_entropy(p: list[Decimal]) -> float:
    return _decimal_cross_entropy(p, p)


def _exact(*small: float) -> list[Decimal]:
    """The distribution (small..., 1 - sum(small)) with the last entry exact, not rounded."""
    with localcontext() as ctx:
        ctx.prec = 400
        head = [Decimal(x) for x in small]
        return [*head, 1 - sum(head, Decimal(0))]


def _floats(exact: list[Decimal]) -> list[float]:
    return [float(x) for x in exact]


TINY_PAIRS = [
    ((1e-300,), (1e-200,)),
    ((1e-200,), (1e-300,)),
    ((3e-300,), (1e-300,)),
    ((1e-300,), (0.5,)),
    ((0.25,), (1e-300,)),
    ((1e-10,), (1e-320,)),
    ((5e-324,), (1e-300,)),
    ((1e-300, 0.25), (0.5, 0.25)),
    ((1e-300, 0.5), (1e-250, 0.5)),
    ((1e-300, 1e-300), (1e-200, 1e-100)),
]


@pytest.mark.parametrize("change", [1e-15, 1e-12, 1e-8, 1e-4])
@PROPERTY
@given(data=st.data())
def test_a_q_within_rounding_of_p_gets_its_divergence_to_rounding(
    change: float, data: st.DataObject
) -> None:
    """Where q is a few units of rounding (or a little more) from p, p log(p/q) and p - q
    agree in nearly all their digits: KL is still right to 1e-9 of itself, not off by
    1e-16, which the divergence of such a pair may be no larger than."""
    p, q = data.draw(nearly_equal_pairs(max_relative_change=change))
    expected = _decimal_divergence(p, q)
    assert close(kl_divergence(p, q), expected, rel=1e-9, abs_=1e-300)


def test_the_reported_pair_near_the_subnormals_is_right_to_rounding() -> None:
    """P = (1.2e-38, 1) and Q = (2.2e-16, 1 - 2.2e-16): log(p/q) rounded the ratio
    1/(1 - 2.2e-16) to a neighbour, and the midpoint's divergence came out 1.6 times its
    size, so the detour through it read longer than the direct route."""
    p = np.array([1.175494351e-38, 1.0])
    q = np.array([2.2204460492503126e-16, 0.9999999999999998])
    m = (p + q) / 2
    for a, b in ((p, q), (p, m), (m, q)):
        assert close(kl_divergence(a, b), _decimal_divergence(a, b), rel=1e-12)
    assert kl_divergence(p, m) + kl_divergence(m, q) < kl_divergence(p, q)


class TestTinyProbabilities:
    @pytest.mark.parametrize(("p_small", "q_small"), TINY_PAIRS)
    def test_kl_matches_a_high_precision_reference(
        self, p_small: tuple[float, ...], q_small: tuple[float, ...]
    ) -> None:
        p, q = _exact(*p_small), _exact(*q_small)
        expected = _decimal_kl(p, q)
        assert expected > 0
        got = kl_divergence(_floats(p), _floats(q))
        assert math.isfinite(got)
        assert close(got, expected)
        assert close(kl_divergence(_floats(p), _floats(q), base=2), expected / LN2)

    def test_small_kl_from_a_large_probability_term(self) -> None:
        # KL = -ln(1 - 1e-10) = 1e-10 + 5e-21: the 5e-21 comes from outcomes with
        # probability ~1, where one rounding of 1.0 is 1e-16; 1e-10 relative still holds.
        p, q = _exact(1e-320), _exact(1e-10)
        assert close(kl_divergence(_floats(p), _floats(q)), _decimal_kl(p, q), rel=1e-10)
        p, q = [Decimal(0), Decimal(1)], _exact(1e-10)
        assert close(kl_divergence(_floats(p), _floats(q)), _decimal_kl(p, q), rel=1e-10)

    def test_issue_example(self) -> None:
        got = kl_divergence([1e-300, 1 - 1e-300], [1e-200, 1 - 1e-200])
        expected = _decimal_kl(_exact(1e-300), _exact(1e-200))
        assert close(expected, 1e-200, rel=1e-90)
        assert close(got, expected)

    def test_identical_tiny_distributions_have_zero_kl(self) -> None:
        p = [1e-300, 1 - 1e-300]
        assert kl_divergence(p, p) == 0.0

    @pytest.mark.parametrize("small", [(1e-300, 0.25), (1e-300, 0.5), (1e-300, 1e-200, 0.3)])
    def test_entropy_matches_a_high_precision_reference(self, small: tuple[float, ...]) -> None:
        p = _exact(*small)
        assert close(entropy(_floats(p)), _decimal_entropy(p))

    def test_entropy_of_the_given_numbers_is_accurate_when_tiny(self) -> None:
        # 1 - 1e-300 rounds to 1.0; the entropy of the numbers as given is -1e-300 ln 1e-300.
        p = [1e-300, 1.0]
        got = entropy(p)
        assert got > 0
        assert close(got, _decimal_entropy([Decimal(x) for x in p]))

    @pytest.mark.parametrize(
        ("p_small", "q_small"), [((1e-300, 0.5), (1e-200, 0.25)), ((0.25, 1e-300), (1e-300, 0.5))]
    )
    def test_cross_entropy_matches_a_high_precision_reference(
        self, p_small: tuple[float, ...], q_small: tuple[float, ...]
    ) -> None:
        p, q = _exact(*p_small), _exact(*q_small)
        assert close(cross_entropy(_floats(p), _floats(q)), _decimal_cross_entropy(p, q))

    def test_cross_entropy_of_the_given_numbers_is_accurate_when_tiny(self) -> None:
        p, q = [1e-300, 1.0], [1e-200, 1.0]
        got = cross_entropy(p, q)
        assert got > 0
        assert close(got, _decimal_cross_entropy([Decimal(x) for x in p], [Decimal(x) for x in q]))

    def test_subnormal_probabilities_give_finite_results(self) -> None:
        p, q = [5e-324, 1.0], [1e-310, 1.0]
        for value in (entropy(p), cross_entropy(p, q), kl_divergence(p, q), kl_divergence(q, p)):
            assert math.isfinite(value)
            assert value >= 0


# --------------------------------------------------------------------------- kl_terms


class TestKlTerms:
    def test_forest_terms(self) -> None:
        terms = kl_terms(FOREST_P, FOREST_Q)
        assert terms.shape == (3,)
        assert close(terms[0], 0.6 * math.log(0.6 / 0.5))
        assert close(terms[1], 0.3 * math.log(0.3 / 0.4))
        assert terms[2] == 0.0

    def test_term_is_negative_where_q_exceeds_p(self) -> None:
        terms = kl_terms(FOREST_P, FOREST_Q)
        assert terms[1] < 0
        assert terms[0] > 0
        reverse = kl_terms(FOREST_Q, FOREST_P)
        assert reverse[0] < 0
        assert reverse[1] > 0

    def test_terms_sum_to_kl(self) -> None:
        for base in (math.e, 2, 10):
            terms = kl_terms(FOREST_P, FOREST_Q, base=base)
            assert close(math.fsum(terms), kl_divergence(FOREST_P, FOREST_Q, base=base))

    def test_terms_in_bits(self) -> None:
        bits = kl_terms(FOREST_P, FOREST_Q, base=2)
        nats = kl_terms(FOREST_P, FOREST_Q)
        np.testing.assert_allclose(bits * LN2, nats, rtol=1e-14)
        assert abs(math.fsum(bits) - 0.033309) <= 5e-7

    def test_zero_and_infinite_terms(self) -> None:
        terms = kl_terms([0.0, 0.5, 0.5], [0.5, 0.5, 0.0])
        assert terms[0] == 0.0
        assert terms[1] == 0.0
        assert terms[2] == math.inf

    def test_mapping_terms_follow_aligned_key_order(self) -> None:
        terms = kl_terms({"b": 0.5, "a": 0.5}, {"a": 0.25, "c": 0.25, "b": 0.5})
        assert terms.shape == (3,)
        assert terms[0] == 0.0
        assert close(terms[1], 0.5 * LN2)
        assert terms[2] == 0.0

    def test_validates_input(self) -> None:
        with pytest.raises(DistributionError, match="'Rabbit'"):
            kl_terms({"Rabbit": -1.0, "Deer": 2.0}, FOREST_Q)

    @PROPERTY
    @given(distribution_pairs(max_size=20))
    def test_terms_sum_to_kl_property(self, pair: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pair
        terms = kl_terms(p, q)
        scale = math.fsum(np.abs(terms))
        assert math.isclose(
            math.fsum(terms), kl_divergence(p, q), rel_tol=1e-9, abs_tol=1e-12 * (1 + scale)
        )
        assert np.all(terms[p == 0] == 0.0)
        assert np.all((terms < 0) == ((p > 0) & (q > p)))


# --------------------------------------------------------------------------- properties


class TestProperties:
    @PROPERTY
    @given(distribution_pairs(q_zeros=True))
    def test_kl_is_non_negative(self, pair: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pair
        kl = kl_divergence(p, q)
        assert kl >= 0
        assert not math.isnan(kl)
        assert (kl == math.inf) == bool(np.any((p > 0) & (q == 0)))

    @PROPERTY
    @given(distributions(max_size=20))
    def test_kl_of_p_with_itself_is_zero(self, p: np.ndarray) -> None:
        assert kl_divergence(p, p) == 0.0
        assert kl_divergence(p, p, base=2) == 0.0

    @PROPERTY
    @given(distribution_pairs(q_zeros=True))
    def test_cross_entropy_is_entropy_plus_kl(self, pair: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pair
        ce, h, kl = cross_entropy(p, q), entropy(p), kl_divergence(p, q)
        if math.isinf(kl):
            assert ce == math.inf
        else:
            assert math.isclose(ce, h + kl, rel_tol=1e-9, abs_tol=1e-12)

    @PROPERTY
    @given(distribution_pairs(q_zeros=True), st.sampled_from([2, 10, 1.5, 7.25]))
    def test_base_conversion(self, pair: tuple[np.ndarray, np.ndarray], base: float) -> None:
        p, q = pair
        ln_b = math.log(base)
        # Results in the subnormal range (below ~2.2e-308) carry fewer significant digits.
        close = {"rel_tol": 1e-12, "abs_tol": 1e-300}
        assert math.isclose(kl_divergence(p, q, base=base) * ln_b, kl_divergence(p, q), **close)
        assert math.isclose(entropy(p, base=base) * ln_b, entropy(p), **close)
        assert math.isclose(cross_entropy(p, q, base=base) * ln_b, cross_entropy(p, q), **close)

    @PROPERTY
    @given(st.data())
    def test_invariant_to_permuting_outcomes(self, data: st.DataObject) -> None:
        p, q = data.draw(distribution_pairs(max_size=15, q_zeros=True))
        order = data.draw(st.permutations(range(p.size)))
        pp, qp = p[order], q[order]
        for before, after in [
            (kl_divergence(p, q), kl_divergence(pp, qp)),
            (entropy(p), entropy(pp)),
            (cross_entropy(p, q), cross_entropy(pp, qp)),
        ]:
            assert math.isclose(before, after, rel_tol=1e-13)

    @PROPERTY
    @given(distributions(max_size=30))
    def test_entropy_is_between_zero_and_log_n(self, p: np.ndarray) -> None:
        h = entropy(p)
        assert 0.0 <= h <= math.log(p.size) * (1 + 1e-12)

    @PROPERTY
    @given(st.integers(min_value=1, max_value=500))
    def test_uniform_entropy_is_log_n(self, n: int) -> None:
        assert math.isclose(entropy(np.full(n, 1.0 / n)), math.log(n), rel_tol=1e-12, abs_tol=1e-15)

    @PROPERTY
    @given(distribution_pairs(q_zeros=True))
    def test_pinsker_inequality(self, pair: tuple[np.ndarray, np.ndarray]) -> None:
        """KL(P||Q) >= 2 TV(P, Q)^2 (nats): so KL is zero only when P = Q."""
        p, q = pair
        tv = 0.5 * math.fsum(np.abs(p - q))
        assert kl_divergence(p, q) >= 2 * tv * tv * (1 - 1e-9) - 1e-15

    @PROPERTY
    @given(nearly_equal_pairs())
    def test_nearly_equal_distributions_never_give_negative_kl(
        self, pair: tuple[np.ndarray, np.ndarray]
    ) -> None:
        p, q = pair
        for a, b in ((p, q), (q, p)):
            kl = kl_divergence(a, b)
            # The true value is below 1e-23; allow a few rounding errors, never a negative.
            assert 0.0 <= kl <= 1e-15
            assert 0.0 <= kl_divergence(a, b, base=2) <= 1e-15
