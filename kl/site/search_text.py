"""A page's formulas as the site's search reads them: their text without their markup.

Material's search indexes the text of a page, tag by tag: of a formula's MathML it keeps
the text of each token (``<mi>p</mi><mo>(</mo>...`` gives "p(" ...), a blank token (a
thin space) as one space, and drops the tags. A formula is a dozen tags or more for a few
characters, so on the lecture page MathML is most of what the indexer parses.
`formulas_as_text` hands it each formula with only the text it would have kept, which it
indexes the same way, so the index is the same, parsed at a fraction of the cost.

A formula is left as it is where the text alone could index differently: one that starts
or ends with a blank token (the indexer collapses it with the blank text beside the
formula) or has two blank tokens in a row (collapsed too, but not in a heading).
"""

from __future__ import annotations

import html
import itertools
import re

_FORMULA = re.compile(r"(<math\b[^>]*>)(.*?)(</math>)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _formula_text(match: re.Match[str]) -> str:
    """The formula of ``match`` with its tokens' text alone inside ``<math>``, each blank
    token one space; the formula as it is where that could index differently."""
    chunks = [chunk for chunk in _TAG.split(match.group(2)) if chunk]
    blank = [html.unescape(chunk).isspace() for chunk in chunks]
    if not chunks or blank[0] or blank[-1] or any(a and b for a, b in itertools.pairwise(blank)):
        return match.group(0)
    pairs = zip(chunks, blank, strict=True)
    text = "".join(" " if is_blank else chunk for chunk, is_blank in pairs)
    return f"{match.group(1)}{text}{match.group(3)}"


def formulas_as_text(page_html: str) -> str:
    """``page_html`` with each ``<math>`` element's markup inside it dropped, its text kept
    as the search indexer reads it (see the module's docstring). Text outside formulas,
    and entities and characters inside them, are left as they are."""
    return _FORMULA.sub(_formula_text, page_html)
