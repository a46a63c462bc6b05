"""The built site has no broken internal link, image or anchor (scripts/linkcheck.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.linkcheck import BrokenLink, check_site
from tests.sitebuild import ROOT, shared_site

pytestmark = pytest.mark.site  # builds the site with MkDocs


def test_the_built_site_has_no_broken_internal_link(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = shared_site(tmp_path_factory)
    assert (site / "index.html").is_file()
    broken = check_site(site)
    assert not broken, "\n".join(map(str, broken))


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


GOOD_PAGES = {
    "index.html": """<!doctype html><title>t</title>
        <h2 id="forest-example">x</h2><a name="legacy"></a>
        <a href="#forest-example">self</a> <a href="#legacy">old name</a> <a href="./">self</a>
        <a href="formulas/#eq-entropy">sheet</a> <a href="formulas/index.html#eq-entropy">same</a>
        <a href="/formulas/">from the root</a> <a href="?tab=1">query</a> <a href="">empty</a>
        <img src="figures/hero.svg#only-light" srcset="figures/hero.png 2x, figures/hero.svg 1x">
        <a href="figures/a%20b.csv">spaced</a> <a href="#caf%C3%A9">encoded</a><p id="café">
        <a href="https://example.org/missing">external</a> <a href="mailto:a@b.c">mail</a>
        <script src="//cdn.example/x.js"></script> <img src="data:image/png;base64,AAAA">
        <link rel="stylesheet" href="assets/site.css">""",
    "formulas/index.html": '<div id="eq-entropy"></div><a href="../#forest-example">back</a>',
    "figures/hero.svg": "<svg/>",
    "figures/hero.png": "png",
    "figures/a b.csv": "x",
    "assets/site.css": "body{background:url('img/bg.png')} a{background:url(data:x)}",
    "assets/img/bg.png": "png",
}


def test_a_site_whose_links_all_resolve_passes(tmp_path: Path) -> None:
    assert check_site(write(tmp_path, GOOD_PAGES)) == []


def test_every_kind_of_broken_link_is_reported(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {
            **GOOD_PAGES,
            "formulas/index.html": """<div id="eq-entropy"></div>
                <a href="../#no-such-section">a</a> <a href="../gone/">b</a>
                <img src="../figures/missing.svg"> <img srcset="../figures/hero.png 1x, x.png 2x">
                <a href="../../outside.html">c</a> <a href="#eq-missing">d</a>""",
            "assets/site.css": 'a{background:url("img/none.png")}',
        },
    )
    assert set(check_site(site)) == {
        BrokenLink(
            "formulas/index.html",
            "../#no-such-section",
            "no element with id 'no-such-section' in index.html",
        ),
        BrokenLink("formulas/index.html", "../gone/", "no such file gone"),
        BrokenLink(
            "formulas/index.html", "../figures/missing.svg", "no such file figures/missing.svg"
        ),
        BrokenLink("formulas/index.html", "x.png", "no such file formulas/x.png"),
        BrokenLink("formulas/index.html", "../../outside.html", "points outside the site"),
        BrokenLink(
            "formulas/index.html",
            "#eq-missing",
            "no element with id 'eq-missing' in formulas/index.html",
        ),
        BrokenLink("assets/site.css", "img/none.png", "no such file assets/img/none.png"),
    }


def test_command_line_exit_status(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "linkcheck.py"
    good = write(tmp_path / "good", GOOD_PAGES)
    bad = write(tmp_path / "bad", {**GOOD_PAGES, "x.html": '<a href="nowhere.html">x</a>'})
    ok = subprocess.run([sys.executable, script, good], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "no broken links" in ok.stdout
    failed = subprocess.run(
        [sys.executable, script, bad], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1
    assert "x.html: nowhere.html: no such file nowhere.html" in failed.stdout
