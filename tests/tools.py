"""System tools that some tests need: Debian's chromium and firefox-esr, Java (for the
HTML validator), faketime and the npm packages of .ci/.

`scripts/install-test-tools` installs them (the README's test command runs it first);
the tests never install anything. A test whose tool is missing fails with that command.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest

INSTALL = "scripts/install-test-tools"


@functools.cache
def require_command(name: str) -> str:
    """The path of command ``name``; fails the test, naming the install script, if missing."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run {INSTALL}")
    return found


@functools.cache
def require_npm_packages(folder: Path) -> Path:
    """``folder``/node_modules; fails the test, naming the install script, if it lacks a
    package ``folder``/package.json names."""
    modules = folder / "node_modules"
    manifest = json.loads((folder / "package.json").read_text())
    wanted = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    missing = sorted(name for name in wanted if not (modules / name / "package.json").is_file())
    if missing:
        pytest.fail(f"npm packages {', '.join(missing)} are missing from {modules}: run {INSTALL}")
    return modules
