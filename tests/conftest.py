"""Shared fixtures: copies of the project to change safely, and the lecture's data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import settings

from kl.lecture.data import LectureData
from kl.lecture.sections import lecture_values
from tests.lecture_data import P_DEFAULT, Q_DEFAULT, forest_data, frozen_data, lecture_data
from tests.sitebuild import ROOT, copy_project

__all__ = [
    "ROOT",
    "compiled_templates",
    "data",
    "frozen",
    "frozen_file",
    "hero_only",
    "project_copy",
    "values",
]


# No property test is timed: hypothesis's default 200 ms deadline per example failed
# tests on a busy machine (speed is measured by scripts/bench.py, never asserted).
# Tests that set no number of examples get hypothesis's 100, and 400 under
# HYPOTHESIS_PROFILE=ci (.ci/run sets it): a quick run while working, a thorough one in CI.
settings.register_profile("untimed", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "untimed"))

BROWSER_TESTS = ROOT / "tests" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ drives a browser: mark it ``browser``."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def data() -> LectureData:
    """The data file as it stands."""
    return lecture_data()


@pytest.fixture(scope="session")
def values(data: LectureData) -> dict[str, str]:
    """Every value of the lecture from the data file, as its page shows it."""
    return {name: value.text() for name, value in lecture_values(data).items()}


@pytest.fixture(scope="session")
def frozen(data: LectureData) -> LectureData:
    """The data file with the SPEC's reference forest (sharpened by 10)."""
    return forest_data(data, P_DEFAULT, Q_DEFAULT)


@pytest.fixture(scope="session")
def frozen_file() -> LectureData:
    """The frozen copy of the lecture's data, so an edit of docs/data never fails a test."""
    return frozen_data()


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


@pytest.fixture
def compiled_templates(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The name of each template Jinja compiles during the test, in order (``clear()`` it
    to count from a later point)."""
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def noted(
        self: jinja2.Environment, source: str, name: str | None = None, *a: Any, **k: Any
    ) -> Any:
        compiled.append(name)
        return original(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", noted)
    return compiled
