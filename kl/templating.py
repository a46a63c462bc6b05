"""Expand the directives authors write in Markdown into computed content.

    {{ value forest.kl_pq_bits }}     a computed number, in its default format
    {{ value forest.kl_pq_bits 6 }}   ... with 6 decimals
    {{ table forest-worked }}         a computed Markdown table
    {{ figure hero }}                 a figure (light and dark), caption and downloads

An unknown name, a malformed directive or a stray "{{" raises TemplateError naming the
page, the line and (where one is close) the name that was probably meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

from kl.errors import KLError
from kl.tables import Table
from kl.values import Value

# Code (fenced blocks and inline spans) is matched first and left as it is, so pages
# can show the directive syntax itself.
DIRECTIVE = re.compile(r"(```.*?```|`[^`\n]*`)|\{\{(.*?)\}\}", re.DOTALL)
KINDS = ("value", "table", "figure")


class TemplateError(KLError, ValueError):
    """A directive in a page or caption cannot be expanded."""


def _unknown(kind: str, name: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {name!r}{hint}"


def expand(
    text: str,
    *,
    where: str,
    values: Mapping[str, Value],
    tables: Mapping[str, Table] | None = None,
    figure: Callable[[str], str] | None = None,
    figure_ids: frozenset[str] = frozenset(),
) -> str:
    """Replace every directive in ``text``; ``where`` names the page in error messages.

    ``figure(id)`` returns the Markdown/HTML for one figure; with no ``tables`` or
    ``figure`` given, those directives are errors (captions may only quote values).
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        try:
            return _expand_one(match.group(2).split(), values, tables, figure, figure_ids)
        except TemplateError as exc:
            raise TemplateError(f"{where}:{line}: {{{{{match.group(2)}}}}}: {exc}") from None

    expanded = DIRECTIVE.sub(replace, text)
    for match in re.finditer(r"```.*?```|`[^`\n]*`|(\{\{)", text, re.DOTALL):
        if match.group(1) and not DIRECTIVE.match(text, match.start()):
            line = text.count("\n", 0, match.start()) + 1
            raise TemplateError(
                f"{where}:{line}: unclosed '{{{{' (directives look like {{{{ value name }}}})"
            )
    return expanded


def _expand_one(
    words: list[str],
    values: Mapping[str, Value],
    tables: Mapping[str, Table] | None,
    figure: Callable[[str], str] | None,
    figure_ids: frozenset[str],
) -> str:
    if not words or words[0] not in KINDS:
        raise TemplateError(f"a directive starts with one of {', '.join(KINDS)}")
    kind, args = words[0], words[1:]
    if kind == "value":
        if len(args) not in (1, 2):
            raise TemplateError("expected {{ value NAME }} or {{ value NAME DIGITS }}")
        if args[0] not in values:
            raise TemplateError(_unknown("value", args[0], values))
        if len(args) == 2 and not args[1].isdigit():
            raise TemplateError(f"DIGITS must be a whole number, got {args[1]!r}")
        return values[args[0]].text(int(args[1]) if len(args) == 2 else None)
    if len(args) != 1:
        raise TemplateError(f"expected {{{{ {kind} NAME }}}}")
    if kind == "table":
        if tables is None:
            raise TemplateError("tables cannot be used here")
        if args[0] not in tables:
            raise TemplateError(_unknown("table", args[0], tables))
        return "\n" + tables[args[0]].to_markdown() + "\n"
    if figure is None:
        raise TemplateError("figures cannot be used here")
    if args[0] not in figure_ids:
        raise TemplateError(_unknown("figure", args[0], dict.fromkeys(figure_ids)))
    return figure(args[0])
