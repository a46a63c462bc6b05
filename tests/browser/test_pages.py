"""Every page in a real browser: loads cleanly and offline, swaps its figures with the
palette, fits a phone, finds the lecture's terms in search and draws its math.

Every test here uses `watched_page` or `phone_page`, which fail the test on a console
error or on any request that leaves the local server.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from kl.build.mathfont import MATH_FONT
from tests.browser.conftest import PAGES, PHONE_WIDTH, WatchedPage, _watch, goto_settled
from tests.conftest import ROOT

SEARCH_TERMS = ("divergence", "entropy", "cross-entropy", "Huffman")
# Figures that follow the palette: a light and a dark image, Material shows one of them.
FIGURE_IMAGES = 'figure.kl-figure img:is([src$="#only-light"], [src$="#only-dark"])'
# The math font as the repository holds it; the site publishes it cut down to the glyphs
# its formulas use (kl/site/tree.py).
FULL_MATH_FONT = ROOT / "docs" / MATH_FONT


def _load_every_image(page: Page, selector: str = "img") -> None:
    """Scroll each visible image into view (lazy images load only then) and wait for it."""
    images = page.locator(selector)
    for i in range(images.count()):
        image = images.nth(i)
        if image.is_visible():
            image.scroll_into_view_if_needed()
            expect(image).to_have_js_property("complete", True)
    page.evaluate("() => window.scrollTo(0, 0)")


def _broken_images(page: Page) -> list[str]:
    return page.locator("img").evaluate_all(
        """images => images
            .filter(img => img.checkVisibility() && !(img.complete && img.naturalWidth > 0))
            .map(img => img.getAttribute('src'))"""
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(watched_page: WatchedPage, path: str) -> None:
    response = goto_settled(watched_page.page, watched_page.base_url + path)
    assert response is not None and response.ok
    expect(watched_page.page.locator("h1")).to_have_count(1)
    _load_every_image(watched_page.page)
    assert _broken_images(watched_page.page) == []
    # The search index is fetched by a worker: it too must come from the local server.
    watched_page.page.locator(".md-search__input").click()
    expect(watched_page.page.locator(".md-search-result__meta")).not_to_contain_text("Initializing")


def test_the_watch_catches_other_hosts_and_console_errors(browser: Browser, base_url: str) -> None:
    """The checks every other test relies on can fail: a request elsewhere is caught
    (and never sent), and so is a console error."""
    context = browser.new_context()
    watched = _watch(context.new_page(), base_url)
    watched.goto("")
    watched.page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'https://example.org/pixel.png';
            document.body.append(img);
            console.error('boom');
        }"""
    )
    expect(watched.page.locator("img[src^='https://example.org']")).to_have_js_property(
        "complete", True
    )
    context.close()
    assert watched.foreign_requests() == ["https://example.org/pixel.png"]
    assert any("boom" in error for error in watched.errors)


# Visible elements (as "TAG.class: left..right") that reach outside [0, width]; with
# scrolling allowed, an element inside a horizontally scrolling box is judged by that box.
OUTSIDE_THE_SCREEN = """(nodes, [width, scrollingAllowed]) => nodes
    .filter(node => node.checkVisibility())
    .map(node => {
        let box = node;
        let a = scrollingAllowed ? node.parentElement : null;
        for (; a && a !== document.body; a = a.parentElement) {
            if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) { box = a; break; }
        }
        return [`${node.tagName}.${node.className}`, box.getBoundingClientRect()];
    })
    .filter(([, r]) => r.left < -0.5 || r.right > width + 0.5)
    .map(([name, r]) => `${name}: ${Math.round(r.left)}..${Math.round(r.right)}`)"""


def _figure_images(page: Page) -> list[dict[str, object]]:
    return page.locator(FIGURE_IMAGES).evaluate_all(
        """images => images.map(img => ({
            src: img.getAttribute('src'),
            visible: img.checkVisibility(),
            loaded: img.complete && img.naturalWidth > 0,
        }))"""
    )


def _toggle_palette(page: Page) -> None:
    page.locator("form[data-md-component=palette] label:visible").click()


def test_palette_toggle_swaps_every_figure(watched_page: WatchedPage) -> None:
    page = watched_page.page
    watched_page.goto("")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    before = _figure_images(page)
    assert before, "no figures on the page"
    assert {str(img["src"]).endswith("#only-light") for img in before if img["visible"]} == {True}

    _toggle_palette(page)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    _load_every_image(page, FIGURE_IMAGES)
    after = _figure_images(page)
    visible = [img for img in after if img["visible"]]
    hidden = [img for img in after if not img["visible"]]
    assert len(visible) == len(hidden) == len(before) // 2
    assert all(str(img["src"]).endswith(".dark.svg#only-dark") for img in visible)
    assert all(str(img["src"]).endswith("#only-light") for img in hidden)
    assert all(img["loaded"] for img in visible)

    # The choice is remembered on the next page, and the toggle switches back.
    watched_page.goto("formulas/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    _toggle_palette(page)
    expect(body).to_have_attribute("data-md-color-scheme", "default")


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_nothing_scrolls_sideways(phone_page: WatchedPage, path: str) -> None:
    page = phone_page.page
    phone_page.goto(path)
    _load_every_image(page)
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            viewport: window.innerWidth,
        })"""
    )
    assert widths["viewport"] == PHONE_WIDTH
    assert widths["page"] <= PHONE_WIDTH and widths["body"] <= PHONE_WIDTH, widths
    # Figures and the explorer fit the screen as they are; a wide table or formula may
    # scroll inside its own box (Material's table wrapper, .math-display), if that box fits.
    content = page.locator(".md-content :is(figure, img, table, .math-display, .kl-explorer)")
    assert content.evaluate_all(OUTSIDE_THE_SCREEN, [PHONE_WIDTH, True]) == []
    figures = page.locator(".md-content figure :is(img, figcaption)")
    assert figures.evaluate_all(OUTSIDE_THE_SCREEN, [PHONE_WIDTH, False]) == []


def test_the_gallerys_copy_buttons_are_big_enough_to_tap_and_cover_no_code(
    phone_page: WatchedPage,
) -> None:
    """At 375 px each snippet's copy button is at least 24 px square (WCAG 2.5.8), and the
    first line of its code stops short of it."""
    page = phone_page.page
    phone_page.goto("gallery/")
    buttons = page.locator(".md-typeset pre :is(.md-clipboard, .md-code__button)")
    expect(buttons.first).to_be_attached()
    sizes = buttons.evaluate_all(
        """bs => bs.map(b => {
          const r = b.getBoundingClientRect();
          const code = b.closest("pre").querySelector("code");
          const text = code.getBoundingClientRect().right
            - parseFloat(getComputedStyle(code).paddingRight);
          return [r.width, r.height, r.left - text, code.scrollWidth - code.clientWidth];
        })"""
    )
    assert sizes
    for width, height, room, hidden in sizes:
        assert min(width, height) >= 24, (width, height)
        assert hidden <= 1, f"a line of code runs {hidden} px past its box, under the button"
        assert room >= 0, f"the code's text runs {-room:.0f} px under its copy button"


# A box that scrolls sideways: its content (measured first: Chromium can report a stale
# scrollWidth for MathML) is wider than the box.
SCROLLS = """box => Math.max(box.firstElementChild ? box.firstElementChild.scrollWidth : 0,
                         box.scrollWidth) > box.clientWidth + 1"""
FOCUS_FOLLOWS_SCROLLING = f"""() => [...document.querySelectorAll(
    ".md-typeset__scrollwrap, .math-display")].every(box =>
        ({SCROLLS})(box) === (box.getAttribute("tabindex") === "0"))"""


def test_boxes_that_scroll_sideways_take_keyboard_focus_only_while_they_do(
    phone_page: WatchedPage,
) -> None:
    """On a phone a wide table or formula scrolls inside its box: the box is a tab stop
    with a name, so keyboard users can scroll it; at desktop width, where it fits, not."""
    page = phone_page.page
    phone_page.goto("")
    page.wait_for_selector("html[data-kl-scroll-focus=checked]", state="attached")
    assert page.evaluate(FOCUS_FOLLOWS_SCROLLING)
    focusable = page.locator(":is(.md-typeset__scrollwrap, .math-display)[tabindex='0']")
    assert focusable.count() >= 3, "the lecture has wide tables and formulas on a phone"
    for box in focusable.all():
        expect(box).to_have_attribute("role", "group")
        expect(box).to_have_attribute("aria-label", re.compile(r", scrolls sideways$"))

    formula = page.locator(".math-display[tabindex='0']").first
    formula.focus()
    page.keyboard.press("ArrowRight")
    expect(formula).to_be_focused()
    page.wait_for_function("box => box.scrollLeft > 0", arg=formula.element_handle())

    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(FOCUS_FOLLOWS_SCROLLING)
    assert page.locator(".math-display[tabindex]").count() == 0


def _shaded_edges(box: Locator) -> tuple[bool, bool]:
    """Whether the left and the right edge of ``box`` (its formula hidden) are darker or
    lighter than the middle of its background: a shadow says more of it is that way."""
    image = Image.open(io.BytesIO(box.screenshot())).convert("RGB")
    middle_row = image.height // 2
    background = image.getpixel((image.width // 2, middle_row))

    def shaded(x: int) -> bool:
        pixel = image.getpixel((x, middle_row))
        return max(abs(a - b) for a, b in zip(pixel, background, strict=True)) > 12

    return shaded(1), shaded(image.width - 2)


# What scrolls sideways on a phone: its box, what to hide in it to see the box's own
# background, and how many of them the lecture has that are wider than a phone at least.
CUT_BY_A_PHONE = {
    "formula": (".math-display", ".math-display math", 5),
    "table": (".md-typeset__scrollwrap", ".md-typeset__scrollwrap table", 2),
}


@pytest.mark.parametrize("kind", sorted(CUT_BY_A_PHONE))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_formula_or_table_cut_by_a_phone_screen_shows_a_shadow_where_it_is_cut(
    browser: Browser, base_url: str, scheme: str, kind: str
) -> None:
    """At 375 px some formulas and tables scroll inside their box: a shadow marks each
    edge where part of it is hidden, and goes once that end is in view. One that fits has
    none."""
    box_selector, content, wider = CUT_BY_A_PHONE[kind]
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True, color_scheme=scheme
    )
    watched = _watch(context.new_page(), base_url)
    watched.goto("")
    page = watched.page
    # Only the box's background is left to see, and every block is laid out at once (no
    # content-visibility), so a box does not move while it is being shot; nor does an
    # interactive panel that appears as its figure scrolls near push it down.
    hide = (
        f"{content} {{ visibility: hidden }} * {{ content-visibility: visible !important }}"
        " .kl-widget { display: none !important }"
    )
    page.add_style_tag(content=hide)
    boxes = page.locator(box_selector)
    scrolling = 0
    hidden_by = "box => [box.scrollLeft, box.scrollWidth - box.clientWidth - box.scrollLeft]"
    em = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    )
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if not box.is_visible():  # in a closed "Answer"
            continue
        scrolls = box.evaluate(SCROLLS)
        scrolling += scrolls
        # Scrolled to either end and to the middle; a box that fits has one position.
        ends = ("0", "box.scrollWidth", "(box.scrollWidth - box.clientWidth) / 2")
        for position in ends if scrolls else ends[:1]:
            box.evaluate(f"box => {{ box.scrollLeft = {position}; }}")
            left, right = box.evaluate(hidden_by)
            shaded = _shaded_edges(box)
            for side, hidden, shade in zip(("left", "right"), (left, right), shaded, strict=True):
                where = (
                    f"{kind} {index}, {left:.0f} px hidden on the left, {right:.0f} on the right"
                )
                if hidden < 1:
                    assert not shade, f"a shadow on the {side} with nothing there: {where}"
                elif hidden >= em:
                    assert shade, f"no shadow on the {side}: {where}"
    assert scrolling >= wider, f"the lecture has a {kind} wider than a phone"
    context.close()
    assert watched.foreign_requests() == [] and watched.errors == []


@pytest.mark.parametrize("page_fixture", ["watched_page", "phone_page"])
def test_links_to_sections_and_figures_land_on_them(
    page_fixture: str, request: pytest.FixtureRequest
) -> None:
    """A link from elsewhere to a section or figure of the lecture opens the page with its
    target at the top of the screen, and it stays there while the page settles (blocks far
    from the screen are drawn late: kl.css uses content-visibility)."""
    watched: WatchedPage = request.getfixturevalue(page_fixture)
    page = watched.page
    watched.goto("")
    anchors = page.locator(".md-content :is(h2, figure)[id]").evaluate_all(
        "nodes => nodes.map(n => n.id)"
    )
    assert len(anchors) > 10
    header = page.locator(".md-header").bounding_box()
    assert header is not None
    for anchor in {*anchors[::3], anchors[-1]}:  # a sample from top to bottom, for speed
        page.goto("about:blank")
        page.goto(f"{watched.base_url}#{anchor}", wait_until="load")
        target = page.locator(f"[id='{anchor}']")
        for _ in range(2):
            top = target.evaluate("n => n.getBoundingClientRect().top")
            assert header["height"] - 1 <= top <= header["height"] + 40, (anchor, top)
            page.wait_for_timeout(200)


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_the_lectures_key_terms(watched_page: WatchedPage, term: str) -> None:
    page = watched_page.page
    watched_page.goto("")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(term)
    matches = page.locator(".md-search-result__item").filter(
        has_text=re.compile(re.escape(term), re.IGNORECASE)
    )
    expect(matches.first).to_be_visible()
    expect(matches.first.locator("mark").first).to_be_visible()
    assert (matches.first.locator("a").first.get_attribute("href") or "").startswith(
        watched_page.base_url
    )


@pytest.mark.parametrize("path", ["", "formulas/"])
def test_math_is_drawn_as_mathml(watched_page: WatchedPage, path: str) -> None:
    page = watched_page.page
    watched_page.goto(path)
    # Every formula on screen (the answers appendix, [hidden], is shown only in print).
    boxes = page.locator("math:not([hidden] math)").evaluate_all(
        """nodes => nodes.map(m => {
            const r = m.getBoundingClientRect();
            return {display: m.getAttribute('display'), width: r.width, height: r.height,
                    css: getComputedStyle(m).display,
                    inBlock: m.closest('.math-display') !== null};
        })"""
    )
    assert any(box["inBlock"] for box in boxes), "no display math"
    assert any(not box["inBlock"] for box in boxes), "no inline math"
    assert [box for box in boxes if box["width"] <= 0 or box["height"] <= 0] == []
    # Chromium's MathML layout, not unstyled text: display math is laid out as a block...
    assert {box["css"] for box in boxes if box["display"] == "block"} == {"block math"}
    # ...and a fraction really stacks its numerator above its denominator.
    stacked = page.locator("mfrac:not([hidden] mfrac)").evaluate_all(
        """fracs => fracs.map(f => {
            const [num, den] = [...f.children].map(c => c.getBoundingClientRect());
            return num.bottom <= den.top + 1 && num.height > 0 && den.height > 0;
        })"""
    )
    assert stacked and all(stacked)


def _fonts_of_math_tokens(page: Page) -> list[tuple[str, set[tuple[str, bool]]]]:
    """Each token of each formula on the page (<mi>, <mn>, <mo>, <mtext>): its text and the
    fonts Chromium drew it with, as (family, is a web font) pairs."""
    # Blocks far from the screen are laid out only as they come near (content-visibility).
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    # Laying the page out asks for the fonts its text needs; then wait until they are in.
    page.evaluate(
        "async () => { document.body.getBoundingClientRect(); await document.fonts.ready; }"
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    selector = "math :is(mi, mn, mo, mtext)"
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    used = [cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] for node in nodes]
    cdp.detach()
    texts = page.locator(selector).all_text_contents()
    assert len(texts) == len(used)
    return [
        (text, {(font["familyName"], font["isCustomFont"]) for font in fonts})
        for text, fonts in zip(texts, used, strict=True)
    ]


@pytest.mark.parametrize("path", ["", "formulas/"])
def test_math_is_drawn_from_the_published_font_as_from_the_full_one(
    watched_page: WatchedPage, path: str
) -> None:
    """No glyph a formula needs was cut from the math font: each token is drawn from the
    same fonts as when the page gets the full font, never from a fallback font."""
    page = watched_page.page
    watched_page.goto(path)
    published = _fonts_of_math_tokens(page)
    page.route(
        f"**/{MATH_FONT}",
        lambda route: route.fulfill(body=FULL_MATH_FONT.read_bytes(), content_type="font/woff2"),
    )
    watched_page.goto(path)
    full = _fonts_of_math_tokens(page)
    assert [text for text, _ in published] == [text for text, _ in full]
    # Tokens in closed solutions are not drawn at all; the rest mostly from the web font.
    assert sum(any(web for _, web in fonts) for _, fonts in published) > 100
    differences = [
        (text, fonts, full_fonts)
        for (text, fonts), (_, full_fonts) in zip(published, full, strict=True)
        if not fonts <= full_fonts
    ]
    assert differences == []


def _shoot(watched: WatchedPage, path: str, file: Path) -> None:
    watched.goto(path)
    _load_every_image(watched.page)
    # The page draws blocks far from the screen only as they come near (kl.css uses
    # content-visibility); a full-page picture needs them all drawn at once.
    watched.page.add_style_tag(content="* { content-visibility: visible !important; }")
    watched.page.screenshot(path=str(file), full_page=True)
    assert file.stat().st_size > 0


def test_screenshots_of_the_lecture(
    watched_page: WatchedPage, phone_page: WatchedPage, screenshots: Path
) -> None:
    """tests/screenshots/: the lecture in light and dark, and at phone width, for review."""
    _shoot(watched_page, "", screenshots / "lecture-light.png")
    _toggle_palette(watched_page.page)
    expect(watched_page.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    _shoot(watched_page, "", screenshots / "lecture-dark.png")
    _shoot(phone_page, "", screenshots / "lecture-phone.png")
    _shoot(phone_page, "explorer/", screenshots / "explorer-phone.png")
