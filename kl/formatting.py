"""Format computed numbers for the page: fixed decimals, a true minus sign, ∞ for infinity."""

from __future__ import annotations

import math

MINUS = "\u2212"


def format_number(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` decimals (trailing zeros kept), "∞"/"−∞" for infinities.

    Raises ValueError for NaN: a NaN on the page always means a bug upstream.
    """
    if math.isnan(x):
        raise ValueError("refusing to format NaN")
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    text = f"{x:.{digits}f}"
    if text.startswith("-"):
        text = MINUS + text[1:] if float(text) != 0 else text[1:]
    return text


def format_probability(x: float) -> str:
    """A number as a person wrote it: the shortest decimal that round-trips (0.6, −1.5)."""
    if x in (0.0, 1.0):
        return format_number(x, 0)
    return f"{x:.12g}".replace("-", MINUS)


def format_percent(x: float, digits: int = 0) -> str:
    """A fraction as a percentage, e.g. 0.6 -> "60%"."""
    return f"{format_number(100 * x, digits)}%"
