"""The PDF handout: the built lecture page printed by Chromium, as a reader would print it.

`print_handout` serves a built site on 127.0.0.1, opens its lecture page in Debian's
chromium (driven by Playwright), lets every figure load and prints it with the site's
print stylesheet (docs/assets/print.css: A4, numbered pages, a title block, the answers
appendix). The PDF is tagged (figures, captions, tables and rows are marked as such) and
has an outline of the headings. Then it is made reproducible (pypdf): its creation and
modification dates are SOURCE_DATE_EPOCH's; the links the page makes to the rest of the
site point to the published site (``site_url``), or where there is none are relative to
the PDF, which lives at the site's root, instead of to the local server's passing port;
the ids of its structure elements are numbered in document order. The same site and
SOURCE_DATE_EPOCH give the same bytes on the same machine (the PDF embeds the system
fonts it prints with).

`scripts/publish.py --pdf` runs it; neither Chromium nor Playwright is needed otherwise.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pypdf import PdfWriter

CHROMIUM = "chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Lazily loaded figures are asked for at once, so the printed page waits for all of them.
LOAD_EVERY_IMAGE = """async () => {
  for (const image of document.images) image.loading = "eager";
  await Promise.all([...document.images].map((image) => image.decode().catch(() => {})));
  await document.fonts.ready;
}"""


class HandoutError(Exception):
    """The handout cannot be printed: the message says why and what to install."""


def missing_tools() -> str | None:
    """What to install before a handout can be printed, or None if nothing is missing."""
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as exc:
        return (
            f"the PDF handout needs the Python package {exc.name}: "
            "pip install -e '.[pdf]' (Playwright and pypdf)"
        )
    if shutil.which(CHROMIUM) is None:
        return "the PDF handout is printed by Chromium, which is missing: apt-get install chromium"
    return None


def handout_name(lecture_number: object) -> str:
    """The handout's file name in the site, e.g. "lecture-34.pdf" for lecture 34."""
    return f"lecture-{lecture_number}.pdf"


def source_date() -> datetime:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC) as a date; now when it is unset.
    Raises HandoutError if it is set to anything but a whole number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return datetime.fromtimestamp(int(time.time()), UTC)
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise HandoutError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970"
        ) from None


# Text types a real static host (GitHub Pages, Netlify, nginx) sends gzip-compressed.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".map", ".txt"}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a static host would, quietly: gzip for text, when the client
    asks (so the page weighs on the wire what it weighs when published)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # redirects to the URL with a trailing slash
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _SiteServer(http.server.ThreadingHTTPServer):
    """A threaded server that lets a client hang up: a browser drops a request it no longer
    needs (a page it leaves, an image it has), which is no error of the site's."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served as a static host would (`SiteHandler`) on 127.0.0.1 at a free
    port: yields its URL, ending in "/"."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    server = _SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _printed(url: str) -> bytes:
    """The page at ``url`` printed to PDF by Chromium, in the light colour scheme."""
    from playwright.sync_api import Error, sync_playwright

    chromium = shutil.which(CHROMIUM)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(color_scheme="light")
                # Paper shows the static figures: the interactive panels, which build
                # themselves when a figure nears the screen, would make two prints differ.
                page.route("**/assets/widgets/**", lambda route: route.abort())
                page.goto(url, wait_until="networkidle")
                page.evaluate(LOAD_EVERY_IMAGE)
                return page.pdf(
                    prefer_css_page_size=True, print_background=True, tagged=True, outline=True
                )
            finally:
                browser.close()
    except Error as exc:
        raise HandoutError(f"Chromium could not print {url}: {exc.message}") from None


def _pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def reproducible(pdf: bytes, *, served_at: str, site_url: str, date: datetime) -> bytes:
    """``pdf`` with its dates set to ``date``, its links to ``served_at`` (the local
    server's URL) moved under ``site_url`` (relative where ``site_url`` is ""), and its
    structure elements' ids, which Chromium takes from the page's passing DOM node ids,
    numbered in document order."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    _relink(writer, served_at, site_url)
    _renumber_element_ids(writer)
    writer.add_metadata({"/CreationDate": _pdf_date(date), "/ModDate": _pdf_date(date)})
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _relink(writer: PdfWriter, served_at: str, site_url: str) -> None:
    """Point every link to a page under ``served_at`` to the same page under ``site_url``
    (relative to the PDF itself, at the site's root, where ``site_url`` is "")."""
    from pypdf.generic import NameObject, TextStringObject

    for page in writer.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            uri = str(action.get("/URI", ""))
            if uri.startswith(served_at):
                action[NameObject("/URI")] = TextStringObject(site_url + uri[len(served_at) :])


def _structure_elements(element: Any) -> Iterator[Any]:
    """Every structure element under ``element`` (a structure tree node), in document
    order, as indirect references."""
    kids = element.get_object().get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        node = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(node, dict) and "/S" in node:  # not a marked content or object ref
            yield kid
            yield from _structure_elements(kid)


def _renumber_element_ids(writer: PdfWriter) -> None:
    """Give the structure elements that have an id the ids "node00000000", "node00000001"…
    in document order, in their id tree and in the table headers that cite them."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    root = writer.root_object.get("/StructTreeRoot")
    if root is None:
        return
    elements = [ref for ref in _structure_elements(root) if "/ID" in ref.get_object()]
    new_ids = {str(ref.get_object()["/ID"]): f"node{n:08d}" for n, ref in enumerate(elements)}
    names = ArrayObject()
    for ref in elements:
        element = ref.get_object()
        new_id = TextStringObject(new_ids[str(element["/ID"])])
        element[NameObject("/ID")] = new_id
        names += [new_id, ref]
    for ref in _structure_elements(root):
        attributes = ref.get_object().get("/A", [])
        for owner in attributes if isinstance(attributes, list) else [attributes]:
            headers = owner.get_object().get("/Headers")
            if headers is not None:
                owner.get_object()[NameObject("/Headers")] = ArrayObject(
                    TextStringObject(new_ids.get(str(h), str(h))) for h in headers
                )
    old_tree = root.get_object().get("/IDTree")
    if old_tree is not None:
        for node in list(_name_tree_nodes(old_tree)):
            node.clear()  # left unreferenced, so not written
    root.get_object()[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})


def _name_tree_nodes(node: Any) -> Iterator[Any]:
    yield node.get_object()
    for kid in node.get_object().get("/Kids", []):
        yield from _name_tree_nodes(kid)


def print_handout(site_dir: Path, out: Path, *, page: str = "", site_url: str = "") -> None:
    """Print ``page`` (a path in the built site ``site_dir``; "" is the lecture) to the PDF
    ``out``, dated SOURCE_DATE_EPOCH, its site links under ``site_url`` ("": relative).

    Raises HandoutError with what to install if Chromium, Playwright or pypdf is missing,
    or if Chromium fails; ``out`` is then not written.
    """
    problem = missing_tools()
    if problem:
        raise HandoutError(problem)
    date = source_date()
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    with served(site_dir) as served_at, ThreadPoolExecutor(max_workers=1) as worker:
        # A thread of its own: Playwright's sync API refuses to start in a thread that
        # already runs an event loop (a notebook, or a test session's own browser).
        pdf = worker.submit(_printed, served_at + page).result()
    out.write_bytes(reproducible(pdf, served_at=served_at, site_url=site_url, date=date))
