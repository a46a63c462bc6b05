"""The build cache: each entry is checked when read, a damaged one is made anew with a
warning, and a cache that cannot be written (or vanishes mid-build) never breaks a build."""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kl.build.cache import FileCache, versions
from tests.sitebuild import mkdocs_run

pytestmark = pytest.mark.site  # builds the site with MkDocs

KEY = "ab" + "0" * 62
FILES = {"hero.png": b"\x89PNG not really", "hero.svg": b"<svg>...</svg>"}


@pytest.fixture
def cache(tmp_path: Path) -> FileCache:
    stored = FileCache(tmp_path / "cache")
    stored.put(KEY, FILES)
    return stored


def entry_file(cache: FileCache, name: str) -> Path:
    [path] = cache.folder.glob(f"*/{KEY}/{name}")
    return path


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b""),
        lambda path: path.write_bytes(path.read_bytes()[:-3]),
        lambda path: path.unlink(),
    ],
    ids=["emptied", "truncated", "missing"],
)
def test_a_damaged_entry_is_reported_dropped_and_stored_anew(
    cache: FileCache,
    damage,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    damage(entry_file(cache, "hero.png"))
    with caplog.at_level(logging.WARNING, logger="kl.build.cache"):
        assert cache.get(KEY, FILES) is None
    [warning] = caplog.messages
    assert "damaged" in warning and KEY in warning
    cache.put(KEY, FILES)  # the caller makes the files again and stores them
    assert cache.get(KEY, FILES) == FILES


def test_a_sound_entry_is_read_back_without_warning(
    cache: FileCache, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kl.build.cache"):
        assert cache.get(KEY, FILES) == FILES
        assert cache.get("cd" + "0" * 62, FILES) is None  # never stored: a plain miss
    assert caplog.messages == []


def test_replacing_an_entry_with_the_same_files_leaves_it_as_it_is(cache: FileCache) -> None:
    mark = entry_file(cache, "hero.svg").with_name("mark")  # gone if the entry is written anew
    mark.write_bytes(b"")
    cache.put(KEY, dict(FILES), replace=True)
    assert mark.exists()
    cache.put(KEY, {**FILES, "hero.svg": b"<svg>new</svg>"}, replace=True)
    assert not mark.exists()
    assert cache.get(KEY, FILES) == {**FILES, "hero.svg": b"<svg>new</svg>"}


def test_a_cache_folder_that_is_a_file_is_reported_once_and_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file")
    cache = FileCache(not_a_folder)
    with caplog.at_level(logging.WARNING, logger="kl.build.cache"):
        assert cache.get(KEY, FILES) is None
        cache.put(KEY, FILES)
        cache.put("cd" + "0" * 62, FILES)
        FileCache(not_a_folder).put(KEY, FILES)
    [warning] = caplog.messages
    assert str(not_a_folder) in warning and "without caching" in warning
    assert not_a_folder.read_text() == "a file"


def test_a_cache_deleted_between_two_writes_is_made_again(cache: FileCache) -> None:
    shutil.rmtree(cache.folder)
    cache.put("cd" + "0" * 62, FILES)
    assert cache.get("cd" + "0" * 62, FILES) == FILES


# ------------------------------------------------------------------------ real builds


def kl_build(root: Path, out: Path, cache: Path, *prefix: str) -> subprocess.CompletedProcess[str]:
    """`kl build` of the project ``root`` into ``out`` with ``cache``, under ``prefix``."""
    command = [sys.executable, "-m", "kl", "--root", str(root), "build", str(out)]
    env = {**os.environ, "KL_CACHE_DIR": str(cache)}
    return subprocess.run([*prefix, *command], capture_output=True, text=True, env=env, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def reference(hero_only: Path, tmp_path: Path) -> dict[str, bytes]:
    """What `kl build` of the hero-only project writes with a cache of its own."""
    result = kl_build(hero_only, tmp_path / "reference", tmp_path / "reference-cache")
    assert result.returncode == 0, result.stderr
    return tree(tmp_path / "reference")


def read_only_prefix(folder: Path) -> list[str]:
    """A command prefix that runs a command with ``folder`` read-only: a read-only bind
    mount in a private mount namespace for root (whom file modes do not stop), else modes."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    script = f'mount --bind -o ro "{folder}" "{folder}" && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh"]


def test_a_read_only_cache_builds_without_caching_saying_so(
    hero_only: Path, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    result = kl_build(hero_only, tmp_path / "out", read_only, *read_only_prefix(read_only))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and "without caching" in warnings[0], result.stderr
    assert tree(tmp_path / "out") == reference


def test_deleting_the_cache_during_a_build_never_breaks_it(
    hero_only: Path, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    cache = tmp_path / "cache"
    for attempt in range(3):
        command = [sys.executable, "-m", "kl", "--root", str(hero_only), "build"]
        build = subprocess.Popen(
            [*command, str(tmp_path / f"out-{attempt}")],
            env={**os.environ, "KL_CACHE_DIR": str(cache)},
            stderr=subprocess.PIPE,
            text=True,
        )
        while build.poll() is None:
            shutil.rmtree(cache, ignore_errors=True)
            time.sleep(0.01)
        assert build.returncode == 0, build.communicate()[1]
        assert tree(tmp_path / f"out-{attempt}") == reference


def test_a_damaged_cached_figure_is_redrawn_with_one_warning_not_published(
    project_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = mkdocs_run(project_copy, tmp_path / "first", KL_CACHE_DIR=str(cache))
    assert first.returncode == 0, first.stderr
    [hero_png] = cache.glob("*/*/hero.png")
    hero_png.write_bytes(b"")
    content = sorted(cache.glob("*/*/content.pickle"))[0]  # one part's values and tables
    content.write_bytes(content.read_bytes()[:100])
    second = mkdocs_run(project_copy, tmp_path / "second", KL_CACHE_DIR=str(cache))
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr
    damaged = [line for line in second.stderr.splitlines() if "damaged" in line]
    assert len(damaged) == 2, second.stderr
    assert tree(tmp_path / "second") == tree(tmp_path / "first")
    assert hero_png.read_bytes().startswith(b"\x89PNG")  # the entry was repaired


def test_the_versions_read_from_the_headers_are_those_importlib_reads() -> None:
    installed = sorted({d.metadata["Name"] for d in importlib.metadata.distributions()})
    assert len(installed) > 20  # this environment's, the test tools' included
    read = versions(tuple(installed)).split(";")
    assert read == [f"{name}={importlib.metadata.version(name)}" for name in installed]
