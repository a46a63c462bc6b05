from __future__ import annotations

from pathlib import Path

import pytest

from kl.errors import DataError
from kl.lecture.data import load_lecture_data, parse_lecture_data
from tests.sitebuild import ROOT

GOOD = (ROOT / "docs" / "data" / "lecture.toml").read_text()
SOURCE = Path("docs/data/lecture.toml")


def test_the_shipped_data_file_is_valid() -> None:
    data = load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")
    assert data.forest.outcomes == list(data.forest.q)
    assert abs(sum(data.forest.p.values()) - 1) < 1e-9


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (_edit("Squirrel = 0.6", "Squirrel = -0.6"), r"\[forest\.p\.Squirrel\] must be at least 0"),
        (_edit("Squirrel = 0.6", "Squirrel = 0.7"), r"\[forest\.p\] probabilities sum to 1\.1"),
        (_edit("Squirrel = 0.6", 'Squirrel = "0.6"'), r"\[forest\.p\.Squirrel\] must be a number"),
        (_edit("[forest.q]", "[forest.qq]"), r"\[forest\.q\] is missing \(found 'qq'"),
        (
            _edit("Deer = 0.1\n", "Deer = 0.1\nFox = 0.0\n"),
            r"\[forest\.q\] lacks outcome\(s\) \['Fox'\]",
        ),
        (_edit("sd = 1.0", "sd = 0.0"), r"\[curves\.p\.sd\] is a standard deviation"),
        (
            _edit("sd = 1.0", "sd = 1.0\nmaen = 1"),
            r"\[curves\.p\.maen\] is not a known field \(did you mean 'mean'",
        ),
        ("forest = [", r"not valid TOML"),
    ],
)
def test_bad_data_names_file_key_and_problem(text: str, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern) as info:
        parse_lecture_data(text, SOURCE)
    assert str(info.value).startswith(str(SOURCE))


def test_zero_probability_in_q_is_allowed() -> None:
    text = _edit(
        "[forest.q]\nSquirrel = 0.5\nRabbit = 0.4\nDeer = 0.1",
        "[forest.q]\nSquirrel = 0.6\nRabbit = 0.4\nDeer = 0.0",
    )
    assert parse_lecture_data(text, SOURCE).forest.q["Deer"] == 0.0


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing\.toml: cannot read"):
        load_lecture_data(tmp_path / "missing.toml")


def test_too_few_outcomes_or_a_certain_p_is_a_clear_error() -> None:
    two = _edit("Deer = 0.1\n\n[forest.q]", "\n[forest.q]").replace(
        "Squirrel = 0.6", "Squirrel = 0.7"
    )
    two = two.replace("Rabbit = 0.4\nDeer = 0.1", "Rabbit = 0.5")
    with pytest.raises(
        DataError, match=r"\[forest\.p\] lists 2 outcome\(s\); the lecture needs at least 3"
    ):
        parse_lecture_data(two, SOURCE)
    certain = _edit(
        "Squirrel = 0.6\nRabbit = 0.3\nDeer = 0.1", "Squirrel = 1.0\nRabbit = 0.0\nDeer = 0.0"
    )
    with pytest.raises(
        DataError, match=r"\[forest\.p\] must give a positive probability to at least two"
    ):
        parse_lecture_data(certain, SOURCE)
