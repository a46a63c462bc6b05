"""Every variant of the data matrix builds a clean lecture (the prose tests read these)."""

from __future__ import annotations

import re

import pytest

from tests.datasets import VARIANTS, built_lecture, page_html, visible

pytestmark = pytest.mark.site  # builds the site with MkDocs

PAGES = ("index.html", "formulas/index.html", "explorer/index.html", "gallery/index.html")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_builds_with_no_template_syntax_left(
    variant: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = built_lecture(variant, tmp_path_factory)
    for page in PAGES:
        text = visible(page_html(site, page))
        assert "{{" not in text and "{%" not in text, page
        assert not re.search(r"\b(nan|None|Undefined)\b", text), page


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_no_comment_from_the_pages_is_published(
    variant: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = built_lecture(variant, tmp_path_factory)
    for page in PAGES:
        body = page_html(site, page).split("<article", 1)[-1].split("</article>", 1)[0]
        assert "<!--" not in body, page
