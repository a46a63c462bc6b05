"""Tests for kl.mathml: TeX to MathML at build time, and the message for TeX KaTeX rejects."""

from __future__ import annotations

import pytest

from kl.errors import KLError, TexError
from kl.mathml import tex_to_mathml


def test_inline_and_display_math_are_mathml() -> None:
    assert tex_to_mathml(r"\frac{p}{q}").startswith("<math")
    assert 'display="block"' in tex_to_mathml(r"\frac{p}{q}", display=True)


@pytest.mark.parametrize(
    ("tex", "complaint"),
    [
        (r"\fracc{1}{2}", r"Undefined control sequence: \fracc at position 1"),
        (r"x^^2", "Expected group after '^' at position 2"),
        (
            r"\frac{1}{",
            "Unexpected end of input in a macro argument, expected '}' at end of input",
        ),
        (r"\left( x", r"Expected '\right', got 'EOF' at end of input"),
    ],
)
def test_bad_tex_raises_tex_error_quoting_the_formula_and_the_problem(
    tex: str, complaint: str
) -> None:
    with pytest.raises(TexError) as caught:
        tex_to_mathml(tex)
    assert isinstance(caught.value, KLError)
    assert str(caught.value) == f"cannot typeset ${tex}$: {complaint}"


def test_the_message_has_no_underlined_excerpt() -> None:
    """KaTeX underlines the bad token with combining characters; the formula is quoted instead."""
    long_formula = r"\sum_{x} p(x) \log_2 \frac{p(x)}{q(x)} \foo"
    with pytest.raises(TexError) as caught:
        tex_to_mathml(long_formula)
    assert "\u0332" not in str(caught.value)
    assert "…" not in str(caught.value)
    assert str(caught.value).endswith(r"Undefined control sequence: \foo at position 40")
