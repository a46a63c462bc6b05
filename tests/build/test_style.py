"""kl.build.style: how a bar shows its value (across, on end, or not at all)."""

from __future__ import annotations

import pytest

from kl.build.style import CHAR_PT, SMALL_FONT_SIZE, bar_value_rotation


@pytest.mark.parametrize(
    ("bar_pt", "rotation"),
    [
        (4 * CHAR_PT, 0),  # "0.60" fits across
        (4 * CHAR_PT - 0.1, 90),  # a hair narrower: on end
        (1.6 * SMALL_FONT_SIZE, 90),  # the thinnest bar that still shows it
        (1.6 * SMALL_FONT_SIZE - 0.1, None),  # thinner: no value
    ],
)
def test_a_value_stands_across_on_end_or_not_at_all(bar_pt: float, rotation: int | None) -> None:
    assert bar_value_rotation(bar_pt, ["0.6", "0.60"]) == rotation
