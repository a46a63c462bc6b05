"""Tests for kl.build.mathfont: which characters a page's MathML is drawn with, and the math font
cut down to them (with the larger sizes and stretchy parts a browser builds formulas from)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

import kl.build.mathfont
from kl.build.cache import FileCache
from kl.build.mathfont import (
    MATH_FONT,
    cached_subset,
    math_characters,
    math_font,
    plain_font,
    start_preparing_math_font,
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


@pytest.fixture(scope="module")
def plain() -> bytes:
    """SOURCE_FONT uncompressed, which the build cuts (`cached_subset`): it cuts to the bytes
    SOURCE_FONT cuts to (test_the_uncompressed_font_is_cut_to_the_same_bytes) without
    decompressing WOFF2 again for each cut, most of a cut's time."""
    return plain_font(SOURCE_FONT)


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


def test_the_subset_keeps_exactly_the_characters_asked_for(plain: bytes) -> None:
    wanted = set("∑∫(),=+−") | {styled(c, "italic") for c in "pqx"}
    subset = _font(subset_font(plain, wanted))
    assert {chr(c) for c in subset.getBestCmap()} == wanted
    source_glyphs = len(_font(plain).getGlyphOrder())
    assert len(subset.getGlyphOrder()) < source_glyphs / 10


def test_the_subset_keeps_the_size_variants_and_stretchy_parts(plain: bytes) -> None:
    """A browser draws a display-size ∑ and tall brackets from the MATH table's variants
    and glyph assemblies: they must survive the cut."""
    subset = _font(subset_font(plain, "∑("))
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


def test_the_subset_is_deterministic_and_small(plain: bytes) -> None:
    first = subset_font(plain, "∑𝑝𝑞()")
    assert subset_font(plain, "()𝑞𝑝∑") == first
    assert len(first) < len(SOURCE_FONT) / 10


def test_characters_the_font_lacks_are_left_out(plain: bytes) -> None:
    subset = _font(subset_font(plain, "x\u4e2d"))  # a CJK character
    assert set(subset.getBestCmap()) == {ord("x")}


@pytest.mark.parametrize("junk", [b"", b"wOF2 and nothing more", SOURCE_FONT[:2000]])
@pytest.mark.parametrize("read", [lambda font: subset_font(font, "x"), plain_font])
def test_a_file_that_is_not_a_font_is_a_font_error(junk: bytes, read: Any) -> None:
    with pytest.raises(FontError, match="not a font that can be read") as caught:
        read(junk)
    assert isinstance(caught.value, KLError)


def test_the_uncompressed_font_is_cut_to_the_same_bytes(plain: bytes) -> None:
    assert _font(plain).flavor is None
    assert _font(plain)["head"].modified == _font(SOURCE_FONT)["head"].modified
    for characters in ("∑x", "(𝑝∥𝑞)⟺√∫", ""):
        assert subset_font(plain, characters) == subset_font(SOURCE_FONT, characters)


def test_a_cut_after_the_fonts_preparation_decompresses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain: bytes
) -> None:
    (tmp_path / "docs" / MATH_FONT).parent.mkdir(parents=True)
    (tmp_path / "docs" / MATH_FONT).write_bytes(SOURCE_FONT)
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    project = Project(tmp_path)
    job = start_preparing_math_font(project)
    assert job is not None
    job.join()
    assert job.exitcode == 0
    assert start_preparing_math_font(project) is None  # nothing left to prepare

    def must_not_run(*_: object) -> bytes:
        raise AssertionError("the font was decompressed again")

    monkeypatch.setattr(kl.build.mathfont, "plain_font", must_not_run)
    cut = cached_subset(SOURCE_FONT, "∑x", FileCache(project.cache_dir))
    assert cut == subset_font(plain, "∑x")


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
