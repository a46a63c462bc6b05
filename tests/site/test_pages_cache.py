"""The docs tree's files kept whole in the build cache: with no source changed they come
from the cache, made by nothing; an edit to any source, or a damaged entry, makes them anew
(a project with one figure and one page, so that it draws little)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import kl.site.tree
from kl.build.project import Project
from kl.site.config import read_site_config
from kl.site.pages_cache import PAGES_FILE, Files, cached_pages
from tests.sitebuild import copy_project

pytestmark = pytest.mark.site  # draws a figure and computes the lecture's values

PAGE = '# A page\n\n{{ figure("hero") }}\n\nD(P‖Q) = {{ forest_example.kl_pq_bits }} bits.\n'
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
    (root / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
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


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The roots of the projects `kl.site.tree.make_pages` is run on from now on."""
    runs: list[str] = []
    make = kl.site.tree.make_pages

    def counted(project: Project, *args: object, **kwargs: object) -> kl.site.tree.SiteTree:
        runs.append(str(project.root))
        return make(project, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kl.site.tree, "make_pages", counted)
    return runs


def _pages(root: Path) -> Made:
    return cached_pages(Project(root), read_site_config(root / "mkdocs.yml"))


def test_unchanged_sources_give_the_kept_files_in_order_making_nothing(
    kept: tuple[Path, Made], project: Path, made: list[str]
) -> None:
    _, first = kept
    files, extra = _pages(project)
    assert made == []
    assert (files, extra) == first
    assert list(files) == list(first[0])  # the order MkDocs is given them in
    assert any(name.startswith("figures/") for name in files)


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(text)

    return edit


EDITS = {
    "page": _append("docs/index.md", "\nAn edit.\n"),
    "macros": _append("docs/includes/words.jinja", "\n{## an edit ##}\n"),
    "data file": _append("docs/data/lecture.toml", "\n# an edit\n"),
    "figure module": _append("figures/hero.py", "\n# an edit\n"),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_edit_to_any_source_makes_the_files_anew(
    project: Path, made: list[str], edit: Callable[[Path], None]
) -> None:
    edit(project)
    files, extra = _pages(project)
    assert made == [str(project)]
    assert _pages(project) == (files, extra)
    assert made == [str(project)]  # and keeps them


def test_a_site_address_of_its_own_makes_the_files_anew(
    kept: tuple[Path, Made], project: Path, made: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KL_SITE_URL", "https://example.org/lecture-34/")
    files, _ = _pages(project)
    assert made == [str(project)]
    assert files["links.json"] != kept[1][0]["links.json"]


@pytest.mark.parametrize("damaged", ["hero.png", PAGES_FILE])
def test_a_damaged_entry_is_reported_and_the_files_made_anew(
    kept: tuple[Path, Made],
    project: Path,
    made: list[str],
    damaged: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    [path] = (project.parent / "cache").glob(f"*/*/{damaged}")
    path.write_bytes(path.read_bytes()[:100])
    with caplog.at_level(logging.WARNING):
        files, extra = _pages(project)
    assert [r.message for r in caplog.records if "damaged" in r.message] != []
    assert len(caplog.records) == 1, caplog.text
    assert made == [str(project)]
    assert (files, extra) == kept[1]
    caplog.clear()
    assert _pages(project) == kept[1]
    assert made == [str(project)] and caplog.records == []  # the entry was made anew
