"""Load and validate the lecture's example data (``docs/data/lecture.toml``).

The file is the one place the example numbers are written. Every problem raises
`kl.DataError` with a message that names the file, the key and what is wrong.
"""

from __future__ import annotations

import difflib
import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kl.errors import DataError

SUM_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Forest:
    """The forest example: the true distribution P and the model's belief Q over the animals."""

    p: dict[str, float]
    q: dict[str, float]

    @property
    def outcomes(self) -> list[str]:
        return list(self.p)


@dataclass(frozen=True)
class Normal:
    """A univariate normal distribution N(mean, sd^2); sd is a standard deviation (> 0)."""

    mean: float
    sd: float


@dataclass(frozen=True)
class Curves:
    """The infographic's continuous curves: the truth P, a close fit and a poor fit."""

    p: Normal
    good: Normal
    poor: Normal


@dataclass(frozen=True)
class CodingExperiment:
    """The extra-bits experiment: draw n symbols from P for each n, ``repeats`` times;
    and the block sizes (animals per codeword) of the Huffman block codes."""

    seed: int
    sample_sizes: tuple[int, ...]
    repeats: int
    block_sizes: tuple[int, ...]


@dataclass(frozen=True)
class Extremes:
    """From zero to infinity: the points t (strictly between 0 and 1, increasing) of the
    path from P to a belief that rules out P's rarest animal, shown besides t = 0 and 1."""

    path_steps: tuple[float, ...]


@dataclass(frozen=True)
class Asymmetry:
    """Not a distance: the dramatic pair raises P's probabilities to ``sharpening``."""

    sharpening: float


@dataclass(frozen=True)
class Exercises:
    """The exercises' own numbers: the message length (animals) and how many times closer
    to P the improved model is."""

    message_length: int
    closer_factor: float


@dataclass(frozen=True)
class Fitting:
    """Forward vs reverse KL: P is an equal mixture of two unit-variance normals
    ``separation`` apart; one normal Q is fitted to it."""

    separation: float


@dataclass(frozen=True)
class Learning:
    """The learning demo: Q's logits follow gradient descent on KL(P||Q) from uniform;
    ``snapshot_steps`` (each between 1 and ``steps``) are shown besides the start and end."""

    steps: int
    learning_rate: float
    snapshot_steps: tuple[int, ...]


@dataclass(frozen=True)
class LectureData:
    """Everything in the data file, validated."""

    source: Path
    forest: Forest
    curves: Curves
    coding: CodingExperiment
    extremes: Extremes
    asymmetry: Asymmetry
    fitting: Fitting
    learning: Learning
    exercises: Exercises
    raw: Mapping[str, Any]


class TableReader:
    """Typed, strict access to one TOML table; errors name the file and the dotted key."""

    def __init__(self, source: Path, table: Mapping[str, Any], prefix: str = "") -> None:
        self.source = source
        self.table = table
        self.prefix = prefix
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> DataError:
        return DataError(f"{self.source}: [{self.key(name)}] {problem}")

    def get(self, name: str) -> Any:
        self.used.add(name)
        if name not in self.table:
            raise self.fail(name, "is missing" + self.suggest(name))
        return self.table[name]

    def suggest(self, name: str) -> str:
        close = difflib.get_close_matches(name, [str(k) for k in self.table], n=1)
        return f" (found {close[0]!r}: a misspelling?)" if close else ""

    def sub(self, name: str) -> TableReader:
        value = self.get(name)
        if not isinstance(value, Mapping):
            raise self.fail(name, f"must be a table, got {type(value).__name__} {value!r}")
        return TableReader(self.source, value, f"{self.key(name)}.")

    def number(self, name: str, *, minimum: float | None = None) -> float:
        value = self.get(name)
        return self.as_number(name, value, minimum=minimum)

    def as_number(self, name: str, value: Any, *, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, got {type(value).__name__} {value!r}")
        x = float(value)
        if not math.isfinite(x):
            raise self.fail(name, f"must be finite, got {value!r}")
        if minimum is not None and x < minimum:
            raise self.fail(name, f"must be at least {minimum:g}, got {value!r}")
        return x

    def integer(self, name: str, *, minimum: int) -> int:
        value = self.get(name)
        return self.as_integer(name, value, minimum=minimum)

    def as_integer(self, name: str, value: Any, *, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number, got {type(value).__name__} {value!r}")
        if value < minimum:
            raise self.fail(name, f"must be at least {minimum}, got {value!r}")
        return value

    def fractions(self, name: str) -> tuple[float, ...]:
        """A non-empty, strictly increasing list of numbers strictly between 0 and 1."""
        value = self.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"must be a non-empty list of numbers, got {value!r}")
        items = tuple(self.as_number(f"{name}[{i}]", v) for i, v in enumerate(value))
        if any(not 0 < x < 1 for x in items):
            raise self.fail(name, f"must lie strictly between 0 and 1, got {list(items)}")
        if any(b <= a for a, b in itertools.pairwise(items)):
            raise self.fail(name, f"must be in increasing order, got {list(items)}")
        return items

    def integers(self, name: str, *, minimum: int) -> tuple[int, ...]:
        """A non-empty, strictly increasing list of whole numbers, each >= ``minimum``."""
        value = self.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"must be a non-empty list of whole numbers, got {value!r}")
        items = tuple(
            self.as_integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value)
        )
        if any(b <= a for a, b in itertools.pairwise(items)):
            raise self.fail(name, f"must be in increasing order, got {list(items)}")
        return items

    def distribution(self, name: str) -> dict[str, float]:
        """A table of outcome = probability, each in [0, 1], summing to 1 within 1e-9."""
        table = self.sub(name)
        if not table.table:
            raise self.fail(name, "is empty; list each outcome with its probability")
        probs = {}
        for outcome, value in table.table.items():
            x = table.as_number(outcome, value, minimum=0.0)
            if x > 1:
                raise table.fail(outcome, f"is a probability and must be at most 1, got {value!r}")
            probs[str(outcome)] = x
            table.used.add(outcome)
        total = math.fsum(probs.values())
        if abs(total - 1) > SUM_TOLERANCE:
            raise self.fail(name, f"probabilities sum to {total:.12g}, not 1")
        return probs

    def normal(self, name: str) -> Normal:
        """A table with ``mean`` (any finite number) and ``sd`` (a positive number)."""
        table = self.sub(name)
        mean = table.number("mean")
        sd = table.number("sd")
        if sd <= 0:
            raise table.fail("sd", f"is a standard deviation and must be positive, got {sd!r}")
        table.reject_unknown()
        return Normal(mean, sd)

    def reject_unknown(self) -> None:
        for name in self.table:
            if name not in self.used:
                close = difflib.get_close_matches(str(name), sorted(self.used), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(str(name), f"is not a known field{hint}")


def _same_outcomes(reader: TableReader, p: dict[str, float], q: dict[str, float]) -> None:
    only_p = [k for k in p if k not in q]
    only_q = [k for k in q if k not in p]
    if only_p:
        raise reader.fail("q", f"lacks outcome(s) {only_p} that p has (write 0 for impossible)")
    if only_q:
        raise reader.fail("p", f"lacks outcome(s) {only_q} that q has (write 0 for impossible)")


MIN_OUTCOMES = 3


def _enough_outcomes(reader: TableReader, p: dict[str, float]) -> None:
    """The lecture draws the simplex of three outcomes and compares likely with rare ones."""
    if len(p) < MIN_OUTCOMES:
        raise reader.fail(
            "p", f"lists {len(p)} outcome(s); the lecture needs at least {MIN_OUTCOMES}"
        )
    if sum(1 for x in p.values() if x > 0) < 2:
        raise reader.fail("p", "must give a positive probability to at least two outcomes")


def parse_lecture_data(text: str, source: Path) -> LectureData:
    """Validate the TOML text of a lecture data file; ``source`` is used in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: not valid TOML: {exc}") from None
    root = TableReader(source, raw)
    forest_table = root.sub("forest")
    p = forest_table.distribution("p")
    q = forest_table.distribution("q")
    _same_outcomes(forest_table, p, q)
    _enough_outcomes(forest_table, p)
    forest_table.reject_unknown()
    curves_table = root.sub("curves")
    curves = Curves(
        p=curves_table.normal("p"),
        good=curves_table.normal("good"),
        poor=curves_table.normal("poor"),
    )
    curves_table.reject_unknown()
    coding_table = root.sub("coding")
    coding = CodingExperiment(
        seed=coding_table.integer("seed", minimum=0),
        sample_sizes=coding_table.integers("sample_sizes", minimum=1),
        repeats=coding_table.integer("repeats", minimum=1),
        block_sizes=coding_table.integers("block_sizes", minimum=1),
    )
    coding_table.reject_unknown()
    extremes_table = root.sub("extremes")
    extremes = Extremes(path_steps=extremes_table.fractions("path_steps"))
    extremes_table.reject_unknown()
    asymmetry_table = root.sub("asymmetry")
    asymmetry = Asymmetry(sharpening=asymmetry_table.number("sharpening", minimum=1.0))
    if asymmetry.sharpening == 1:
        raise asymmetry_table.fail("sharpening", "must be more than 1 (1 gives N = P)")
    asymmetry_table.reject_unknown()
    fitting_table = root.sub("fitting")
    fitting = Fitting(separation=fitting_table.number("separation", minimum=0.0))
    fitting_table.reject_unknown()
    learning_table = root.sub("learning")
    learning = Learning(
        steps=learning_table.integer("steps", minimum=1),
        learning_rate=learning_table.number("learning_rate", minimum=0.0),
        snapshot_steps=learning_table.integers("snapshot_steps", minimum=1),
    )
    if learning.snapshot_steps[-1] >= learning.steps:
        raise learning_table.fail(
            "snapshot_steps", f"must all be fewer than steps ({learning.steps})"
        )
    learning_table.reject_unknown()
    exercises_table = root.sub("exercises")
    exercises = Exercises(
        message_length=exercises_table.integer("message_length", minimum=1),
        closer_factor=exercises_table.number("closer_factor", minimum=1.0),
    )
    if exercises.closer_factor == 1:
        raise exercises_table.fail("closer_factor", "must be more than 1 (1 leaves Q as it is)")
    exercises_table.reject_unknown()
    root.reject_unknown()
    return LectureData(
        source=source,
        forest=Forest(p=p, q=q),
        curves=curves,
        coding=coding,
        extremes=extremes,
        asymmetry=asymmetry,
        fitting=fitting,
        learning=learning,
        exercises=exercises,
        raw=raw,
    )


def load_lecture_data(path: Path) -> LectureData:
    """Read and validate a lecture data file; raises DataError naming the file on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read the data file ({exc.strerror})") from None
    return parse_lecture_data(text, path)
