"""What every interactive figure of the lecture page shares: each is an enhancement of its
static figure, loaded only when the figure comes near and never before the first paint;
the page reads in full without JavaScript; the widgets follow Material's palette toggle;
and screenshots of each (light, dark, phone) land in tests/screenshots/. (axe audits the
lecture page with every widget drawn: tests/browser/test_audits.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from kl.build.style import DARK_PALETTE, LIGHT_PALETTE
from tests.browser.conftest import WatchedPage, goto_settled
from tests.browser.widgets import WIDGET_FIGURES, WIDGET_FILES, hydrate, shoot


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_no_widget_script_runs_before_first_paint_or_loads_before_its_figure_nears(
    watched_page: WatchedPage,
) -> None:
    watched_page.goto("")
    page = watched_page.page
    page.wait_for_function("() => document.documentElement.dataset.klWidgetsStarted")
    paint = page.evaluate(
        "() => performance.getEntriesByType('paint').find(e => e.name === 'first-paint').startTime"
    )
    started = float(page.evaluate("() => document.documentElement.dataset.klWidgetsStarted"))
    assert started > paint, (started, paint)
    loaded = {url.rsplit("/", 1)[-1] for url in watched_page.requests}
    assert "loader.js" in loaded
    assert loaded.isdisjoint({*WIDGET_FILES, "ui.js", "measures.js", "widgets.css"}), loaded
    expect(page.locator(".kl-widget")).to_have_count(0)
    hydrate(page, WIDGET_FIGURES[0])
    loaded = {url.rsplit("/", 1)[-1] for url in watched_page.requests}
    assert {"ui.js", "measures.js", "widgets.css"} <= loaded


def test_without_javascript_every_figure_stands_as_it_was(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    goto_settled(page, base_url)
    for figure in WIDGET_FIGURES:
        static = page.locator(f"#fig-{figure}")
        expect(static.locator("img")).to_have_count(2)  # light and dark
        expect(static.locator("figcaption")).not_to_be_empty()
        assert static.locator("img").first.get_attribute("alt")
    expect(page.locator(".kl-widget")).to_have_count(0)
    context.close()


def test_widgets_follow_the_palette_toggle(watched_page: WatchedPage) -> None:
    page = watched_page.page
    watched_page.goto("")
    widget = hydrate(page, WIDGET_FIGURES[0])
    line = widget.locator(".kl-widget__line--truth").first
    assert line.evaluate("l => getComputedStyle(l).stroke") == _rgb(LIGHT_PALETTE.truth)
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert line.evaluate("l => getComputedStyle(l).stroke") == _rgb(DARK_PALETTE.truth)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_every_widget(
    watched_page: WatchedPage, screenshots: Path, scheme: str
) -> None:
    """tests/screenshots/widget-<figure>-<light|dark>.png, for review (the phone ones are
    taken by each widget's touch test)."""
    watched_page.page.emulate_media(color_scheme=scheme)
    watched_page.goto("")
    for figure in WIDGET_FIGURES:
        shoot(
            watched_page.page,
            hydrate(watched_page.page, figure),
            screenshots / f"widget-{figure}-{scheme}.png",
        )
