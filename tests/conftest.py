"""Shared fixtures: the project root, and copies of the project to change safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("docs", "figures", "kl", "mkdocs.yml", "scripts")


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lecture's sources (docs, figures, kl, mkdocs.yml, scripts) with its own cache.

    The `kl` package itself is the installed one; the copy is for editing data and pages.
    """
    root = tmp_path / "project"
    root.mkdir()
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, root / name)
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    return root
