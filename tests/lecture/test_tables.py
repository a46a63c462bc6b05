"""Tests for kl.lecture.tables: Markdown tables and CSV from computed cells, and names that stay
text whatever characters they hold."""

from __future__ import annotations

import csv
import html
import io

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kl.lecture.tables import Label, Table, WordsError, as_text, bold, plain
from tests.strategies import NAME_ALPHABET

names = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=40)


@given(names)
def test_text_is_shown_as_written_in_a_markdown_page(name: str) -> None:
    escaped = as_text(name)
    assert html.unescape(escaped) == name == plain(escaped)
    page = markdown.markdown(f"Its name is {escaped}.")
    assert html.unescape(page) == f"<p>Its name is {name}.</p>"


def test_a_line_that_would_start_a_list_is_escaped() -> None:
    assert as_text("- a") == "&#45; a" and as_text("1. x") == "&#49;&#46; x"


def test_a_markdown_table_aligns_names_left_and_numbers_right() -> None:
    table = Table(headers=["Animal", "p"], rows=[["R|D", "0.5"], [bold("Total"), "1"]])
    assert table.to_markdown().splitlines() == [
        "| Animal | p |",
        "| :-- | --: |",
        "| R&#124;D | 0.5 |",
        "| **Total** | 1 |",
    ]
    centred = Table(headers=["a"], rows=[["x"]], align=["c"]).to_markdown()
    assert centred.splitlines()[1] == "| :-: |"


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells, the header has 2"):
        Table(headers=["a", "b"], rows=[["1", "2"], ["3"]]).to_markdown()


@given(st.lists(st.tuples(names, names), min_size=1, max_size=5))
def test_the_csv_holds_each_cell_as_written(rows: list[tuple[str, str]]) -> None:
    table = Table(headers=["name", "value"], rows=[list(row) for row in rows])
    text = table.to_csv()
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["name", "value"], *map(list, rows)]


def test_a_bold_cell_keeps_its_text_as_text() -> None:
    assert bold("R&D <b>") == "**R&#38;D &#60;b&#62;**"
    assert Table(headers=["a"], rows=[[bold("R&D")]]).to_csv() == "a\r\n**R&D**\r\n"


def test_a_label_takes_the_pages_words_as_text_or_from_a_macro_of_its_data() -> None:
    table = Table(
        headers=[Label("animal"), "p"],
        rows=[[Label("after", {"step": 3}), "0.5"], [Label("total", bold=True), "1"]],
        optional=["start", "total"],
    )
    assert table.label_keys() == ["animal", "after", "total", "start"]
    worded = table.worded(
        {"animal": "Animal, named", "after": lambda step: f"Q after\n  {step} steps", "total": "Σ"}
    )
    assert worded.headers == ["Animal, named", "p"]
    assert worded.rows == [["Q after 3 steps", "0.5"], [bold("Σ"), "1"]]
    assert worded.to_csv() == '"Animal, named",p\r\nQ after 3 steps,0.5\r\n**Σ**,1\r\n'


def test_without_the_pages_words_a_label_shows_its_key() -> None:
    table = Table(headers=[Label("kl_bits")], rows=[[Label("after", {"step": 3})]])
    lines = table.to_markdown().splitlines()[::2]
    assert [plain(line) for line in lines] == ["| kl_bits |", "| after(step=3) |"]


def test_words_that_do_not_fit_their_label_are_refused() -> None:
    with pytest.raises(WordsError, match="the words for 'after' say something of step"):
        Label("after", {"step": 3}).worded("Q after some steps")
    with pytest.raises(WordsError, match="the words for 'total' must be text, not 1"):
        Label("total").worded(1)
    with pytest.raises(ValueError, match="must be an identifier, not 'two words'"):
        Label("two words")
