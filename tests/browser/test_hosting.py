"""The site works wherever a course hosts it: at the root of a host, and under a sub-path
(built with that site_url). Every page, figure, stylesheet, script and the search index load
from under the site's own address, links between pages land, old addresses redirect, and
"link to this" copies the published address."""

from __future__ import annotations

import html
import http.server
import io
import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Response, expect

from scripts.handout import SiteHandler
from tests.browser.conftest import ROOT, WatchedPage, _watch, goto_settled, network_settles
from tests.sitebuild import mkdocs_build, session_cache

PREFIX = "/courses/ai-math/lecture-34/"
HOSTS = ["root", "sub-path"]


class SubPathHandler(SiteHandler):
    """Serves the site under PREFIX only, as a course host would: anything outside it is a
    plain 404, and a missing page inside it gets the site's 404.html (as GitHub Pages does)."""

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path.removeprefix(PREFIX))

    def send_head(self):  # type: ignore[no-untyped-def]
        if not urlsplit(self.path).path.startswith(PREFIX):
            self.send_error(404, "outside the lecture's address")
            return None
        if not Path(self.translate_path(self.path)).exists():
            body = Path(self.directory, "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


@pytest.fixture(scope="module")
def sub_path_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The lecture built for, and served at, http://127.0.0.1:PORT/courses/ai-math/lecture-34/."""
    site = tmp_path_factory.mktemp("sub-path-site")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SubPathHandler, directory=str(site))
    )
    url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    mkdocs_build(ROOT, site, KL_SITE_URL=url, KL_CACHE_DIR=session_cache(tmp_path_factory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sub_path_page(browser: Browser, sub_path_url: str) -> Iterator[WatchedPage]:
    """Like `watched_page`, on the site served under the sub-path."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    watched = _watch(context.new_page(), sub_path_url)
    yield watched
    context.close()
    assert watched.foreign_requests() == [], "requests to another host"
    assert watched.errors == [], "console errors"


@pytest.fixture(params=HOSTS)
def hosted(request: pytest.FixtureRequest) -> Iterator[WatchedPage]:
    """A watched page on the site served from `/`, then from the sub-path. Besides what
    `watched_page` checks, the test fails if any response was an error or any request left
    the site's own address (its sub-path)."""
    fixture = "watched_page" if request.param == "root" else "sub_path_page"
    watched: WatchedPage = request.getfixturevalue(fixture)
    failures: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    watched.page.on("response", on_response)
    # A navigation cuts short what the page it leaves was loading (ERR_ABORTED): no failure.
    watched.page.on(
        "requestfailed",
        lambda r: r.failure == "net::ERR_ABORTED" or failures.append(f"{r.failure} {r.url}"),
    )
    yield watched
    assert failures == [], "failed requests"
    assert _outside(watched) == [], "requests outside the site's address"


def _outside(watched: WatchedPage) -> list[str]:
    """Requests that left the site's own address (data: URLs never leave the page)."""
    return [
        url
        for url in watched.requests
        if not url.startswith(watched.base_url) and not url.startswith(("data:", "blob:"))
    ]


def _scroll_through(watched: WatchedPage) -> None:
    """Scroll to the bottom in steps, so lazy images load, and wait for the network."""
    with network_settles(watched.page):
        watched.page.evaluate(
            """async () => {
                for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
                    window.scrollTo(0, y);
                    await new Promise((done) => setTimeout(done, 30));
                }
            }"""
        )


def test_the_lecture_loads_its_figures_styles_and_scripts_from_its_own_address(
    hosted: WatchedPage,
) -> None:
    hosted.goto("")
    _scroll_through(hosted)
    shown = hosted.page.eval_on_selector_all(
        ".kl-figure img",
        "images => images.filter(i => i.offsetParent !== null)"
        ".map(i => [i.currentSrc, i.complete && i.naturalWidth > 0])",
    )
    assert shown, "no figure is shown"
    assert [src for src, loaded in shown if not loaded] == []
    loaded = {urlsplit(url).path.rsplit("/", 1)[-1] for url in hosted.requests}
    assert {"kl.css", "permalink.js"} <= loaded
    assert any(name.startswith("main.") and name.endswith(".min.css") for name in loaded)
    margin = hosted.page.eval_on_selector(".kl-figure", "f => getComputedStyle(f).marginTop")
    assert margin != "0px", "kl.css is not applied"


def test_search_finds_the_lecture_and_links_to_it(hosted: WatchedPage) -> None:
    hosted.goto("")
    hosted.page.locator(".md-search__input").click()
    hosted.page.keyboard.type("divergence")
    results = hosted.page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(hosted.base_url) for href in hrefs), hrefs
    assert any(urlsplit(url).path.endswith("search_index.json") for url in hosted.requests)


def test_links_between_pages_land_on_the_right_page(hosted: WatchedPage) -> None:
    page = hosted.page
    hosted.goto("")
    page.locator(".md-tabs__link, .md-nav__link", has_text="Formula sheet").first.click()
    page.wait_for_url(hosted.base_url + "formulas/")
    assert page.locator(".math-display math").count() > 0
    page.locator(".md-nav__link", has_text="Figure gallery").first.click()
    page.wait_for_url(hosted.base_url + "gallery/")
    page.locator("#fig-hero ~ p a", has_text="at a glance").first.click()
    page.wait_for_url(hosted.base_url + "#fig-hero")
    assert page.locator("#fig-hero img").first.is_visible()


def test_an_old_address_redirects_keeping_the_anchor(hosted: WatchedPage) -> None:
    hosted.goto("lecture-34/#forest-example")
    hosted.page.wait_for_url(hosted.base_url + "#forest-example")
    hosted.goto("formula-sheet/")
    hosted.page.wait_for_url(hosted.base_url + "formulas/")


def test_link_to_this_copies_the_address_of_a_section_and_a_figure(hosted: WatchedPage) -> None:
    page = hosted.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    hosted.goto("")
    status = page.locator(".kl-copy-status")
    for link, anchor, name in [
        ("#forest-example .headerlink", "forest-example", "“The forest example, worked”"),
        ("#fig-hero .kl-permalink", "fig-hero", "this figure"),
    ]:
        assert page.locator(link).get_attribute("href") == f"#{anchor}"
        page.locator(link).click()
        # The copy resolves after the click, and the last announcement shows until then.
        expect(status).to_have_text(f"Link to {name} copied")
        assert status.get_attribute("aria-live") == "polite"
        assert page.evaluate("navigator.clipboard.readText()") == hosted.base_url + f"#{anchor}"
        assert page.url == hosted.base_url + f"#{anchor}"
    label = page.locator("#forest-example .headerlink").get_attribute("aria-label")
    assert label == "Copy the link to “The forest example, worked”"


def test_a_missing_page_under_the_sub_path_gets_a_working_404_page(
    browser: Browser, sub_path_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = _watch(context.new_page(), sub_path_url)
    response = goto_settled(watched.page, sub_path_url + "no/such/page/")
    assert response is not None and response.status == 404
    assert watched.page.locator("h1").inner_text() == "404 - Not found"
    stylesheets = [url for url in watched.requests if urlsplit(url).path.endswith(".css")]
    assert stylesheets and all(url.startswith(sub_path_url) for url in stylesheets)
    watched.page.locator(".md-header__button.md-logo").click()
    watched.page.wait_for_url(sub_path_url)
    context.close()
    assert watched.foreign_requests() == []
    assert len(watched.errors) == 1 and "404" in watched.errors[0]  # the missing page itself


def test_without_a_site_url_every_address_is_relative(site_dir: Path) -> None:
    """The default build (no KL_SITE_URL) names no host, so it works from anywhere."""
    lecture = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in lecture and 'property="og:url"' not in lecture
    assert '<meta property="og:image" content="./figures/hero.png">' in lecture
    gallery = html.unescape((site_dir / "gallery" / "index.html").read_text(encoding="utf-8"))
    assert "](./figures/hero.svg)](./#fig-hero)" in re.sub(r"<[^>]+>", "", gallery)
    manifest = json.loads((site_dir / "links.json").read_text(encoding="utf-8"))
    assert manifest["site_url"] is None
    assert {a["url"] for a in manifest["anchors"]} >= {"#forest-example", "formulas/#eq-entropy"}
    assert "<loc>" not in (site_dir / "sitemap.xml").read_text(encoding="utf-8")
