"""MkDocs hook: the exercises' answers, gathered into an appendix for the printed lecture.

On screen each answer stays folded under its exercise. For print, this hook copies every
answer (`kl.exercise_answers.collect_answers`) into the page's template context as
``kl_answers``; docs/overrides/partials/answers.html writes them after the page's content
as an appendix that only print shows (docs/assets/print.css), and print leaves out the
folded originals, which the hook marks. It runs after the search plugin has indexed the
page, so search finds each answer once.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from kl.exercise_answers import collect_answers


@event_priority(-200)  # after kl_search_hook has put the full MathML back (priority -100)
def on_page_context(context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
    if page.content is not None:
        page.content, context["kl_answers"] = collect_answers(page.content)
    return context
