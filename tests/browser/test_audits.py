"""Audits: axe-core finds no accessibility violation on any page, in either palette and at
phone width (the lecture page with every widget drawn and every answer checker shown), and
Lighthouse 12 scores the lecture page 1.0 for accessibility and at least 0.95 for best
practices and SEO. Its performance is measured by scripts/bench.py, not here: it moves with the
machine's load from run to run.

Both tools come from npm (.ci/package.json, installed by `npm ci --prefix .ci`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from scripts.lighthouse import lighthouse_report
from tests.browser.conftest import CHROMIUM_ARGS, NODE_MODULES, PAGES, PHONE_WIDTH, WatchedPage
from tests.browser.widgets import draw_every_widget
from tests.tools import require_command, require_npm_packages

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
MIN_SCORES = {"accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}


def _lighthouse(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run (its phone settings): the score of each category."""
    require_npm_packages(NODE_MODULES.parent)
    require_command("npm")  # brings node
    require_command("chromium")
    result = lighthouse_report(url, report, list(MIN_SCORES), CHROMIUM_ARGS)
    return {name: result["categories"][name]["score"] for name in MIN_SCORES}


def test_lighthouse_scores_the_lecture_page(base_url: str, tmp_path: Path) -> None:
    """Accessibility, best practices and SEO do not vary from run to run: one run decides."""
    run = _lighthouse(base_url, tmp_path / "run.json")
    assert {name: score for name, score in run.items() if score < MIN_SCORES[name]} == {}, run


# axe reads each element's colours as they are painted at that moment: during a CSS
# transition (Material fades link and list colours in) a text's colour is halfway to its
# final one, and its contrast can fall below the threshold for a frame. It audits the page
# once every transition has ended and the fonts are in.
SETTLED = """() => document.fonts.status === "loaded"
    && document.getAnimations().every((a) => a.playState !== "running")"""


def _axe_violations(watched: WatchedPage) -> list[str]:
    require_npm_packages(NODE_MODULES.parent)
    watched.page.wait_for_function(SETTLED)
    watched.page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = watched.page.evaluate("() => axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def _open_in_full(watched: WatchedPage, path: str) -> None:
    """Open ``path``; on the lecture page, draw every widget and show every answer checker
    (`draw_every_widget`): all the plain page has and what the reader can make appear."""
    watched.goto(path)
    if path == "":
        draw_every_widget(watched.page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation(watched_page: WatchedPage, path: str, scheme: str) -> None:
    watched_page.page.emulate_media(color_scheme=scheme)
    _open_in_full(watched_page, path)
    expected = "slate" if scheme == "dark" else "default"
    assert watched_page.page.locator("body").get_attribute("data-md-color-scheme") == expected
    assert _axe_violations(watched_page) == []


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation_at_phone_width(phone_page: WatchedPage, path: str) -> None:
    """On a phone, wide tables and long formulas scroll sideways inside their own boxes;
    each such box must still be reachable and scrollable by keyboard, and nothing else
    makes the page wider than the phone."""
    _open_in_full(phone_page, path)
    # Boxes are measured while the browser is idle (docs/assets/scroll-focus.js).
    phone_page.page.wait_for_selector("html[data-kl-scroll-focus=checked]", state="attached")
    assert _axe_violations(phone_page) == []
    assert phone_page.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_WIDTH


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_explorers_infinite_state(
    watched_page: WatchedPage, scheme: str
) -> None:
    """The explorer after the reader sets a probability of Q to 0: the note on infinity."""
    page = watched_page.page
    page.emulate_media(color_scheme=scheme)
    watched_page.goto("explorer/")
    box = page.get_by_role("group", name="Q, the model's belief").get_by_role("spinbutton")
    box.first.fill("0")
    box.first.press("Tab")
    page.get_by_role("group", name="P, the truth").get_by_role("spinbutton").last.fill("0")
    page.keyboard.press("Tab")
    expect(page.locator(".kl-explorer__note")).to_have_count(2)
    assert _axe_violations(watched_page) == []
