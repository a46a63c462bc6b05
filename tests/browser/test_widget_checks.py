"""The exercises' answer checkers (docs/assets/widgets/check.js, the forms made by
docs/includes/checks.jinja): each takes the reader's answer, in bits or in nats where the
exercise offers both, and says whether it is within the tolerance the page states, half a
unit of the answer's last decimal. The answers the page hands the script are checked
against `kl`'s own measures, for the default data and for a Q that rules an animal out
(infinite answers); typing them back, as a reader rounds them, is "right"."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tomli_w
from playwright.sync_api import Browser, Locator, Page, expect

from kl.lecture.data import LectureData, load_lecture_data
from kl.lecture.sections.exercises import closer_model
from kl.lecture.sections.zero_to_infinity import rarest_outcome, without_outcome
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from kl.measures.gaussian import kl_normal, kl_to_standard_normal
from tests.browser.conftest import WatchedPage, goto_settled, served, watched_context
from tests.browser.widgets import MIN_TARGET_PX, wake, wake_all
from tests.datasets import built_lecture, variant_raw

VARIANTS = ("default", "q-rules-out")
LN2 = math.log(2)


def _bits(a: dict[str, float], b: dict[str, float]) -> float:
    return kl_divergence(a, b, base=2)


def _closer(d: LectureData) -> dict[str, float]:
    return closer_model(d.forest.p, d.forest.q, d.exercises.closer_factor)


def _zero(d: LectureData) -> dict[str, float]:
    return without_outcome(d.forest.q, rarest_outcome(d.forest.p))


def _normal(d: LectureData, first: str, second: str) -> float:
    a, b = getattr(d.curves, first), getattr(d.curves, second)
    return kl_normal(a.mean, a.sd, b.mean, b.sd)


# Each checker field's answer, as `kl` computes it from the data (in the field's unit).
ANSWERS: dict[str, Callable[[LectureData], float]] = {
    "reverse-kl-qp": lambda d: _bits(d.forest.q, d.forest.p),
    "entropy-h-q": lambda d: entropy(d.forest.q, base=2),
    "entropy-h-qp": lambda d: cross_entropy(d.forest.q, d.forest.p, base=2),
    "best-minimum": lambda d: entropy(d.forest.p, base=2),
    "best-above": lambda d: _bits(d.forest.p, d.forest.q),
    "message-q-code": lambda d: (
        d.exercises.message_length * cross_entropy(d.forest.p, d.forest.q, base=2)
    ),
    "message-p-code": lambda d: d.exercises.message_length * entropy(d.forest.p, base=2),
    "message-wasted": lambda d: d.exercises.message_length * _bits(d.forest.p, d.forest.q),
    "nats-factor": lambda d: LN2,
    "nats-kl-pq": lambda d: kl_divergence(d.forest.p, d.forest.q),
    "closer-kl": lambda d: _bits(d.forest.p, _closer(d)),
    "closer-shrink": lambda d: _bits(d.forest.p, d.forest.q) / _bits(d.forest.p, _closer(d)),
    "zero-kl-pq": lambda d: _bits(d.forest.p, _zero(d)),
    "zero-kl-qp": lambda d: _bits(_zero(d), d.forest.p),
    "gaussians-pq": lambda d: _normal(d, "p", "poor"),
    "gaussians-qp": lambda d: _normal(d, "poor", "p"),
    "vae-total": lambda d: kl_to_standard_normal(d.curves.good.mean, d.curves.good.sd),
    "vae-mean": lambda d: kl_to_standard_normal(d.curves.good.mean, 1.0),
    "vae-spread": lambda d: kl_to_standard_normal(0.0, d.curves.good.sd),
}


def variant_data(name: str, folder: Path) -> LectureData:
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(variant_raw(name)), encoding="utf-8")
    return load_lecture_data(path)


def field(page: Page, key: str) -> Locator:
    return page.locator(f".kl-check__field:has(#check-{key})")


def answer_of(page: Page, key: str) -> tuple[float, float, int]:
    """The answer, tolerance and decimals the page hands the script for field ``key``."""
    f = field(page, key)
    return (
        float(f.get_attribute("data-answer") or "nan"),
        float(f.get_attribute("data-tolerance") or "nan"),
        int(f.get_attribute("data-decimals") or "-1"),
    )


def typed(x: float, decimals: int) -> str:
    """``x`` as a reader would type it, rounded to the decimals the page shows."""
    return "∞" if math.isinf(x) else f"{x:.{decimals}f}"


def check(page: Page, key: str, text: str, unit: str | None = None) -> str:
    """Type ``text`` into field ``key`` (in ``unit``, if given), press Check; the verdict."""
    f = field(page, key)
    if unit is not None:
        f.locator("select").select_option(unit)
    f.locator("input").fill(text)
    f.locator("xpath=ancestor::form").get_by_role("button", name="Check").click()
    return f.get_attribute("data-verdict") or ""


def verdict_text(page: Page, key: str) -> str:
    return field(page, key).locator(".kl-check__verdict").text_content() or ""


@pytest.fixture(scope="module", params=VARIANTS)
def variant_site(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    site_dir: Path,
    base_url: str,
) -> Iterator[tuple[str, str, LectureData]]:
    name = request.param
    data = variant_data(name, tmp_path_factory.mktemp("checks-data"))
    if name == "default":
        yield name, base_url, data
        return
    with served(built_lecture(name, tmp_path_factory)) as url:
        yield name, url, data


def test_every_answer_is_kls_and_is_right_in_either_unit(
    browser: Browser, variant_site: tuple[str, str, LectureData]
) -> None:
    name, url, data = variant_site
    with watched_context(browser, url, viewport={"width": 1280, "height": 900}) as watched:
        watched.goto("")
        page = watched.page
        wake_all(page)
        keys = page.locator(".kl-check__input").evaluate_all(
            "inputs => inputs.map(i => i.id.slice('check-'.length))"
        )
        assert set(keys) <= set(ANSWERS), set(keys) - set(ANSWERS)
        assert len(keys) >= len(ANSWERS) - 1  # the shrink factor is asked only when finite
        for key in keys:
            want = ANSWERS[key](data)
            answer, tolerance, decimals = answer_of(page, key)
            if math.isinf(want):
                assert answer == want, (name, key)
            else:
                assert math.isclose(answer, want, rel_tol=1e-12, abs_tol=1e-15), (name, key)
            assert tolerance == 0.5 * 10.0**-decimals, key
            unit = field(page, key).get_attribute("data-unit")
            assert check(page, key, typed(want, decimals)) == "right", (name, key)
            if field(page, key).locator("select").count():
                other = "nats" if unit == "bits" else "bits"
                converted = want * LN2 if unit == "bits" else want / LN2
                assert check(page, key, typed(converted, decimals), other) == "right", key
                assert verdict_text(page, key) == (
                    f"Right: the answer is {typed(converted, decimals)} {other}."
                )


def test_wrong_answers_and_the_edges_of_the_tolerance(watched_page: WatchedPage) -> None:
    watched_page.goto("")
    page = watched_page.page
    wake(page, "exercise-reverse-direction")
    key = "reverse-kl-qp"
    answer, tolerance, decimals = answer_of(page, key)
    assert math.isfinite(answer)
    expect(field(page, key).locator(".kl-check__tolerance")).to_have_text(
        f"To {decimals} decimals: within ±{tolerance:.{decimals + 1}f} of the answer, "
        "in either unit, counts as right."
    )
    for unit, value in (("bits", answer), ("nats", answer * LN2)):
        assert check(page, key, repr(value + 0.9 * tolerance), unit) == "right", unit
        assert check(page, key, repr(value - 0.9 * tolerance), unit) == "right", unit
        assert check(page, key, repr(value + 1.1 * tolerance), unit) == "high", unit
        assert check(page, key, repr(value - 1.1 * tolerance), unit) == "low", unit
        assert verdict_text(page, key) == (
            f"Not yet: the answer is larger than that, by more than "
            f"{tolerance:.{decimals + 1}f} {unit}. The hint below may help."
        )
    # The likeliest slips: the forward divergence, or the right number in the wrong unit.
    forward, _, _ = answer_of(page, "best-above")
    if not math.isclose(forward, answer, abs_tol=tolerance):
        assert check(page, key, typed(forward, decimals), "bits") != "right"
    assert check(page, key, typed(answer, decimals), "nats") != "right"
    assert check(page, key, "∞", "bits") == "high"
    for text in ("abc", "0.1.2", "1/3"):
        assert check(page, key, text) == "unreadable", text
    assert check(page, key, "") == "empty"
    # Read as a person means it: a decimal comma, a true minus sign, spaces.
    assert check(page, key, typed(answer, decimals).replace(".", ","), "bits") == "right"
    assert check(page, key, f" {typed(answer, decimals)} ", "bits") == "right"
    live = field(page, key).locator(".kl-check__verdict")
    assert live.get_attribute("aria-live") == "polite"


def test_an_infinite_answer_takes_infinity_only(watched_page: WatchedPage) -> None:
    watched_page.goto("")
    page = watched_page.page
    wake(page, "exercise-zero-probability")
    answer, _, _ = answer_of(page, "zero-kl-pq")
    assert answer == math.inf  # Q⁰ rules out an animal P allows
    for text in ("∞", "inf", "Infinity", "+∞"):
        assert check(page, "zero-kl-pq", text) == "right", text
    assert check(page, "zero-kl-pq", "1e300") == "low"
    assert verdict_text(page, "zero-kl-pq").startswith("Not yet: the answer is larger")


def _focus_ring(page: Page) -> tuple[str, float, float]:
    """The focused element's outline: its style, width and offset (CSS px)."""
    style, width, offset = page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return [s.outlineStyle, parseFloat(s.outlineWidth), parseFloat(s.outlineOffset)];
        }"""
    )
    return style, width, offset


def test_keyboard_answer_then_hint_then_worked_answer(watched_page: WatchedPage) -> None:
    watched_page.goto("")
    page = watched_page.page
    form = wake(page, "exercise-nats")
    answer, _, decimals = answer_of(page, "nats-kl-pq")
    page.locator("#check-nats-factor").focus()
    page.keyboard.type("0.7")
    page.keyboard.press("Tab")
    assert _focus_ring(page)[:2] == ("solid", 2.0)  # the answer box shows it has the focus
    page.keyboard.type(typed(answer, decimals))
    page.keyboard.press("Enter")  # submits the form
    expect(field(page, "nats-factor")).to_have_attribute("data-verdict", "high")
    expect(field(page, "nats-kl-pq")).to_have_attribute("data-verdict", "right")
    section = page.locator("#exercise-nats ~ details").first
    assert "kl-hint" in (section.get_attribute("class") or "")
    hint = section.locator("summary")
    expect(hint).to_have_text("Hint")
    hint.focus()
    # inside the title, clear of the box's own border, which has the accent's hue in dark
    assert _focus_ring(page) == ("solid", 2.0, -4.0)
    page.keyboard.press("Enter")
    expect(section).to_have_attribute("open", "")
    expect(section.locator("p")).to_be_visible()
    worked = page.locator("#exercise-nats ~ details.success").first
    worked.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(worked.locator("p").first).to_contain_text(typed(answer, decimals))
    assert form.get_attribute("data-search-exclude") is not None


def test_without_javascript_the_answers_open_as_before(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    goto_settled(page, base_url)
    forms = page.locator("form.kl-check")
    assert forms.count() >= 8
    for n in range(forms.count()):
        expect(forms.nth(n)).to_be_hidden()
    worked = page.locator("#exercise-reverse-direction ~ details.success").first
    hint = page.locator("#exercise-reverse-direction ~ details.kl-hint").first
    for details in (hint, worked):
        expect(details.locator("p").first).to_be_hidden()
        details.locator("summary").click()
        expect(details.locator("p").first).to_be_visible()
    expect(worked).to_contain_text("bits")
    context.close()


def test_touch_at_phone_width(phone_page: WatchedPage, screenshots: Path) -> None:
    phone_page.goto("")
    page = phone_page.page
    form = wake(page, "exercise-gaussians")
    answer, _, decimals = answer_of(page, "gaussians-pq")
    f = field(page, "gaussians-pq")
    f.locator("input").tap()
    page.keyboard.type(typed(answer / LN2, decimals))
    f.locator("select").select_option("bits")
    form.get_by_role("button", name="Check").tap()
    expect(f).to_have_attribute("data-verdict", "right")
    controls = form.locator("input, select, button")
    for n in range(controls.count()):
        box = controls.nth(n).bounding_box()
        assert box is not None and min(box["width"], box["height"]) >= MIN_TARGET_PX, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    form.screenshot(path=str(screenshots / "check-gaussians-phone.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser: Browser, base_url: str, screenshots: Path, scheme: str) -> None:
    """tests/screenshots/check-<light|dark>.png: a checker with a right and a wrong answer."""
    with watched_context(
        browser, base_url, viewport={"width": 1280, "height": 900}, color_scheme=scheme
    ) as watched:
        watched.goto("")
        page = watched.page
        form = wake(page, "exercise-entropy-of-q")
        answer, _, decimals = answer_of(page, "entropy-h-q")
        check(page, "entropy-h-q", typed(answer, decimals))
        check(page, "entropy-h-qp", "1")
        colour = form.locator(".kl-check__input").first.evaluate(
            "i => getComputedStyle(i).backgroundColor"
        )
        body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert colour == body  # the box follows Material's palette
        assert re.match(r"rgba?\(", colour)
        form.screenshot(path=str(screenshots / f"check-{scheme}.png"))
