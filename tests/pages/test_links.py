"""Links into the built lecture keep working: the anchors contract, objects.inv (checked with
Sphinx itself, and by a small Sphinx project linking in through intersphinx), links.json,
redirects, "link to this", embed snippets, link previews and the sitemap."""

from __future__ import annotations

import html
import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sphinx.util.inventory import InventoryFile

from kl.build.gallery import discover_figures
from kl.build.inventory import Anchor, page_url, read_anchor_contract
from tests.conftest import ROOT
from tests.sitebuild import copy_project, mkdocs_build, session_cache

pytestmark = pytest.mark.site  # builds the site with MkDocs

SITE_URL = "https://example.org/courses/ai-math/lecture-34/"
CONTRACT = read_anchor_contract(ROOT / "docs" / "anchors.toml")
REDIRECTS = {"lecture-34/": "", "formula-sheet/": "formulas/"}
IDS = re.compile(r'\sid="([^"]+)"')
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture built with --strict for publication under SITE_URL."""
    folder = tmp_path_factory.mktemp("published-site")
    mkdocs_build(ROOT, folder, KL_SITE_URL=SITE_URL, KL_CACHE_DIR=session_cache(tmp_path_factory))
    return folder


def _page_html(site: Path, page: str) -> str:
    return (site / page_url(page) / "index.html").read_text(encoding="utf-8")


def _meta(page_html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page_html)
    assert match, f"no <meta> {key}"
    return html.unescape(match.group(1))


def _text(fragment: str) -> str:
    without_marks = re.sub(r'<a class="headerlink".*?</a>', "", fragment)
    return " ".join(html.unescape(TAGS.sub("", without_marks)).split())


def _of_kind(*kinds: str) -> list[Anchor]:
    return [a for a in CONTRACT if a.kind in kinds]


def test_every_anchor_of_the_contract_is_on_its_page(site: Path) -> None:
    missing = [
        f"{a.page}#{a.id}"
        for a in CONTRACT
        if a.id not in set(IDS.findall(_page_html(site, a.page)))
    ]
    assert missing == []


def test_every_figure_module_is_in_the_contract_under_its_title() -> None:
    modules = {f"fig-{spec.id}": spec.title for spec in discover_figures(ROOT / "figures")}
    listed = {a.id: a.title for a in _of_kind("figure")}
    assert listed == modules


def test_section_and_exercise_titles_are_their_headings(site: Path) -> None:
    for anchor in _of_kind("section", "exercise"):
        page = _page_html(site, anchor.page)
        heading = re.search(rf'<h([1-6]) id="{anchor.id}"[^>]*>(.*?)</h\1>', page, re.S)
        assert heading, f"#{anchor.id} is not a heading"
        assert _text(heading.group(2)) == anchor.title


def test_objects_inv_is_a_sphinx_inventory_of_the_contract(site: Path) -> None:
    with (site / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, SITE_URL, posixpath.join)
    assert set(inventory) == {"std:label"}
    labels = inventory["std:label"]
    assert set(labels) == {a.id for a in CONTRACT}
    for anchor in CONTRACT:
        item = labels[anchor.id]
        assert item.uri == urljoin(SITE_URL, anchor.href())
        assert item.display_name == anchor.title
        assert item.project_name == "Lecture 34: KL Divergence"


def test_a_sphinx_course_site_links_in_through_intersphinx(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "course"
    source.mkdir()
    (source / "conf.py").write_text(
        "project = 'A course'\n"
        "extensions = ['sphinx.ext.intersphinx']\n"
        f"intersphinx_mapping = {{'kl34': ({SITE_URL!r}, {str(site / 'objects.inv')!r})}}\n",
        encoding="utf-8",
    )
    (source / "index.rst").write_text(
        "Week 9\n======\n\n"
        "Read :ref:`kl34:forest-example` and learn :ref:`this formula <kl34:eq-kl-discrete>`.\n",
        encoding="utf-8",
    )
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a class="reference external" href="([^"]+)"[^>]*>(.*?)</a>', page))
    assert _text(links[f"{SITE_URL}#forest-example"]) == "The forest example, worked"
    assert _text(links[f"{SITE_URL}formulas/#eq-kl-discrete"]) == "this formula"


def test_links_json_lists_the_contract_with_absolute_urls(site: Path) -> None:
    manifest = json.loads((site / "links.json").read_text(encoding="utf-8"))
    assert manifest["site_url"] == SITE_URL
    assert manifest["anchors"] == [
        {
            "id": a.id,
            "kind": a.kind,
            "title": a.title,
            "page": a.page,
            "url": urljoin(SITE_URL, a.href()),
        }
        for a in CONTRACT
    ]
    assert manifest["anchors"][0]["url"] == f"{SITE_URL}#recap"


def test_old_page_addresses_redirect_to_the_new_ones(site: Path) -> None:
    for old, new in REDIRECTS.items():
        page = (site / old / "index.html").read_text(encoding="utf-8")
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', page)
        assert refresh, f"{old} is not a redirect"
        assert urljoin(SITE_URL + old, refresh.group(1)) == SITE_URL + new
        assert (site / new / "index.html").is_file()


def test_sections_and_figures_offer_a_link_to_themselves(site: Path) -> None:
    lecture = _page_html(site, "index.md")
    for anchor in _of_kind("section"):
        heading = re.search(rf'<h2 id="{anchor.id}".*?</h2>', lecture, re.S)
        assert heading and f'<a class="headerlink" href="#{anchor.id}"' in heading.group(0)
    figures = re.findall(r'<figure class="kl-figure" id="([^"]+)"(.*?)</figure>', lecture, re.S)
    assert figures
    for fig_id, figure in figures:
        assert f'<a class="kl-permalink" href="#{fig_id}"' in figure
    assert '<script src="assets/permalink.js"></script>' in lecture
    assert (site / "assets" / "permalink.js").is_file()


def test_gallery_shows_both_versions_and_embed_snippets(site: Path) -> None:
    gallery = _page_html(site, "gallery.md")
    for spec in discover_figures(ROOT / "figures"):
        fid = spec.id
        for version in ("light", "dark"):
            svg = f"{fid}.svg" if version == "light" else f"{fid}.dark.svg"
            preview = f'<div class="kl-preview kl-preview-{version}"><img alt="'
            assert re.search(
                rf'{re.escape(preview)}[^>]*src="\.\./figures/{re.escape(svg)}"', gallery
            )
        snippets = _text(gallery)
        assert f"]({SITE_URL}figures/{fid}.svg)]({SITE_URL}#fig-{fid})" in snippets
        assert f'<source srcset="{SITE_URL}figures/{fid}.dark.svg"' in snippets
        assert f'<img src="{SITE_URL}figures/{fid}.svg"' in snippets


def test_pages_carry_link_previews_with_absolute_urls(site: Path) -> None:
    hero = re.search(
        r'id="fig-hero">\s*<picture>.*?<img [^>]*alt="([^"]+)"', _page_html(site, "index.md")
    )
    assert hero, "the lecture shows the hero figure"
    hero_alt = html.unescape(hero.group(1))
    for page in ("index.md", "formulas.md", "gallery.md"):
        text = _page_html(site, page)
        url = SITE_URL + page_url(page)
        assert f'<link rel="canonical" href="{url}">' in text
        assert _meta(text, "og:url") == url
        assert _meta(text, "og:image") == f"{SITE_URL}figures/hero.png"
        assert (_meta(text, "og:image:width"), _meta(text, "og:image:height")) == ("1280", "720")
        assert _meta(text, "og:image:alt") == _meta(text, "twitter:image:alt") == hero_alt
        assert _meta(text, "og:description") == _meta(text, "description")
        assert _meta(text, "og:type") == "article"
        assert _meta(text, "twitter:card") == "summary_large_image"
    assert (site / "figures" / "hero.png").read_bytes().startswith(b"\x89PNG")
    lecture = _page_html(site, "index.md")
    assert _meta(lecture, "og:title") == "Lecture 34: KL Divergence"
    assert _meta(_page_html(site, "formulas.md"), "og:title").startswith("Formula sheet - ")


def test_a_page_titled_in_its_front_matter_has_that_title_in_the_tab_and_the_preview(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = copy_project(tmp_path / "project")
    sheet = project / "docs" / "formulas.md"
    sheet.write_text('---\ntitle: "Formulas & <facts>"\n---\n' + sheet.read_text())
    mkdocs_build(project, tmp_path / "site", KL_CACHE_DIR=session_cache(tmp_path_factory))
    page = _page_html(tmp_path / "site", "formulas.md")
    tab = re.search(r"<title>([^<]*)</title>", page)
    assert tab, "the page has a <title>"
    title = "Formulas & <facts> - Lecture 34: KL Divergence"
    assert html.unescape(tab.group(1)) == _meta(page, "og:title") == title


def test_sitemap_lists_every_page_at_its_published_url(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    pages = ("index.md", "formulas.md", "explorer.md", "gallery.md")
    assert {SITE_URL + page_url(p) for p in pages} <= locs
    for loc in locs:
        assert loc.startswith(SITE_URL)
        assert (site / loc.removeprefix(SITE_URL) / "index.html").is_file()
