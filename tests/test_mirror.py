"""The tests mirror the code: each module of ``kl`` has its test module in the folder of its
layer (``kl/build/render.py``: ``tests/build/test_render.py``) and each figure module its own
(``figures/hero.py``: ``tests/figures/test_hero.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.sitebuild import ROOT

NOT_MODULES = ("__init__.py", "__main__.py")  # a package's entry points, tested through it


def mirrored_modules(root: Path) -> dict[Path, Path]:
    """Each module of ``root/kl`` and ``root/figures`` (relative to ``root``) and the test
    module that mirrors it."""
    mirror: dict[Path, Path] = {}
    for package, tests in (("kl", "tests"), ("figures", "tests/figures")):
        for module in sorted((root / package).rglob("*.py")):
            if module.name not in NOT_MODULES:
                folder = module.parent.relative_to(root / package)
                mirror[module.relative_to(root)] = Path(tests) / folder / f"test_{module.name}"
    return mirror


def missing_test_modules(root: Path) -> list[str]:
    """ "module -> its test module" for each module under ``root`` whose test module is missing."""
    return [
        f"{module} -> {test}"
        for module, test in mirrored_modules(root).items()
        if not (root / test).is_file()
    ]


def test_every_module_has_its_test_module() -> None:
    assert missing_test_modules(ROOT) == []
    assert mirrored_modules(ROOT)[Path("kl/build/render.py")] == Path("tests/build/test_render.py")


def test_a_module_without_its_test_module_is_named(tmp_path: Path) -> None:
    for path in ("kl/__init__.py", "kl/errors.py", "kl/site/cli.py", "figures/hero.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    for path in ("tests/test_errors.py", "tests/figures/test_hero.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    assert missing_test_modules(tmp_path) == ["kl/site/cli.py -> tests/site/test_cli.py"]
