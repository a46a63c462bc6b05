"""The real site, built with MkDocs: computed numbers, figures, no other host, determinism."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kl.build.mathfont import MATH_FONT, math_characters
from kl.lecture.formatting import format_number
from kl.measures.discrete import kl_divergence
from tests.conftest import ROOT
from tests.datasets import built_lecture, default_raw, variant_raw
from tests.sitebuild import mkdocs_build, session_cache, shared_site

pytestmark = pytest.mark.site  # builds the site with MkDocs

# What makes a browser fetch: src/srcset anywhere, href on <link>, url() in CSS.
EXTERNAL = re.compile(
    r"""(?:\bsrc|\bsrcset|<link[^>]*\bhref)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
    re.I,
)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_site(tmp_path_factory)


def test_lecture_page_shows_the_computed_worked_table(built_site: Path) -> None:
    html = (built_site / "index.html").read_text()
    p = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
    q = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
    assert format_number(kl_divergence(p, q, base=2), 6) == "0.033309"
    assert "0.033309" in html and "0.023088" in html
    assert 'id="forest-example"' in html


def test_hero_figure_is_in_the_page_and_the_site(built_site: Path) -> None:
    html = (built_site / "index.html").read_text()
    assert 'id="fig-hero"' in html
    assert 'src="figures/hero.svg#only-light"' in html
    assert 'src="figures/hero.dark.svg#only-dark"' in html
    for name in ("hero.svg", "hero.dark.svg", "hero.png", "hero.csv"):
        assert (built_site / "figures" / name).is_file()


def test_math_is_mathml_rendered_at_build_time(built_site: Path) -> None:
    html = (built_site / "index.html").read_text()
    assert '<div class="math-display" id="eq-kl-discrete"><math' in html
    assert "$$" not in html


def _font_characters(font: Path) -> set[str]:
    return {chr(code) for code in TTFont(font).getBestCmap()}


def _math_on_pages(site: Path) -> set[str]:
    return set().union(*(math_characters(page.read_text()) for page in site.rglob("*.html")))


def test_the_math_font_is_cut_down_to_the_glyphs_the_formulas_use(built_site: Path) -> None:
    source = ROOT / "docs" / MATH_FONT
    published = built_site / MATH_FONT
    needed = _math_on_pages(built_site) & _font_characters(source)
    assert len(needed) > 50
    assert needed <= _font_characters(published)
    assert len(TTFont(published).getGlyphOrder()) < len(TTFont(source).getGlyphOrder()) / 5
    assert published.stat().st_size < source.stat().st_size / 4


def test_a_new_formula_brings_its_glyphs_into_the_math_font(
    project_copy: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    formulas = project_copy / "docs" / "formulas.md"
    formulas.write_text(formulas.read_text() + "\n\nA countable infinity: $\\aleph_0$.\n")
    mkdocs_build(project_copy, tmp_path / "site", KL_CACHE_DIR=session_cache(tmp_path_factory))
    assert "ℵ" in _font_characters(tmp_path / "site" / MATH_FONT)
    assert "ℵ" in _font_characters(ROOT / "docs" / MATH_FONT)


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        offenders = EXTERNAL.findall(page.read_text())
        assert not offenders, f"{page}: {offenders}"


def test_numbers_follow_the_data_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The lecture built from a data file with another P (the variant matrix's build, made
    once in the run) shows that P's divergence, not the default's."""
    html = (built_lecture("p-70-20-10", tmp_path_factory) / "index.html").read_text()
    changed, default = variant_raw("p-70-20-10")["forest"], default_raw()["forest"]
    assert changed["p"] != default["p"]
    assert format_number(kl_divergence(changed["p"], changed["q"], base=2), 6) in html
    assert format_number(kl_divergence(default["p"], default["q"], base=2), 6) not in html


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_are_byte_identical(project_copy: Path, tmp_path: Path) -> None:
    epoch = {"SOURCE_DATE_EPOCH": "1790000000"}
    mkdocs_build(project_copy, tmp_path / "a", KL_CACHE_DIR=str(tmp_path / "cache-a"), **epoch)
    mkdocs_build(project_copy, tmp_path / "b", KL_CACHE_DIR=str(tmp_path / "cache-b"), **epoch)
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")
