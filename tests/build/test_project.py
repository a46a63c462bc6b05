"""Tests for kl.build.project: where a project keeps its sources and its build cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from kl.build.project import Project


def test_the_sources_are_found_below_the_root(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.data_file == tmp_path / "docs" / "data" / "lecture.toml"
    assert project.figures_dir == tmp_path / "figures"
    assert project.includes_dir == tmp_path / "docs" / "includes"


def test_the_cache_is_below_the_root_unless_kl_cache_dir_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KL_CACHE_DIR", raising=False)
    project = Project(tmp_path / "lecture")
    assert project.cache_dir == tmp_path / "lecture" / ".cache" / "kl"
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert project.cache_dir == tmp_path / "elsewhere"
    assert project.templates_dir == tmp_path / "elsewhere" / "templates"
