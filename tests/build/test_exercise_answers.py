"""Tests for kl.build.exercise_answers: the answers of a page's exercises, copied for the
appendix of the printed lecture, and the lecture's own answers as built."""

from __future__ import annotations

import re

import pytest

from kl.build.exercise_answers import COPIED_CLASS, Answer, collect_answers
from tests.sitebuild import shared_site

PAGE = """<h1 id="lecture">Lecture</h1>
<details class="success"><summary>Answer</summary><p>Not an exercise.</p></details>
<h2 id="exercises">Exercises<a class="headerlink" href="#exercises" title="x">&para;</a></h2>
<p>Try them.</p>
<h3 id="exercise-one">The <abbr title="a term">first</abbr> &amp; best<a class="headerlink"
 href="#exercise-one">&para;</a></h3>
<p>Question one.</p>
<details class="note"><summary>Hint</summary><p>A hint.</p></details>
<details class="success">
<summary>Answer</summary>
<p>It is <span id="eq-x">2</span>, <math><mi>x</mi></math>.</p>
<details class="success"><summary>More</summary><p>Nested.</p></details>
</details>
<h3 id="exercise-two">No answer</h3>
<p>Question two.</p>
<h3 id="exercise-three">Three</h3>
<details class="success"><summary>Answer</summary><img src="a.svg" id="i" alt="a"/></details>
<h2 id="later">Later</h2>
<h3 id="exercise-four">Outside the section</h3>
<details class="success"><summary>Answer</summary><p>Not collected.</p></details>
"""


def test_each_exercise_answer_is_copied_with_its_title() -> None:
    _, answers = collect_answers(PAGE)
    assert answers == [
        Answer(
            "exercise-one",
            "The first & best",
            "<p>It is <span>2</span>, <math><mi>x</mi></math>.</p>\n"
            '<details class="success"><summary>More</summary><p>Nested.</p></details>',
        ),
        Answer("exercise-three", "Three", '<img src="a.svg" alt="a" />'),
    ]


def test_the_copied_blocks_are_marked_and_nothing_else_changes() -> None:
    marked, _ = collect_answers(PAGE)
    assert marked.count(COPIED_CLASS) == 2
    assert marked.replace(f' {COPIED_CLASS}"', '"') == PAGE


@pytest.mark.parametrize("page", ["", "<p>No exercises.</p>", '<h2 id="exercises">E</h2>'])
def test_a_page_without_exercise_answers_has_none(page: str) -> None:
    assert collect_answers(page) == (page, [])


@pytest.mark.site
def test_the_built_lecture_has_every_answer_in_its_appendix(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = (shared_site(tmp_path_factory) / "index.html").read_text(encoding="utf-8")
    exercises = re.findall(r'<h3 id="(exercise-[\w-]+)"', page)
    appendix = page[page.index('<section class="kl-answers" hidden data-search-exclude>') :]
    assert re.findall(r'<h3><a href="#(exercise-[\w-]+)">', appendix) == exercises
    folded = re.findall(
        r'<details class="success kl-answer">\s*<summary>Answer</summary>(.*?)</details>',
        page,
        re.DOTALL,
    )
    assert len(folded) == len(exercises)
    for body in folded:
        assert body.strip() in appendix
