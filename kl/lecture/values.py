"""Computed numbers as pages quote them: the number itself and how it is shown by default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from kl.lecture.formatting import format_integer, format_number, format_percent, format_probability

Kind = Literal["number", "written", "probability", "percent", "integer"]


class Number(float):
    """A float that knows how a page shows it: ``{{ x }}`` prints `text()`.

    ``kind`` picks the default format: "number" with ``digits`` decimals, "written" as a
    person writes it (0.6), "percent" (60%) or "integer" (1,000). Arithmetic and
    comparisons are a float's. ``text`` raises ValueError for NaN.
    """

    kind: Kind
    digits: int

    def __new__(cls, x: float, kind: Kind = "number", digits: int = 4) -> Number:
        number = super().__new__(cls, x)
        number.kind = "written" if kind == "probability" else kind
        number.digits = digits
        return number

    def __reduce__(self) -> tuple[type[Number], tuple[float, Kind, int]]:
        return (Number, (float(self), self.kind, self.digits))

    @property
    def number(self) -> float:
        return float(self)

    def text(self, digits: int | None = None) -> str:
        """The number as shown on the page; ``digits`` overrides the default decimals."""
        d = self.digits if digits is None else digits
        if self.kind == "integer" and digits is None:
            return format_integer(self)
        if self.kind == "written" and digits is None:
            return format_probability(self)
        if self.kind == "percent":
            return format_percent(self, 0 if digits is None else d)
        return format_number(self, d)

    def __html__(self) -> str:
        return self.text()


Value = Number  # the name the content modules use

Fact = Number | str | bool | int | float | Sequence[object] | Mapping[str, object]
"""What a page may read: numbers, names (shown as text), yes/no facts, lists, namespaces."""


def text_value(label: str) -> str:
    """A name or word a page quotes (shown as text, never markup)."""
    return label


def shown(x: float, digits: int = 4) -> str:
    """A plain float as a page shows it: ``digits`` decimals, a true minus sign, ∞."""
    return format_number(x, digits)


def nest(values: Mapping[str, object]) -> dict[str, object]:
    """Dotted names as the namespaces a page reads: ``forest_example.kl_pq_bits`` becomes
    ``facts["forest_example"]["kl_pq_bits"]``. Raises ValueError if a name is also a namespace."""
    tree: dict[str, object] = {}
    for name, value in values.items():
        *path, leaf = name.split(".")
        node = tree
        for part in path:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"{name!r}: {part!r} is a value and a namespace")
            node = child
        if leaf in node:
            raise ValueError(f"{name!r} is a value and a namespace")
        node[leaf] = value
    return tree
