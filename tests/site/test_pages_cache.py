"""The docs tree's files kept in the build cache: with no source changed they come from the
cache, made by nothing; an edit makes anew what it touched, and only that: a page's prose
its page, a figure module its figure (and the pages only if its words changed), a data edit
the values and the pages that quote them; a damaged entry is made anew (a project with one
figure and three pages, so that it draws little)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import kl.site.tree
from kl.build.project import Project
from kl.errors import FigureError
from kl.site.config import read_site_config
from kl.site.pages_cache import PAGES_FILE, Files, cached_pages
from tests.sitebuild import copy_project

pytestmark = pytest.mark.site  # draws a figure and computes the lecture's values

PAGE = '# A page\n\n{{ figure("hero") }}\n\nD(P‖Q) = {{ forest_example.kl_pq_bits }} bits.\n'
OTHER = "# Another page\n\nNo figure here.\n"
LISTING = "# The figures\n\n{% for entry in gallery %}- {{ entry.figure.title }}\n{% endfor %}"
PAGES = {"index.md": PAGE, "other.md": OTHER, "listing.md": LISTING}
EVERY_PAGE = sorted([*PAGES, "includes/glossary.md"])  # the glossary is rendered too
Made = tuple[Files, dict[str, object]]


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Made]:
    """A one-figure, one-page project whose files are made and kept in its cache once."""
    root = copy_project(tmp_path_factory.mktemp("pages-cache") / "project")
    for module in (root / "figures").glob("*.py"):
        if module.name != "hero.py":
            module.unlink()
    for page in (root / "docs").glob("*.md"):
        page.unlink()
    for rel, text in PAGES.items():
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KL_CACHE_DIR", str(root.parent / "cache"))
        return root, _pages(root)


@pytest.fixture
def project(kept: tuple[Path, Made], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the kept project and of its cache, for one test to change."""
    root, _ = kept
    shutil.copytree(root.parent / "cache", tmp_path / "cache")
    shutil.copytree(root, tmp_path / "project")
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "project"


@dataclass
class Remade:
    """What the builds from now on made: the projects whose pages' inputs (values,
    figures, captions) were made, and the pages rendered, by their paths below docs/."""

    inputs: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Remade:
    """What `kl.site.tree.start_inputs` and `kl.site.tree.make_page` make from now on."""
    runs = Remade()
    start_inputs, make_page = kl.site.tree.start_inputs, kl.site.tree.make_page

    def inputs(project: Project, *args: Any, **kwargs: Any) -> Any:
        runs.inputs.append(str(project.root))
        return start_inputs(project, *args, **kwargs)

    def page(project: Project, inputs: Any, rel: str, *args: Any) -> bytes:
        runs.pages.append(rel)
        return make_page(project, inputs, rel, *args)

    monkeypatch.setattr(kl.site.tree, "start_inputs", inputs)
    monkeypatch.setattr(kl.site.tree, "make_page", page)
    return runs


def _pages(root: Path) -> Made:
    """`cached_pages`' files, with the figures it left to draw drawn, and settings."""
    files, extra, later = cached_pages(Project(root), read_site_config(root / "mkdocs.yml"))
    files.update(later.finish())
    return files, extra


def test_the_pages_are_handed_on_while_the_figures_are_drawn(
    kept: tuple[Path, Made], project: Path, made: Remade
) -> None:
    _append("figures/hero.py", "\n# an edit\n")(project)
    files, extra, later = cached_pages(Project(project), read_site_config(project / "mkdocs.yml"))
    fresh, fresh_extra = _fresh(project)
    assert sorted(later.names) == sorted(n for n in fresh if n.startswith("figures/hero."))
    assert list(files) == list(fresh) and extra == fresh_extra
    assert {n: files[n] for n in later.names} == dict.fromkeys(later.names, b"")
    assert {n: b for n, b in files.items() if n not in later.names} == {
        n: b for n, b in fresh.items() if n not in later.names
    }
    assert later.finish() == {n: fresh[n] for n in later.names}
    made.inputs.clear()
    made.pages.clear()
    assert _pages(project) == (fresh, fresh_extra)
    assert made == Remade()  # the drawing finished, everything was kept


def test_a_figure_that_fails_fails_when_the_figures_are_due(project: Path) -> None:
    _replace("figures/hero.py", "-> Table:\n", "-> Table:\n    1 / 0\n")(project)
    files, _, later = cached_pages(Project(project), read_site_config(project / "mkdocs.yml"))
    assert "index.md" in files
    with pytest.raises(FigureError, match=r"figures/hero\.py"):
        later.finish()


def test_unchanged_sources_give_the_kept_files_in_order_making_nothing(
    kept: tuple[Path, Made], project: Path, made: Remade
) -> None:
    _, first = kept
    files, extra = _pages(project)
    assert made == Remade()
    assert (files, extra) == first
    assert list(files) == list(first[0])  # the order MkDocs is given them in
    assert any(name.startswith("figures/") for name in files)


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(text)

    return edit


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


# (the edit, whether the pages' inputs are made anew, the pages rendered anew)
EDITS = {
    "page": (_append("docs/index.md", "\nAn edit.\n"), False, ["index.md"]),
    "other page": (_append("docs/other.md", "\nAn edit.\n"), False, ["other.md"]),
    "macros": (_append("docs/includes/words.jinja", "\n{## an edit ##}\n"), True, EVERY_PAGE),
    # Read again, but every value is as it was: no page quotes anything new.
    "data file": (_append("docs/data/lecture.toml", "\n# an edit\n"), True, []),
    "a value": (
        _replace(
            "docs/data/lecture.toml",
            "Squirrel = 0.5\nRabbit = 0.4",
            "Squirrel = 0.45\nRabbit = 0.45",
        ),
        True,
        EVERY_PAGE,
    ),
    # Redrawn with the same words: the figure's files are new, no page is.
    "figure module": (_append("figures/hero.py", "\n# an edit\n"), True, []),
    # The pages that show the figure or read the gallery's entries.
    "figure caption": (
        _replace("figures/hero.py", "CAPTION = (\n", 'CAPTION = (\n    "An edit. "\n'),
        True,
        ["index.md", "listing.md"],
    ),
}


@pytest.mark.parametrize(("edit", "inputs", "pages"), EDITS.values(), ids=EDITS.keys())
def test_an_edit_makes_anew_exactly_what_it_touched(
    kept: tuple[Path, Made],
    project: Path,
    made: Remade,
    edit: Callable[[Path], None],
    inputs: bool,
    pages: list[str],
) -> None:
    edit(project)
    files, extra = _pages(project)
    assert made.inputs == ([str(project)] if inputs else [])
    assert sorted(made.pages) == pages
    fresh = _fresh(project)
    assert (files, extra) == fresh  # what an empty cache makes
    if not inputs:
        assert {n: b for n, b in files.items() if n.startswith("figures/")} == {
            n: b for n, b in kept[1][0].items() if n.startswith("figures/")
        }
    made.inputs.clear()
    made.pages.clear()
    assert _pages(project) == (files, extra)
    assert made == Remade()  # and keeps them


def _fresh(project: Path) -> Made:
    """The files and settings `kl.site.tree.make_pages` makes for ``project`` (no cache)."""
    tree = kl.site.tree.make_pages(Project(project), read_site_config(project / "mkdocs.yml"))
    return tree.files, tree.extra


def test_a_site_address_of_its_own_makes_the_files_anew(
    kept: tuple[Path, Made], project: Path, made: Remade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KL_SITE_URL", "https://example.org/lecture-34/")
    files, _ = _pages(project)
    assert made.inputs == [str(project)]
    assert sorted(made.pages) == EVERY_PAGE  # the gallery's addresses are the site's
    assert files["links.json"] != kept[1][0]["links.json"]


@pytest.mark.parametrize("damaged", ["hero.png", PAGES_FILE])
def test_a_damaged_entry_is_reported_and_the_files_made_anew(
    kept: tuple[Path, Made],
    project: Path,
    made: Remade,
    damaged: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    [path] = (project.parent / "cache").glob(f"*/*/{damaged}")
    path.write_bytes(path.read_bytes()[:100])
    with caplog.at_level(logging.WARNING):
        files, extra = _pages(project)
    assert [r.message for r in caplog.records if "damaged" in r.message] != []
    assert len(caplog.records) == 1, caplog.text
    assert made.inputs == ([str(project)] if damaged == "hero.png" else [])
    assert made.pages == []
    assert (files, extra) == kept[1]
    caplog.clear()
    made.inputs.clear()
    assert _pages(project) == kept[1]
    assert made == Remade() and caplog.records == []  # the entry was made anew
