"""The layers' import contract (``[tool.importlinter]`` in pyproject.toml) holds, and breaks
on an import that runs back up a layer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the ``kl`` package under ``root`` with ``root``'s contract."""
    return subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--config", root / "pyproject.toml"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
    )


def test_every_layer_imports_only_the_layers_below_it() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_back_up_a_layer_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kl", tmp_path / "kl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    measure = tmp_path / "kl" / "measures" / "discrete.py"
    measure.write_text(measure.read_text() + "\nimport kl.lecture.data  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "kl.measures.discrete -> kl.lecture.data" in result.stdout
