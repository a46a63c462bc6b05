"""Under ``mkdocs serve`` a rebuild converts and indexes only the pages whose Markdown
changed, and builds what a fresh build of the same sources builds, warnings included (MkDocs
builds run in this process as a serve session runs them, on a project with one figure)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

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
