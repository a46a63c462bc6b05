"""The ``kl`` command: its two sub-commands, and one line for each mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kl.build.artifacts import lecture_parts
from kl.site.cli import main


@pytest.fixture
def project_copy(hero_only: Path) -> Path:
    """The project copy with only the hero figure, so these tests draw little."""
    return hero_only


def test_cli_build_and_figures(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "artifacts"
    assert main(["--root", str(project_copy), "build", str(out)]) == 0
    captured = capsys.readouterr()
    steps = [line.split("] ", 1) for line in captured.err.splitlines()]
    parts = {f"computed values of {name}" for name in lecture_parts()}
    drew = {step for _, step in steps if step.startswith("drew ")}
    # The one figure in one job, or on two workers or more a job for each of its layouts.
    assert drew in ({"drew hero"}, {"drew hero, wide layout", "drew hero, narrow layout"})
    assert [count for count, _ in steps] == [
        f"[{i}/{len(parts) + len(drew)}" for i in range(1, len(steps) + 1)
    ]
    assert {step for _, step in steps} == {*parts, *drew}
    assert (out / "figures" / "hero.png").is_file()
    assert main(["--root", str(project_copy), "figures"]) == 0
    assert "hero" in capsys.readouterr().out


def test_cli_reports_bad_data_in_one_line(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = project_copy / "docs" / "data" / "lecture.toml"
    data.write_text(data.read_text().replace("Squirrel = 0.6", "Squirrel = -0.6"))
    assert main(["--root", str(project_copy), "build", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kl: error: ") and "lecture.toml: [forest.p.Squirrel]" in err
    assert "Traceback" not in err
    shutil.rmtree(tmp_path / "x", ignore_errors=True)


@pytest.mark.parametrize("command", [["figures"], ["build", "out"]])
def test_outside_a_project_says_so_and_fails(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_path), *command]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"kl: error: {tmp_path} is not a lecture project: it has no figures "
        "(run kl in the project's folder or give --root)\n"
    )
    assert not (tmp_path / "out").exists()
