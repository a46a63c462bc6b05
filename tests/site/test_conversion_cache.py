"""A build converts and indexes only the pages whose Markdown, or what their conversion
reads, changed since a build kept them, under ``mkdocs serve`` and in a new ``mkdocs build``
alike, and builds what a build with nothing kept builds, warnings included (MkDocs builds
run in this process as a serve session or a new process runs them, on a project with one
figure)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from mkdocs.commands.build import build
from mkdocs.config import load_config

import kl.site.conversion_cache
from kl.site.conversion_cache import INDEXED_FILE, RENDERED_FILE
from tests.sitebuild import copy_project

pytestmark = pytest.mark.site  # builds the site with MkDocs

INDEX = (
    '# A page\n\n{{ figure("hero") }}\n\n'
    "D(P‖Q) = {{ forest_example.kl_pq_bits }} bits, $D(P\\|Q)$.\n"
)
# Two links MkDocs warns about: one while converting the page, one once every page is.
OTHER = "# Another page\n\nSee [it](index.md#no-such-anchor), [this](gone.md) and $x^2$.\n"
NAV = "nav:\n  - index.md\n  - other.md\n"


class Session:
    """A serve session's plugins, each build loading the configuration anew, as
    ``mkdocs serve`` does."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root, self.site = root, site
        first = self._config()
        first.plugins.on_startup(command="serve", dirty=False)
        self.plugin: Any = first.plugins["kl"]

    def _config(self) -> Any:
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = "http://127.0.0.1:8000/"
        return config

    def build(self) -> None:
        build(self._config(), serve_url="http://127.0.0.1:8000/")

    def close(self) -> None:
        self._config().plugins.on_shutdown()


def _project(root: Path) -> Path:
    copy_project(root)
    for module in (root / "figures").glob("*.py"):
        if module.name != "hero.py":
            module.unlink()
    for page in (root / "docs").glob("*.md"):
        page.unlink()
    (root / "docs" / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "docs" / "other.md").write_text(OTHER, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config[: config.index("nav:")] + NAV, encoding="utf-8")
    return root


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    root = _project(tmp_path / "project")
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    served = Session(root, tmp_path / "site")
    try:
        yield served
    finally:
        served.close()


def _site(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in {".html", ".json"} and "sitemap" not in p.name
    }


def _fresh(root: Path, site: Path) -> dict[str, bytes]:
    """The site a new session's first build makes of ``root``."""
    served = Session(root, site)
    try:
        served.build()
    finally:
        served.close()
    return _site(site)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The messages about the links of OTHER, in order."""
    links = ("no-such-anchor", "gone.md")
    return sorted(r.getMessage() for r in caplog.records if any(n in r.getMessage() for n in links))


def test_a_rebuild_converts_and_indexes_only_the_pages_edited(
    session: Session, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    session.build()
    assert sorted(session.plugin.rendered.converted) == ["index.md", "other.md"]
    session.build()
    assert session.plugin.rendered.converted == []
    assert session.plugin.indexed.indexed == []
    other = session.root / "docs" / "other.md"
    other.write_text(f"{OTHER}\nAn edit.\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        session.build()
    assert session.plugin.rendered.converted == ["other.md"]
    assert session.plugin.indexed.indexed == ["other/"]
    built = _site(session.site)
    assert b"An edit." in built["search/search_index.json"]
    assert built == _fresh(session.root, tmp_path / "fresh")


def test_a_rebuild_compiles_no_template_and_builds_the_same_site(
    session: Session, compiled_templates: list[str | None]
) -> None:
    session.build()  # compiles the theme's templates and the pages' into the build cache
    first = _site(session.site)
    compiled_templates.clear()
    session.build()  # MkDocs makes the theme's environment anew, as for each rebuild
    assert compiled_templates == []
    assert _site(session.site) == first


def test_a_page_kept_logs_its_warnings_again(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        session.build()
        first = _warnings(caplog)
        caplog.clear()
        session.build()
    assert session.plugin.rendered.converted == []
    assert len(first) == 2
    assert _warnings(caplog) == first  # kept, and logged again


def test_an_edit_to_what_conversion_reads_converts_every_page(session: Session) -> None:
    session.build()
    glossary = session.root / "docs" / "includes" / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n*[XYZ]: An edit\n")
    session.build()
    assert sorted(session.plugin.rendered.converted) == ["index.md", "other.md"]
    shutil.rmtree(session.site)


def _build(root: Path, site: Path) -> tuple[list[str], list[str]]:
    """A ``mkdocs build`` of ``root`` as a new process runs it (a new configuration and
    plugin, nothing in memory): the pages it converted (by path) and indexed (by address)."""
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
        plugin: Any = config.plugins["kl"]
        return sorted(plugin.rendered.converted), sorted(plugin.indexed.indexed)
    finally:
        config.plugins.on_shutdown()


def _every_file(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap")  # dated by the day
    }


def _kept_entries(cache: Path, name: str = RENDERED_FILE) -> list[Path]:
    """The build cache's entries of the pages' conversions (or of ``name``)."""
    return [p.parent for p in cache.rglob(name)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once, its figure, formulas and pages kept in its cache."""
    work = tmp_path_factory.mktemp("conversion-cache")
    root = _project(work / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KL_CACHE_DIR", str(work / "cache"))
        patch.chdir(root)
        _build(root, work / "site")
    return work


@pytest.fixture
def kept(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built project and of its cache, for one test to change."""
    shutil.copytree(built / "project", tmp_path / "project")
    shutil.copytree(built / "cache", tmp_path / "cache")
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path


def _built_with_nothing_kept(work: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site a build of ``work``'s project makes with a copy of its cache that keeps
    no page's conversion or index entries (the figure and the formulas are kept)."""
    cache = work / "cache-without-pages"
    shutil.copytree(work / "cache", cache)
    for entry in _kept_entries(cache) + _kept_entries(cache, INDEXED_FILE):
        shutil.rmtree(entry)
    monkeypatch.setenv("KL_CACHE_DIR", str(cache))
    converted, _ = _build(work / "project", work / "fresh")
    assert converted == sorted(p.name for p in (work / "project" / "docs").glob("*.md"))
    monkeypatch.setenv("KL_CACHE_DIR", str(work / "cache"))
    return _every_file(work / "fresh")


def test_a_new_build_converts_and_indexes_nothing_and_builds_the_same_site(
    kept: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert _build(kept / "project", kept / "site") == ([], [])
    assert len(_warnings(caplog)) == 2  # the kept page's, and the one made once all are
    assert _every_file(kept / "site") == _built_with_nothing_kept(kept, monkeypatch)


def _edit_text(rel: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return edit


def _new_page(root: Path) -> None:
    (root / "docs" / "gone.md").write_text("# Here now\n", encoding="utf-8")


def _edit_font(root: Path) -> None:
    """The math font with another revision number: the same glyphs, other bytes."""
    path = root / "docs" / "assets" / "fonts" / "dejavu-math.woff2"
    font = TTFont(path)
    font["head"].fontRevision += 1
    font.save(path)


EDITS = {
    "a page": (_edit_text("docs/other.md", lambda t: f"{t}\nAn edit.\n"), ["other.md"]),
    "a snippet": (
        _edit_text("docs/includes/glossary.md", lambda t: f"{t}\n*[XYZ]: An edit\n"),
        ["index.md", "other.md"],
    ),
    "the math font": (_edit_font, ["index.md", "other.md"]),
    "the Markdown extensions": (
        _edit_text("mkdocs.yml", lambda t: t.replace("Copy the link", "Link")),
        ["index.md", "other.md"],
    ),
    "a page another links to, made": (_new_page, ["gone.md", "index.md", "other.md"]),
    "the anchor another page links to, made": (
        _edit_text("docs/index.md", lambda t: f"{t}\n## No such anchor\n"),
        ["index.md"],
    ),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_converts_the_pages_that_read_it_and_builds_the_same_site(
    kept: Path, edit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, converted = EDITS[edit]
    change(kept / "project")
    assert _build(kept / "project", kept / "site")[0] == converted
    assert _every_file(kept / "site") == _built_with_nothing_kept(kept, monkeypatch)


def test_new_library_versions_convert_and_index_every_page(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = kl.site.conversion_cache.versions
    monkeypatch.setattr(
        kl.site.conversion_cache, "versions", lambda names: f"{versions(names)}.post1"
    )
    assert _build(kept / "project", kept / "site") == (
        ["index.md", "other.md"],
        ["", "other/"],
    )


def test_a_build_that_logs_debug_messages_keeps_no_links_for_one_that_does_not(
    kept: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for entry in _kept_entries(kept / "cache"):
        shutil.rmtree(entry)
    with caplog.at_level(logging.DEBUG, logger="mkdocs"):
        _build(kept / "project", kept / "site")  # MkDocs notes no links to anchors then
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert _build(kept / "project", kept / "site")[0] == ["index.md", "other.md"]
    assert any("no-such-anchor" in message for message in _warnings(caplog))


def test_a_damaged_entry_is_made_anew(kept: Path, caplog: pytest.LogCaptureFixture) -> None:
    for entry in _kept_entries(kept / "cache"):
        (entry / RENDERED_FILE).write_bytes(b"{}")
    with caplog.at_level(logging.WARNING, logger="kl"):
        assert _build(kept / "project", kept / "site")[0] == ["index.md", "other.md"]
    assert "does not match its digest" in caplog.text
