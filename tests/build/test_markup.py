"""kl.build.markup: a figure in a page, with its words from docs/includes/figures.jinja."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from kl.build.artifacts import Artifacts, FigureArtifact
from kl.build.gallery import FigureSpec
from kl.build.markup import gallery_entries, render_page
from kl.lecture.data import LectureData
from tests.sitebuild import ROOT

INCLUDES = ROOT / "docs" / "includes"
ALT = "Bars of &lt;b&gt;R&amp;D&lt;/b&gt;."  # the alt text as a page writes it: a name as text


def _artifacts(data: LectureData) -> Artifacts:
    """One figure, declared by hand (nothing is drawn)."""
    spec = FigureSpec("demo", "A demo", "", "", "wide", "4:3", ROOT / "figures" / "hero.py")
    figure = FigureArtifact(spec, caption="The *caption*.", alt=ALT)
    return Artifacts(data=data, values={}, tables={}, figures=[figure])


def _figure(data: LectureData, page: str, includes: Path = INCLUDES) -> str:
    text = '{{ figure("demo") }}\n{{ figure("demo") }}'
    return render_page(text, page=page, artifacts=_artifacts(data), includes=includes)


def test_a_figure_shows_both_themes_and_layouts_its_caption_and_its_files(
    data: LectureData,
) -> None:
    first, second = _figure(data, "part/page.md").split("</figure>")[:2]
    assert '<figure class="kl-figure" id="fig-demo" markdown="span">' in first
    for theme, only in (("", "light"), (".dark", "dark")):
        assert (
            f'<source media="(max-width: 30em)" srcset="../figures/demo.narrow{theme}.svg" '
            'width="450" height="338">'
            f'<img src="../figures/demo{theme}.svg#only-{only}"'
        ) in first
    assert first.count('loading="eager"') == 1 and 'loading="eager"' not in second
    assert "The *caption*." in first
    for link in ("[SVG](../figures/demo.svg)", "[data (CSV)](../figures/demo.csv)"):
        assert link in first
    assert "[PNG 1280×720](../figures/demo.png)" in first
    assert '<a class="kl-permalink" href="#fig-demo"' in first


def test_a_name_in_the_alt_text_stays_text(data: LectureData) -> None:
    alts = re.findall(r'alt="([^"]*)"', _figure(data, "index.md"))
    assert alts and all(html.unescape(alt) == "Bars of <b>R&D</b>." for alt in alts)
    assert all("<" not in alt for alt in alts)


def test_the_words_around_a_figure_are_the_includes_words(
    data: LectureData, tmp_path: Path
) -> None:
    """An author rewords the download row in docs/includes/figures.jinja, not in Python."""
    includes = shutil.copytree(INCLUDES, tmp_path / "includes")
    macros = includes / "figures.jinja"
    text = macros.read_text(encoding="utf-8")
    for english, french in (
        ("Link to this figure", "Lien vers cette figure"),
        ("dark SVG", "SVG sombre"),
    ):
        assert english in text
        text = text.replace(english, french)
    macros.write_text(text, encoding="utf-8")
    page = _figure(data, "index.md", includes)
    assert "Lien vers cette figure" in page and "SVG sombre" in page
    assert "Link to this figure" not in page and "dark SVG" not in page


def test_the_gallery_embeds_with_absolute_addresses(data: LectureData) -> None:
    (entry,) = gallery_entries(_artifacts(data), site_url="https://example.org/kl/")
    assert entry["embed_target"] == "https://example.org/kl/#fig-demo"
    assert (
        entry["embed"]["src"]["narrow_dark"]
        == "https://example.org/kl/figures/demo.narrow.dark.svg"
    )  # type: ignore[index]
    assert entry["figure"]["src"]["light"] == "figures/demo.svg"  # type: ignore[index]
