"""MkDocs hook: the lecture page carries its interactive figures' inputs as a JSON island.

scripts/gen_pages.py puts the island (`kl.widgets.island`, made from the build's data
and facts) in ``config.extra["kl_widgets"]``; this hook adds it to the lecture page's HTML
after the search plugin has read the page, so the index never holds it. The widgets'
scripts (docs/assets/widgets/) read it when a figure scrolls near.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

LECTURE_PAGE = "index.md"
END_OF_BODY = "</body>"


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri != LECTURE_PAGE:
        return output
    island = config.extra.get("kl_widgets")
    if not island or END_OF_BODY not in output:
        raise PluginError(f"kl: {LECTURE_PAGE}: no widget data to publish (kl_widgets unset)")
    head, _, tail = output.rpartition(END_OF_BODY)
    return f"{head}{island}\n{END_OF_BODY}{tail}"
