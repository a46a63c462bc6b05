"""The printed lecture: the print stylesheet in a real browser, and the PDF handout that
`scripts/publish.py --pdf` prints with Chromium, read back with pypdf.

The PDF is tagged, so its structure tree says which page each figure, caption, table row
and header cell was drawn on: that is how a figure cut from its caption, or a row cut in
two, is found, without guessing from positions on the page.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright
from pypdf import PdfReader

from kl.build.exercise_answers import collect_answers
from kl.site.config import read_site_config
from scripts.handout import print_handout
from tests.browser.conftest import DESKTOP, WatchedPage, watched_context
from tests.browser.widgets import wake_all
from tests.conftest import ROOT
from tests.sitebuild import session_cache
from tests.tools import require_command

EPOCH = 1790000000  # any fixed date will do
HANDOUT = "lecture-34.pdf"
# What the printed lecture leaves out: Material's header, navigation, search and footer,
# the neighbouring lectures, each figure's download row and "Link to this figure", each
# heading's link icon and the answers folded in place.
NOT_PRINTED = (
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-search",
    ".md-footer",
    ".kl-series-neighbours",
    ".kl-downloads",
    ".kl-permalink",
    ".md-typeset .headerlink",
    "details.kl-answer",
)


# --- the PDF handout ---------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """A structure element of the tagged PDF: its role, the pages (1-based) its content is
    drawn on, and its children."""

    role: str
    pages: frozenset[int]
    kids: tuple[Element, ...]

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def _structure(reader: PdfReader) -> Element:
    """The PDF's structure tree, each element with the pages its marked content is on."""
    page_number = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}

    def read(node: Any, page: Any) -> tuple[Element | None, set[int]]:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):  # a marked-content id on the element's page
            return None, {page_number[page.idnum]} if page is not None else set()
        page = node.raw_get("/Pg") if "/Pg" in node else page
        if node.get("/Type") in ("/MCR", "/OBJR"):
            return None, {page_number[page.idnum]}
        kids_value = node.get("/K", [])
        kids, pages = [], set()
        for kid in kids_value if isinstance(kids_value, list) else [kids_value]:
            element, kid_pages = read(kid, page)
            pages |= kid_pages
            if element is not None:
                kids.append(element)
        return Element(str(node.get("/S", "")), frozenset(pages), tuple(kids)), pages

    root, _ = read(reader.trailer["/Root"]["/StructTreeRoot"], None)
    assert root is not None
    return root


@pytest.fixture(scope="module")
def handout_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `scripts/publish.py --pdf` publishes it, with the handout."""
    require_command("chromium")
    site = tmp_path_factory.mktemp("handout") / "site"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "publish.py"), "--pdf", "-d", str(site)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": str(EPOCH),
            "KL_CACHE_DIR": session_cache(tmp_path_factory),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def handout(handout_site: Path) -> PdfReader:
    return PdfReader(handout_site / HANDOUT)


@pytest.fixture(scope="module")
def page_lines(handout: PdfReader) -> list[list[str]]:
    """Each page's lines of text, its page number ("3 / 21") apart: first in the list."""
    pages = []
    for number, page in enumerate(handout.pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        folio = f"{number} / {len(handout.pages)}"
        assert folio in lines, f"page {number} has no page number"
        lines.remove(folio)
        pages.append([folio, *lines])
    return pages


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_figure_is_on_one_page_with_its_caption(
    handout: PdfReader, handout_site: Path
) -> None:
    figures = [
        element
        for element in _structure(handout).walk()
        if element.role == "/Figure" and any(kid.role == "/Caption" for kid in element.kids)
    ]
    lecture = (handout_site / "index.html").read_text(encoding="utf-8")
    assert len(figures) == lecture.count('<figure class="kl-figure"')
    for figure in figures:
        image = next(kid for kid in figure.kids if kid.role == "/Figure")
        assert image.pages, "a figure's image is not drawn"
        assert len(figure.pages) == 1, f"a figure and its caption span pages {set(figure.pages)}"


def test_no_table_row_is_split_and_each_page_of_a_table_repeats_its_header(
    handout: PdfReader,
) -> None:
    tables = [element for element in _structure(handout).walk() if element.role == "/Table"]
    assert tables
    # Which table, if any, runs onto a second page depends on the data; where one does,
    # its header must be on each of its pages. The rule that repeats it is checked below.
    for table in tables:
        rows = [element for element in table.walk() if element.role == "/TR"]
        header, *body = rows
        assert {cell.role for cell in header.kids} == {"/TH"}
        assert header.pages == table.pages, "the header row is not on every page of its table"
        for row in body:
            assert len(row.pages) == 1, f"a table row is cut across pages {set(row.pages)}"


def test_the_print_stylesheet_repeats_table_headers_and_keeps_rows_whole() -> None:
    css = (ROOT / "docs" / "assets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", css)
    assert re.search(r"\btr\b[^{]*\{[^}]*break-inside:\s*avoid", css)


def test_every_answer_is_in_the_appendix(handout_site: Path, page_lines: list[list[str]]) -> None:
    lecture = (handout_site / "index.html").read_text(encoding="utf-8")
    _, answers = collect_answers(lecture)
    assert answers
    start = next(n for n, lines in enumerate(page_lines) if lines[1] == "Answers")
    appendix = _squeezed("".join("".join(lines[1:]) for lines in page_lines[start:]))
    at = 0
    for answer in answers:
        at = appendix.index(_squeezed(answer.title), at)
        # Each run of words between formulas, in order (a formula's glyphs come out of a
        # PDF with spacing of their own).
        words = re.sub(r"<math\b.*?</math>", "\0", answer.body_html, flags=re.DOTALL)
        for run in re.sub(r"<[^>]+>", "", words).split("\0"):
            squeezed = _squeezed(html.unescape(run))
            if squeezed:
                at = appendix.index(squeezed, at) + len(squeezed)


def test_the_handout_opens_with_a_title_block(page_lines: list[list[str]]) -> None:
    lecture = read_site_config(ROOT / "mkdocs.yml").extra["lecture"]
    series, part, title = page_lines[0][1:4]
    assert [series, part] == [lecture["series"]["title"], lecture["part"]["title"]]
    assert title.startswith(f"Lecture {lecture['number']}: {lecture['title']}")
    # The link to the handout (on the page, on screen) is not in the handout.
    assert not any("PDF handout" in line for line in page_lines[0])


def test_the_handout_is_dated_source_date_epoch_and_prints_the_same_bytes_again(
    handout: PdfReader,
    handout_site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    playwright_session: Playwright,
) -> None:
    # ``playwright_session``: printing works while the suite's own browser session runs
    # (a second sync session in the same thread was refused).
    assert handout.metadata is not None
    assert handout.metadata.creation_date is not None
    assert handout.metadata.creation_date.timestamp() == EPOCH
    assert handout.metadata.modification_date == handout.metadata.creation_date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    again = tmp_path / HANDOUT
    print_handout(handout_site, again)  # another server, another port, another browser
    assert again.read_bytes() == (handout_site / HANDOUT).read_bytes()
    assert b"127.0.0.1" not in again.read_bytes()


def test_the_lecture_and_the_gallery_link_to_the_handout(handout_site: Path) -> None:
    for page, href in (("index.html", HANDOUT), ("gallery/index.html", f"../{HANDOUT}")):
        text = (handout_site / page).read_text(encoding="utf-8")
        assert f'<a href="{href}" type="application/pdf"' in text, page


# --- the print stylesheet ------------------------------------------------------------------


@pytest.fixture
def dark_page(browser: Browser, base_url: str) -> Iterator[WatchedPage]:
    """Like `watched_page`, for a reader whose screen prefers the dark colour scheme."""
    with watched_context(browser, base_url, **DESKTOP, color_scheme="dark") as watched:
        yield watched


def _visible(page: Page, selector: str) -> list[bool]:
    elements = page.locator(selector)
    return [elements.nth(i).is_visible() for i in range(elements.count())]


def test_print_shows_the_article_alone(watched_page: WatchedPage) -> None:
    watched_page.goto("")
    page = watched_page.page
    on_screen = {selector: _visible(page, selector) for selector in NOT_PRINTED}
    assert all(on_screen.values()), "a selector matches nothing on the lecture page"
    assert any(on_screen[".kl-downloads"]) and any(on_screen[".md-header"])
    page.emulate_media(media="print")
    for selector in NOT_PRINTED:
        assert not any(_visible(page, selector)), f"{selector} is printed"
    assert page.locator("article h1").is_visible()


def test_the_answers_appendix_is_printed_and_hidden_on_screen(watched_page: WatchedPage) -> None:
    watched_page.goto("")
    page = watched_page.page
    appendix = page.locator("section.kl-answers")
    assert appendix.count() == 1
    assert not appendix.is_visible()
    assert 'heading "Answers"' not in page.locator("body").aria_snapshot()
    page.emulate_media(media="print")
    assert appendix.is_visible()
    headings = appendix.locator("h3 a")
    exercises = page.locator('h3[id^="exercise-"]')
    assert headings.count() == exercises.count() > 0
    for n in range(exercises.count()):
        exercise_id = exercises.nth(n).get_attribute("id")
        assert headings.nth(n).get_attribute("href") == f"#{exercise_id}"


def test_print_leaves_out_the_answer_checkers_and_hints_but_keeps_the_appendix(
    watched_page: WatchedPage,
) -> None:
    watched_page.goto("")
    page = watched_page.page
    checkers = wake_all(page)
    hints = page.locator("details.kl-hint")
    assert len(checkers) == page.locator("form.kl-check").count() > 0
    assert hints.count() >= len(checkers)
    assert all(_visible(page, "details.kl-hint"))
    page.emulate_media(media="print")
    assert not any(_visible(page, "form.kl-check"))
    assert not any(_visible(page, "details.kl-hint"))
    assert page.locator("section.kl-answers").is_visible()


COLOURS = """() => ({
  background: getComputedStyle(document.body).backgroundColor,
  text: getComputedStyle(document.querySelector("article p")).color,
})"""


def test_print_is_light_whatever_the_screen_scheme(
    dark_page: WatchedPage, watched_page: WatchedPage
) -> None:
    dark, light = dark_page.page, watched_page.page
    dark_page.goto("")
    watched_page.goto("")
    assert dark.evaluate(COLOURS) != light.evaluate(COLOURS)
    assert dark.locator('#fig-hero img[src$="#only-dark"]').is_visible()
    for page in (dark, light):
        page.emulate_media(media="print")
    assert dark.evaluate(COLOURS) == light.evaluate(COLOURS)
    assert dark.locator('#fig-hero img[src$="#only-light"]').is_visible()
    assert not dark.locator('#fig-hero img[src$="#only-dark"]').is_visible()


def test_print_writes_out_the_address_of_a_link_to_another_site(
    watched_page: WatchedPage,
) -> None:
    watched_page.goto("")
    page = watched_page.page
    page.emulate_media(media="print")
    after = page.evaluate(
        """() => {
          const paragraph = document.querySelector("article p");
          const links = ["https://example.org/notes", "formulas/"].map((href) => {
            const link = document.createElement("a");
            link.href = href;
            link.textContent = "a link";
            paragraph.append(link);
            return getComputedStyle(link, "::after").content;
          });
          return links;
        }"""
    )
    assert after == ['" (https://example.org/notes)"', "none"]
