"""Tests for kl.lecture.answer_checks: an answer's tolerance follows from the decimals the page
shows it with, and the checker macros (docs/includes/checks.jinja) hand the script the
answer exactly."""

from __future__ import annotations

import html
import math
import re

import pytest

from kl.build.templating import environment, render
from kl.lecture.answer_checks import CheckedAnswer, checked
from kl.lecture.values import Number
from tests.conftest import ROOT

INCLUDES = ROOT / "docs" / "includes"


@pytest.mark.parametrize(
    ("value", "decimals", "tolerance", "text"),
    [
        (0.03449779679464056, 6, 5e-7, "0.0000005"),
        (664.3855, 1, 0.05, "0.05"),
        (12.0, 0, 0.5, "0.5"),
        (math.inf, 6, 5e-7, "0.0000005"),  # stated as for any answer: no give-away
        (2.5e7, 4, 5e4, "50000"),  # shown as 2.50 × 10⁷: its last digit is 10⁵
    ],
)
def test_the_tolerance_is_half_a_unit_of_the_last_digit_shown(
    value: float, decimals: int, tolerance: float, text: str
) -> None:
    answer = CheckedAnswer(value, decimals)
    assert math.isclose(answer.tolerance, tolerance, rel_tol=1e-12)
    assert answer.tolerance_text == text


def test_the_answer_reaches_the_script_exactly() -> None:
    x = 0.1 + 0.2
    answer = checked(x, 6)
    assert float(answer.exact) == x and answer.text == "0.300000"
    assert checked(math.inf).exact == "Infinity"  # as JavaScript's Number() reads it
    assert float(checked(x, 6).exact_tolerance) == 5e-7


def test_the_decimals_default_to_the_numbers_own() -> None:
    assert checked(Number(664.38, digits=1)).decimals == 1
    assert checked(Number(0.5)).decimals == 4
    assert checked(0.5).decimals == 4


@pytest.mark.parametrize(("value", "decimals"), [(math.nan, 4), (1.0, -1)])
def test_a_nan_answer_or_negative_decimals_are_refused(value: float, decimals: int) -> None:
    with pytest.raises(ValueError):
        checked(value, decimals)


def test_a_checker_field_carries_its_answer_tolerance_and_unit() -> None:
    page = """{% call checks.check("exercise-x") %}
{{ checks.field("x-kl", "KL(P‖Q)", kl | checked(6), "bits", true) }}
{% endcall %}"""
    x = 0.03449779679464056
    out = render(environment(INCLUDES), page, where="page.md", facts={"kl": Number(x)})
    attributes = dict(re.findall(r'data-(answer|tolerance|decimals|unit)="([^"]*)"', out))
    assert attributes == {"answer": repr(x), "tolerance": "5e-07", "decimals": "6", "unit": "bits"}
    assert '<form class="kl-check" id="check-exercise-x"' in out
    assert " hidden " in out.split(">", 1)[0]  # without JavaScript it stays out of sight
    assert "±0.0000005" in html.unescape(out)
    assert '<option value="nats">' in out and '<option value="bits" selected>' in out
    # A Markdown raw HTML block: no blank line may split it.
    assert "\n\n" not in out.strip()


@pytest.mark.parametrize(
    ("digits", "said"),
    [(1, "To 1 decimal: within ±0.05 counts as right."), (0, "To a whole number: within ±0.5")],
)
def test_the_tolerance_is_said_in_words(digits: int, said: str) -> None:
    page = """{% call checks.check("exercise-x") %}
{{ checks.field("x-bits", "Bits", n | checked, "bits") }}
{% endcall %}"""
    facts = {"n": Number(664.38, digits=digits)}
    out = html.unescape(render(environment(INCLUDES), page, where="page.md", facts=facts))
    assert said in out
    assert "<select" not in out and '<span class="kl-check__unit" data-unit-word>bits</span>' in out
