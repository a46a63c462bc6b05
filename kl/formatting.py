"""Format computed numbers for the page: fixed decimals, a true minus sign, ∞ for infinity."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

MINUS = "\u2212"


def format_number(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` decimals (trailing zeros kept), "∞"/"−∞" for infinities.

    Rounding is a reader's by hand: half away from zero, on the decimal the float stands
    for (its shortest repr), so 0.03125 shows as 0.0313 and 2.675 as 2.68.
    Raises ValueError for NaN: a NaN on the page always means a bug upstream.
    """
    if math.isnan(x):
        raise ValueError("refusing to format NaN")
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    text = f"{_rounded(x, digits):f}"
    if text.startswith("-"):
        text = MINUS + text[1:] if float(text) != 0 else text[1:]
    return text


def _rounded(x: float, digits: int) -> Decimal:
    """``x`` rounded half away from zero to ``digits`` decimals, as the decimal it prints as."""
    exact = Decimal(repr(float(x)))
    enough = Context(prec=max(exact.adjusted(), 0) + digits + 2)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=enough)


def format_probability(x: float) -> str:
    """A number as a person wrote it: the shortest decimal that round-trips (0.6, −1.5)."""
    if x in (0.0, 1.0):
        return format_number(x, 0)
    return f"{x:.12g}".replace("-", MINUS)


def format_percent(x: float, digits: int = 0) -> str:
    """A fraction as a percentage, e.g. 0.6 -> "60%"."""
    return f"{format_number(100 * x, digits)}%"
