"""Formulas handed to the site's search as text (kl.site.search_text): Material's indexer
makes the same index of them as of their MathML, on formulas of every shape the math
extension makes and on the built lecture's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from material.plugins.search.plugin import Parser

from kl.build.mathml import tex_to_mathml
from kl.site import mkdocs_plugin
from kl.site.search_text import formulas_as_text
from tests.sitebuild import shared_site

Sections = list[tuple[str, str, str | None]]


def indexed(page_html: str) -> Sections:
    """What Material's search indexes of ``page_html``: each section's title, text and id."""
    parser = Parser()
    parser.feed(page_html)
    parser.close()
    return [("".join(s.title), "".join(s.text), s.id) for s in parser.data]


FORMULAS = [
    r"D_{\mathrm{KL}}(P \parallel Q) = \sum_x p(x) \log \frac{p(x)}{q(x)}",
    r"p(x)\,q(x)",  # a thin space between tokens
    r"a \; b \quad c",  # spaces of other widths
    r"\, x \,",  # blank first and last
    r"x \, \, y",  # two blanks in a row
    r"x < y \text{ and } y > z",  # entities, and text with spaces in it
    r"\text{a b}",
    r"\hat\theta",
]


def _page(formula_html: str) -> str:
    """A page with ``formula_html`` in a heading, in running text, beside blank text and
    as a display formula."""
    return (
        f'<h1 id="top">Title {formula_html}</h1>\n<p>Before {formula_html}, after.</p>\n'
        f"<p><strong>x</strong> {formula_html} <em>y</em></p>\n"
        f'<h2 id="s">A section</h2>\n<div class="math-display">{formula_html}</div>\n'
    )


@pytest.mark.parametrize("display", [False, True], ids=["inline", "display"])
@pytest.mark.parametrize("tex", FORMULAS)
def test_a_formula_as_text_is_indexed_as_its_mathml(tex: str, display: bool) -> None:
    page = _page(tex_to_mathml(tex, display=display))
    assert indexed(formulas_as_text(page)) == indexed(page)


def test_the_text_keeps_no_markup_inside_a_formula() -> None:
    mathml = tex_to_mathml(r"p(x)\,q(x) < 1")
    text = formulas_as_text(mathml)
    assert re.fullmatch(r"<math[^>]*>[^<]*</math>", text), text
    assert "&lt;" in text  # an entity stays as written


@pytest.mark.site
def test_the_lecture_pages_are_indexed_as_they_are(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = shared_site(tmp_path_factory)
    pages = sorted(site.rglob("*.html"))
    with_formulas = 0
    for page in pages:
        article = re.search(r"<article\b[^>]*>(.*)</article>", page.read_text(), re.DOTALL)
        if article is None:
            continue
        content = article.group(1)
        with_formulas += "<math" in content
        assert indexed(formulas_as_text(content)) == indexed(content), page
    assert with_formulas >= 2  # the lecture and the formula sheet


class _Index:
    def __init__(self) -> None:
        self.contents: list[str] = []

    def add_entry_from_context(self, page: object) -> None:
        self.contents.append(page.content)  # type: ignore[attr-defined]


class _Page:
    content = "<p>Text <math><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo></math>.</p>"
    url = "index.html"


def test_the_plugin_hands_the_search_index_each_page_with_formulas_as_text() -> None:
    index = _Index()
    search = type("Search", (), {"search_index": index})()
    config = type("Config", (), {"plugins": {mkdocs_plugin.SEARCH_PLUGIN: search}})()
    mkdocs_plugin._index_formulas_as_text(config)  # type: ignore[arg-type]
    mkdocs_plugin._index_formulas_as_text(config)  # once per index, however often called
    search.search_index.add_entry_from_context(_Page())
    assert index.contents == ["<p>Text <math>p(x)</math>.</p>"]


def test_the_sites_search_index_is_the_one_handed_formulas_as_text() -> None:
    """Material's search as the site configures it has the index the plugin wraps."""
    from mkdocs.config import load_config

    root = Path(__file__).resolve().parents[2]
    config = load_config(str(root / "mkdocs.yml"))
    search = config.plugins[mkdocs_plugin.SEARCH_PLUGIN]
    search.on_config(config)
    mkdocs_plugin._index_formulas_as_text(config)
    assert search.search_index.add_entry_from_context.formulas_as_text


def test_the_index_is_wrapped_once_search_has_made_it_before_any_page_is_read() -> None:
    """MkDocs runs the plugins' config step, in which Material's search makes its index,
    then their pre-build step, in which kl's plugin wraps it: the index is read from the
    first page on."""
    from mkdocs.config import load_config

    root = Path(__file__).resolve().parents[2]
    config = load_config(str(root / "mkdocs.yml"))
    plugins = config.plugins
    plugins.on_startup(command="build", dirty=False)  # the kl code loaded is as it is
    try:
        config = plugins.on_config(config)
        plugins.on_pre_build(config=config)
    finally:
        plugins.on_shutdown()
    search = config.plugins[mkdocs_plugin.SEARCH_PLUGIN]
    assert search.search_index.add_entry_from_context.formulas_as_text
