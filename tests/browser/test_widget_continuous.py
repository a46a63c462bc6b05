"""The continuous-distributions widget (after the figure #fig-continuous-integrand):
Q's mean and standard deviation by slider, number box, mouse, touch and keyboard; KL both
ways by Simpson's rule (checked against `kl.measures.continuous.kl_numeric_log` on the same grid,
to 1e-9) and in closed form (`kl.measures.gaussian.kl_normal`, to 1e-9)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict

import numpy as np
from playwright.sync_api import Locator, Page, expect
from scipy.integrate import simpson

from kl.build.artifacts import Project
from kl.lecture.data import load_lecture_data
from kl.lecture.sections.continuous import GRID_POINTS, TAIL_SDS
from kl.measures.continuous import kl_numeric_log
from kl.measures.gaussian import kl_normal
from tests.browser.conftest import WatchedPage
from tests.browser.widgets import (
    assert_touch_targets,
    island,
    number,
    open_widget,
    shoot,
    state,
    track_point,
)
from tests.conftest import ROOT

DATA = load_lecture_data(Project(ROOT).data_file)
P = DATA.curves.p
TOLERANCE = 1e-9  # closed form and Simpson's rule alike: the browser repeats kl's sums
SLIDER_STEP = 0.01
FIGURE = "continuous-integrand"


def expected(q_mean: float, q_sd: float) -> dict[str, float]:
    """What `kl` computes for P and N(q_mean, q_sd²), on the grid the widget states."""
    lower = min(P.mean - TAIL_SDS * P.sd, q_mean - TAIL_SDS * q_sd)
    upper = max(P.mean + TAIL_SDS * P.sd, q_mean + TAIL_SDS * q_sd)

    def log_normal(mean: float, sd: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: -0.5 * ((x - mean) / sd) ** 2 - math.log(sd * math.sqrt(2 * math.pi))

    log_p, log_q = log_normal(P.mean, P.sd), log_normal(q_mean, q_sd)
    x = np.linspace(lower, upper, GRID_POINTS)
    integrand = np.exp(log_p(x)) * (log_p(x) - log_q(x))
    return {
        "pq_numeric": kl_numeric_log(log_p, log_q, lower, upper, points=GRID_POINTS),
        "qp_numeric": kl_numeric_log(log_q, log_p, lower, upper, points=GRID_POINTS),
        "pq_closed": kl_normal(P.mean, P.sd, q_mean, q_sd),
        "qp_closed": kl_normal(q_mean, q_sd, P.mean, P.sd),
        "above": float(simpson(np.maximum(integrand, 0.0), x=x)),
        "below": float(simpson(np.minimum(integrand, 0.0), x=x)),
    }


def assert_agrees_with_kl(widget: Locator) -> dict[str, float]:
    q = state(widget, "q")
    want = expected(q["mean"], q["sd"])
    shown = {
        "pq_numeric": number(widget, "pq", "numeric"),
        "qp_numeric": number(widget, "qp", "numeric"),
        "pq_closed": number(widget, "pq", "closed"),
        "qp_closed": number(widget, "qp", "closed"),
        "above": number(widget, "above"),
        "below": number(widget, "below"),
    }
    for key, value in want.items():
        assert math.isclose(shown[key], value, rel_tol=0, abs_tol=TOLERANCE), (key, q, shown)
    return shown


def slider(widget: Locator, name: str) -> Locator:
    return widget.get_by_role("slider", name=name, exact=True)


def box(widget: Locator, name: str) -> Locator:
    return widget.get_by_role("spinbutton", name=f"{name}, as a number")


def path_of(widget: Locator) -> str:
    return widget.locator("path.kl-widget__area--above").get_attribute("d") or ""


def test_starts_at_the_poor_fit_from_the_build_and_agrees_with_kl(
    watched_page: WatchedPage,
) -> None:
    widget = open_widget(watched_page, FIGURE)
    data = island(watched_page.page)[FIGURE]
    assert data["p"] == asdict(P) and data["points"] == GRID_POINTS
    assert state(widget, "q") == asdict(DATA.curves.poor)
    assert_agrees_with_kl(widget)
    # The static figure is still there, image, caption and all.
    figure = watched_page.page.locator(f"#fig-{FIGURE}")
    expect(figure.locator("img").first).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("KL(P‖Q)")


def test_keyboard_moves_the_sliders(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    start = state(widget, "q")
    mean = slider(widget, "Q's mean")
    mean.focus()
    mean.press("ArrowRight")
    assert math.isclose(state(widget, "q")["mean"], start["mean"] + SLIDER_STEP, abs_tol=1e-9)
    assert_agrees_with_kl(widget)
    sd = slider(widget, "Q's standard deviation")
    sd.focus()
    for _ in range(3):
        sd.press("ArrowLeft")
    assert math.isclose(state(widget, "q")["sd"], start["sd"] - 3 * SLIDER_STEP, abs_tol=1e-9)
    assert_agrees_with_kl(widget)
    before = path_of(widget)
    sd.press("Home")
    assert path_of(widget) != before  # the drawing follows
    assert_agrees_with_kl(widget)
    live = widget.locator("[aria-live=polite]")
    closed = number(widget, "pq", "closed")
    expect(live).to_contain_text(f"KL(P‖Q) = {closed:.4f} nats")


def test_number_boxes_and_presets_set_q(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    box(widget, "Q's mean").fill(str(P.mean))
    box(widget, "Q's mean").press("Enter")
    box(widget, "Q's standard deviation").fill(str(P.sd))
    box(widget, "Q's standard deviation").press("Tab")
    assert state(widget, "q") == asdict(P)
    shown = assert_agrees_with_kl(widget)
    assert shown["pq_closed"] == shown["qp_closed"] == 0  # Q = P
    assert shown["pq_numeric"] < TOLERANCE
    box(widget, "Q's mean").fill("")
    box(widget, "Q's mean").press("Enter")
    assert state(widget, "q") == asdict(P)
    widget.get_by_role("button", name="The good fit").click()
    assert state(widget, "q") == asdict(DATA.curves.good)
    assert_agrees_with_kl(widget)


def test_mouse_drags_a_slider(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    page: Page = watched_page.page
    start = state(widget, "q")
    page.mouse.move(*track_point(slider(widget, "Q's mean"), 0.5))
    page.mouse.down()
    page.mouse.move(*track_point(slider(widget, "Q's mean"), 0.2), steps=5)
    page.mouse.up()
    moved = state(widget, "q")
    assert moved["mean"] < start["mean"] and moved["sd"] == start["sd"]
    assert_agrees_with_kl(widget)


def test_touch_at_phone_width(phone_page: WatchedPage, screenshots) -> None:  # type: ignore[no-untyped-def]
    widget = open_widget(phone_page, FIGURE)
    assert_touch_targets(widget)
    widget.get_by_role("button", name="The good fit").tap()
    assert state(widget, "q") == asdict(DATA.curves.good)
    phone_page.page.touchscreen.tap(*track_point(slider(widget, "Q's standard deviation"), 0.9))
    assert state(widget, "q")["sd"] > DATA.curves.good.sd
    assert_agrees_with_kl(widget)
    width = phone_page.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
    shoot(phone_page.page, widget, screenshots / f"widget-{FIGURE}-phone.png")
