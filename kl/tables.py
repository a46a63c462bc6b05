"""Markdown tables from computed rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A table of already-formatted cells; ``align`` holds "l", "r" or "c" per column."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    align: Sequence[str] = ()

    def to_markdown(self) -> str:
        """A pipe table; raises ValueError when a row's width differs from the header's."""
        width = len(self.headers)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {i} has {len(row)} cells, the header has {width}")
        align = list(self.align) or ["l"] + ["r"] * (width - 1)
        rule = {"l": ":--", "r": "--:", "c": ":-:"}
        lines = [
            "| " + " | ".join(_escape(h) for h in self.headers) + " |",
            "| " + " | ".join(rule[a] for a in align) + " |",
        ]
        lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """The same cells as RFC 4180 CSV (for downloads)."""
        return "".join(
            ",".join(_csv_cell(c) for c in row) + "\r\n" for row in [self.headers, *self.rows]
        )


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def _csv_cell(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell
