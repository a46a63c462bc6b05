"""Run a real `mkdocs build` of a project folder, for the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
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
    timeout: float | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict -q` of ``root`` into ``site_dir``, run under the command
    ``prefix`` (e.g. faketime) if given; the result whether the build failed or not.
    Raises subprocess.TimeoutExpired after ``timeout`` seconds (None: no limit)."""
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
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **env},
        check=False,
        timeout=timeout,
    )


_SESSION_CACHE: list[Path] = []


def session_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One build cache for the session's builds whose tests read what a build makes, not how
    it makes it: a figure, formula or page is made once for every build that makes it from
    the same sources, as an author's rebuilds do. (The tests of the cache itself, of clean
    builds and of rebuilds keep caches of their own.)"""
    if not _SESSION_CACHE:
        _SESSION_CACHE.append(tmp_path_factory.mktemp("session-cache"))
    return str(_SESSION_CACHE[0])


_SHARED_SITE: list[Path] = []


def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture as it stands, built once per test session for tests that only read it."""
    if not _SHARED_SITE:
        site = tmp_path_factory.mktemp("shared-site")
        mkdocs_build(ROOT, site, KL_CACHE_DIR=session_cache(tmp_path_factory))
        _SHARED_SITE.append(site)
    return _SHARED_SITE[0]
