"""An exercise's numeric answer as the reader's answer is checked against it.

A page shows each answer with some number of decimals; the reader's answer counts as right
when it lies within half a unit of that last decimal of the answer (so it would be shown
the same), in the answer's unit or, where the exercise allows, the other unit of
information (bits and nats, converted with ln 2 in the browser). `checked` gives the
answer, its tolerance and both as the page writes them into a checker's data attributes
(exactly, for the script) and its text (for the reader), as markup a page prints as it
is. The tolerance of an infinite answer is stated like a finite one's (the page must not
give the answer away), but only ∞ matches it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from kl.lecture.formatting import SCIENTIFIC_FROM, format_number
from kl.lecture.values import Number


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer (``value``, any float but NaN) shown with ``decimals`` decimals, and the
    tolerance that follows from them: half a unit of the last digit shown."""

    value: float
    decimals: int

    def __post_init__(self) -> None:
        if math.isnan(self.value):
            raise ValueError("an answer cannot be NaN")
        if self.decimals < 0:
            raise ValueError(f"decimals must be 0 or more, got {self.decimals!r}")

    @property
    def tolerance(self) -> float:
        return 0.5 * 10.0 ** (_last_place(self.value, self.decimals))

    @property
    def tolerance_decimals(self) -> int:
        """The decimals that write the tolerance out in full (one more than the answer's)."""
        return max(0, -_last_place(self.value, self.decimals) + 1)

    @property
    def exact(self) -> Markup:
        """The answer for a script: the shortest text that reads back as the same float
        ("Infinity" for ∞, as JavaScript's Number() reads it)."""
        return _exact(self.value)

    @property
    def exact_tolerance(self) -> Markup:
        return _exact(self.tolerance)

    @property
    def text(self) -> Markup:
        """The answer as the page shows it."""
        return Markup(format_number(self.value, self.decimals))

    @property
    def tolerance_text(self) -> Markup:
        """The tolerance as the page shows it: 0.0000005 for an answer of 6 decimals."""
        return Markup(format_number(self.tolerance, self.tolerance_decimals))


def _last_place(x: float, decimals: int) -> int:
    """The power of ten of the last digit `format_number` shows of ``x`` (of a finite
    number that size: ``decimals`` decimals for ∞)."""
    if math.isfinite(x) and abs(x) >= SCIENTIFIC_FROM:
        return math.floor(math.log10(abs(x))) - min(decimals, 2)
    return -decimals


def _exact(x: float) -> Markup:
    if math.isinf(x):
        return Markup("Infinity" if x > 0 else "-Infinity")
    return Markup(repr(float(x)))


def checked(value: float, decimals: int | None = None) -> CheckedAnswer:
    """``{{ x | checked(6) }}``: the answer ``x`` shown with ``decimals`` decimals (by
    default the decimals its page format shows). Raises ValueError for NaN or negative
    decimals."""
    if decimals is None:
        decimals = value.digits if isinstance(value, Number) else 4
    return CheckedAnswer(float(value), decimals)
