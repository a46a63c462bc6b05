"""kl.measures.distributions: validating and aligning probability vectors, checking bases."""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pytest

from kl.errors import DistributionError, KLError
from kl.measures.distributions import SUM_TOLERANCE, align, as_distribution, check_base

FOREST_P = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}


def test_distribution_error_is_a_value_error_and_a_kl_error() -> None:
    assert issubclass(DistributionError, ValueError)
    assert issubclass(DistributionError, KLError)


def test_sum_tolerance_is_1e_9() -> None:
    assert SUM_TOLERANCE == 1e-9


class TestAsDistribution:
    @pytest.mark.parametrize(
        "given",
        [
            [0.25, 0.75],
            (0.25, 0.75),
            np.array([0.25, 0.75]),
            np.array([0.25, 0.75], dtype=np.float32),
            {"a": 0.25, "b": 0.75},
        ],
        ids=["list", "tuple", "array", "float32-array", "mapping"],
    )
    def test_accepts_sequences_arrays_and_mappings(self, given: object) -> None:
        vec = as_distribution(given)  # type: ignore[arg-type]
        assert vec.dtype == np.float64
        assert vec.shape == (2,)
        np.testing.assert_array_equal(vec, [0.25, 0.75])

    def test_mapping_keeps_key_order(self) -> None:
        vec = as_distribution(OrderedDict([("Deer", 0.1), ("Squirrel", 0.6), ("Rabbit", 0.3)]))
        np.testing.assert_array_equal(vec, [0.1, 0.6, 0.3])

    def test_zero_entries_are_allowed(self) -> None:
        np.testing.assert_array_equal(as_distribution([0.0, 1.0, 0.0]), [0.0, 1.0, 0.0])

    def test_negative_entry_names_the_index(self) -> None:
        with pytest.raises(DistributionError, match=r"^p: index 1 is negative \(-0\.1\)"):
            as_distribution([0.5, -0.1, 0.6])

    def test_negative_entry_names_the_outcome_of_a_mapping(self) -> None:
        with pytest.raises(DistributionError, match=r"outcome 'Rabbit' is negative \(-0\.1\)$"):
            as_distribution({"Squirrel": 0.8, "Rabbit": -0.1, "Deer": 0.3})

    def test_message_uses_the_given_name(self) -> None:
        with pytest.raises(DistributionError, match=r"^q: index 0 is negative"):
            as_distribution([-0.5, 1.5], name="q")

    @pytest.mark.parametrize("bad", [math.nan, float("nan")])
    def test_nan_entry_names_the_index(self, bad: float) -> None:
        with pytest.raises(DistributionError, match=r"index 1 is NaN"):
            as_distribution([0.5, bad, 0.5])

    def test_nan_entry_names_the_outcome(self) -> None:
        with pytest.raises(DistributionError, match=r"outcome 'Deer' is NaN"):
            as_distribution({"Squirrel": 0.6, "Rabbit": 0.4, "Deer": math.nan})

    @pytest.mark.parametrize("bad", [math.inf, -math.inf])
    def test_infinite_entry_names_the_index(self, bad: float) -> None:
        with pytest.raises(DistributionError, match=r"index 2 is infinite"):
            as_distribution([0.5, 0.5, bad])

    def test_infinite_entry_names_the_outcome(self) -> None:
        with pytest.raises(DistributionError, match=r"outcome 'Squirrel' is infinite"):
            as_distribution({"Squirrel": math.inf})

    @pytest.mark.parametrize("empty", [[], (), np.array([]), {}], ids=repr)
    def test_empty_input_is_an_error(self, empty: object) -> None:
        with pytest.raises(DistributionError, match=r"^p: is empty"):
            as_distribution(empty)  # type: ignore[arg-type]

    def test_two_dimensional_input_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"flat list.*shape \(2, 2\)"):
            as_distribution(np.full((2, 2), 0.25))

    def test_scalar_input_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"flat list"):
            as_distribution(1.0)  # type: ignore[arg-type]

    def test_non_numbers_are_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"entries must be numbers"):
            as_distribution(["half", "half"])  # type: ignore[list-item]

    @pytest.mark.parametrize("off", [2e-9, -2e-9, 1e-6, 0.1, -0.5])
    def test_sum_off_by_more_than_1e_9_is_an_error(self, off: float) -> None:
        with pytest.raises(DistributionError, match=r"sum to .*not 1.*normalize=True"):
            as_distribution([0.5, 0.5 + off])

    def test_sum_message_names_the_distribution(self) -> None:
        with pytest.raises(DistributionError, match=r"^q: probabilities sum to 1\.2"):
            as_distribution({"a": 0.6, "b": 0.6}, name="q")

    @pytest.mark.parametrize("off", [1e-10, -1e-10, 5e-10, -5e-10])
    def test_sum_off_by_less_than_1e_9_is_accepted_unchanged(self, off: float) -> None:
        given = [0.5, 0.5 + off]
        np.testing.assert_array_equal(as_distribution(given), given)

    def test_normalize_rescales(self) -> None:
        np.testing.assert_allclose(
            as_distribution([2, 6], normalize=True), [0.25, 0.75], rtol=1e-15
        )
        np.testing.assert_allclose(
            as_distribution({"a": 3.0, "b": 1.0}, normalize=True), [0.75, 0.25], rtol=1e-15
        )

    def test_normalize_leaves_a_normalised_vector_alone(self) -> None:
        np.testing.assert_array_equal(as_distribution([0.25, 0.75], normalize=True), [0.25, 0.75])

    def test_normalize_still_rejects_negative_entries(self) -> None:
        with pytest.raises(DistributionError, match=r"index 0 is negative"):
            as_distribution([-1.0, 3.0], normalize=True)

    def test_normalize_rejects_all_zeros(self) -> None:
        with pytest.raises(DistributionError, match=r"cannot normalise.*sum to 0"):
            as_distribution([0.0, 0.0], normalize=True)

    def test_entries_whose_sum_overflows_raise_distribution_error(self) -> None:
        with pytest.raises(DistributionError, match=r"sum to inf, not 1"):
            as_distribution([1e308, 1e308])

    def test_normalize_handles_entries_whose_sum_overflows(self) -> None:
        np.testing.assert_allclose(as_distribution([1e308, 1.5e308], normalize=True), [0.4, 0.6])

    def test_normalize_handles_subnormal_entries(self) -> None:
        np.testing.assert_allclose(as_distribution([5e-324, 5e-324], normalize=True), [0.5, 0.5])


class TestAlign:
    def test_sequences_are_aligned_by_position(self) -> None:
        pv, qv = align([0.2, 0.8], np.array([0.5, 0.5]))
        np.testing.assert_array_equal(pv, [0.2, 0.8])
        np.testing.assert_array_equal(qv, [0.5, 0.5])

    def test_mappings_are_aligned_by_key_in_p_order(self) -> None:
        pv, qv = align({"a": 0.2, "b": 0.8}, {"b": 0.6, "a": 0.4})
        np.testing.assert_array_equal(pv, [0.2, 0.8])
        np.testing.assert_array_equal(qv, [0.4, 0.6])

    def test_missing_outcome_has_probability_zero(self) -> None:
        pv, qv = align({"a": 0.5, "b": 0.5}, {"b": 0.5, "c": 0.5})
        np.testing.assert_array_equal(pv, [0.5, 0.5, 0.0])
        np.testing.assert_array_equal(qv, [0.0, 0.5, 0.5])

    def test_length_mismatch_is_an_error(self) -> None:
        with pytest.raises(DistributionError, match=r"different lengths \(2 and 3\)"):
            align([0.5, 0.5], [0.2, 0.3, 0.5])

    @pytest.mark.parametrize(
        ("p", "q"), [({"a": 1.0}, [1.0]), ([1.0], {"a": 1.0})], ids=["map-seq", "seq-map"]
    )
    def test_mixing_mapping_and_sequence_is_an_error(self, p: object, q: object) -> None:
        with pytest.raises(DistributionError, match=r"both be mappings or both be sequences"):
            align(p, q)  # type: ignore[arg-type]

    def test_errors_name_p_or_q(self) -> None:
        with pytest.raises(DistributionError, match=r"^p: index 1 is NaN"):
            align([0.5, math.nan], [0.5, 0.5])
        with pytest.raises(DistributionError, match=r"^q: index 1 is negative"):
            align([0.5, 0.5], [1.5, -0.5])
        with pytest.raises(DistributionError, match=r"^q: outcome 'Rabbit' is negative"):
            align(FOREST_P, {"Squirrel": 1.1, "Rabbit": -0.1})

    def test_normalize_applies_to_both(self) -> None:
        pv, qv = align([1.0, 3.0], [2.0, 2.0], normalize=True)
        np.testing.assert_allclose(pv, [0.25, 0.75], rtol=1e-15)
        np.testing.assert_allclose(qv, [0.5, 0.5], rtol=1e-15)

    def test_sum_check_applies_to_both(self) -> None:
        with pytest.raises(DistributionError, match=r"^q: probabilities sum to"):
            align([0.5, 0.5], [0.5, 0.6])


class TestCheckBase:
    @pytest.mark.parametrize("base", [math.e, 2, 2.0, 10, 0.5, 1e300])
    def test_returns_the_natural_log_of_the_base(self, base: float) -> None:
        assert check_base(base) == pytest.approx(math.log(base), rel=1e-15, abs=0)

    def test_base_e_gives_exactly_one(self) -> None:
        assert check_base(math.e) == 1.0

    @pytest.mark.parametrize("base", [0, 0.0, -1, -2.0, 1, 1.0, math.nan, math.inf, -math.inf])
    def test_invalid_bases_are_errors(self, base: float) -> None:
        with pytest.raises(DistributionError, match=r"base must be finite, positive and not 1"):
            check_base(base)

    @pytest.mark.parametrize("base", [None, "two", [2]])
    def test_non_numbers_are_errors(self, base: object) -> None:
        with pytest.raises(DistributionError, match=r"base must be a number"):
            check_base(base)  # type: ignore[arg-type]
