"""scripts/publish.py: site/ is replaced only by a build that succeeds; the site hash is
reproducible, on another day too (the clock faked with Debian's faketime)."""

from __future__ import annotations

import hashlib
import http.client
import importlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.sitebuild import ROOT, copy_project, session_cache
from tests.tools import require_command

pytestmark = pytest.mark.site  # builds the site with MkDocs

EPOCH = "1790000000"  # 2026-09-21: any fixed value will do
DAYS_LATER = 400
HASH_LINE = re.compile(r"^site hash \(sha256\): ([0-9a-f]{64})$", re.M)


def manifest_hash(folder: Path) -> str:
    """The site hash as README documents it: sha256 of `sha256sum`'s listing, sorted by path."""
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {rel}\n" for rel, p in files)
    return hashlib.sha256(listing.encode()).hexdigest()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def publish(
    root: Path, *args: str, prefix: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, str(root / "scripts" / "publish.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env},
        check=False,
    )


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("publish") / "project")


@pytest.fixture(scope="module")
def cache_today(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The build cache of the publishes made today (the real clock): the session's."""
    return session_cache(tmp_path_factory)


@pytest.fixture(scope="module")
def published(project: Path, cache_today: str) -> tuple[str, subprocess.CompletedProcess[str]]:
    """The project published once (today, real clock); its printed hash and the run."""
    result = publish(project, KL_CACHE_DIR=cache_today)
    assert result.returncode == 0, result.stdout + result.stderr
    found = HASH_LINE.search(result.stdout)
    assert found, result.stdout
    return found.group(1), result


def test_publish_builds_site_and_prints_its_hash(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]]
) -> None:
    printed, _ = published
    site = project / "site"
    assert (site / "index.html").is_file()
    assert (site / "sitemap.xml.gz").is_file()
    # The handout comes only with --pdf, and the pages link to it only then.
    assert list(site.glob("*.pdf")) == []
    assert 'class="kl-handout"' not in (site / "index.html").read_text(encoding="utf-8")
    assert printed == manifest_hash(site)
    assert leftovers(project) == []
    again = publish(project, "--hash", str(site))
    assert again.returncode == 0 and again.stdout.strip() == printed
    listing = publish(project, "--manifest", str(site)).stdout.splitlines()
    assert listing[-1] == printed
    assert any(line.endswith("  index.html") for line in listing)


def test_the_published_site_is_readable_by_others_as_a_plain_build_is(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]]
) -> None:
    """The modes `mkdocs build` gives under the umask: a web server running as another
    user can read every page (the staging folder was made private by mkdtemp)."""
    umask = os.umask(0)
    os.umask(umask)
    site = project / "site"
    folders = {site, *(p for p in site.rglob("*") if p.is_dir())}
    assert {f"{p.stat().st_mode & 0o777:o}" for p in folders} == {f"{0o777 & ~umask:o}"}
    files = [p for p in site.rglob("*") if p.is_file()]
    assert {f"{p.stat().st_mode & 0o777:o}" for p in files} == {f"{0o666 & ~umask:o}"}


def test_the_data_file_is_not_published(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]]
) -> None:
    """No page links to it: the lecture shows what it computes from it."""
    assert not (project / "site" / "data").exists()


def start_publish(project: Path) -> subprocess.Popen[bytes]:
    """publish.py started in its own process group, with an empty cache of its own so that
    its build draws every figure (a build served from the cache can end within the second
    waited below); returns once its staging folder exists."""
    run = subprocess.Popen(
        [sys.executable, str(project / "scripts" / "publish.py")],
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": EPOCH,
            "KL_CACHE_DIR": tempfile.mkdtemp(prefix="cache-stopped-", dir=project.parent),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while not leftovers(project):
        assert run.poll() is None, "publish ended before it made its staging folder"
        time.sleep(0.01)
    time.sleep(1)  # into the build
    return run


def test_a_publish_stopped_by_a_signal_removes_its_staging_folder(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]]
) -> None:
    before = tree(project / "site")
    run = start_publish(project)
    run.terminate()
    assert run.wait(timeout=60) != 0
    assert leftovers(project) == []
    assert tree(project / "site") == before


def test_the_next_publish_removes_the_staging_folder_of_a_killed_one(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]], cache_today: str
) -> None:
    run = start_publish(project)
    os.killpg(run.pid, 9)  # the build too: nothing can clean up after SIGKILL
    run.wait()
    assert leftovers(project) != []
    result = publish(project, KL_CACHE_DIR=cache_today)
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert HASH_LINE.search(result.stdout).group(1) == published[0]  # type: ignore[union-attr]


def test_the_hash_changes_when_one_byte_does(tmp_path: Path, project: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(project / "site", folder)
    before = publish(project, "--hash", str(folder)).stdout.strip()
    page = folder / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<html", b"<html ", 1))
    assert publish(project, "--hash", str(folder)).stdout.strip() != before
    (folder / "index.html").rename(folder / "index2.html")
    assert publish(project, "--hash", str(folder)).stdout.strip() != before


def test_without_chromium_the_handout_says_what_to_install_and_builds_nothing(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    result = publish(ROOT, "--pdf", "-d", str(site), PATH=str(tmp_path))  # no chromium on it
    assert result.returncode == 1
    assert "apt-get install chromium" in result.stderr
    assert f"{site} is unchanged" in result.stderr
    assert not site.exists()
    assert leftovers(tmp_path) == []


@pytest.fixture
def broken_data(project: Path) -> Iterator[None]:
    data = project / "docs" / "data" / "lecture.toml"
    original = data.read_text()
    data.write_text(original + "\n[unexpected]\nkey = 1\n")
    yield
    data.write_text(original)


def serve(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    for _ in range(20):
        port = random.randint(8100, 8999)
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "-d", folder, str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
                return server, port
            except OSError:
                if server.poll() is not None:
                    break  # the port was taken: try another
                time.sleep(0.1)
        server.kill()
        server.wait()
    raise AssertionError("could not start http.server")


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.usefixtures("broken_data")
def test_a_failed_build_leaves_the_previous_site_intact_and_servable(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]], cache_today: str
) -> None:
    site = project / "site"
    before = tree(site)
    result = publish(project, KL_CACHE_DIR=cache_today)
    assert result.returncode != 0
    assert "[unexpected] is not a known field" in result.stderr
    assert f"{site} is unchanged" in result.stderr
    assert HASH_LINE.search(result.stdout) is None
    assert tree(site) == before
    assert manifest_hash(site) == published[0]
    assert leftovers(project) == []

    server, port = serve(site)
    try:
        assert fetch(port, "/index.html") == (200, before["index.html"])
        assert fetch(port, "/") == (200, before["index.html"])
        assert fetch(port, "/formulas/")[0] == 200
    finally:
        server.kill()
        server.wait()


def faketime() -> tuple[str, ...]:
    """The faketime command moving the clock DAYS_LATER days ahead (installed if missing)."""
    return (require_command("faketime"), "-f", f"+{DAYS_LATER}d")


def test_faketime_moves_the_clock_that_mkdocs_reads() -> None:
    """The check below would prove nothing if faketime did not reach Python."""
    probe = subprocess.run(
        [
            *faketime(),
            sys.executable,
            "-c",
            "from mkdocs.utils import get_build_datetime as d; print(d().timestamp())",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
    )
    days_ahead = (float(probe.stdout) - time.time()) / 86400
    assert DAYS_LATER - 1 < days_ahead < DAYS_LATER + 1


def test_a_build_on_another_day_is_byte_identical(
    project: Path, published: tuple[str, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    """Another day, another output folder, a cold figure cache: the same site hash."""
    later = tmp_path / "later-site"
    result = publish(
        project, "-d", str(later), prefix=faketime(), KL_CACHE_DIR=str(tmp_path / "cache-later")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = HASH_LINE.search(result.stdout)
    assert found
    if found.group(1) != published[0]:
        today, other = tree(project / "site"), tree(later)
        differing = sorted(k for k in today.keys() | other.keys() if today.get(k) != other.get(k))
        pytest.fail(f"the builds differ in {differing}")


@pytest.fixture
def publish_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/publish.py imported as the script sees itself (scripts/ on sys.path)."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    return importlib.import_module("publish")


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two renames"])
def test_replace_folder_swaps_in_the_new_site_and_removes_the_old(
    tmp_path: Path, publish_module: ModuleType, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    if not atomic:
        monkeypatch.setattr(publish_module, "_exchange", lambda a, b: False)
    site, new = tmp_path / "site", tmp_path / ".site-new-x"
    for folder, text in ((site, "old"), (new, "new")):
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "index.html").write_text(text)
    publish_module.replace_folder(new, site)
    assert (site / "sub" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_replace_folder_into_a_missing_target(tmp_path: Path, publish_module: ModuleType) -> None:
    new = tmp_path / ".site-new-x"
    new.mkdir()
    (new / "index.html").write_text("new")
    publish_module.replace_folder(new, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert not new.exists()


def test_the_github_workflow_publishes_what_publish_py_builds() -> None:
    """CI's Pages site goes through the same, tested path: publish.py into site/."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert any(
        line.strip().endswith("python scripts/publish.py")
        for command in commands
        for line in command.splitlines()
    ), commands
    assert not any("mkdocs" in command for command in commands), commands
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "site"
