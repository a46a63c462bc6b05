"""A name from the data is text wherever it lands: page, table, caption, alt text, gallery,
explorer, CSV and JSON. Built for real from animals named like markup."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import tomli_w

from tests.datasets import DATA, default_raw, visible
from tests.sitebuild import copy_project, mkdocs_build, session_cache

pytestmark = pytest.mark.site  # builds the site with MkDocs

HOSTILE = {
    "<script>pwned()</script>": 0.5,
    "R&D <b>x</b> *y*": 0.3,
    "<unknown> | `$x^2$` {{ w }}": 0.2,
}
PAGES = ("index.html", "formulas/index.html", "explorer/index.html", "gallery/index.html")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    root = copy_project(work / "project")
    raw = default_raw()
    names = list(HOSTILE)
    raw["forest"]["p"] = HOSTILE
    raw["forest"]["q"] = dict(zip(names, (0.4, 0.4, 0.2), strict=True))
    (root / DATA).write_text(tomli_w.dumps(raw), encoding="utf-8")
    mkdocs_build(root, work / "site", KL_CACHE_DIR=session_cache(tmp_path_factory))
    return work / "site"


@pytest.mark.parametrize("page", PAGES)
def test_no_name_becomes_markup(hostile_site: Path, page: str) -> None:
    source = (hostile_site / page).read_text(encoding="utf-8")
    assert "<script>pwned" not in source and "<b>x</b>" not in source
    assert "<unknown>" not in source and "<em>y</em>" not in source
    assert "<code>$x^2$</code>" not in source  # a backtick pair in an alt text, say
    assert "w }}" not in visible(source).replace("{{ w }}", "")


def test_names_read_as_written_on_the_lecture(hostile_site: Path) -> None:
    text = visible((hostile_site / "index.html").read_text(encoding="utf-8"))
    for name in HOSTILE:
        assert name in text, name
    alts = re.findall(r'alt="([^"]*)"', (hostile_site / "index.html").read_text())
    assert any(html.unescape(alt).count("<script>pwned()</script>") for alt in alts)


def test_names_are_plain_text_in_csv_and_json(hostile_site: Path) -> None:
    rows = list(csv.reader(io.StringIO((hostile_site / "figures/forest-bars.csv").read_text())))
    assert {row[0] for row in rows[1:]} >= set(HOSTILE)
    start = (hostile_site / "explorer/index.html").read_text()
    found = re.search(r'id="kl-explorer-start">(.*?)</script>', start, re.S)
    assert found and json.loads(found.group(1))["names"] == list(HOSTILE)


def test_a_name_in_a_figure_is_drawn_as_written() -> None:
    """matplotlib reads "$x^2$" as mathtext (and "$\\frac$" as an error): not in our figures."""
    import matplotlib.pyplot as plt

    from kl.build.style import THEMES

    for theme in THEMES:
        with plt.style.context(theme.rc):
            fig = plt.figure()
            label = fig.text(0.5, 0.5, "$\\frac$ | $x^2$")
            fig.canvas.draw()  # a bad formula would raise here
            assert label._preprocess_math(label.get_text()) == ("$\\frac$ | $x^2$", False)
            plt.close(fig)


def test_a_name_that_is_not_valid_tex_is_accepted() -> None:
    """Figures draw names as written, so "$\\frac$" (TeX that cannot typeset) is a name."""
    from kl.build.render import check_names
    from kl.lecture.data import parse_lecture_data

    raw = default_raw()
    raw["forest"]["p"] = {"Fox $\\frac$": 0.5, "$$": 0.3, "$x^{$": 0.2}
    raw["forest"]["q"] = dict.fromkeys(raw["forest"]["p"], 1 / 3)
    check_names(parse_lecture_data(tomli_w.dumps(raw), DATA))  # raises if a name is refused
