"""Every knob of the data file has a documented range, checked up front with one clear
line; anywhere in that range (at its corners, and with 12 animals of 40-character names)
the lecture's values and tables are computed, and the work they take stays bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kl.errors import DataError
from kl.lecture.data import (
    MAX_NAME_LENGTH,
    MAX_OUTCOMES,
    load_lecture_data,
    parse_lecture_data,
)
from kl.lecture.data import TAIL_SDS as DATA_TAIL_SDS
from kl.lecture.sections import coding_intuition, continuous, lecture_tables, lecture_values
from kl.measures.block_codes import MAX_BLOCK_CODEWORDS
from tests.sitebuild import ROOT

GOOD = (ROOT / "docs" / "data" / "lecture.toml").read_text()
SOURCE = Path("docs/data/lecture.toml")


def with_value(table: str, key: str, value: str) -> str:
    """The shipped data with ``key = value`` in ``[table]`` (the first such key after it)."""
    start = GOOD.index(f"[{table}]\n")
    line = re.compile(rf"^{key} = .*$", re.M).search(GOOD, start)
    assert line, f"{key} not in [{table}]"
    return GOOD[: line.start()] + f"{key} = {value}" + GOOD[line.end() :]


# (table, key, just below its range, just above it)
OUT_OF_RANGE = [
    ("curves.p", "mean", "-10.5", "10.5"),
    ("curves.poor", "sd", "0.09", "10.5"),
    ("coding", "seed", "-1", "4294967296"),
    ("coding", "repeats", "0", "1000000000"),
    ("coding", "sample_sizes", "[0]", "[1, 1000000000001]"),
    ("fitting", "separation", "-0.5", "10.5"),
    ("learning", "steps", "0", "1001"),
    ("learning", "learning_rate", "0.0", "4.0"),
]
# Each knob at an end of its range, the others as shipped. (A curve's sd at its ends is
# valid only where the curves still overlap: see the next test.)
CORNERS = [
    ("curves.p", "mean", "-10.0"),
    ("curves.good", "mean", "10.0"),
    ("curves.p", "sd", "0.1"),
    ("curves.poor", "sd", "10.0"),
    ("coding", "seed", "0"),
    ("coding", "seed", "4294967295"),
    ("coding", "repeats", "1"),
    ("coding", "repeats", "10000"),
    ("coding", "sample_sizes", "[1]"),
    ("coding", "sample_sizes", f"[{', '.join(str(10**k) for k in range(1, 13))}]"),
    ("fitting", "separation", "0.0"),
    ("fitting", "separation", "10.0"),
    ("learning", "steps", "1"),
    ("learning", "steps", "1000"),
    ("learning", "learning_rate", "0.001"),
    ("learning", "learning_rate", "3.99"),
]


@pytest.mark.parametrize(
    ("table", "key", "bad"),
    [(t, k, v) for t, k, below, above in OUT_OF_RANGE for v in (below, above)],
)
def test_a_knob_out_of_its_range_is_one_clear_line(table: str, key: str, bad: str) -> None:
    with pytest.raises(DataError) as info:
        parse_lecture_data(with_value(table, key, bad), SOURCE)
    message = str(info.value)
    assert message.startswith(f"{SOURCE}: [{table}.{key}") and "\n" not in message
    assert re.search(r"at least|at most|above|below", message), message


def test_twenty_one_sample_sizes_are_too_many() -> None:
    sizes = ", ".join(str(10 * n) for n in range(1, 22))
    with pytest.raises(DataError, match=r"\[coding\.sample_sizes\] lists 21 numbers; at most 20"):
        parse_lecture_data(with_value("coding", "sample_sizes", f"[{sizes}]"), SOURCE)


def test_an_approximation_too_narrow_for_the_numeric_integral_is_one_clear_line() -> None:
    """Its density would underflow to 0 where P's does not: an infinite numeric KL."""
    with pytest.raises(DataError, match=r"\[curves\.good\] is too narrow or too far from P"):
        parse_lecture_data(with_value("curves.good", "sd", "0.3"), SOURCE)
    assert DATA_TAIL_SDS == continuous.TAIL_SDS  # the check integrates where the lecture does


@pytest.mark.parametrize(("table", "key", "value"), CORNERS)
def test_the_lecture_is_computed_at_each_end_of_the_ranges(
    table: str, key: str, value: str
) -> None:
    data = parse_lecture_data(with_value(table, key, value), SOURCE)
    values, tables = lecture_values(data), lecture_tables(data)
    assert values and tables


def forest_text(names: list[str]) -> str:
    """The shipped data with P uniform and Q rising over the animals ``names``."""
    n = len(names)
    p = [1 / n] * (n - 1) + [1 - (n - 1) / n]
    weights = [i + 1 for i in range(n)]
    q = [w / sum(weights) for w in weights[:-1]]
    q.append(1 - sum(q))

    def table(probs: list[float]) -> str:
        return "\n".join(f'"{a}" = {x!r}' for a, x in zip(names, probs, strict=True)) + "\n\n"

    text = re.sub(r"(\[forest\.p\]\n).*?\n\n", lambda m: m.group(1) + table(p), GOOD, flags=re.S)
    return re.sub(r"(\[forest\.q\]\n).*?\n\n", lambda m: m.group(1) + table(q), text, flags=re.S)


def long_names(n: int, length: int = MAX_NAME_LENGTH) -> list[str]:
    return [f"Animal {i:02d} ".ljust(length, "x") for i in range(n)]


def test_twelve_animals_with_long_names_are_computed_with_bounded_block_codes() -> None:
    data = parse_lecture_data(forest_text(long_names(MAX_OUTCOMES)), SOURCE)
    assert len(data.forest.p) == MAX_OUTCOMES >= 12
    blocks = coding_intuition.block_summaries(data)
    assert [k for k, _ in blocks] == [1, 2]  # 12**3 codewords would be more than allowed
    assert all(len(s.outcomes) <= MAX_BLOCK_CODEWORDS for _, s in blocks)
    values, tables = lecture_values(data), lecture_tables(data)
    assert values["coding_intuition.block_last"]["k"] == 2
    assert len(tables["coding-blocks"].rows) == 3


def test_the_shipped_three_animals_keep_blocks_of_one_to_six() -> None:
    data = load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")
    assert [k for k, _ in coding_intuition.block_summaries(data)] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("names", "pattern"),
    [
        (long_names(MAX_OUTCOMES + 1), r"\[forest\.p\] lists 13 outcomes; .* at most 12"),
        (
            [*long_names(2), "A" * (MAX_NAME_LENGTH + 1)],
            r"\[forest\.p\] outcome name 'A+' has 41 characters; at most 40",
        ),
        ([*long_names(2), " "], r"\[forest\.p\] has an outcome with a blank name"),
    ],
    ids=["13 animals", "41 characters", "blank"],
)
def test_too_many_animals_or_too_long_a_name_is_one_clear_line(
    names: list[str], pattern: str
) -> None:
    with pytest.raises(DataError, match=pattern):
        parse_lecture_data(forest_text(names), SOURCE)


def test_a_key_given_twice_is_named() -> None:
    text = GOOD.replace("Rabbit = 0.3\n", "Rabbit = 0.3\nRabbit = 0.3\n", 1)
    line = text.splitlines().index("Rabbit = 0.3") + 2
    with pytest.raises(DataError) as info:
        parse_lecture_data(text, SOURCE)
    assert str(info.value) == f"{SOURCE}: [forest.p.Rabbit] is given twice (line {line})"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "lecture.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_lecture_data(path).forest.p == parse_lecture_data(GOOD, SOURCE).forest.p


def test_block_sizes_that_all_exceed_the_codeword_budget_are_named() -> None:
    """Three animals fit blocks up to 6 (729 codewords); blocks of 7 and 8 alone leave the
    coding_intuition section with no block code to show."""
    with pytest.raises(DataError) as caught:
        parse_lecture_data(with_value("coding", "block_sizes", "[7, 8]"), SOURCE)
    message = str(caught.value)
    assert message.startswith(f"{SOURCE}: [coding.block_sizes] has no block")
    assert "up to k = 6" in message and "\n" not in message
    fits = parse_lecture_data(with_value("coding", "block_sizes", "[6, 7]"), SOURCE)
    assert coding_intuition.values(fits)["coding_intuition.block_last"]["k"] == 6  # type: ignore[index]
