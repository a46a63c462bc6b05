"""kl.lecture.formatting: how numbers are written."""

from __future__ import annotations

from kl.lecture.formatting import format_small


def test_small_numbers_switch_to_scientific_notation() -> None:
    assert format_small(0.04) == "0.0400"
    assert format_small(0.00005) == "0.0001"
    assert format_small(1.5e-9) == "1.5 × 10⁻⁹"
    assert format_small(0.0) == "0.0000"
