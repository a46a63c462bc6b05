"""Tests for kl.build.mathfont: which characters a page's MathML is drawn with, and the math font
cut down to them (with the larger sizes and stretchy parts a browser builds formulas from)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.woff2 import WOFF2FlavorData

import kl.build.mathfont
from kl.build.cache import FileCache
from kl.build.mathfont import (
    MATH_FONT,
    cached_subset,
    font_characters,
    math_characters,
    math_font,
    styled,
    subset_font,
)
from kl.build.mathml import tex_to_mathml
from kl.build.project import Project
from kl.errors import FontError, KLError
from tests.conftest import ROOT

SOURCE_FONT = (ROOT / "docs" / MATH_FONT).read_bytes()


def _font(data: bytes) -> TTFont:
    return TTFont(io.BytesIO(data))


@pytest.mark.parametrize(
    ("char", "variant", "drawn"),
    [
        ("x", "italic", "\U0001d465"),  # 𝑥
        ("h", "italic", "\u210e"),  # ℎ, the one italic letter outside the block
        ("μ", "italic", "\U0001d707"),  # 𝜇
        ("N", "script", "\U0001d4a9"),  # 𝒩
        ("B", "script", "\u212c"),  # ℬ, a letterlike symbol
        ("E", "double-struck", "\U0001d53c"),  # 𝔼
        ("R", "double-struck", "\u211d"),  # ℝ
        ("σ", "bold-italic", "\U0001d748"),  # 𝝈
        ("x", "sans-serif-bold-italic", "\U0001d66d"),  # 𝙭
        ("1", "bold", "\U0001d7cf"),  # 𝟏
        ("x", "normal", "x"),
        ("∑", "italic", "∑"),  # no styled form
        ("+", "bold", "+"),
    ],
)
def test_styled_gives_the_character_a_browser_draws(char: str, variant: str, drawn: str) -> None:
    assert styled(char, variant) == drawn


def test_math_characters_of_typeset_formulas() -> None:
    page = "<p>x and y outside math</p>" + "".join(
        tex_to_mathml(tex)
        for tex in (r"\mathcal{N}(\mu, \sigma^2)", r"\mathrm{KL} \le \log x", r"a < b")
    )
    found = math_characters(page)
    assert {"\U0001d4a9", "(", ",", ")", "2", "μ", "\U0001d707", "σ", "\U0001d70e"} <= found
    assert "N" not in found  # \mathcal{N} is written 𝒩
    assert {"K", "L", "≤", "l", "o", "g", "x", "\U0001d465", "<", "a", "\U0001d44e"} <= found
    assert "y" not in found  # text outside <math>
    assert {"\U0001d43e", "\U0001d43f"}.isdisjoint(found)  # \mathrm{KL} stays upright
    assert "\U0001d459" not in found  # "log" is one <mi> of three letters: upright


def test_math_characters_unescapes_entities() -> None:
    assert math_characters("<math><mo>&lt;</mo><mi>&#x3b8;</mi></math>") == {"<", "θ", "𝜃"}


def test_the_subset_keeps_exactly_the_characters_asked_for() -> None:
    wanted = set("∑∫(),=+−") | {styled(c, "italic") for c in "pqx"}
    subset = _font(subset_font(SOURCE_FONT, wanted))
    assert {chr(c) for c in subset.getBestCmap()} == wanted
    source_glyphs = len(_font(SOURCE_FONT).getGlyphOrder())
    assert len(subset.getGlyphOrder()) < source_glyphs / 10


def test_the_subset_keeps_the_size_variants_and_stretchy_parts() -> None:
    """A browser draws a display-size ∑ and tall brackets from the MATH table's variants
    and glyph assemblies: they must survive the cut."""
    subset = _font(subset_font(SOURCE_FONT, "∑("))
    glyphs = set(subset.getGlyphOrder())
    variants = subset["MATH"].table.MathVariants
    coverage = variants.VertGlyphCoverage.glyphs
    cmap = subset.getBestCmap()
    sigma = variants.VertGlyphConstruction[coverage.index(cmap[ord("∑")])]
    paren = variants.VertGlyphConstruction[coverage.index(cmap[ord("(")])]
    assert len(sigma.MathGlyphVariantRecord) >= 2
    assert len(paren.MathGlyphVariantRecord) >= 2 and paren.GlyphAssembly is not None
    needed = {r.VariantGlyph for r in sigma.MathGlyphVariantRecord + paren.MathGlyphVariantRecord}
    needed |= {part.glyph for part in paren.GlyphAssembly.PartRecords}
    assert needed <= glyphs


def test_the_subset_is_deterministic_and_small() -> None:
    first = subset_font(SOURCE_FONT, "∑𝑝𝑞()")
    assert subset_font(SOURCE_FONT, "()𝑞𝑝∑") == first
    assert len(first) < len(SOURCE_FONT) / 10


def test_characters_the_font_lacks_are_left_out() -> None:
    subset = _font(subset_font(SOURCE_FONT, "x\u4e2d"))  # a CJK character
    assert set(subset.getBestCmap()) == {ord("x")}


@pytest.mark.parametrize("junk", [b"", b"wOF2 and nothing more", SOURCE_FONT[:2000]])
@pytest.mark.parametrize("read", [lambda font: subset_font(font, "x"), font_characters])
def test_a_file_that_is_not_a_font_is_a_font_error(junk: bytes, read: Any) -> None:
    with pytest.raises(FontError, match="not a font that can be read") as caught:
        read(junk)
    assert isinstance(caught.value, KLError)


def _stored(font: bytes, flavor: str | None, transformed: bool = True) -> bytes:
    """``font`` saved again, as TTF (``flavor`` None) or WOFF2 with its outlines transformed
    or not."""
    loaded = TTFont(io.BytesIO(font), recalcTimestamp=False)
    loaded.flavor = flavor
    loaded.flavorData = None if transformed else WOFF2FlavorData(transformedTables=())
    out = io.BytesIO()
    loaded.save(out, reorderTables=False)
    return out.getvalue()


def test_the_projects_font_is_stored_with_its_outlines_untransformed() -> None:
    """So a cut reads it in brotli's time (scripts/subset_math_font.py writes it so)."""
    stored = _font(SOURCE_FONT)
    assert stored.flavor == "woff2"
    assert not stored.flavorData.transformedTables
    assert _font(subset_font(SOURCE_FONT, "x")).flavorData.transformedTables == {"glyf", "loca"}


@pytest.mark.parametrize(
    "stored",
    [
        lambda font: _stored(font, None),
        lambda font: _stored(font, "woff2"),
        lambda font: _stored(font, "woff2", transformed=False),
    ],
    ids=["ttf", "woff2", "woff2 untransformed"],
)
def test_the_cut_is_the_same_however_the_font_is_stored(stored: Any) -> None:
    source = stored(SOURCE_FONT)
    for characters in ("∑x", "(𝑝∥𝑞)⟺√∫", ""):
        assert subset_font(source, characters) == subset_font(SOURCE_FONT, characters)


def test_a_cached_subset_is_not_cut_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = FileCache(tmp_path)
    made = cached_subset(SOURCE_FONT, "∑x", cache)

    def must_not_run(*_: object) -> bytes:
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(kl.build.mathfont, "subset_font", must_not_run)
    assert cached_subset(SOURCE_FONT, "x∑", cache) == made
    with pytest.raises(AssertionError, match="cut again"):
        cached_subset(SOURCE_FONT, "x∑y", cache)


def test_the_sites_cut_keeps_every_digit_so_new_numbers_need_no_new_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs" / MATH_FONT).parent.mkdir(parents=True)
    (tmp_path / "docs" / MATH_FONT).write_bytes(SOURCE_FONT)
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    made = math_font(Project(tmp_path), "∑x=0.25")
    assert set("0123456789") <= {chr(c) for c in _font(made).getBestCmap()}

    def must_not_run(*_: object) -> bytes:
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(kl.build.mathfont, "subset_font", must_not_run)
    assert math_font(Project(tmp_path), "∑x=0.37") == made
