"""How long a block code the lecture shows: the codeword budget that bounds its work.

Pure Python (no numpy), so the data file's validation can use it on every build.
"""

from __future__ import annotations

from kl.errors import DistributionError

# The most codewords a block code may have: blocks of k symbols from n outcomes need
# n**k codewords, so the work (and the table) grows fast with n and k.
MAX_BLOCK_CODEWORDS = 1000


def block_sizes(outcomes: int, largest: int) -> tuple[int, ...]:
    """The block lengths k = 1, ..., ``largest`` whose code (``outcomes``**k codewords) has
    at most MAX_BLOCK_CODEWORDS codewords; k = 1 always. Raises DistributionError for
    fewer than one outcome or a largest block shorter than 1."""
    if outcomes < 1 or largest < 1:
        raise DistributionError(f"need outcomes >= 1 and largest >= 1, got {outcomes}, {largest}")
    return tuple(k for k in range(1, largest + 1) if k == 1 or outcomes**k <= MAX_BLOCK_CODEWORDS)
