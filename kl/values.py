"""Named, computed values that pages and captions quote by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kl.formatting import format_integer, format_number, format_percent, format_probability

Kind = Literal["number", "probability", "percent", "integer", "text"]


@dataclass(frozen=True)
class Value:
    """One quotable value: the number itself and how it is shown by default.

    ``kind`` picks the default format: "number" with ``digits`` decimals,
    "probability" as written (0.6), "percent" (60%), "integer", or "text"
    (``label`` shown verbatim, ``number`` unused).
    """

    number: float
    kind: Kind = "number"
    digits: int = 4
    label: str = ""

    def text(self, digits: int | None = None) -> str:
        """The value as shown on the page; ``digits`` overrides the default decimals."""
        d = self.digits if digits is None else digits
        if self.kind == "text":
            return self.label
        if self.kind == "integer":
            return format_integer(self.number)
        if self.kind == "probability" and digits is None:
            return format_probability(self.number)
        if self.kind == "percent":
            return format_percent(self.number, 0 if digits is None else d)
        return format_number(self.number, d)


def text_value(label: str) -> Value:
    """A value that is a word or phrase, e.g. the name of the likeliest outcome."""
    return Value(0.0, kind="text", label=label)
