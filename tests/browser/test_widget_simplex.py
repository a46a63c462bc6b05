"""The simplex widget (after the figure #fig-simplex): Q is picked by a click or a tap on
the triangle, a drag, or the arrow keys; the point maps to Q as `kl.measures.simplex` maps it
(to 1e-12), and KL(P‖Q) and KL(Q‖P) agree with `kl.measures.discrete.kl_divergence` to 1e-9."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from playwright.sync_api import Locator, Page, expect

from kl.build.artifacts import Project
from kl.lecture.data import load_lecture_data
from kl.lecture.sections.not_a_distance import simplex_vectors
from kl.measures.discrete import kl_divergence
from kl.measures.simplex import simplex_from_xy, ternary_xy
from tests.browser.conftest import WatchedPage
from tests.browser.widgets import assert_touch_targets, island, number, open_widget, shoot, state
from tests.conftest import ROOT

DATA = load_lecture_data(Project(ROOT).data_file)
CORNERS, P, Q = simplex_vectors(DATA)
NAMES = [animal for (animal,) in CORNERS]  # three animals, a corner each
TOLERANCE = 1e-9
KEY_STEP = 0.01
PIXEL = 0.01  # a click lands within a pixel or so of its aim: 1/100 of a side here
FIGURE = "simplex"


def assert_agrees_with_kl(widget: Locator) -> list[float]:
    q = state(widget, "q")
    assert len(q) == 3 and math.isclose(sum(q), 1, abs_tol=1e-12) and min(q) >= 0
    for key, a, b in (("pq", P, q), ("qp", q, P)):
        for unit, base in (("bits", 2.0), ("nats", math.e)):
            want = kl_divergence(a, b, base=base)
            shown = number(widget, key, unit)
            if math.isinf(want):
                assert shown == want, (key, unit, q)
            else:
                assert math.isclose(shown, want, rel_tol=0, abs_tol=TOLERANCE), (key, unit, q)
    return q


def handle(widget: Locator) -> Locator:
    return widget.get_by_role("slider", name="Q, a point on the triangle")


def screen_point(widget: Locator, q: list[float]) -> tuple[float, float]:
    """Where the distribution q is drawn on the screen (CSS pixels)."""
    (x,), (y,) = ternary_xy([q])
    return widget.locator("svg.kl-widget__plot--simplex").evaluate(
        """(svg, [x, y]) => {
          const pad = 40, side = 400 - 2 * pad, point = svg.createSVGPoint();
          point.x = pad + x * side;
          point.y = pad + (Math.sqrt(3) / 2 - y) * side;
          const screen = point.matrixTransform(svg.getScreenCTM());
          return [screen.x, screen.y];
        }""",
        [float(x), float(y)],
    )


def test_starts_at_the_forests_q_with_p_marked(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    data = island(watched_page.page)[FIGURE]
    assert data == {"corners": CORNERS, "p": P.tolist(), "q": Q.tolist()}
    assert state(widget, "q") == Q.tolist()
    assert_agrees_with_kl(widget)
    expect(widget.locator(".kl-widget__star")).to_have_count(1)
    expect(handle(widget)).to_have_attribute(
        "aria-valuetext",
        f"Q: {NAMES[0]} {Q[0]:.2f}, " + f"{NAMES[1]} {Q[1]:.2f}, {NAMES[2]} {Q[2]:.2f}",
    )


def test_arrow_keys_move_q(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    point = handle(widget)
    point.focus()
    for key, dx, dy in (
        ("ArrowRight", KEY_STEP, 0),
        ("ArrowUp", 0, KEY_STEP),
        ("ArrowLeft", -KEY_STEP, 0),
        ("ArrowDown", 0, -KEY_STEP),
    ):
        before = state(widget, "q")
        (x,), (y,) = ternary_xy([before])
        point.press(key)
        want = simplex_from_xy(np.array([x + dx]), np.array([y + dy]))[0]
        assert np.allclose(state(widget, "q"), want, rtol=0, atol=1e-12), key
        assert_agrees_with_kl(widget)
    # Far past an edge, Q is pulled onto it, and KL(P‖Q) turns infinite where P has mass.
    for _ in range(200):
        point.press("ArrowDown")
    q = assert_agrees_with_kl(widget)
    assert q[2] == 0
    live = widget.locator("[aria-live=polite]")
    expect(live).to_contain_text("KL(P‖Q) = ∞ bits" if P[2] > 0 else "KL(P‖Q) =")


def test_a_click_picks_q_and_a_drag_moves_it(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    page: Page = watched_page.page
    widget.locator("svg").scroll_into_view_if_needed()
    aim = [1 / 3, 1 / 3, 1 / 3]
    page.mouse.click(*screen_point(widget, aim))
    assert np.allclose(state(widget, "q"), aim, atol=PIXEL)
    assert_agrees_with_kl(widget)
    # Drag from the centre to P: both divergences fall to (almost) zero on the way.
    page.mouse.down()
    page.mouse.move(*screen_point(widget, P.tolist()), steps=8)
    page.mouse.up()
    assert np.allclose(state(widget, "q"), P, atol=PIXEL)
    assert_agrees_with_kl(widget)
    assert number(widget, "pq", "bits") < 1e-3


def test_touch_at_phone_width(phone_page: WatchedPage, screenshots: Path) -> None:
    widget = open_widget(phone_page, FIGURE)
    widget.locator("svg").scroll_into_view_if_needed()
    box = handle(widget).bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    aim = [0.2, 0.2, 0.6]
    phone_page.page.touchscreen.tap(*screen_point(widget, aim))
    assert np.allclose(state(widget, "q"), aim, atol=2 * PIXEL)
    assert_agrees_with_kl(widget)
    assert_touch_targets(widget)
    shoot(phone_page.page, widget, screenshots / f"widget-{FIGURE}-phone.png")
