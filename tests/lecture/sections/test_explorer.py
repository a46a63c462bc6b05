"""kl.lecture.sections.explorer: the explorer page starts from the data file's forest."""

from __future__ import annotations

import json

from kl.lecture.data import LectureData
from kl.lecture.sections import explorer
from tests.lecture_data import with_forest


def test_the_start_is_the_forest_in_the_data_files_order(data: LectureData) -> None:
    p = {"Squirrel": 0.1, "<b>Fox</b>": 0.2, "Deer": 0.7}
    q = {"Squirrel": 0.3, "<b>Fox</b>": 0.3, "Deer": 0.4}
    start = explorer.start(with_forest(data, p, q))
    assert start == {"names": list(p), "p": list(p.values()), "q": list(q.values())}


def test_the_probabilities_keep_every_digit_through_json(data: LectureData) -> None:
    third = 1 / 3
    changed = with_forest(data, {"a": third, "b": 1 - third}, {"a": 0.5, "b": 0.5})
    assert json.loads(json.dumps(explorer.start(changed)))["p"] == [third, 1 - third]


def test_the_start_is_the_sections_one_value_and_it_has_no_table(data: LectureData) -> None:
    assert explorer.values(data) == {"explorer.start": explorer.start(data)}
    assert explorer.tables(data) == {}
