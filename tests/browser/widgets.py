"""Helpers for the tests of the lecture's interactive figures (docs/assets/widgets/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import WatchedPage

# Every module and stylesheet the widgets load, none before its figure comes near.
WIDGET_FILES = (
    "continuous.js",
    "forward-reverse.js",
    "simplex.js",
    "learning.js",
    "check.js",
)
# The figures that draw a widget below themselves, by the id after "fig-".
WIDGET_FIGURES = ("continuous-integrand", "forward-reverse", "simplex", "learning")
MIN_TARGET_PX = 44
WAKE_TIMEOUT_MS = 15_000


def hydrate(page: Page, figure: str) -> Locator:
    """Scroll the figure ``fig-<figure>`` near and return its widget once it is ready."""
    page.locator(f"#fig-{figure}").scroll_into_view_if_needed()
    expect(page.locator(f"#fig-{figure}")).to_have_attribute("data-widget-ready", "true")
    return page.locator(f'.kl-widget[data-widget="fig-{figure}"]')


def wake(page: Page, exercise: str) -> Locator:
    """Scroll the exercise near and return its answer checker once its script shows it."""
    page.locator(f"#{exercise}").scroll_into_view_if_needed()
    form = page.locator(f"#check-{exercise}")
    # Its module is fetched only now: allow for a busy machine.
    expect(form).to_have_attribute("data-widget-ready", "true", timeout=WAKE_TIMEOUT_MS)
    expect(form).to_be_visible()
    return form


def wake_all(page: Page) -> list[Locator]:
    """Every answer checker of the page, woken (`wake`)."""
    ids = page.locator("form.kl-check").evaluate_all("forms => forms.map(f => f.id)")
    return [wake(page, form_id.removeprefix("check-")) for form_id in ids]


def draw_every_widget(page: Page) -> None:
    """Every widget of the lecture page drawn and every answer checker shown, the first
    saying that an answer is wrong: the page with all it can show at once."""
    for figure in WIDGET_FIGURES:
        hydrate(page, figure)
    first = wake_all(page)[0]
    first.locator("input").first.fill("1234")
    first.get_by_role("button", name="Check").click()
    first.locator(".kl-check__verdict").first.wait_for()


def open_widget(watched: WatchedPage, figure: str) -> Locator:
    watched.goto("")
    return hydrate(watched.page, figure)


def island(page: Page) -> dict[str, Any]:
    """The widgets' inputs as the build published them on the page."""
    data: dict[str, Any] = json.loads(page.locator("#kl-widgets").text_content() or "")
    return data


def number(widget: Locator, key: str, column: str | None = None) -> float:
    """The unrounded number a readout shows (its data-value)."""
    selector = f'[data-key="{key}"]' + (f'[data-column="{column}"]' if column else "")
    return float(widget.locator(selector).get_attribute("data-value") or "nan")


def state(widget: Locator, name: str) -> Any:
    return json.loads(widget.get_attribute(f"data-{name}") or "null")


def track_point(slider: Locator, fraction: float) -> tuple[float, float]:
    """The screen point ``fraction`` of the way along a slider's track (scrolled into view)."""
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    return box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2


def assert_touch_targets(widget: Locator) -> None:
    """Every control of the widget is at least 44 px each way."""
    controls = widget.locator("input, button, [tabindex='0']")
    assert controls.count() > 0
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        assert box is not None, i
        label = controls.nth(i).evaluate(
            "e => e.id || e.getAttribute('aria-label') || e.textContent"
        )
        assert box["height"] >= MIN_TARGET_PX and box["width"] >= MIN_TARGET_PX, (label, box)


def shoot(page: Page, widget: Locator, file: Path) -> None:
    """A screenshot of the figure and its widget below it, as the reader sees them: the
    viewport is made tall enough for both for the moment, at the same width."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = widget.evaluate(
        """w => {
          const top = w.previousElementSibling.getBoundingClientRect().top;
          return Math.ceil(w.getBoundingClientRect().bottom - top);
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    try:
        widget.evaluate("w => w.previousElementSibling.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(200)  # the figure's image is drawn
        top, bottom = widget.evaluate(
            """w => [w.previousElementSibling.getBoundingClientRect().top,
                     w.getBoundingClientRect().bottom]"""
        )
        page.screenshot(
            path=str(file),
            clip={"x": 0, "y": top, "width": size["width"], "height": bottom - top},
        )
    finally:
        page.set_viewport_size(size)
