"""The learning widget (after the figure #fig-learning): play, pause and step gradient
descent on KL(P‖Q) by mouse, touch and keyboard, with the learning rate changed mid-run;
Q and KL(P‖Q) after each step agree with `kl.measures.fitting.learn_by_gradient` (and, after a
change of rate, with `kl`'s own step q − p) to 1e-9."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from playwright.sync_api import Locator, expect

from kl.build.artifacts import Project
from kl.lecture.data import load_lecture_data
from kl.measures.discrete import kl_divergence
from kl.measures.fitting import kl_logit_gradient, learn_by_gradient, softmax
from tests.browser.conftest import WatchedPage
from tests.browser.widgets import assert_touch_targets, island, number, open_widget, shoot, state
from tests.conftest import ROOT

DATA = load_lecture_data(Project(ROOT).data_file)
P = DATA.forest.p
TARGET = [P[name] for name in DATA.forest.outcomes]
STEPS, RATE = DATA.learning.steps, DATA.learning.learning_rate
TOLERANCE = 1e-9
FIGURE = "learning"


def shown_step(widget: Locator) -> int:
    return int(number(widget, "step"))


def assert_at_step_of_kl_run(widget: Locator, rate: float = RATE) -> None:
    step = shown_step(widget)
    trace = learn_by_gradient(P, steps=step, learning_rate=rate)
    assert np.allclose(state(widget, "q"), trace.q[-1], rtol=0, atol=TOLERANCE)
    # in nats, as the figure above it and the gradient the text derives
    kl_nats = trace.kl_bits[-1] * math.log(2)
    assert math.isclose(number(widget, "kl-nats"), kl_nats, abs_tol=TOLERANCE)


def test_steps_follow_kl_learn_by_gradient(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    assert island(watched_page.page)[FIGURE] == {
        "names": list(DATA.forest.outcomes),
        "p": TARGET,
        "steps": STEPS,
        "rate": RATE,
    }
    assert shown_step(widget) == 0
    assert_at_step_of_kl_run(widget)  # uniform
    step = widget.get_by_role("button", name="Step")
    for _ in range(5):
        step.click()
    assert shown_step(widget) == 5
    assert_at_step_of_kl_run(widget)
    expect(widget.locator("[aria-live=polite]")).to_contain_text("Step 5: KL(P‖Q) =")


def test_play_pause_and_the_end_of_the_run(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    play = widget.get_by_role("button", name="Play")
    play.click()
    pause = widget.get_by_role("button", name="Pause")
    expect(pause).to_be_visible()
    watched_page.page.wait_for_function(
        "w => Number(w.querySelector('[data-key=step]').dataset.value) >= 3",
        arg=widget.element_handle(),
    )
    pause.click()
    paused_at = shown_step(widget)
    watched_page.page.wait_for_timeout(600)
    assert shown_step(widget) == paused_at  # paused means paused
    assert_at_step_of_kl_run(widget)
    # Played to the end, it stops at the lecture's number of steps, with Step disabled.
    widget.get_by_role("button", name="Play").click()
    expect(widget.locator("[data-key=step]")).to_have_text(str(STEPS), timeout=30_000)
    expect(widget.get_by_role("button", name="Play")).to_be_disabled()
    expect(widget.get_by_role("button", name="Step")).to_be_disabled()
    assert_at_step_of_kl_run(widget)
    widget.get_by_role("button", name="Reset").click()
    assert shown_step(widget) == 0


def test_keyboard_changes_the_rate_mid_run(watched_page: WatchedPage) -> None:
    widget = open_widget(watched_page, FIGURE)
    step = widget.get_by_role("button", name="Step")
    step.focus()
    watched_page.page.keyboard.press("Enter")
    watched_page.page.keyboard.press("Space")
    assert shown_step(widget) == 2
    rate = widget.get_by_role("spinbutton", name="Learning rate, as a number")
    rate.fill("2.5")
    rate.press("Enter")
    assert state(widget, "rate") == 2.5
    slider = widget.get_by_role("slider", name="Learning rate")
    slider.focus()
    slider.press("ArrowLeft")  # 2.45
    new_rate = state(widget, "rate")
    assert math.isclose(new_rate, 2.45, abs_tol=1e-9)
    step.focus()
    watched_page.page.keyboard.press("Enter")
    # kl's step from where the run was: two steps at the lecture's rate, one at the new one.
    logits = np.log(learn_by_gradient(P, steps=2, learning_rate=RATE).q[-1])
    logits = logits - new_rate * kl_logit_gradient(TARGET, logits)
    q = softmax(logits)
    assert np.allclose(state(widget, "q"), q, rtol=0, atol=TOLERANCE)
    assert math.isclose(number(widget, "kl-nats"), kl_divergence(TARGET, q), abs_tol=TOLERANCE)


def test_touch_at_phone_width(phone_page: WatchedPage, screenshots: Path) -> None:
    widget = open_widget(phone_page, FIGURE)
    assert_touch_targets(widget)
    step = widget.get_by_role("button", name="Step")
    step.scroll_into_view_if_needed()
    for _ in range(3):
        step.tap()
    assert shown_step(widget) == 3
    assert_at_step_of_kl_run(widget)
    shoot(phone_page.page, widget, screenshots / f"widget-{FIGURE}-phone.png")
