"""Tests for kl.site.markdown_glossary: a glossary term is marked once per section."""

from __future__ import annotations

import re

import markdown

GLOSSARY = """
*[KL divergence]: The extra surprise when Q stands in for P.
*[nats]: Units of natural logarithms.
*[nat]: Units of natural logarithms.
*[entropy]: Average surprise.
"""


def _render(text: str) -> str:
    return markdown.markdown(
        text + GLOSSARY, extensions=["abbr", "pymdownx.details", "kl.site.markdown_glossary"]
    )


def _marked(html: str) -> list[str]:
    return re.findall(r"<abbr [^>]*>([^<]+)</abbr>", html)


def test_a_term_is_marked_at_its_first_mention_only() -> None:
    html = _render("KL divergence, then KL divergence again.\n\nAnd *KL divergence* once more.")
    assert _marked(html) == ["KL divergence"]
    assert "then KL divergence again." in html
    assert "<em>KL divergence</em>" in html


def test_each_section_marks_its_first_mention_again() -> None:
    html = _render(
        "# Title\n\nentropy and entropy\n\n## One\n\nentropy\n\n### Sub\n\nentropy\n\n"
        "## Two\n\nentropy, entropy"
    )
    assert _marked(html) == ["entropy", "entropy", "entropy"]
    sections = re.split(r"<h2", html)
    assert [len(_marked(section)) for section in sections] == [1, 1, 1]


def test_terms_with_the_same_definition_count_as_one() -> None:
    html = _render("One nat, then two nats.")
    assert _marked(html) == ["nat"]
    assert "then two nats." in html


def test_a_mention_in_a_heading_is_kept_but_does_not_count() -> None:
    html = _render("## What KL divergence is\n\nThe KL divergence of Q from P, KL divergence.")
    assert _marked(html) == ["KL divergence", "KL divergence"]
    assert re.search(r"<h2>What <abbr [^>]*>KL divergence</abbr> is</h2>", html)
    assert "P, KL divergence.</p>" in html


def test_a_closed_solution_explains_its_terms_inside_it_only() -> None:
    html = _render(
        "## Exercises\n\n"
        '??? success "Solution"\n\n    The entropy is small; the entropy stays small.\n\n'
        "Outside, entropy is explained here."
    )
    inside, outside = html.split("</details>")
    assert _marked(inside) == ["entropy"]
    assert _marked(outside) == ["entropy"]


def test_text_around_unwrapped_terms_is_kept_in_order() -> None:
    html = _render("entropy, **bold** entropy tail, entropy end")
    text = re.sub(r"<[^>]+>", "", html.split("\n")[0])
    assert text == "entropy, bold entropy tail, entropy end"
