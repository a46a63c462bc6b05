"""Shared fixtures: copies of the project to change safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import ROOT, copy_project

__all__ = ["ROOT", "hero_only", "project_copy"]


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lecture's sources (docs, figures, kl, mkdocs.yml, scripts) with its own cache.

    The `kl` package itself is the installed one; the copy is for editing data and pages.
    """
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "cache"))
    return root


@pytest.fixture
def hero_only(project_copy: Path) -> Path:
    """The project copy with only the hero figure, for builds that need to draw little."""
    for module in (project_copy / "figures").glob("*.py"):
        if module.name != "hero.py":
            module.unlink()
    return project_copy
