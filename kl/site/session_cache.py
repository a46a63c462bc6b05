"""What a ``mkdocs serve`` session keeps in memory from one rebuild to the next, so that a
rebuild converts and indexes only the pages whose Markdown changed (`kl.site.mkdocs_plugin`
hands MkDocs' pages and the search index to it; nothing here imports MkDocs).

- `RenderedPages`: a page's Markdown converted to HTML, with what MkDocs notes while
  converting it (the table of contents, the title found, the anchors the page has and
  the links it makes to anchors of other pages) and the messages logged meanwhile, which a
  page taken from it logs again. It is keyed by the page's Markdown, its path and address,
  and what the conversion reads besides: every file's path and address (links are made
  relative to them), the Markdown extensions and their settings, the validation settings,
  the files below the includes folder (snippets, the answers' template), the math font
  and the code of `kl`;
- `IndexedPages`: the search index's entries of a page, keyed by its HTML, its address,
  title, settings (``meta``) and table of contents.

Each keeps one entry per page (the last one made): an edit and its undo convert the page
twice, a session's memory stays the size of one site.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from kl.build.cache import cache_key

# What MkDocs' conversion sets on a page (mkdocs.structure.pages.Page.render).
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")
LOGGERS = ("", "mkdocs")  # where the messages of a conversion are heard (mkdocs' own
# logger does not pass them on to the root one)


class _Heard(logging.Handler):
    """Keeps each message logged while it is attached (once, if two loggers hear it)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(r is record for r in self.records):
            self.records.append(record)


@contextmanager
def _hearing() -> Iterator[_Heard]:
    heard = _Heard()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(heard)
    try:
        yield heard
    finally:
        for logger in loggers:
            logger.removeHandler(heard)


class RenderedPages:
    """Pages' converted Markdown, kept through a serve session (see the module's text)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, dict[str, Any], Any, list[logging.LogRecord]]] = {}
        self.converted: list[str] = []  # the pages converted by the last build, by path

    def start(self, context: Iterable[bytes | str]) -> None:
        """Begin a build whose conversions read ``context`` besides each page's Markdown."""
        self._context = cache_key(context)
        self.converted = []

    def render(self, page: Any, convert: Callable[[], None], files: Any) -> None:
        """Set what ``convert`` (MkDocs' conversion of ``page``) sets on ``page``, from the
        session's memory when the page and what it reads are as they were, else by running
        it. ``files`` are the build's files, to which kept links to anchors are tied."""
        src = page.file.src_uri
        key = cache_key([self._context, src, page.file.url, page.markdown or ""])
        kept = self._kept.get(src)
        if kept is not None and kept[0] == key:
            _, attributes, links, records = kept
            for name, value in attributes.items():
                setattr(page, name, copy.deepcopy(value))
            if links is not None:
                page.links_to_anchors = {
                    files.get_file_from_path(to): dict(anchors) for to, anchors in links.items()
                }
            for record in records:
                logging.getLogger(record.name).handle(record)
            return
        with _hearing() as heard:
            convert()
        self.converted.append(src)
        attributes = {name: copy.deepcopy(getattr(page, name, None)) for name in RENDERED}
        links = page.links_to_anchors
        if links is not None:  # tied to this build's files: kept by their paths
            links = {to.src_uri: dict(anchors) for to, anchors in links.items()}
        self._kept[src] = (key, attributes, links, heard.records)


def _toc(items: Iterable[Any]) -> list[Any]:
    return [(i.title, i.url, i.level, _toc(i.children)) for i in items]


class IndexedPages:
    """Pages' search index entries, kept through a serve session (see the module's text)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self.indexed: list[str] = []  # the pages indexed by the last build, by address

    def start(self, settings: str) -> None:
        """Begin a build whose index has ``settings`` (the search plugin's)."""
        self._settings = settings
        self.indexed = []

    def add(self, page: Any, entries: list[dict[str, Any]], index: Callable[[Any], None]) -> None:
        """Add ``page``'s entries to ``entries`` (the build's index), from the session's
        memory when the page is as it was, else by running ``index`` on it."""
        key = cache_key(
            [
                self._settings,
                page.url,
                str(page.title),
                repr(sorted(page.meta.items(), key=str)),
                repr(_toc(page.toc)),
                page.content or "",
            ]
        )
        kept = self._kept.get(page.url)
        if kept is not None and kept[0] == key:
            entries.extend(copy.deepcopy(kept[1]))
            return
        start = len(entries)
        index(page)
        self.indexed.append(page.url)
        self._kept[page.url] = (key, copy.deepcopy(entries[start:]))
