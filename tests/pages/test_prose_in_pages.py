"""The words a reader sees live in the pages: `kl` computes numbers and facts, not sentences."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sitebuild import ROOT

MOST_PROSE_LITERALS = 10  # at most this many in kl/ (there were 72)
WORDS = 8
# Tags with their attributes, and link targets, are markup, not words a reader reads.
MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|\{[^}]*\}")


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstrings: every string that stands alone as a statement (the docstrings
    of modules, classes and functions, and those written under an assignment)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _exempt(tree: ast.Module) -> set[int]:
    """ids of every node inside a `raise`, a logging/warning call or an error constructor."""
    found: set[int] = set()
    for node in ast.walk(tree):
        exempt = isinstance(node, ast.Raise)
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            exempt = bool(
                re.search(r"(^|\.)(log|logger|logging|warnings)\.|Error$|Exception$|warn", name)
            )
        if exempt:
            found.update(id(child) for child in ast.walk(node))
    return found


def prose_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each string literal of WORDS or more words in a module, outside
    docstrings, raise statements and logging or warning calls (f-strings count by their
    literal parts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _exempt(tree)
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant) else " X " for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        words = re.findall(r"[A-Za-z]{2,}", MARKUP.sub(" ", text))
        if len(words) >= WORDS:
            yield node.lineno, text


def test_kl_holds_almost_no_prose() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for path in sorted((ROOT / "kl").rglob("*.py"))
        for line, text in prose_literals(path)
    ]
    assert len(found) <= MOST_PROSE_LITERALS, "\n".join(found)


def test_the_counter_finds_prose_and_skips_docstrings_and_errors(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""A docstring with more than eight words in it, which is fine."""\n'
        "def f(x):\n"
        '    """Another docstring with more than eight words in it, fine too."""\n'
        "    if x:\n"
        '        raise ValueError(f"this message has more than eight words in it {x}")\n'
        '    return f"Here the two directions differ by only {x} bits, because P and Q"\n'
    )
    assert [line for line, _ in prose_literals(module)] == [6]


PAGES = ("index.md", "formulas.md", "explorer.md", "gallery.md")
# What a page may write in digits: its numbered lists, and constants of the mathematics
# written in words ("base-2 logarithms", "ln 2 nats"); everything else comes from `kl`.
ALLOWED_DIGITS = re.compile(r"^\s*\d+\. |\b[Bb]ase-2\b|\bln 2\b|\b[01]\b(?![.,]\d)", re.M)


def _prose(page: str) -> str:
    """A page's text with its formulas, template expressions, links, attribute lists, tags,
    front matter and title taken out: the words an author typed."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^# .*$", "", text, flags=re.M)  # the lecture's title, "Lecture 34: ..."
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", "", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|\{[^}\n]*\}|<[^>]*>", "", text)
    return ALLOWED_DIGITS.sub("", text)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_types_a_number_by_hand(page: str) -> None:
    assert re.findall(r".{0,30}\d.{0,10}", _prose(page)) == []


def test_the_lecture_shows_every_figure_and_table() -> None:
    from kl.build.gallery import discover_figures
    from kl.build.templating import figures_named
    from kl.lecture.data import load_lecture_data
    from kl.lecture.sections import lecture_tables

    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    figures = {spec.id for spec in discover_figures(ROOT / "figures")}
    assert set(figures_named(text)) == figures
    tables = set(lecture_tables(load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")))
    shown = set(re.findall(r"""\{\{\s*table\(\s*["']([\w-]+)["']""", text))
    assert shown == tables
