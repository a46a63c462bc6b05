"""A Python-Markdown extension: each glossary term is explained once per section.

The ``abbr`` extension turns every occurrence of a defined term into an ``<abbr>`` with
the definition as its tooltip: on the lecture page, over two hundred dotted underlines,
most of them repeating one a few lines above. This keeps the first ``<abbr>`` of each
definition in every section (from one ``h1`` or ``h2`` to the next) and turns the others
back into plain text, so a reader who arrives at a section by a link still finds each
term explained at its first mention there. Terms with the same definition ("nat" and
"nats") count as one. A mention in a heading is kept but does not count (headings draw
it without the dotted underline that says "a definition is here"), and a collapsible
block (``<details>``, such as an exercise's solution) may be closed, so a mention inside
it explains the term inside it only.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

SECTION_HEADINGS = ("h1", "h2")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _unwrap(element: ElementTree.Element, parent: ElementTree.Element) -> None:
    """Replace ``element`` (an ``<abbr>``: text, no children) by its text, keeping what
    follows it."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)


def _keep_first_mentions(block: ElementTree.Element, explained: set[str]) -> None:
    """Unwrap each ``<abbr>`` in ``block`` whose definition is in ``explained``; add the
    definitions of those it keeps."""
    parents = {child: parent for parent in block.iter() for child in parent}
    for abbr in list(block.iter("abbr")):
        title = abbr.get("title", "")
        if title in explained:
            _unwrap(abbr, parents[abbr])
        explained.add(title)


class FirstMentionTreeprocessor(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        explained: set[str] = set()
        for block in root:
            if block.tag in SECTION_HEADINGS:
                explained.clear()
            if block.tag not in HEADINGS:
                scope = set(explained) if block.tag == "details" else explained
                _keep_first_mentions(block, scope)


class GlossaryExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        # After the abbr extension has marked every occurrence (priority 7).
        md.treeprocessors.register(FirstMentionTreeprocessor(md), "kl-first-mention", 6)


def makeExtension(**kwargs: Any) -> GlossaryExtension:  # noqa: N802
    return GlossaryExtension(**kwargs)
