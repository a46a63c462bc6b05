"""Markdown tables from computed rows, and text that stays text in Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Characters that Markdown, HTML, the math extension, attribute lists or a table would read
# as syntax; written as character references they show as themselves.
_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]#+|$<>&\"'"})
# What starts a list item when it starts a line: "- x", "1. x".
_LIST_START = re.compile(r"^(?:-|\d+[.)])(?=\s|$)")


def as_text(text: str) -> Markup:
    """``text`` for a Markdown page, shown exactly as written (never markup): every
    character Markdown or HTML could read as syntax becomes a character reference.
    `html.unescape` turns the result back into ``text``."""
    escaped = str(text).translate(_SYNTAX)
    return Markup(_LIST_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m[0]), escaped))


def plain(markdown_text: str) -> str:
    """Text rendered for a page, as plain text again (for JSON, CSV, meta tags)."""
    return html.unescape(markdown_text)


@dataclass(frozen=True)
class Table:
    """A table of already-formatted cells; ``align`` holds "l", "r" or "c" per column.

    A cell is text, shown as written, unless it is `markupsafe.Markup` (e.g. a bold total).
    """

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
            ",".join(_csv_cell(_plain_cell(c)) for c in row) + "\r\n"
            for row in [self.headers, *self.rows]
        )


def _escape(cell: str) -> str:
    return str(cell) if isinstance(cell, Markup) else str(as_text(cell))


def _csv_cell(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _plain_cell(cell: str) -> str:
    return plain(cell) if isinstance(cell, Markup) else cell


def bold(text: str) -> Markup:
    """A cell shown in bold (a total, a summary row); its ``text`` stays text."""
    return Markup(f"**{as_text(text)}**")
