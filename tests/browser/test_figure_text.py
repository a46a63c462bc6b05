"""Every figure's text is legible where it is shown: on a 375 px phone at 11 CSS px or more,
light and dark, from the narrow layout the page serves there; on a desktop from the wide
layout, as large as before.

The size of a text on screen is read from the SVG the browser chose (`img.currentSrc`) and
the width it is drawn at: matplotlib writes each text run as a group scaled by its font
size / 100 (in the viewBox's points), so size = 100 x scale x drawn width / viewBox width.
Screenshots of every figure at phone width go to tests/screenshots/figures/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, watched_context
from tests.browser.widgets import island

PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
MIN_TEXT_PX = 11.0
# A text run: <g style="fill: ..." transform="translate(x y) [rotate(a)] scale(s -s)">
TEXT_RUN = re.compile(r'<g [^>]*transform="[^"]*\bscale\((\d*\.?\d+) -\1\)"')
VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
# Each figure's shown image, its file, and the width it is drawn at (CSS px).
SHOWN = """figures => figures.map(figure => {
    const img = [...figure.querySelectorAll('picture img')].find(i => i.checkVisibility());
    return {id: figure.id, src: img.currentSrc, width: img.getBoundingClientRect().width};
})"""


def _load_figures(page: Page) -> None:
    """Load every figure image now (they load lazily) and wait until all have."""
    page.evaluate("() => document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    expect(page.locator("figure.kl-figure picture img:visible")).not_to_have_count(0)
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.kl-figure picture img')]"
        ".every(i => !i.checkVisibility() || (i.complete && i.naturalWidth > 0))"
    )


def smallest_text_px(svg: str, shown_width: float) -> float:
    """The smallest font size on screen (CSS px) in a matplotlib SVG drawn ``shown_width``
    CSS px wide; ValueError if it has no text."""
    viewbox = VIEWBOX.search(svg)
    scales = [float(s) for s in TEXT_RUN.findall(svg)]
    if viewbox is None or not scales:
        raise ValueError("no viewBox or no text in the SVG")
    return 100 * min(scales) * shown_width / float(viewbox.group(1))


def _shown_figures(page: Page, site_dir: Path) -> list[tuple[str, str, float]]:
    """(figure id, SVG file name, smallest text on screen in CSS px) of each figure shown."""
    shown = page.locator("figure.kl-figure").evaluate_all(SHOWN)
    result = []
    for figure in shown:
        name = Path(urlsplit(figure["src"]).path).name
        svg = (site_dir / "figures" / name).read_text(encoding="utf-8")
        result.append((figure["id"], name, smallest_text_px(svg, figure["width"])))
    return result


def test_text_size_reads_the_svg_as_drawn() -> None:
    svg = (
        '<svg viewBox="0 0 324 243"><g style="fill: #000" transform="translate(1 2) '
        'scale(0.115 -0.115)"></g><g transform="translate(3 4) rotate(-90) scale(0.13 -0.13)">'
        "</g></svg>"
    )
    assert smallest_text_px(svg, 343) == pytest.approx(11.5 * 343 / 324)
    with pytest.raises(ValueError):
        smallest_text_px('<svg viewBox="0 0 10 10"></svg>', 343)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_figure_reads_at_11_px_on_a_phone(
    browser: Browser, base_url: str, site_dir: Path, screenshots: Path, scheme: str
) -> None:
    with watched_context(browser, base_url, **PHONE, color_scheme=scheme) as watched:
        page = watched.page
        watched.goto("")
        _load_figures(page)
        shown = _shown_figures(page, site_dir)
        assert len(shown) >= 10
        theme = ".dark" if scheme == "dark" else ""
        for fig_id, name, _ in shown:
            assert name == f"{fig_id.removeprefix('fig-')}.narrow{theme}.svg"
        too_small = [(fig_id, round(px, 1)) for fig_id, _, px in shown if px < MIN_TEXT_PX]
        assert too_small == []

        folder = screenshots / "figures"
        folder.mkdir(exist_ok=True)
        interactive = island(page)
        for fig_id, _, _ in shown:
            figure = page.locator(f"#{fig_id}")
            figure.scroll_into_view_if_needed()
            if fig_id.removeprefix("fig-") in interactive:  # its widget mounts as it nears
                expect(figure).to_have_attribute("data-widget-ready", "true")
            image = figure.locator("picture img:visible")
            image.screenshot(path=str(folder / f"{fig_id}-phone-{scheme}.png"))

        if scheme == "light":  # Material's palette toggle swaps in the narrow dark SVGs
            page.evaluate("() => window.scrollTo(0, 0)")
            page.locator("form[data-md-component=palette] label:visible").click()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
            _load_figures(page)
            toggled = _shown_figures(page, site_dir)
            assert [name for _, name, _ in toggled] == [
                f"{fig_id.removeprefix('fig-')}.narrow.dark.svg" for fig_id, _, _ in shown
            ]


def test_a_desktop_gets_the_wide_figures_at_11_px_or_more(
    browser: Browser, base_url: str, site_dir: Path
) -> None:
    with watched_context(browser, base_url, **DESKTOP, color_scheme="light") as watched:
        watched.goto("")
        _load_figures(watched.page)
        shown = _shown_figures(watched.page, site_dir)
        assert [name for fig_id, name, _ in shown] == [
            f"{fig_id.removeprefix('fig-')}.svg" for fig_id, _, _ in shown
        ]
        assert min(px for _, _, px in shown) >= MIN_TEXT_PX


@pytest.mark.parametrize("width", [480, 481])
def test_both_sides_of_the_breakpoint_read_at_11_px(
    browser: Browser, base_url: str, site_dir: Path, width: int
) -> None:
    """The narrow layout is served up to NARROW_MEDIA's width, the wide one from there on:
    both read at 11 px or more where they meet."""
    viewport = {**PHONE, "viewport": {"width": width, "height": 900}}
    with watched_context(browser, base_url, **viewport, color_scheme="light") as watched:
        watched.goto("")
        _load_figures(watched.page)
        shown = _shown_figures(watched.page, site_dir)
        narrow = width <= 480
        assert all((".narrow." in name) == narrow for _, name, _ in shown)
        assert min(px for _, _, px in shown) >= MIN_TEXT_PX
