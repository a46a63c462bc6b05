"""kl.build.dependencies: a digest of the modules a file imports, wherever they live."""

from __future__ import annotations

from pathlib import Path

from kl.build.dependencies import ModuleIndex


def _project(root: Path, package: str, figure: str) -> tuple[ModuleIndex, Path]:
    """A package ``kl`` (one module) at ``root/package`` and a figure module importing it
    at ``root/figure``."""
    kl = root / package / "kl"
    kl.mkdir(parents=True)
    (kl / "__init__.py").write_text("")
    (kl / "measure.py").write_text("def kl_divergence(): ...\n")
    fig = root / figure / "fig.py"
    fig.parent.mkdir(parents=True)
    fig.write_text("from kl.measure import kl_divergence\n")
    return ModuleIndex(kl), fig


def test_the_digest_is_the_same_wherever_the_package_and_the_figure_are(tmp_path: Path) -> None:
    """The package before the figure in one place, after it in the other: the files are
    hashed in the order of their names, not of their paths."""
    first, first_fig = _project(tmp_path / "one", "a", "z")
    second, second_fig = _project(tmp_path / "two", "z", "a")
    assert len(first.closure([first_fig])) == 3  # the figure, kl and kl.measure
    assert first.digest([first_fig]) == second.digest([second_fig])


def test_the_digest_follows_an_imported_modules_source(tmp_path: Path) -> None:
    index, fig = _project(tmp_path, "pkg", "figures")
    before = index.digest([fig])
    (index.package_dir / "measure.py").write_text("def kl_divergence(): return 0\n")
    assert ModuleIndex(index.package_dir).digest([fig]) != before
