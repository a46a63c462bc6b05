"""Tests for kl.build.gallery: what a figure module declares is read without running it, and a
broken declaration is named by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kl.build.gallery import discover_figures, read_figure_spec
from kl.errors import FigureError

MODULE = """\
import this_module_is_never_imported
ID = "my-figure"
TITLE = " A title "
CAPTION = ("KL is {{ forest_example.kl_pq_bits }} bits.")
ALT = "Bars."
SIZE = "tall"
NARROW_SIZE = "3:4"


def draw(fig, ctx):
    raise RuntimeError("never run")
"""


def _module(folder: Path, text: str, name: str = "my_figure.py") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_module_is_read_without_being_run(tmp_path: Path) -> None:
    spec = read_figure_spec(_module(tmp_path, MODULE))
    assert (spec.id, spec.title, spec.size, spec.narrow_size) == (
        "my-figure",
        "A title",
        "tall",
        "3:4",
    )
    assert spec.caption == "KL is {{ forest_example.kl_pq_bits }} bits." and spec.alt == "Bars."
    assert spec.anchor == "fig-my-figure"


def test_size_and_narrow_size_have_defaults(tmp_path: Path) -> None:
    text = MODULE.replace('SIZE = "tall"\n', "").replace('NARROW_SIZE = "3:4"\n', "")
    spec = read_figure_spec(_module(tmp_path, text))
    assert (spec.size, spec.narrow_size) == ("wide", "4:3")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('ALT = "Bars."', "", r"my_figure\.py: declares no ALT"),
        ('TITLE = " A title "', 'TITLE = "  "', r"my_figure\.py: declares no TITLE"),
        ('ID = "my-figure"', 'ID = "My figure"', r"my_figure\.py:2: ID 'My figure' must be"),
        ('ALT = "Bars."', 'ALT = "Bars." + "!"', r"my_figure\.py:5: ALT must be a plain string"),
        ("CAPTION = (", "CAPTION = str(", r"my_figure\.py:4: CAPTION must be a plain string"),
        ('SIZE = "tall"', 'SIZE = "huge"', r"my_figure\.py:6: SIZE must be one of"),
        ('NARROW_SIZE = "3:4"', 'NARROW_SIZE = "9:1"', r"my_figure\.py:7: NARROW_SIZE must be"),
        ("def draw(fig, ctx):", "def drew(fig, ctx):", r"my_figure\.py: defines no draw"),
        ("def draw(fig, ctx):", "def draw(fig, ctx)", r"my_figure\.py:10: syntax error"),
    ],
)
def test_a_broken_declaration_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in MODULE
    with pytest.raises(FigureError, match=message):
        read_figure_spec(_module(tmp_path, MODULE.replace(old, new)))


def test_a_file_that_is_not_utf8_or_missing_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(MODULE.replace("Bars.", "Bärs.").encode("latin-1"))
    with pytest.raises(FigureError, match=r"latin\.py: is not UTF-8 text"):
        read_figure_spec(path)
    with pytest.raises(FigureError, match=r"gone\.py: cannot read"):
        read_figure_spec(tmp_path / "gone.py")


def test_discovery_sorts_by_file_skips_underscores_and_refuses_a_second_id(tmp_path: Path) -> None:
    _module(tmp_path, MODULE.replace('"my-figure"', '"b"'), "b.py")
    _module(tmp_path, MODULE.replace('"my-figure"', '"a"'), "c.py")
    _module(tmp_path, "helpers = 1\n", "_shared.py")
    assert [spec.id for spec in discover_figures(tmp_path)] == ["b", "a"]
    _module(tmp_path, MODULE.replace('"my-figure"', '"b"'), "d.py")
    message = f"d.py: ID 'b' is already used by {tmp_path / 'b.py'}"
    with pytest.raises(FigureError, match=re.escape(message)):
        discover_figures(tmp_path)
