"""Tests for tests/sitebuild.py's `made_once`: what the run's test processes share is made
once, and a making that fails is made again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import made_once


def test_a_shared_folder_is_made_once_and_kept(tmp_path_factory: pytest.TempPathFactory) -> None:
    made: list[Path] = []

    def make(folder: Path) -> None:
        made.append(folder)
        (folder / "page.html").write_text("made")

    first = made_once(tmp_path_factory, "once", make)
    again = made_once(tmp_path_factory, "once", make)
    assert first == again == made[0]
    assert len(made) == 1 and (first / "page.html").read_text() == "made"


def test_a_making_that_fails_is_made_again(tmp_path_factory: pytest.TempPathFactory) -> None:
    def fail(folder: Path) -> None:
        (folder / "half.html").write_text("half")
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError):
        made_once(tmp_path_factory, "again", fail)
    folder = made_once(tmp_path_factory, "again", lambda f: (f / "page.html").write_text("x"))
    assert sorted(p.name for p in folder.iterdir()) == ["page.html"]
