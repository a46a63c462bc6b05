"""Tests for kl.site.markdown_math: formulas in a page typeset at build time, kept on one line with
the punctuation after them, and checked against the math font the site ships."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import markdown
import pytest

from kl.build.mathfont import MATH_FONT, font_facts, math_characters, subset_font
from kl.build.mathml import tex_to_mathml
from kl.errors import FontError, KLError
from tests.conftest import ROOT


def test_the_markdown_extension_uses_its_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KL_CACHE_DIR", raising=False)
    source = "Inline $x^2$ here.\n\n$$\\frac{p}{q}$$ {#eq-ratio}\n"
    configs = {"kl.site.markdown_math": {"cache_dir": str(tmp_path / "math")}}
    html = markdown.markdown(
        source, extensions=["kl.site.markdown_math"], extension_configs=configs
    )
    assert html == markdown.markdown(source, extensions=["kl.site.markdown_math"])
    assert '<div class="math-display" id="eq-ratio"><math' in html
    (book,) = (tmp_path / "math").glob("*/*/formulas.json")
    assert len(json.loads(book.read_text())) == 2


def test_punctuation_after_inline_math_stays_on_the_formulas_line() -> None:
    html = markdown.markdown(
        "A fit $N(2, 1.4^2)$. Then $x$, and $y$ and $5 or $6.", extensions=["kl.site.markdown_math"]
    )
    spans = re.findall(r'<span class="kl-nobreak">(<math.*?</math>)([^<]*)</span>', html)
    assert [punctuation for _, punctuation in spans] == [".", ","]
    assert spans[0][0] == tex_to_mathml("N(2, 1.4^2)")
    assert html.count("<math") == 3 and "$5 or $6." in html


def _convert_with_font(source: str, font: Path) -> str:
    configs = {"kl.site.markdown_math": {"font": str(font)}}
    return markdown.markdown(
        source, extensions=["kl.site.markdown_math"], extension_configs=configs
    )


def test_a_formula_the_math_font_cannot_draw_is_an_error_naming_it(tmp_path: Path) -> None:
    shipped = ROOT / "docs" / MATH_FONT
    without_iff = tmp_path / "font.woff2"
    source = "Text $x = 1$ and\n\n$$\nP = Q\n\\iff Q = P\n$$\n"
    # The shipped font cut down to what the page's formulas are drawn with, but ⟺.
    drawn_with = math_characters(markdown.markdown(source, extensions=["kl.site.markdown_math"]))
    without_iff.write_bytes(subset_font(shipped.read_bytes(), drawn_with - {"⟺"}))
    with pytest.raises(FontError) as caught:
        _convert_with_font(source, without_iff)
    assert isinstance(caught.value, KLError)
    assert str(caught.value).startswith(r"$P = Q \iff Q = P$: the math font ")
    assert str(caught.value).endswith("font.woff2 has no glyph for ⟺ (U+27FA)")
    assert "<math" in _convert_with_font(source, shipped)  # the shipped font has ⟺


def test_a_math_font_that_cannot_be_read_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(FontError, match=r"missing\.woff2: .*No such file"):
        _convert_with_font("$x$", tmp_path / "missing.woff2")


def test_fixed_size_brackets_take_the_math_fonts_own_size() -> None:
    """``\\bigl(`` asks for 1.2em, between two of the font's sizes of "(": it gets the
    first at least that tall (Firefox drew the one below, Chromium this one), less a
    thousandth of an em; so do ``\\Bigl[`` and a display integral."""
    font = ROOT / "docs" / MATH_FONT
    sizes_of = font_facts(font.read_bytes()).sizes
    html = _convert_with_font(r"$$\bigl(x\bigr) = \int f \Bigl[ y \Bigr]$$", font)
    sizes = dict(
        (text, (float(low), float(high)))
        for low, high, text in re.findall(
            r'minsize="([\d.]+)em" maxsize="([\d.]+)em"[^>]*>(.)<', html
        )
    )
    assert set(sizes) == {"(", ")", "[", "]", "∫"}
    for char, asked in {"(": 1.2, "[": 1.8, "∫": 2.0}.items():
        own = min(h for h, _ in sizes_of[char] if h >= asked)
        assert sizes[char] == (math.floor(own * 1000 - 1) / 1000,) * 2
    assert 1.2 < sizes["("][0] < 1.2 + 0.1
