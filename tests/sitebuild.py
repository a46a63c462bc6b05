"""Run a real `mkdocs build` of a project folder, for the tests."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("docs", "figures", "kl", "mkdocs.yml", "scripts")


def copy_project(dest: Path) -> Path:
    """Copy the lecture's sources (not the installed `kl`, which builds use) into ``dest``."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def mkdocs_build(root: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of ``root`` into ``site_dir``; raises with the log on failure."""
    result = mkdocs_run(root, site_dir, **env)
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


def mkdocs_run(
    root: Path,
    site_dir: Path,
    *,
    prefix: Sequence[str] = (),
    options: Sequence[str] = (),
    timeout: float | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict -q` of ``root`` into ``site_dir``, with more ``options``
    (``--dirty``) and run under the command ``prefix`` (e.g. faketime) if given; the result
    whether the build failed or not. Raises subprocess.TimeoutExpired after ``timeout``
    seconds (None: no limit)."""
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site_dir),
            *options,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **env},
        check=False,
        timeout=timeout,
    )


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every test process of this run sees: the run's temporary root, above each
    worker's own when the tests run on several (pytest-xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder ``name`` of `shared_folder`, filled by ``make`` (given the empty folder)
    once in the run, by whichever test process asks first; the others wait for it. A
    ``make`` that raises leaves it to be made again."""
    shared = shared_folder(tmp_path_factory)
    folder = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = shared / f"{name}.made"
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def session_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One build cache for the run's builds whose tests read what a build makes, not how
    it makes it: a figure, formula or page is made once for every build that makes it from
    the same sources, as an author's rebuilds do, in every test process of the run. (The
    tests of the cache itself, of clean builds and of rebuilds keep caches of their own.)"""
    folder = shared_folder(tmp_path_factory) / "session-cache"
    folder.mkdir(exist_ok=True)
    return str(folder)


def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture as it stands, built once in the run for tests that only read it."""
    return made_once(
        tmp_path_factory,
        "shared-site",
        lambda site: mkdocs_build(ROOT, site, KL_CACHE_DIR=session_cache(tmp_path_factory)),
    )
