"""The benchmark's author loop: a `mkdocs serve` session times every rebuild an edit
causes, including one as long as an earlier one (MkDocs's build log drops a message it
has printed before, so its "Documentation built in N seconds" goes missing then)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.site


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/bench.py imported as the script sees itself (scripts/ on sys.path), with a
    short wait for a rebuild (a missed one fails the test in seconds, not minutes)."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    module = importlib.import_module("bench")
    monkeypatch.setattr(module, "SERVE_TIMEOUT", 30)
    return module


def _tiny_project(root: Path, bench: ModuleType) -> Path:
    """A one-page MkDocs project holding the files the benchmark's edits change."""
    for name in (bench.PROSE_PAGE, bench.FIGURE_MODULE, bench.DATA_FILE):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("# A page\n" if name.endswith(".md") else "")
    (root / "mkdocs.yml").write_text(
        f"site_name: Tiny\ntheme: mkdocs\nnav:\n  - {Path(bench.PROSE_PAGE).name}\n"
    )
    return root / "mkdocs.yml"


def test_every_rebuild_after_an_edit_is_timed(tmp_path: Path, bench: ModuleType) -> None:
    config = _tiny_project(tmp_path / "project", bench)
    session = bench._Session(config, tmp_path / "cache")
    try:
        edits = bench._Edits(config.parent)
        # A one-page site rebuilds in the same hundredths of a second every time.
        times = [session.rebuild(edits.prose()) for _ in range(4)]
    finally:
        session.close()
    assert all(0 < t < bench.SERVE_TIMEOUT for t in times), times
