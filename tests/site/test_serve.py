"""`mkdocs serve` picks up edits to the data file, a figure module and `kl` itself, live."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
        yield project_copy, f"http://127.0.0.1:{port}/"
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

    _edit(root / "kl" / "lecture" / "sections" / "forest.py", '"Animal"', '"Creature (edited)"')
    _wait_for(url, "Creature (edited)")
