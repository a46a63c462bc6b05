"""The lecture's text in the built site: anchors, exercises, formula sheet, series, glossary.

Two real builds: the project as it is (module fixture), and a copy whose mkdocs.yml sets
the neighbouring lectures' URLs. Expected numbers come from scipy or from textbook
formulas applied to the data file, not from the page's own content modules.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest
from scipy import integrate, stats

from kl.lecture.data import LectureData, load_lecture_data
from kl.lecture.formatting import format_number
from tests.conftest import ROOT
from tests.public_anchors import FORMULAS, SECTIONS
from tests.sitebuild import mkdocs_build, session_cache, shared_site

pytestmark = pytest.mark.site  # builds the site with MkDocs

SERIES = "The Sequentia Lectures: Unlocking the Math of AI"
PART = "Part 4: The AI Toolkit: Probability & Statistics"
PREVIOUS_URL = "https://lectures.example.org/33-entropy/"
NEXT_URL = "../35/"
SERIES_URL = "/sequentia/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_site(tmp_path_factory)


@pytest.fixture(scope="module")
def lecture(site: Path) -> str:
    return (site / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def formula_sheet(site: Path) -> str:
    return (site / "formulas" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data() -> LectureData:
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


def _ids(page: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', page)


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, without MathML, with whitespace collapsed."""
    fragment = re.sub(r"<math\b.*?</math>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _exercises(page: str) -> dict[str, tuple[str, str]]:
    """Each exercise id -> (the question's HTML, up to its answer checker or hint, and the
    HTML of its answer's <details> and what follows)."""
    found = {}
    for match in re.finditer(r'<h3 id="(exercise-[\w-]+)"', page):
        end = min(i for i in (page.find("<h3", match.end()), page.find("</article>")) if i > 0)
        block = page[match.end() : end]
        question = re.split(r"<form|<details", block, maxsplit=1)[0]
        _, _, answer = block.partition('<details class="success')
        found[match.group(1)] = (question, '<details class="success' + answer)
    return found


def _bits(p: list[float], q: list[float]) -> float:
    return float(stats.entropy(p, q, base=2))


def _forest(data: LectureData) -> tuple[list[float], list[float]]:
    names = data.forest.outcomes
    return [data.forest.p[x] for x in names], [data.forest.q[x] for x in names]


def _expected_answers(data: LectureData) -> dict[str, list[str]]:
    """What each exercise's hidden answer must show, computed without kl.lecture.sections."""
    p, q = _forest(data)
    kl_pq, kl_qp = _bits(p, q), _bits(q, p)
    h_p, h_q = float(stats.entropy(p, base=2)), float(stats.entropy(q, base=2))
    rare = min((i for i, x in enumerate(p) if x > 0), key=lambda i: p[i])
    q0 = [0.0 if i == rare else x / (1 - q[rare]) for i, x in enumerate(q)]
    factor = data.exercises.closer_factor
    closer = [a + (b - a) / factor for a, b in zip(p, q, strict=True)]
    c = data.curves
    truth, poor = stats.norm(c.p.mean, c.p.sd), stats.norm(c.poor.mean, c.poor.sd)
    kl_p_poor = integrate.quad(
        lambda x: truth.pdf(x) * (truth.logpdf(x) - poor.logpdf(x)),
        -30,
        30,
        points=[c.p.mean, c.poor.mean],
    )[0]
    kl_poor_p = integrate.quad(
        lambda x: poor.pdf(x) * (poor.logpdf(x) - truth.logpdf(x)),
        -30,
        30,
        points=[c.p.mean, c.poor.mean],
    )[0]
    mu, sigma = c.good.mean, c.good.sd
    vae = 0.5 * (mu**2 + sigma**2 - 1 - math.log(sigma**2))
    n = data.exercises.message_length
    return {
        "exercise-reverse-direction": [format_number(kl_qp, 6), format_number(kl_pq, 6)],
        "exercise-entropy-of-q": [format_number(h_q, 6), format_number(h_q + kl_qp, 6)],
        "exercise-best-model": [format_number(h_p, 6), format_number(kl_pq, 6)],
        "exercise-message-cost": [
            format_number(n * (h_p + kl_pq), 1),
            format_number(n * h_p, 1),
            format_number(n * kl_pq, 1),
        ],
        "exercise-nats": [format_number(kl_pq * math.log(2), 6)],
        "exercise-closer-model": [
            format_number(_bits(p, closer), 6),
            format_number(kl_pq / _bits(p, closer), 1),
        ],
        "exercise-zero-probability": ["∞", format_number(_bits(q0, p), 6)],
        "exercise-gaussians": [format_number(kl_p_poor, 4), format_number(kl_poor_p, 4)],
        "exercise-vae-term": [
            format_number(vae, 4),
            format_number(mu**2 / 2, 4),
            format_number(vae - mu**2 / 2, 4),
        ],
    }


def test_every_section_has_its_anchor_once(lecture: str) -> None:
    ids = _ids(lecture)
    for section in SECTIONS:
        assert ids.count(section) == 1, section
    assert len(ids) == len(set(ids)), "duplicate ids on the lecture page"


def test_every_formula_has_its_anchor_on_the_sheet_and_links_back(formula_sheet: str) -> None:
    ids = _ids(formula_sheet)
    for section in formula_sheet.split("<h2")[1:]:
        anchors = [i for i in FORMULAS if f'<div class="math-display" id="{i}"><math' in section]
        assert len(anchors) == 1, _text(section)[:80]
        assert re.search(r'href="\.\./#[\w-]+"', section), f"{anchors[0]} has no link back"
    for formula in FORMULAS:
        assert ids.count(formula) == 1, formula


def test_there_are_at_least_six_exercises_each_with_a_closed_answer(lecture: str) -> None:
    exercises = _exercises(lecture)
    assert len(exercises) >= 6
    for anchor, (question, answer) in exercises.items():
        assert _text(question), anchor
        opening = re.match(r"<details([^>]*)>\s*<summary>Answer</summary>", answer)
        assert opening, f"{anchor}: no collapsible answer"
        assert "open" not in opening.group(1), f"{anchor}: answer shown before it is opened"


def test_answers_are_the_values_computed_from_the_data(lecture: str, data: LectureData) -> None:
    exercises = _exercises(lecture)
    for anchor, numbers in _expected_answers(data).items():
        assert anchor in exercises, anchor
        answer = exercises[anchor][1]
        hidden = _text(answer.split("</details>")[0])
        for number in numbers:
            assert number in hidden, f"{anchor}: {number} not in {hidden!r}"


def test_exercise_parameters_are_quoted_from_the_data(lecture: str, data: LectureData) -> None:
    exercises = _exercises(lecture)
    n, factor = data.exercises.message_length, data.exercises.closer_factor
    assert f"{n:,}" in _text(exercises["exercise-message-cost"][0])
    p, q = data.forest.p, data.forest.q
    closer = [f"{x} {round(p[x] + (q[x] - p[x]) / factor, 3):g}" for x in p]
    listing = ", ".join(closer[:-1]) + " and " + closer[-1]
    assert listing in _text(exercises["exercise-closer-model"][0])
    numbers = re.findall(r"<mn>([^<]+)</mn>", exercises["exercise-gaussians"][0])
    poor = data.curves.poor
    assert {f"{abs(poor.mean):g}", f"{poor.sd:g}"} <= set(numbers)


def test_breadcrumb_names_the_series_the_part_and_the_lecture(site: Path, lecture: str) -> None:
    crumbs = re.search(r'<nav class="kl-series-path".*?</nav>', lecture, re.S)
    assert crumbs, "no breadcrumb on the lecture page"
    assert _text(crumbs.group(0)) == f"{SERIES} {PART} Lecture 34: KL Divergence"
    assert crumbs.start() < lecture.index("<h1"), "the breadcrumb belongs above the title"
    sheet = (site / "formulas" / "index.html").read_text(encoding="utf-8")
    away = re.search(r'<nav class="kl-series-path".*?</nav>', sheet, re.S)
    assert away and re.search(r'href="\.\./?"', away.group(0)), "no link home from the sheet"


def test_without_urls_the_neighbours_are_plain_text(lecture: str) -> None:
    neighbours = re.search(r'<nav class="kl-series-neighbours".*?</nav>', lecture, re.S)
    assert neighbours and "Lecture 33: Entropy" in _text(neighbours.group(0))
    assert "<a " not in neighbours.group(0)
    assert not re.search(r'href=(""|\'\')', lecture)


def test_with_urls_the_neighbours_and_the_series_are_links(
    project_copy: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    urls = {"previous": PREVIOUS_URL, "next": NEXT_URL, "series": SERIES_URL}
    config = project_copy / "mkdocs.yml"
    text, count = re.subn(
        r"^(\s+)(previous|next|series):\n",
        lambda m: f"{m.group(0)}{m.group(1)}  url: {urls[m.group(2)]}\n",
        config.read_text(encoding="utf-8"),
        flags=re.M,
    )
    assert count == 3, "extra.lecture in mkdocs.yml lacks previous, next or series"
    config.write_text(text, encoding="utf-8")
    mkdocs_build(project_copy, tmp_path / "site", KL_CACHE_DIR=session_cache(tmp_path_factory))
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{PREVIOUS_URL}" rel="prev">Lecture 33: Entropy</a>' in page
    assert f'<a href="{NEXT_URL}" rel="next">' in page
    assert f'<a href="{SERIES_URL}">{SERIES}</a>' in page


def test_glossary_terms_are_abbreviations_outside_math_and_headings(
    site: Path, lecture: str, formula_sheet: str
) -> None:
    for page in (lecture, formula_sheet):
        entropy = re.search(r'<abbr title="([^"]+)">entropy</abbr>', page)
        assert entropy and "average surprise" in entropy.group(1)
        for formula in re.findall(r"<math\b.*?</math>", page, re.S):
            assert "<abbr" not in formula
        assert "*[" not in _text(page), "a glossary definition leaked into the page"
    assert re.search(r'<abbr title="[^"]+">KL divergence</abbr>', lecture)
    # Material's styled tooltips (content.tooltips) are off: set up for every term before the
    # first paint, they cost the lecture page its Lighthouse performance budget. The browser's
    # own tooltip shows each <abbr>'s title.
    assert not (site / "includes").exists() and not (site / "overrides").exists()
