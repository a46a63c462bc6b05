"""MkDocs hook: the search plugin indexes each formula's text without walking its MathML.

Material's search indexer spends time on every tag it meets, and a formula typeset as
MathML is dozens of nested tags: on the lecture page they were most of the build's
indexing time. Just before the search plugin reads a page this hook reduces each
``<math>`` element to its text (`kl.mathml.flatten_math`), which is all the index keeps
of it anyway, and just after, it puts the full MathML back for the page itself.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from kl.mathml import flatten_math, restore_math

_full_math: dict[str, list[str]] = {}


@event_priority(100)  # before the search plugin (priority 0)
def _flatten(context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
    if page.content is not None:
        page.content, _full_math[page.file.src_uri] = flatten_math(page.content)
    return context


@event_priority(-100)  # after the search plugin, before the page's template is rendered
def _restore(context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
    originals = _full_math.pop(page.file.src_uri, None)
    if originals is not None and page.content is not None:
        page.content = restore_math(page.content, originals)
    return context


on_page_context = CombinedEvent(_flatten, _restore)
