"""A rebuild remakes exactly what an edit touches: each figure and each part's values are
made anew only when a part of the data file they read, or a module they import, changed
(real builds of the whole lecture, sharing one cache)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import kl.build.artifacts
from kl.build.artifacts import Project, build_artifacts
from kl.lecture.sections import (
    coding_intuition,
    continuous,
    cross_entropy_decomposition,
    exercises,
    explorer,
    forest_example,
    forward_vs_reverse,
    kl_in_ai_learning,
    kl_in_ai_vae,
    not_a_distance,
    recap,
    zero_to_infinity,
)
from tests.sitebuild import copy_project

pytestmark = pytest.mark.site  # draws every figure

FOREST = ["code-lengths", "decomposition", "extra-bits", "forest-bars", "simplex"]
CURVES = ["continuous-integrand", "hero", "vae-kl"]


def _names(*parts: ModuleType) -> list[str]:
    """The names the build gives these parts of the lecture (`kl.lecture.sections`), sorted."""
    return sorted(part.__name__.rpartition(".")[2] for part in parts)


FOREST_PARTS = [
    not_a_distance,
    coding_intuition,
    cross_entropy_decomposition,
    exercises,
    explorer,
    forest_example,
    kl_in_ai_learning,
    recap,
]

# (section, text in it, its replacement, figures drawn anew, parts computed anew)
EDITS = [
    (
        "forest.q",
        "Squirrel = 0.5\nRabbit = 0.4",
        "Squirrel = 0.45\nRabbit = 0.45",
        FOREST,
        _names(*FOREST_PARTS),
    ),
    (
        "forest.p",
        "Squirrel = 0.6\nRabbit = 0.3",
        "Squirrel = 0.55\nRabbit = 0.35",
        sorted([*FOREST, "learning", "zero-to-infinity"]),
        _names(*FOREST_PARTS, zero_to_infinity),
    ),
    ("curves.poor", "sd = 1.4", "sd = 1.5", CURVES, _names(continuous, exercises, kl_in_ai_vae)),
    ("curves.p", "sd = 1.0", "sd = 1.02", CURVES[:2], _names(continuous, exercises)),
    ("coding", "repeats = 200", "repeats = 150", ["extra-bits"], _names(coding_intuition)),
    ("extremes", "0.99]", "0.98]", ["zero-to-infinity"], _names(zero_to_infinity)),
    ("asymmetry", "sharpening = 10", "sharpening = 8", [], _names(not_a_distance)),
    (
        "fitting",
        "separation = 6.0",
        "separation = 5.5",
        ["forward-reverse"],
        _names(forward_vs_reverse),
    ),
    ("learning", "steps = 60", "steps = 50", ["learning"], _names(kl_in_ai_learning)),
    ("exercises", "message_length = 1000", "message_length = 2000", [], _names(exercises)),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the project, built once into its own cache."""
    root = copy_project(tmp_path_factory.mktemp("rebuilds") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KL_CACHE_DIR", str(root.parent / "cache"))
        build_artifacts(Project(root))
        yield root


def _edited(text: str, section: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` after the ``[section]`` header replaced by ``new``."""
    start = text.index(f"[{section}]\n")
    end = start + 1 + text[start + 1 :].index("\n[") if "\n[" in text[start + 1 :] else len(text)
    assert old in text[start:end], f"{old!r} is not in [{section}]"
    return text[:start] + text[start:end].replace(old, new, 1) + text[end:]


def _parts(artifacts: kl.build.artifacts.Artifacts) -> list[str]:
    return sorted(re.sub(r"^values of ", "", name) for name in artifacts.computed)


@pytest.mark.parametrize(
    ("section", "old", "new", "figures", "parts"), EDITS, ids=[e[0] for e in EDITS]
)
def test_a_data_edit_remakes_exactly_what_read_it(
    built: Path, section: str, old: str, new: str, figures: list[str], parts: list[str]
) -> None:
    data = built / "docs" / "data" / "lecture.toml"
    original = data.read_text()
    data.write_text(_edited(original, section, old, new))
    try:
        edited = build_artifacts(Project(built))
    finally:
        data.write_text(original)
    assert sorted(edited.drawn) == figures
    assert _parts(edited) == parts
    again = build_artifacts(Project(built))  # the data as it was: all from the cache
    assert again.drawn == [] and again.computed == []


def test_what_a_rebuild_keeps_is_what_an_empty_cache_makes(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = built / "docs" / "data" / "lecture.toml"
    original = data.read_text()
    # A Q no other test builds, so the rebuild draws what it reads anew.
    edit = ("forest.q", "Squirrel = 0.5\nRabbit = 0.4", "Squirrel = 0.42\nRabbit = 0.48")
    data.write_text(_edited(original, *edit))
    try:
        rebuilt = build_artifacts(Project(built))
        monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "empty"))
        fresh = build_artifacts(Project(built))
    finally:
        data.write_text(original)
    assert len(fresh.drawn) == len(fresh.figures) and rebuilt.drawn == FOREST
    assert rebuilt.files == fresh.files
    assert rebuilt.values == fresh.values


def test_an_edit_to_a_maths_module_remakes_what_imports_it(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The copy's package stands for the installed one in the cache keys (same sources).
    monkeypatch.setattr(kl.build.artifacts, "PACKAGE_DIR", built / "kl")
    assert build_artifacts(Project(built)).drawn == []
    simplex = built / "kl" / "measures" / "simplex.py"
    simplex.write_text(simplex.read_text() + "\n# an edit\n")
    edited = build_artifacts(Project(built))
    assert edited.drawn == ["simplex"]
    assert _parts(edited) == _names(not_a_distance)
