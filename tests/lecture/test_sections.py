"""kl.lecture.sections: every value and table of the lecture, named once, reading without NaN for
other data."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from kl.lecture.data import LectureData
from kl.lecture.sections import (
    coding_intuition,
    cross_entropy_decomposition,
    lecture_tables,
    lecture_values,
    zero_to_infinity,
)
from kl.lecture.values import Number
from tests.lecture_data import OTHER_FORESTS, other_forest, with_forest

LEAKED = re.compile(r"\b(nan|inf)\b", re.I)
# Names of the mathematics a computed cell may write, as in KL(P‖Q), log₂ p(x) and ln.
MATH_NAMES = {"KL", "log", "ln"}


def _four_animals(data: LectureData) -> LectureData:
    return with_forest(
        data,
        {"Squirrel": 0.5, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.1},
        {"Squirrel": 0.4, "Rabbit": 0.3, "Deer": 0.1, "Fox": 0.2},
    )


def test_names_are_unique_across_the_lecture(data: LectureData) -> None:
    values, tables = lecture_values(data), lecture_tables(data)
    for module in (coding_intuition, zero_to_infinity, cross_entropy_decomposition):
        assert module.values(data).keys() <= values.keys()
        assert module.tables(data).keys() <= tables.keys()


@pytest.mark.parametrize("case", [*OTHER_FORESTS, "four animals"])
def test_every_value_and_table_reads_without_nan_for_other_data(
    data: LectureData, case: str
) -> None:
    """Value.text() refuses NaN, so formatting every number proves none is NaN; no text or
    table cell may spell a number as "nan" or "inf" (the page writes ∞)."""
    changed = _four_animals(data) if case == "four animals" else other_forest(data, case)

    def check(name: str, value: object) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                check(f"{name}.{key}", item)
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                check(f"{name}.{i}", item)
        elif isinstance(value, Number):
            assert not LEAKED.search(value.text()), (name, value.text())
        elif isinstance(value, str):
            assert not LEAKED.search(value), (name, value)

    for name, value in lecture_values(changed).items():
        check(name, value)
    for name, table in lecture_tables(changed).items():
        assert not LEAKED.search(table.to_markdown()), name


@pytest.mark.parametrize("case", ["default", *OTHER_FORESTS, "four animals"])
def test_no_table_cell_kl_computes_holds_a_word(data: LectureData, case: str) -> None:
    """Every header and label in words is the page's (a `Label`): what `kl` puts in a table
    cell is numbers, symbols of the mathematics and names from the data."""
    changed = {"default": data, "four animals": _four_animals(data)}.get(case)
    changed = changed or other_forest(data, case)
    names = sorted(changed.forest.outcomes, key=len, reverse=True)
    found = []
    for name, table in lecture_tables(changed).items():
        for cell in [*table.headers, *(c for row in table.rows for c in row)]:
            if isinstance(cell, str):
                text = re.sub("|".join(map(re.escape, names)), " ", cell)
                words = set(re.findall(r"[A-Za-z]{2,}", text)) - MATH_NAMES
                found += [f"{name}: {cell!r}"] if words else []
    assert found == []
