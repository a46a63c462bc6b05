"""Markdown tables from computed rows, and text that stays text in Markdown.

A table's words are the page's: a header or label cell that says something in words is a
`Label`, a key the page gives the words for where it places the table
(``{{ table("coding-blocks", block="Animals per block", ...) }}``); `Table.worded` puts
them in. Numbers, symbols of the mathematics (p(x), KL(P‖Q), μ) and names from the data
are computed cells.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from kl.errors import KLError

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


class WordsError(KLError, ValueError):
    """A page's words for a `Label` do not fit it (text where it needs a macro, say)."""


@dataclass(frozen=True)
class Label:
    """A header or label cell whose words the page gives: ``key`` (an identifier) names
    them in the page's ``table(...)`` call. ``args`` are what they say of the data (an
    animal, a step count): the page's words are then a macro taking them by name
    (``{% macro after(step) %}``). ``bold`` shows them in bold (a total)."""

    key: str
    args: Mapping[str, object] = field(default_factory=dict)
    bold: bool = False

    def __post_init__(self) -> None:
        if not self.key.isidentifier():
            raise ValueError(f"a label's key must be an identifier, not {self.key!r}")

    def worded(self, word: object) -> str:
        """This cell with ``word`` for it: text, or a callable (a Jinja macro) that takes
        the label's ``args`` by name and returns text. One line of text, its runs of
        whitespace made single spaces, in bold markup if the label is bold. Raises
        WordsError for text where the label has arguments, for a callable that takes other
        arguments, and for a word that is neither text nor callable."""
        if callable(word):
            try:
                text = plain(str(word(**self.args)))
            except TypeError as exc:  # a macro that takes other arguments
                raise WordsError(f"the words for {self.key!r}: {exc}") from None
        elif not isinstance(word, str):
            raise WordsError(f"the words for {self.key!r} must be text, not {word!r}")
        elif self.args:
            raise WordsError(
                f"the words for {self.key!r} say something of {', '.join(self.args)}: "
                f"give a macro taking {', '.join(self.args)}"
            )
        else:
            text = plain(word) if isinstance(word, Markup) else word
        text = " ".join(text.split())
        return bold(text) if self.bold else text

    def __str__(self) -> str:
        """The key (with its arguments), where no page gives the words (a listing)."""
        args = ", ".join(f"{k}={v}" for k, v in self.args.items())
        return f"{self.key}({args})" if args else self.key


Cell = str | Label


@dataclass(frozen=True)
class Table:
    """A table of already-formatted cells; ``align`` holds "l", "r" or "c" per column.

    A cell is text, shown as written, unless it is `markupsafe.Markup` (e.g. a bold total),
    or a `Label` whose words the page gives (`worded`); until then it shows its key.
    ``optional`` are the keys of labels that other data would show but this data leaves
    out (a row for no step in between): the page gives their words all the same.
    """

    headers: Sequence[Cell]
    rows: Sequence[Sequence[Cell]]
    align: Sequence[str] = ()
    optional: Sequence[str] = ()

    def label_keys(self) -> list[str]:
        """The keys of the table's labels, each once, in reading order, then `optional`'s."""
        cells = [*self.headers, *(c for row in self.rows for c in row)]
        shown = [c.key for c in cells if isinstance(c, Label)]
        return list(dict.fromkeys([*shown, *self.optional]))

    def worded(self, words: Mapping[str, object]) -> Table:
        """This table with each label's words taken from ``words`` by its key (see
        `Label.worded`); raises KeyError for a key ``words`` lacks."""

        def cell(c: Cell) -> str:
            return c.worded(words[c.key]) if isinstance(c, Label) else c

        return replace(
            self,
            headers=[cell(h) for h in self.headers],
            rows=[[cell(c) for c in row] for row in self.rows],
        )

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


def _escape(cell: Cell) -> str:
    return str(cell) if isinstance(cell, Markup) else str(as_text(str(cell)))


def _csv_cell(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _plain_cell(cell: Cell) -> str:
    return plain(cell) if isinstance(cell, Markup) else str(cell)


def bold(text: str) -> Markup:
    """A cell shown in bold (a total, a summary row); its ``text`` stays text."""
    return Markup(f"**{as_text(text)}**")
