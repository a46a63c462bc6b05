from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kl.build.artifacts
from kl.build.artifacts import (
    Project,
    Workers,
    build_artifacts,
    cancelled_on_error,
    write_artifacts,
)
from kl.build.templating import TemplateError
from kl.errors import FigureError


@pytest.fixture
def project_copy(hero_only: Path) -> Path:
    """The project copy with only the hero figure, so these tests draw little."""
    return hero_only


def _second_figure(root: Path) -> Path:
    """A second figure module (a copy of the hero under another id) to test per-figure work."""
    source = (root / "figures" / "hero.py").read_text()
    path = root / "figures" / "twin.py"
    path.write_text(source.replace('ID = "hero"', 'ID = "twin"'))
    return path


def test_rebuild_with_nothing_changed_draws_nothing_and_gives_the_same_bytes(
    project_copy: Path,
) -> None:
    first = build_artifacts(Project(project_copy), jobs=1)
    second = build_artifacts(Project(project_copy), jobs=1)
    assert first.drawn and second.drawn == []
    assert first.files == second.files


def test_changing_one_figure_redraws_only_that_one(project_copy: Path) -> None:
    twin = _second_figure(project_copy)
    assert sorted(build_artifacts(Project(project_copy), jobs=1).drawn) == ["hero", "twin"]
    twin.write_text(twin.read_text() + "\n# an edit\n")
    assert build_artifacts(Project(project_copy), jobs=1).drawn == ["twin"]


def test_changing_the_data_a_figure_reads_redraws_it(project_copy: Path) -> None:
    _second_figure(project_copy)
    build_artifacts(Project(project_copy), jobs=1)
    data = project_copy / "docs" / "data" / "lecture.toml"
    data.write_text(data.read_text().replace("sd = 1.0", "sd = 1.05", 1))
    assert sorted(build_artifacts(Project(project_copy), jobs=1).drawn) == ["hero", "twin"]


def test_drawing_is_deterministic_across_fresh_caches(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bytes drawn in this process and by worker processes (the other tests here
    build with jobs=1: starting workers is most of a one-figure build's work)."""
    first = build_artifacts(Project(project_copy), jobs=1).files
    monkeypatch.setenv("KL_CACHE_DIR", str(tmp_path / "other-cache"))
    second = build_artifacts(Project(project_copy), jobs=2).files
    assert first == second
    svg = first["figures/hero.svg"].decode()
    assert "<dc:date>" not in svg


def test_each_figure_has_light_dark_png_and_csv(project_copy: Path) -> None:
    files = build_artifacts(Project(project_copy), jobs=1).files
    for name in ("hero.svg", "hero.dark.svg", "hero.png", "hero.csv"):
        assert files[f"figures/{name}"], name
    assert files["figures/hero.png"].startswith(b"\x89PNG")
    assert files["figures/hero.svg"] != files["figures/hero.dark.svg"]


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        (lambda s: s.replace("ALT = (", "NOT_ALT = ("), r"twin\.py: declares no ALT"),
        (
            lambda s: s.replace('ID = "twin"', 'ID = "hero"'),
            r"hero\.py: ID 'hero' is already used|twin\.py: ID 'hero' is already used",
        ),
    ],
)
def test_a_broken_figure_module_stops_the_build_named(
    project_copy: Path, edit, pattern: str
) -> None:  # type: ignore[no-untyped-def]
    """Every broken declaration is named (tests/build/test_gallery.py); a build reads them
    all before it draws."""
    twin = _second_figure(project_copy)
    twin.write_text(edit(twin.read_text()))
    with pytest.raises(FigureError, match=pattern):
        build_artifacts(Project(project_copy), jobs=1)


def test_draw_error_line_points_at_the_raise(project_copy: Path) -> None:
    twin = _second_figure(project_copy)
    lines = twin.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "ax = fig.add_subplot()" in line)
    lines.insert(at + 1, "    raise RuntimeError('boom')")
    twin.write_text("\n".join(lines) + "\n")
    with pytest.raises(FigureError) as info:
        build_artifacts(Project(project_copy), jobs=1)
    assert re.search(rf"twin\.py:{at + 2}:", str(info.value))


def test_write_artifacts_replaces_the_folder(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    write_artifacts(build_artifacts(Project(project_copy), jobs=1), out)
    assert not (out / "stale.txt").exists()
    assert (out / "figures" / "hero.svg").is_file()
    assert (out / "tables" / "forest-worked.md").is_file()
    assert (out / "values.json").is_file() and (out / "figures.json").is_file()


def test_a_rebuild_draws_the_figures_that_took_longest_first(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures are drawn in the order of the CPU seconds each took last time (noted in
    the cache), longest first."""
    _second_figure(project_copy)
    noted = {"hero": 1.0, "twin": 2.0}
    timed = kl.build.artifacts._timed

    def as_noted(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
        made, _ = timed(function, *args)
        return made, noted[args[0].id] if function is kl.build.artifacts._draw else 0.0

    monkeypatch.setattr(kl.build.artifacts, "_timed", as_noted)
    build_artifacts(Project(project_copy), jobs=1)
    monkeypatch.setattr(kl.build.artifacts, "_timed", timed)
    data = project_copy / "docs" / "data" / "lecture.toml"
    data.write_text(data.read_text().replace("sd = 1.0", "sd = 1.05", 1))
    said: list[str] = []
    build_artifacts(Project(project_copy), jobs=1, progress=said.append)
    assert [line.partition(" drew ")[2] for line in said if " drew " in line] == ["twin", "hero"]


def test_a_figure_alone_is_drawn_a_layout_on_each_worker(project_copy: Path) -> None:
    """As under ``mkdocs serve`` (its workers kept): the layouts of one edited figure are
    drawn at once."""
    build_artifacts(Project(project_copy), jobs=1)
    hero = project_copy / "figures" / "hero.py"
    hero.write_text(hero.read_text() + "\n# an edit\n")
    said: list[str] = []
    workers = Workers(2)
    try:
        again = build_artifacts(Project(project_copy), workers=workers, progress=said.append)
    finally:
        workers.close()
    drew = sorted(line.partition(" drew ")[2] for line in said if " drew " in line)
    assert drew == ["hero, narrow layout", "hero, wide layout"]
    assert again.drawn == ["hero"]
    assert again.files == build_artifacts(Project(project_copy), jobs=1).files


class _Cancellable:
    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.mark.parametrize("error", [KeyboardInterrupt, TemplateError])
def test_a_block_that_raises_cancels_the_drawing_and_raises_the_same(error: type) -> None:
    drawing = _Cancellable()
    with pytest.raises(error), cancelled_on_error(drawing):  # type: ignore[arg-type]
        raise error("stopped")
    assert drawing.cancelled
    with pytest.raises(error), cancelled_on_error(None):
        raise error("stopped")


def test_a_block_that_ends_well_leaves_the_drawing_running() -> None:
    drawing = _Cancellable()
    with cancelled_on_error(drawing):  # type: ignore[arg-type]
        pass
    assert not drawing.cancelled
