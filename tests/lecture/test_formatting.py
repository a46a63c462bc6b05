"""kl.lecture.formatting: how numbers are written."""

from __future__ import annotations

from kl.lecture.formatting import format_number, format_small, shown


def test_small_numbers_switch_to_scientific_notation() -> None:
    assert format_small(0.04) == "0.0400"
    assert format_small(0.00005) == "0.0001"
    assert format_small(1.5e-9) == "1.5 × 10⁻⁹"
    assert format_small(0.0) == "0.0000"


def test_shown_is_the_number_the_page_shows_not_pythons_round() -> None:
    """A reader subtracts the numbers as shown: 2.675 shows as 2.68 (Python's round gives
    2.67, the float being a little under 2.675)."""
    assert shown(2.675, 2) == 2.68 == float(format_number(2.675, 2))
    assert round(2.675, 2) == 2.67
    assert shown(0.0344983, 6) == 0.034498
