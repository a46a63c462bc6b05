"""Tests for kl.build.fences: ``\\left(...\\right)`` fences at the sizes TeX picks."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from kl.build.fences import TEX_SIZES, match_fences
from kl.build.mathml import tex_to_mathml
from kl.errors import TexError

_MO = "{http://www.w3.org/1998/Math/MathML}mo"


def _fences(tex: str, *, display: bool = False) -> list[dict[str, str]]:
    root = ElementTree.fromstring(tex_to_mathml(tex, display=display))
    return [mo.attrib for mo in root.iter(_MO) if mo.get("fence") == "true"]


@pytest.mark.parametrize(
    ("tex", "display", "size"),
    [
        (r"\left(\frac{1}{2} x\right)", True, "size3"),  # a display fraction: \biggl
        (r"\frac{1}{2}\left(\mu^2 - \ln \sigma^2\right)", False, "size1"),  # a superscript: \bigl
        (r"\left(\sum_{i=1}^{n} \frac{a}{b}\right)", True, "size4"),
    ],
)
def test_a_fence_takes_the_size_tex_picks(tex: str, display: bool, size: str) -> None:
    """As KaTeX's HTML has it (``delimsizing sizeN``): Chromium picked its own size from
    the content's height, a size off from TeX's."""
    fences = _fences(tex, display=display)
    assert len(fences) == 2
    for fence in fences:
        assert (fence["minsize"], fence["maxsize"]) == (TEX_SIZES[size], TEX_SIZES[size])
        assert fence["stretchy"] == "true"


@pytest.mark.parametrize(
    ("tex", "display", "sizes"),
    [
        (r"\binom{n}{k}", False, ["size1", "size1"]),  # TeX's \delim2 in text style
        (r"\binom{n}{k}", True, ["size3", "size3"]),  # and \delim1 in display style
        (r"{n \choose k}", False, ["size1", "size1"]),
        (r"\dbinom{\frac{a}{b}}{c}", False, ["size3", "size3"]),
        (r"\genfrac(.{0pt}{}{a}{b}", False, ["size1"]),  # a null delimiter has no fence
        (r"\left(\binom{n}{k}\right)", True, ["size3"] * 4),
    ],
)
def test_a_fractions_delimiters_take_the_size_tex_picks(
    tex: str, display: bool, sizes: list[str]
) -> None:
    """A binomial's brackets are a fraction's delimiters, not a ``\\left...\\right`` pair:
    KaTeX's HTML sets them in the fraction's own group, which was read as no fence at all,
    so that every binomial was a TexError."""
    fences = _fences(tex, display=display)
    assert [(f["minsize"], f["maxsize"]) for f in fences] == [(TEX_SIZES[s],) * 2 for s in sizes]


def test_a_plain_fraction_has_no_fence() -> None:
    assert _fences(r"\frac{a}{b} + \tfrac{1}{2}", display=True) == []


def test_a_fence_at_the_normal_size_does_not_stretch() -> None:
    assert [f.get("stretchy") for f in _fences(r"\left[ x \right] + \left. y \right|")] == [
        "false",
        "false",
        "false",
    ]


def test_a_fence_built_from_parts_is_left_to_stretch() -> None:
    tex = r"\left(\begin{matrix}a\\b\\c\\d\\e\end{matrix}\right)"
    assert all("minsize" not in f and "stretchy" not in f for f in _fences(tex, display=True))


def test_html_that_cannot_be_read_is_a_tex_error_in_one_line() -> None:
    root = ElementTree.fromstring(
        "<math><mrow><mo fence='true'>(</mo><mo fence='true'>)</mo></mrow></math>"
    )
    with pytest.raises(TexError, match=r"^KaTeX's HTML cannot be read \(.*\)$") as caught:
        match_fences(root, '<span class="minner"><span class="mopen">(</span>')
    assert "\n" not in str(caught.value)


def test_html_whose_fences_are_not_the_mathmls_is_a_tex_error() -> None:
    root = ElementTree.fromstring(
        "<math><mrow><mo fence='true'>(</mo><mo fence='true'>)</mo></mrow></math>"
    )
    html = '<span class="minner"><span class="mopen">[</span><span class="mclose">]</span></span>'
    with pytest.raises(TexError, match=r"fences \['\[', '\]'\], its MathML \['\(', '\)'\]"):
        match_fences(root, html)
