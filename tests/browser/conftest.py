"""The built site, served on 127.0.0.1, and one Debian chromium driven by Playwright.

Session fixtures: the site is built once in the run (a real `mkdocs build --strict`),
served by a threaded `http.server` in each test process, and one browser there serves its
tests. Each test
gets a fresh page that records every request and console error; `watched_page` fails the
test if the page asked any host but the local server, or logged an error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

from scripts.handout import (  # the flags and the server the PDF handout prints with, too
    CHROMIUM_ARGS,
    served,
)
from tests.conftest import ROOT
from tests.sitebuild import shared_site
from tests.tools import require_command

SCREENSHOTS = ROOT / "tests" / "screenshots"
NODE_MODULES = ROOT / ".ci" / "node_modules"

# The pages of the site, by their path under the server (the 404 page is served as a file).
PAGES = ("", "formulas/", "explorer/", "gallery/", "404.html")
# Seconds with no request in flight after which a page's network counts as settled: on the
# local server one request follows another within milliseconds. (Playwright's "networkidle"
# waits 500 ms, which the browser tests paid on every page they opened.)
QUIET = 0.1
SETTLE_TIMEOUT = 30.0  # seconds a page's network may take to settle


@contextmanager
def network_settles(page: Page) -> Iterator[None]:
    """On leaving, wait until no request of ``page`` has been in flight for `QUIET` seconds:
    what the body started (a page load, a scroll that wakes lazy images) has been fetched.
    Fails after `SETTLE_TIMEOUT` seconds naming the requests still open."""
    in_flight: set[Request] = set()
    last_event = time.monotonic()

    def started(request: Request) -> None:
        nonlocal last_event
        in_flight.add(request)
        last_event = time.monotonic()

    def ended(request: Request) -> None:
        nonlocal last_event
        in_flight.discard(request)
        last_event = time.monotonic()

    events = {"request": started, "requestfinished": ended, "requestfailed": ended}
    for event, handler in events.items():
        page.on(event, handler)  # type: ignore[call-overload]
    try:
        yield
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while in_flight or time.monotonic() - last_event < QUIET:
            assert time.monotonic() < deadline, [r.url for r in in_flight]
            page.wait_for_timeout(20)  # Playwright delivers the page's events meanwhile
    finally:
        for event, handler in events.items():
            page.remove_listener(event, handler)


def goto_settled(page: Page, url: str) -> Response | None:
    """``page.goto(url)`` up to its load event, then until its network settles
    (`network_settles`); the response, as ``goto`` gives it."""
    with network_settles(page):
        response = page.goto(url, wait_until="load")
    return response


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture site, built once in the run with `mkdocs build --strict`."""
    return shared_site(tmp_path_factory)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a free port, e.g. "http://127.0.0.1:40123/"."""
    with served(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """Debian's chromium (Playwright's own browser download cannot work offline), from
    scripts/install-test-tools."""
    browser = playwright_session.chromium.launch(
        executable_path=require_command("chromium"), args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class WatchedPage:
    """A page plus what it did: every URL it requested and every console error."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        """Open ``path`` (relative to the site) and wait until its network settles."""
        goto_settled(self.page, self.base_url + path)

    def foreign_requests(self) -> list[str]:
        """Requested URLs that are not on the local server (data: URLs never leave the page)."""
        local = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != local
        ]


def _watch(page: Page, base_url: str) -> WatchedPage:
    """Start recording ``page``'s requests and console errors; block other hosts."""
    watched = WatchedPage(page, base_url)
    page.on("request", lambda request: watched.requests.append(request.url))
    # Offline, as a reader without a network: a request to another host is recorded (and
    # fails the test) but never sent.
    local = urlsplit(base_url).netloc
    page.route(
        lambda url: urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != local,
        lambda route: route.abort("internetdisconnected"),
    )

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.errors.append(f"uncaught: {exc}"))
    return watched


@contextmanager
def watched_context(browser: Browser, base_url: str, **options: Any) -> Iterator[WatchedPage]:
    """A page in a fresh browser context (Playwright's ``new_context`` ``options``) on the
    site at ``base_url``; on leaving, fails the test if the page talked to another host or
    logged a console error, whatever the test itself checked."""
    context = browser.new_context(**options)
    watched = _watch(context.new_page(), base_url)
    yield watched
    context.close()
    assert watched.foreign_requests() == [], "requests to another host"
    assert watched.errors == [], "console errors"


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE_WIDTH = 375  # CSS px: a small phone


@pytest.fixture
def watched_page(browser: Browser, base_url: str) -> Iterator[WatchedPage]:
    """A fresh desktop-sized page (light colour scheme), watched (`watched_context`)."""
    with watched_context(browser, base_url, **DESKTOP, color_scheme="light") as watched:
        yield watched


@pytest.fixture
def phone_page(browser: Browser, base_url: str) -> Iterator[WatchedPage]:
    """Like `watched_page`, 375 px wide with touch, as on a small phone."""
    with watched_context(
        browser,
        base_url,
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        color_scheme="light",
    ) as watched:
        yield watched


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """tests/screenshots/ (gitignored): the run's screenshots, for a person to review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
