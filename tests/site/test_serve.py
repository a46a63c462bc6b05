"""`mkdocs serve` picks up edits to the data file, a figure module and `kl` itself, live."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kl.lecture.formatting import format_number
from kl.measures.discrete import kl_divergence

pytestmark = pytest.mark.site  # builds the site with MkDocs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
        return body.decode()


def _wait_for(url: str, text: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not appear at {url} within {timeout} s")


@pytest.fixture
def served(project_copy: Path) -> Iterator[tuple[Path, str]]:
    """`mkdocs serve` of a project copy whose own `kl` (not the installed one) is imported."""
    with _serve(project_copy) as (url, _process):
        yield project_copy, url


@contextmanager
def _serve(project_copy: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(project_copy),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(project_copy / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=project_copy,  # `python -m` puts the working folder first on sys.path
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=20)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_edits_show_up_without_a_restart(served: tuple[Path, str]) -> None:
    root, url = served
    _wait_for(url, "0.033309")

    _edit(
        root / "docs" / "data" / "lecture.toml",
        "Squirrel = 0.6\nRabbit = 0.3",
        "Squirrel = 0.7\nRabbit = 0.2",
    )
    new_p = {"Squirrel": 0.7, "Rabbit": 0.2, "Deer": 0.1}
    old_q = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
    _wait_for(url, format_number(kl_divergence(new_p, old_q, base=2), 6))
    assert "0.033309" not in _get(url)

    _edit(root / "figures" / "hero.py", 'TITLE = "', 'TITLE = "Edited: ')
    _wait_for(url + "gallery/", "Edited: ")

    section = root / "kl" / "lecture" / "sections" / "forest_example.py"
    _edit(section, '"p · log₂(p/q)"', '"p · log₂(p/q), edited"')
    _wait_for(url, "p · log₂(p/q), edited")


def _workers(pid: int) -> set[int]:
    """The build workers of the serve process ``pid``: its children forked from it (they
    run its command line)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = set()
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == command:
                found.add(int(child))
        except FileNotFoundError:  # ended meanwhile
            pass
    return found


def _wait_for_change(url: str, old: bytes, timeout: float = 300) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                new: bytes = response.read()
            if new != old:
                return new
        time.sleep(0.5)
    raise AssertionError(f"{url} did not change within {timeout} s")


def test_the_warm_workers_draw_a_figure_edit_and_restart_for_new_figure_code(
    project_copy: Path,
) -> None:
    with _serve(project_copy) as (url, process):
        svg_url = url + "figures/hero.svg"
        svg = _wait_for_change(svg_url, b"")
        warm = _workers(process.pid)
        assert warm, "the first build left no workers for the next"

        _edit(project_copy / "figures" / "hero.py", "linewidth=3.4", "linewidth=2.9")
        svg = _wait_for_change(svg_url, svg)
        assert b"2.9" in svg
        assert _workers(process.pid) == warm  # drawn by the same, warm, workers

        style = project_copy / "kl" / "build" / "style.py"
        _edit(style, 'SVG_HASH_SALT = "', 'SVG_HASH_SALT = "edited-')
        _wait_for_change(svg_url, svg)
        restarted = _workers(process.pid)
        assert restarted and not restarted & warm  # new workers for the new figure code
