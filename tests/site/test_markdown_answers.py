"""Tests for kl.site.markdown_answers: the answers appendix, written by the page's Markdown pass."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from kl.build.exercise_answers import COPIED_CLASS
from kl.build.templating import TemplateError
from tests.conftest import ROOT

TEMPLATE = ROOT / "docs" / "includes" / "answers.html"
PAGE = """\
## Exercises {#exercises}

### One {#exercise-one}

What is $x$?

??? success "Answer"
    It is $x$.

## Summary {#summary}
"""


def _html(source: str, template: Path) -> str:
    extensions = [
        "attr_list",
        "pymdownx.details",
        "kl.site.markdown_math",
        "kl.site.markdown_answers",
    ]
    configs = {"kl.site.markdown_answers": {"template": str(template)}}
    return markdown.markdown(source, extensions=extensions, extension_configs=configs)


def test_the_appendix_follows_the_page_and_the_original_is_marked() -> None:
    html = _html(PAGE, TEMPLATE)
    page, _, appendix = html.partition('<section class="kl-answers" hidden data-search-exclude>')
    assert appendix, html
    assert f'<details class="success {COPIED_CLASS}">' in page
    assert '<h3><a href="#exercise-one">One</a></h3>' in appendix
    assert '<p>It is <span class="kl-nobreak"><math' in appendix and 'id="' not in appendix


def test_a_page_without_exercises_is_left_as_it_is() -> None:
    source = "# A page\n\nNo exercises, $y$.\n"
    assert _html(source, TEMPLATE) == _html(source, Path("no-such-template.html"))


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"missing\.html: cannot read"):
        _html(PAGE, tmp_path / "missing.html")
