"""What a build keeps of each page from one build to the next, in memory through a
``mkdocs serve`` session and in the build cache (`kl.build.cache.FileCache`) between
processes, so that a build converts and indexes only the pages whose Markdown, or what
their conversion reads, changed (`kl.site.mkdocs_plugin` hands MkDocs' pages and the
search index to it; nothing here imports MkDocs).

- `RenderedPages`: a page's Markdown converted to HTML, with what MkDocs notes while
  converting it (the table of contents, the title found, the anchors the page has and
  the links it makes to anchors of other pages) and the messages logged meanwhile, which a
  page taken from it logs again. It is keyed by the page's Markdown, its path and address,
  and what the conversion reads besides (`RenderedPages.start`'s context: every file's
  path and address, the Markdown extensions and their settings, the files they name, the
  math font, the code of `kl`) and the versions of Python and of the libraries that
  convert (`CONVERTERS`);
- `IndexedPages`: the search index's entries of a page, keyed by its HTML, its address,
  title, settings (``meta``) and table of contents, the index's settings and the same
  versions.

Both are kept as JSON, which round-trips them exactly (a table of contents is kept as the
tokens MkDocs makes it from). Each keeps one entry per page in memory (the last one made):
an edit and its undo convert the page twice under serve, its memory stays the size of one
site. A damaged entry in the build cache is reported and made anew, as `FileCache` does.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from kl.build.cache import FileCache, cache_key, versions

# The distributions whose code converts a page or indexes it: Python-Markdown and its
# extensions, MkDocs (links, anchors), Material (its search index), the math extension's
# typesetter and font reader, the answers' template engine.
CONVERTERS = (
    "markdown",
    "pymdown-extensions",
    "mkdocs",
    "mkdocs-material",
    "pykatex",
    "fonttools",
    "jinja2",
)
RENDERED_FILE = "rendered.json"
INDEXED_FILE = "indexed.json"
LOGGERS = ("", "mkdocs")  # where the messages of a conversion are heard (mkdocs' own
# logger does not pass them on to the root one)
MakeToc = Callable[[list[Any]], Any]  # MkDocs' get_toc: tokens -> its toc


def _versions() -> str:
    return f"python={sys.version};{versions(CONVERTERS)}"


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


def _log_again(records: list[list[Any]]) -> None:
    """Log each kept message (logger name, level, text) again, if its logger would now."""
    for name, level, text in records:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            record = logging.makeLogRecord({"name": name, "msg": text, "args": None})
            record.levelno, record.levelname = level, logging.getLevelName(level)
            logger.handle(record)


def _tokens(toc: Iterable[Any]) -> list[dict[str, Any]]:
    """A table of contents as the tokens MkDocs made it from."""
    return [
        {"level": i.level, "id": i.id, "name": i.title, "children": _tokens(i.children)}
        for i in toc
    ]


class _Kept:
    """Entries by page, in memory (the last of each) and in the build cache."""

    def __init__(self, name: str) -> None:
        self.name = name  # the entry's file in the build cache
        self.memory: dict[str, tuple[str, bytes]] = {}
        self.store: FileCache | None = None

    def get(self, page: str, key: str) -> Any:
        """What was kept of ``page`` under ``key`` (decoded anew: the caller's to change),
        or None; a damaged entry in the build cache is reported and counts as none."""
        kept = self.memory.get(page)
        if kept is not None and kept[0] == key:
            return json.loads(kept[1])
        stored = None if self.store is None else self.store.get(key, [self.name])
        if stored is None:
            return None
        self.memory[page] = (key, stored[self.name])
        return json.loads(stored[self.name])

    def put(self, page: str, key: str, value: Any) -> None:
        """Keep ``value`` (plain JSON data) as ``page``'s under ``key``."""
        raw = json.dumps(value).encode()
        self.memory[page] = (key, raw)
        if self.store is not None:
            self.store.put(key, {self.name: raw})


class RenderedPages:
    """Pages' converted Markdown, kept between builds (see the module's text). ``make_toc``
    makes a page's table of contents from its tokens, as MkDocs' conversion does."""

    def __init__(self, make_toc: MakeToc) -> None:
        self._make_toc = make_toc
        self._kept = _Kept(RENDERED_FILE)
        self.converted: list[str] = []  # the pages converted by the last build, by path

    def start(self, context: Iterable[bytes | str], store: FileCache | None) -> None:
        """Begin a build whose conversions read ``context`` besides each page's Markdown,
        keeping them in ``store`` too (None: in memory only)."""
        self._context = cache_key(["rendered-page", _versions(), *context])
        self._kept.store = store
        self.converted = []

    def render(self, page: Any, convert: Callable[[], None], files: Any) -> None:
        """Set what ``convert`` (MkDocs' conversion of ``page``) sets on ``page``: the
        content, toc, title found, anchors present and links to other pages' anchors
        (``links_to_anchors``, tied to ``files``, the build's), from what was kept when
        the page and what it reads are as they were, else by running it."""
        src = page.file.src_uri
        key = cache_key([self._context, src, page.file.url, page.markdown or ""])
        kept = self._kept.get(src, key)
        if kept is not None:
            page.content, page._title_from_render = kept["content"], kept["title"]
            page.toc = self._make_toc(kept["toc"])
            page.present_anchor_ids = None if kept["anchors"] is None else set(kept["anchors"])
            if kept["links"] is not None:
                page.links_to_anchors = {
                    files.get_file_from_path(to): anchors for to, anchors in kept["links"].items()
                }
            _log_again(kept["messages"])
            return
        with _hearing() as heard:
            convert()
        self.converted.append(src)
        anchors, links = page.present_anchor_ids, page.links_to_anchors
        rendered = {
            "content": page.content,
            "title": page._title_from_render,
            "toc": _tokens(page.toc),
            "anchors": None if anchors is None else sorted(anchors),
            "links": None if links is None else {to.src_uri: a for to, a in links.items()},
            "messages": [[r.name, r.levelno, r.getMessage()] for r in heard.records],
        }
        self._kept.put(src, key, rendered)


def _toc(items: Iterable[Any]) -> list[Any]:
    return [(i.title, i.url, i.level, _toc(i.children)) for i in items]


class IndexedPages:
    """Pages' search index entries, kept between builds (see the module's text)."""

    def __init__(self) -> None:
        self._kept = _Kept(INDEXED_FILE)
        self.indexed: list[str] = []  # the pages indexed by the last build, by address

    def start(self, settings: Iterable[str], store: FileCache | None) -> None:
        """Begin a build whose index is made with ``settings`` (the search plugin's, and
        the code that hands it the pages), keeping it in ``store`` too (None: in memory)."""
        self._settings = cache_key(["indexed-page", _versions(), *settings])
        self._kept.store = store
        self.indexed = []

    def add(self, page: Any, entries: list[dict[str, Any]], index: Callable[[Any], None]) -> None:
        """Add ``page``'s entries to ``entries`` (the build's index), from what was kept
        when the page is as it was, else by running ``index`` on it."""
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
        kept = self._kept.get(page.url, key)
        if kept is not None:
            entries.extend(kept)
            return
        start = len(entries)
        index(page)
        self.indexed.append(page.url)
        self._kept.put(page.url, key, entries[start:])
