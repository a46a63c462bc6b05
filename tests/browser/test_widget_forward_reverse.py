"""The forward-vs-reverse widget (after the figure #fig-forward-reverse): the peaks' separation
by slider (mouse, touch, keyboard) and number box; the forward fit and every local minimum
of the reverse KL, refitted in the browser, agree with
`kl.lecture.sections.forward_vs_reverse.fits_for`: the forward fit's closed form and each
divergence a fit minimises to 1e-9; a reverse fit's mean, sd and other divergence to 1e-6
(Nelder-Mead stops within 1e-9 of a flat minimum, and sums rounded in another order can stop
it elsewhere within that flat stretch, which moves the unminimised divergence by ~1e-7)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

from kl.build.artifacts import Project
from kl.lecture.data import load_lecture_data
from kl.lecture.sections.forward_vs_reverse import fits_for, thresholds
from tests.browser.conftest import WatchedPage
from tests.browser.widgets import (
    assert_touch_targets,
    island,
    number,
    open_widget,
    shoot,
    track_point,
)
from tests.conftest import ROOT
from tests.figurecheck import figure_module

DATA = load_lecture_data(Project(ROOT).data_file)
SEPARATION = DATA.fitting.separation
MINIMISED = 1e-9
LOCATED = 1e-6
SLIDER_STEP = 0.01
FIGURE = "forward-reverse"


def separation(widget: Locator) -> float:
    return float(widget.get_attribute("data-separation") or "nan")


def wait_for_separation(widget: Locator, test: str) -> None:
    """Wait until the widget has refitted for a separation ``d`` that passes ``test`` (JS)."""
    widget.page.wait_for_function(
        f"w => {{ const d = Number(w.dataset.separation); return {test}; }}",
        arg=widget.element_handle(),
        timeout=20_000,
    )


def set_separation(widget: Locator, value: float) -> None:
    box = widget.get_by_role("spinbutton", name="Distance between the peaks, as a number")
    box.fill(str(value))
    box.press("Enter")
    wait_for_separation(widget, f"d === {value}")


# The widget names each reverse fit as the figure's data (its CSV) does.
fit_name = figure_module("forward-reverse").fit_name


def assert_agrees_with_kl(widget: Locator) -> int:
    """Checks every fit shown against kl's; returns the number of reverse minima."""
    d = separation(widget)
    want = fits_for(d)
    expect(widget.locator("tbody tr")).to_have_count(1 + len(want.reverse))
    forward = want.forward
    for column, value in (
        ("mean", forward.mean),
        ("sd", forward.sd),
        ("kl_pq_nats", forward.kl_pq_nats),
        ("kl_qp_nats", forward.kl_qp_nats),
    ):
        assert math.isclose(number(widget, "forward", column), value, abs_tol=MINIMISED), column
    for i, fit in enumerate(want.reverse):
        key = f"reverse-{i}"
        for column, value, tolerance in (
            ("mean", fit.mean, LOCATED),
            ("sd", fit.sd, LOCATED),
            ("kl_pq_nats", fit.kl_pq_nats, LOCATED),
            ("kl_qp_nats", fit.kl_qp_nats, MINIMISED),
        ):
            shown = number(widget, key, column)
            assert math.isclose(shown, value, abs_tol=tolerance), (d, key, column, shown, value)
        name = widget.locator("tbody tr").nth(1 + i).locator("th")
        expect(name).to_have_text(fit_name(fit))
    return len(want.reverse)


def test_starts_at_the_lectures_separation_and_agrees_with_kl(
    watched_page: WatchedPage,
) -> None:
    widget = open_widget(watched_page, FIGURE)
    data = island(watched_page.page)[FIGURE]
    limits = thresholds()
    assert data["separation"] == SEPARATION
    assert (data["peaks_appear"], data["peaks_win"]) == (limits.peaks_appear, limits.peaks_win)
    assert separation(widget) == SEPARATION
    assert_agrees_with_kl(widget)
    expect(widget.locator(".kl-widget__hint").first).to_contain_text(
        f"past about {limits.peaks_appear:.2f} and win past about {limits.peaks_win:.2f}"
    )


def test_one_peak_minima_appear_and_then_win_at_kls_thresholds(watched_page: WatchedPage) -> None:
    """Either side of each threshold the lecture computes, the widget finds what kl finds."""
    widget = open_widget(watched_page, FIGURE)
    limits = thresholds()
    live = widget.locator("[aria-live=polite]")
    below, between = round(limits.peaks_appear - 0.1, 2), round(limits.peaks_appear + 0.2, 2)
    above = round(limits.peaks_win + 0.1, 2)
    set_separation(widget, below)
    assert assert_agrees_with_kl(widget) == 1
    expect(live).to_contain_text("1 reverse-KL minimum; the best is centred")
    set_separation(widget, between)
    assert assert_agrees_with_kl(widget) == 3
    expect(widget.locator("tbody tr").nth(1).locator("th")).to_contain_text("centred (best)")
    set_separation(widget, above)
    assert assert_agrees_with_kl(widget) == 3
    expect(live).to_contain_text("the best sits on one peak")


@pytest.mark.parametrize("value", [0.0, 2.5, 9.0])
def test_far_and_near_peaks_agree_with_kl(watched_page: WatchedPage, value: float) -> None:
    widget = open_widget(watched_page, FIGURE)
    set_separation(widget, value)
    assert_agrees_with_kl(widget)


def test_keyboard_and_mouse_move_the_slider(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    slider = widget.get_by_role("slider", name="Distance between the peaks")
    slider.focus()
    slider.press("ArrowRight")
    wait_for_separation(widget, f"Math.abs(d - {SEPARATION + SLIDER_STEP}) < 1e-12")
    assert_agrees_with_kl(widget)
    watched_page.page.mouse.click(*track_point(slider, 0.25))
    wait_for_separation(widget, f"d < {SEPARATION}")
    assert_agrees_with_kl(widget)


def test_touch_at_phone_width(phone_page: WatchedPage, screenshots: Path) -> None:
    widget = open_widget(phone_page, FIGURE)
    assert_touch_targets(widget)
    slider = widget.get_by_role("slider", name="Distance between the peaks")
    phone_page.page.touchscreen.tap(*track_point(slider, 0.35))
    wait_for_separation(widget, f"d !== {SEPARATION}")
    assert_agrees_with_kl(widget)
    shoot(phone_page.page, widget, screenshots / f"widget-{FIGURE}-phone.png")
