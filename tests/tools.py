"""System tools that some tests need, installed on first use.

So that the README's test command works on a fresh machine: a test that needs Debian's
chromium, Java (for the HTML validator), faketime or the npm audit tools asks for them
here; what is missing is installed with apt-get (as root) or `npm ci`, once per session.
Where that is impossible the test fails with the command that would fix it; nothing is
skipped.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PACKAGES = {
    "chromium": "chromium",
    "java": "default-jre-headless",
    "faketime": "faketime",
    "firefox-esr": "firefox-esr",
    "npm": "npm",
}


@functools.cache
def _apt_updated() -> None:
    subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)


def _apt_install(package: str) -> str | None:
    """Install a Debian package; the reason it could not be, or None on success."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "this is not a Debian machine where the tests run as root"
    try:
        _apt_updated()
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", package],
            check=True,
            capture_output=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    except subprocess.CalledProcessError as exc:
        return f"apt-get failed: {exc.stderr.decode(errors='replace').strip()[-500:]}"
    return None


@functools.cache
def require_command(name: str) -> str:
    """The path of command ``name``, installing its Debian package if it is missing."""
    found = shutil.which(name)
    if found is None:
        package = DEBIAN_PACKAGES[name]
        problem = _apt_install(package)
        found = shutil.which(name)
        if found is None:
            pytest.fail(
                f"{name} is missing and could not be installed ({problem}): "
                f"run `apt-get install {package}` (or `bash .ci/run`)"
            )
    return found


@functools.cache
def require_npm_packages(folder: Path) -> Path:
    """``folder``/node_modules, installed from its package-lock.json with `npm ci` if absent
    or if it lacks a package ``folder``/package.json names."""
    modules = folder / "node_modules"
    manifest = json.loads((folder / "package.json").read_text())
    wanted = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    if not all((modules / name / "package.json").is_file() for name in wanted):
        npm = require_command("npm")
        result = subprocess.run(
            [npm, "ci", "--prefix", str(folder), "--ignore-scripts", "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"`npm ci --prefix {folder}` failed:\n{result.stderr[-2000:]}")
    return modules
