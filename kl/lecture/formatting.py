"""Format computed numbers for the page: fixed decimals, a true minus sign, ∞ for infinity,
and scientific notation (6.00 × 10²⁹⁹) for numbers too large to write out."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

MINUS = "\u2212"
# Numbers of this size or more are written in scientific notation (a ratio of two
# probabilities can reach 10³⁰⁰): below it, format_number writes every digit.
SCIENTIFIC_FROM = 1e6
# Whole numbers are written out, with thousands separators, below this.
WHOLE_NUMBERS_UP_TO = 10**15
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` decimals (trailing zeros kept), "∞"/"−∞" for infinities; from
    SCIENTIFIC_FROM on, as `format_scientific` with up to 2 decimals in the mantissa.

    Rounding is a reader's by hand: half away from zero, on the decimal the float stands
    for (its shortest repr), so 0.03125 shows as 0.0313 and 2.675 as 2.68.
    Raises ValueError for NaN: a NaN on the page always means a bug upstream.
    """
    if math.isnan(x):
        raise ValueError("refusing to format NaN")
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    if abs(x) >= SCIENTIFIC_FROM:
        return format_scientific(x, min(digits, 2))
    text = f"{_rounded(x, digits):f}"
    if text.startswith("-"):
        text = MINUS + text[1:] if float(text) != 0 else text[1:]
    return text


def format_small(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` decimals, or, where that would show only zeros (a nonzero x
    below half a unit of the last decimal), in scientific notation with one decimal:
    format_small(0.04) is "0.0400", format_small(1.5e-9) is "1.5 × 10⁻⁹", 0 is "0.0000"."""
    if x != 0 and abs(x) < 0.5 * 10.0**-digits:
        return format_scientific(x, 1)
    return format_number(x, digits)


def format_scientific(x: float, decimals: int) -> str:
    """A finite nonzero ``x`` as a mantissa with ``decimals`` decimals times a power of ten
    written in superscript digits: 6.00 × 10²⁹⁹, −1.5 × 10⁻³⁰⁰."""
    return _times_power_of_ten(f"{x:.{decimals}e}")


def _times_power_of_ten(e_notation: str) -> str:
    """Python's "6.00e+299" written as "6.00 × 10²⁹⁹"."""
    mantissa, exponent = e_notation.split("e")
    return f"{mantissa.replace('-', MINUS)} × {power_of_ten(int(exponent))}"


def power_of_ten(exponent: int) -> str:
    """10 to the power ``exponent`` in superscript digits: 10⁶, 10⁻³⁰⁰."""
    return f"10{str(exponent).translate(_SUPERSCRIPT)}"


def shown(x: float, digits: int) -> float:
    """A finite ``x`` as `format_number` shows it with ``digits`` decimals: the number a
    reader who compares or subtracts the page's numbers works with."""
    return float(_rounded(x, digits))


def _rounded(x: float, digits: int) -> Decimal:
    """``x`` rounded half away from zero to ``digits`` decimals, as the decimal it prints as."""
    exact = Decimal(repr(float(x)))
    enough = Context(prec=max(exact.adjusted(), 0) + digits + 2)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=enough)


def format_probability(x: float) -> str:
    """A number as a person wrote it: the shortest decimal that round-trips (0.6, −1.5);
    one that needs an exponent in scientific notation (1 × 10⁻³⁰⁰)."""
    if x in (0.0, 1.0):
        return format_number(x, 0)
    text = f"{x:.12g}"
    return _times_power_of_ten(text) if "e" in text else text.replace("-", MINUS)


def format_integer(n: float) -> str:
    """A whole number with thousands separators (100,000), below WHOLE_NUMBERS_UP_TO; from
    there on in scientific notation (1.00 × 10¹⁸)."""
    if abs(n) >= WHOLE_NUMBERS_UP_TO:
        return format_scientific(n, 2)
    return f"{round(n):,}"


def format_percent(x: float, digits: int = 0) -> str:
    """A fraction as a percentage, e.g. 0.6 -> "60%"."""
    return f"{format_number(100 * x, digits)}%"
