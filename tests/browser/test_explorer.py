"""The explorer page: starts from the data file, keeps P and Q normalised by its stated
rule, agrees with `kl` to 1e-9 in bits and in nats, says clearly when a divergence is
infinite, keeps its state in its address (a shared link opens the same P, Q and unit),
and works by keyboard, touch and through the accessibility tree (roles and names, a
live region)."""

from __future__ import annotations

import json
import math
import random
import re

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from kl.build.artifacts import Project
from kl.lecture.data import load_lecture_data
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from tests.browser.conftest import WatchedPage, goto_settled
from tests.browser.widgets import MIN_TARGET_PX
from tests.conftest import ROOT

TOLERANCE = 1e-9
LEGENDS = {"p": "P, the truth", "q": "Q, the model's belief"}
SLIDER_STEP = 0.01
NUMBER_BOX_PRECISION = 5e-5  # the boxes show 4 decimals
DATA = load_lecture_data(Project(ROOT).data_file)
NAMES = DATA.forest.outcomes
# An animal that P allows: Q giving it probability 0 makes KL(P‖Q) infinite.
ALLOWED = next(name for name in NAMES if DATA.forest.p[name] > 0)


@pytest.fixture
def explorer(watched_page: WatchedPage) -> Page:
    watched_page.goto("explorer/")
    expect(watched_page.page.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    return watched_page.page


def state_of_data(dist: str) -> list[float]:
    """P or Q of the data file, in its order of animals."""
    return [getattr(DATA.forest, dist)[name] for name in NAMES]


def slider(page: Page, dist: str, name: str) -> Locator:
    return page.get_by_role("group", name=LEGENDS[dist]).get_by_role(
        "slider", name=name, exact=True
    )


def number_box(page: Page, dist: str, name: str) -> Locator:
    return page.get_by_role("spinbutton", name=f"{name} in {dist.upper()}, as a number")


def type_probability(page: Page, dist: str, name: str, value: float | str) -> None:
    box = number_box(page, dist, name)
    box.fill(str(value))
    box.press("Tab")  # the value applies when the reader leaves the box (or presses Enter)


BASES = {"bits": 2.0, "nats": math.e}


def state(page: Page) -> tuple[list[float], list[float]]:
    root = page.locator("#kl-explorer")
    return json.loads(root.get_attribute("data-p") or ""), json.loads(
        root.get_attribute("data-q") or ""
    )


def shown_unit(page: Page) -> str:
    return page.locator("#kl-explorer").get_attribute("data-unit") or ""


def shown_results(page: Page) -> dict[tuple[str, str], float]:
    """Each measure's unrounded value, keyed by (measure, the unit shown)."""
    unit = shown_unit(page)
    cells = page.locator(".kl-explorer__results td").evaluate_all(
        "cells => cells.map(c => [c.dataset.measure, c.dataset.value])"
    )
    return {(measure, unit): float(value) for measure, value in cells}


def expected_results(p: list[float], q: list[float], unit: str) -> dict[tuple[str, str], float]:
    base = BASES[unit]
    return {
        ("kl_pq", unit): kl_divergence(p, q, base=base),
        ("kl_qp", unit): kl_divergence(q, p, base=base),
        ("h_p", unit): entropy(p, base=base),
        ("h_pq", unit): cross_entropy(p, q, base=base),
    }


def assert_agrees_with_kl(page: Page) -> dict[tuple[str, str], float]:
    p, q = state(page)
    assert math.isclose(sum(p), 1, abs_tol=1e-12) and math.isclose(sum(q), 1, abs_tol=1e-12)
    shown, expected = shown_results(page), expected_results(p, q, shown_unit(page))
    assert shown.keys() == expected.keys()
    for key, value in expected.items():
        if math.isinf(value):
            assert shown[key] == value, key
        else:
            assert math.isclose(shown[key], value, rel_tol=0, abs_tol=TOLERANCE), (key, p, q)
    return shown


def test_starts_from_the_data_file(explorer: Page) -> None:
    p, q = state(explorer)
    assert p == [DATA.forest.p[name] for name in NAMES]
    assert q == [DATA.forest.q[name] for name in NAMES]
    for dist, values in (("p", p), ("q", q)):
        for name, value in zip(NAMES, values, strict=True):
            shown_slider = float(slider(explorer, dist, name).input_value())
            shown_number = float(number_box(explorer, dist, name).input_value())
            assert math.isclose(shown_slider, value, abs_tol=SLIDER_STEP / 2)
            assert math.isclose(shown_number, value, abs_tol=NUMBER_BOX_PRECISION)
    shown = assert_agrees_with_kl(explorer)
    # The page's sum and kl's agree to a few units of rounding (kl sums near-equal terms
    # from their series, the page from log(p/q)).
    expected = kl_divergence(DATA.forest.p, DATA.forest.q, base=2)
    assert math.isclose(shown["kl_pq", "bits"], expected, rel_tol=1e-14)
    expect(explorer.locator(".kl-explorer__fallback")).to_have_count(0)


def test_setting_one_probability_rescales_the_others_in_proportion(explorer: Page) -> None:
    p0, _ = state(explorer)
    type_probability(explorer, "p", NAMES[0], 0.25)
    p1, _ = state(explorer)
    assert p1[0] == 0.25
    scale = (1 - 0.25) / (1 - p0[0])
    for before, after in zip(p0[1:], p1[1:], strict=True):
        assert math.isclose(after, before * scale, rel_tol=1e-12)
    assert_agrees_with_kl(explorer)

    # Out-of-range input is clamped; the others then share what is left equally.
    type_probability(explorer, "p", NAMES[0], 7)
    assert state(explorer)[0] == [1.0] + [0.0] * (len(NAMES) - 1)
    expect(number_box(explorer, "p", NAMES[0])).to_have_value("1")
    type_probability(explorer, "p", NAMES[0], 0.4)
    assert state(explorer)[0] == [0.4] + [0.6 / (len(NAMES) - 1)] * (len(NAMES) - 1)
    assert_agrees_with_kl(explorer)

    # Text that is not a number changes nothing and is replaced by the current value.
    type_probability(explorer, "p", NAMES[1], "")
    assert state(explorer)[0][0] == 0.4
    assert number_box(explorer, "p", NAMES[1]).input_value() != ""


def test_random_settings_agree_with_kl(explorer: Page) -> None:
    rng = random.Random(34)
    for _ in range(12):
        dist, name = rng.choice("pq"), rng.choice(NAMES)
        type_probability(explorer, dist, name, round(rng.uniform(0.001, 0.999), 4))
        assert_agrees_with_kl(explorer)


def test_keyboard_moves_sliders_and_presses_buttons(explorer: Page) -> None:
    start_p, start_q = state(explorer)
    first = slider(explorer, "p", NAMES[0])
    first.focus()
    first.press("ArrowRight")
    p, _ = state(explorer)
    assert math.isclose(p[0], start_p[0] + SLIDER_STEP, abs_tol=1e-12)
    assert_agrees_with_kl(explorer)
    first.press("ArrowLeft")
    first.press("ArrowLeft")
    assert math.isclose(state(explorer)[0][0], start_p[0] - SLIDER_STEP, abs_tol=1e-12)
    first.press("Home")
    assert state(explorer)[0][0] == 0
    assert_agrees_with_kl(explorer)

    # Tab walks every control in reading order: P's then Q's sliders and boxes, then buttons.
    order = [
        control
        for dist in "pq"
        for name in NAMES
        for control in (slider(explorer, dist, name), number_box(explorer, dist, name))
    ] + [explorer.get_by_role("button", name=n) for n in ("Reset", "Make Q", "Swap")]
    order.append(explorer.get_by_role("radio", name="bits"))  # the checked unit
    ids = [control.get_attribute("id") or control.inner_text() for control in order]
    first.focus()
    for expected in ids[1:]:
        explorer.keyboard.press("Tab")
        focused = explorer.evaluate(
            "() => document.activeElement.id || document.activeElement.innerText"
        )
        assert focused == expected

    explorer.get_by_role("button", name="Reset").focus()
    explorer.keyboard.press("Enter")
    assert state(explorer) == (start_p, start_q)
    explorer.get_by_role("button", name="Swap P and Q").focus()
    explorer.keyboard.press("Space")
    assert state(explorer) == (start_q, start_p)
    swapped = assert_agrees_with_kl(explorer)
    expected = kl_divergence(start_q, start_p, base=2)
    assert math.isclose(swapped["kl_pq", "bits"], expected, rel_tol=1e-14)
    explorer.get_by_role("button", name="Make Q equal to P").click()
    shown = assert_agrees_with_kl(explorer)
    assert shown["kl_pq", "bits"] == shown["kl_qp", "bits"] == 0


def test_a_zero_where_the_other_is_not_gives_infinity_and_a_note(explorer: Page) -> None:
    live = explorer.locator(".kl-explorer [aria-live=polite]")
    expect(live).to_contain_text("KL(P‖Q)")
    expect(live.locator(".kl-explorer__note")).to_have_count(0)

    type_probability(explorer, "q", ALLOWED, 0)
    shown = assert_agrees_with_kl(explorer)
    assert shown["kl_pq", "bits"] == shown["h_pq", "bits"] == math.inf
    assert math.isfinite(shown["kl_qp", "bits"])
    kl_row = explorer.locator(".kl-explorer__results tr", has_text="KL(P‖Q)").first
    expect(kl_row.locator("td")).to_have_text(["∞"])
    note = live.locator(".kl-explorer__note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(f"KL(P‖Q) and H(P, Q) are infinite: Q gives {ALLOWED}")
    expect(live).to_contain_text("KL(P‖Q) = ∞ bits")

    # Zero in P instead: now the reverse divergence is the infinite one.
    explorer.get_by_role("button", name="Swap P and Q").click()
    assert_agrees_with_kl(explorer)
    expect(note).to_contain_text(f"KL(Q‖P) is infinite: P gives {ALLOWED} probability 0")

    explorer.get_by_role("button", name="Reset to the lecture's example").click()
    expect(live.locator(".kl-explorer__note")).to_have_count(0)


def open_with_start(watched: WatchedPage, names: list[str], p: list[float], q: list[float]) -> Page:
    """The explorer page as the build would make it from other data: the start JSON the
    page carries is replaced (the data file's own variants are built in test_other_data)."""

    def serve(route: Route) -> None:
        start = json.dumps({"names": names, "p": p, "q": q})
        html, found = re.subn(
            r'(<script type="application/json" id="kl-explorer-start">).*?(</script>)',
            lambda m: m[1] + start + m[2],
            route.fetch().text(),
        )
        assert found == 1
        route.fulfill(body=html, content_type="text/html")

    watched.page.route("**/explorer/", serve)
    watched.goto("explorer/")
    expect(watched.page.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    return watched.page


def test_a_zero_in_the_data_file_shows_the_note_from_the_start(
    watched_page: WatchedPage,
) -> None:
    """The data file allows a 0; the page then opens on an infinite divergence, explained."""
    p = [DATA.forest.p[name] for name in NAMES]
    q = [DATA.forest.q[name] for name in NAMES]
    zeroed = NAMES.index(ALLOWED)
    other = (zeroed + 1) % len(NAMES)
    q[other], q[zeroed] = q[other] + q[zeroed], 0.0

    page = open_with_start(watched_page, NAMES, p, q)
    assert state(page) == (p, q)
    assert shown_results(page)["kl_pq", "bits"] == math.inf
    expect(page.locator(".kl-explorer__note")).to_contain_text(f"Q gives {ALLOWED} probability 0")


def test_any_number_of_animals(watched_page: WatchedPage) -> None:
    """Data with a fifth and a sixth animal: every animal gets its controls and chart row."""
    names = [*NAMES, "Fox", "Owl"]
    p = [x * 0.8 for x in state_of_data("p")] + [0.15, 0.05]
    q = [x * 0.9 for x in state_of_data("q")] + [0.05, 0.05]
    page = open_with_start(watched_page, names, p, q)
    for dist in "pq":
        expect(page.get_by_role("group", name=LEGENDS[dist]).get_by_role("slider")).to_have_count(
            len(names)
        )
    expect(page.locator(".kl-explorer__chart-name")).to_have_text(names)
    assert_agrees_with_kl(page)
    type_probability(page, "q", "Owl", 0.5)
    assert_agrees_with_kl(page)


def test_screen_reader_sees_labelled_controls_and_a_results_table(explorer: Page) -> None:
    for dist in "pq":
        group = explorer.get_by_role("group", name=LEGENDS[dist])
        expect(group.get_by_role("slider")).to_have_count(len(NAMES))
        expect(group.get_by_role("spinbutton")).to_have_count(len(NAMES))
    table = explorer.get_by_role("table", name="The divergences and entropies")
    expect(table.get_by_role("columnheader")).to_have_text(["Measure", "bits"])
    expect(table.get_by_role("rowheader")).to_have_count(4)
    live = explorer.locator(".kl-explorer [aria-live=polite]")
    type_probability(explorer, "q", NAMES[0], 0.3)
    pq = kl_divergence(*state(explorer), base=2)
    expect(live).to_contain_text(f"KL(P‖Q) = {pq:.6f} bits")


def choose_unit(page: Page, unit: str) -> None:
    page.get_by_role("group", name="Units").get_by_role("radio", name=unit).check()


def test_units_switch_between_bits_and_nats(explorer: Page) -> None:
    type_probability(explorer, "q", NAMES[0], 0.3)
    bits = assert_agrees_with_kl(explorer)
    choose_unit(explorer, "nats")
    assert shown_unit(explorer) == "nats"
    table = explorer.get_by_role("table", name="The divergences and entropies")
    expect(table.get_by_role("columnheader")).to_have_text(["Measure", "nats"])
    nats = assert_agrees_with_kl(explorer)
    assert math.isclose(nats["kl_pq", "nats"], bits["kl_pq", "bits"] * math.log(2), rel_tol=1e-12)
    live = explorer.locator(".kl-explorer [aria-live=polite]")
    expect(live).to_contain_text(f"KL(P‖Q) = {nats['kl_pq', 'nats']:.6f} nats")
    # Keyboard: the arrow keys move between the radio buttons of a group.
    explorer.get_by_role("radio", name="nats").focus()
    explorer.keyboard.press("ArrowLeft")
    assert shown_unit(explorer) == "bits"
    assert_agrees_with_kl(explorer)


def test_touch_switches_units(phone_page: WatchedPage) -> None:
    phone_page.goto("explorer/")
    page = phone_page.page
    expect(page.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    label = page.locator("label.kl-explorer__unit", has_text="nats")
    box = label.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    label.tap()
    assert shown_unit(page) == "nats"
    assert_agrees_with_kl(page)


def test_the_address_keeps_the_state_and_a_link_round_trips_exactly(
    explorer: Page, watched_page: WatchedPage
) -> None:
    # Probabilities that need every digit: a third, and what the normalisation rule makes.
    type_probability(explorer, "p", NAMES[0], 1 / 3)
    type_probability(explorer, "q", NAMES[1], 0.123456789)
    slider(explorer, "q", NAMES[0]).press("ArrowRight")
    choose_unit(explorer, "nats")
    p, q = state(explorer)
    shown = shown_results(explorer)
    link = explorer.url
    assert "P=" in link and "Q=" in link and "unit=nats" in link

    explorer.goto("about:blank")
    goto_settled(explorer, link)
    expect(explorer.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    assert state(explorer) == (p, q)  # exactly: every float reads back as itself
    assert shown_unit(explorer) == "nats"
    assert shown_results(explorer) == shown
    assert explorer.url == link
    expect(explorer.locator(".kl-explorer__note")).to_have_count(0)


@pytest.mark.parametrize(
    "query",
    ["P=0.5,0.5&Q=0.2,0.3,0.5", "P=0.5,0.6,-0.1", "Q=0.5,0.2,0.2", "P=a,b,c", "Q=0.5,0.5,NaN"],
)
def test_a_link_that_is_not_a_distribution_opens_the_example_with_a_note(
    watched_page: WatchedPage, query: str
) -> None:
    watched_page.goto(f"explorer/?{query}")
    page = watched_page.page
    expect(page.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    assert state(page) == (state_of_data("p"), state_of_data("q"))
    expect(page.locator(".kl-explorer__note").first).to_contain_text(
        "not a distribution over these animals"
    )


def test_every_control_is_a_44_px_touch_target_at_phone_width(phone_page: WatchedPage) -> None:
    phone_page.goto("explorer/")
    page = phone_page.page
    expect(page.locator("#kl-explorer")).to_have_attribute("data-ready", "true")
    targets = page.locator(
        "#kl-explorer :is(input[type=range], input[type=number], button, label.kl-explorer__unit)"
    )
    assert targets.count() == 2 * 2 * len(NAMES) + 3 + 2
    small = [
        box
        for box in (targets.nth(i).bounding_box() for i in range(targets.count()))
        if box is None or box["width"] < MIN_TARGET_PX or box["height"] < MIN_TARGET_PX
    ]
    assert small == []
