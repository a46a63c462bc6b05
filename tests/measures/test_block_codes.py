"""kl.measures.block_codes: the block lengths whose code stays within its codeword budget."""

from __future__ import annotations

import pytest

from kl.errors import DistributionError
from kl.measures.block_codes import MAX_BLOCK_CODEWORDS, block_sizes


@pytest.mark.parametrize("outcomes", [1, 2, 3, 5, 10, 12, 31, 32, 1001])
def test_each_block_length_is_kept_only_within_the_budget(outcomes: int) -> None:
    sizes = block_sizes(outcomes, 8)
    assert sizes[0] == 1  # a single symbol always has its code
    assert list(sizes) == list(range(1, len(sizes) + 1))
    assert all(outcomes**k <= MAX_BLOCK_CODEWORDS for k in sizes[1:])
    if len(sizes) < 8:
        assert outcomes ** (len(sizes) + 1) > MAX_BLOCK_CODEWORDS


def test_the_lectures_three_animals_get_blocks_up_to_six() -> None:
    assert block_sizes(3, 8) == (1, 2, 3, 4, 5, 6)  # 3**6 = 729, 3**7 = 2187


@pytest.mark.parametrize(("outcomes", "largest"), [(0, 3), (3, 0), (-1, -1)])
def test_no_outcome_or_no_block_is_an_error(outcomes: int, largest: int) -> None:
    with pytest.raises(DistributionError, match="need outcomes >= 1"):
        block_sizes(outcomes, largest)
