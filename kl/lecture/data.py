"""Load and validate the lecture's example data (``docs/data/lecture.toml``).

The file is the one place the example numbers are written. Every problem raises
`kl.errors.DataError` with a message that names the file, the key and what is wrong.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kl.errors import DataError
from kl.measures.block_codes import MAX_BLOCK_CODEWORDS, block_sizes

SUM_TOLERANCE = 1e-9
# The range of each knob of the data file (documented there too), checked up front: the
# work the build does grows with them (the coding experiment draws repeats x sizes x
# outcomes counts; the learning demo takes `steps` steps).
MEAN_LIMIT = 10.0  # a curve's mean lies in [-10, 10]
SD_RANGE = (0.1, 10.0)  # and its standard deviation in [0.1, 10]
MAX_SEED = 2**32 - 1
MAX_SAMPLE_SIZE = 10**12
MAX_SAMPLE_SIZES = 20
MAX_REPEATS = 10_000
MAX_SEPARATION = 10.0
MAX_STEPS = 1_000
LEARNING_RATE_LIMIT = 4.0  # see kl.measures.fitting.learn_by_gradient
MAX_SNAPSHOTS = 6  # learning snapshots shown besides the start and the end
MAX_BLOCK_SIZE = 12  # animals per Huffman block (the codeword budget caps it further)
MAX_PATH_STEPS = 10  # points of the zero-to-infinity path shown besides t = 0 and 1
MAX_SHARPENING = 100.0
MAX_MESSAGE_LENGTH = 10**9
MAX_CLOSER_FACTOR = 1000.0


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
    ``snapshot_steps`` (each from 1 to ``steps`` - 1, possibly none) are shown besides the
    start and the end."""

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

    def number(
        self, name: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> float:
        value = self.get(name)
        return self.as_number(name, value, minimum=minimum, maximum=maximum)

    def as_number(
        self, name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, got {type(value).__name__} {value!r}")
        x = float(value)
        if not math.isfinite(x):
            raise self.fail(name, f"must be finite, got {value!r}")
        if minimum is not None and x < minimum:
            raise self.fail(name, f"must be at least {minimum:g}, got {value!r}")
        if maximum is not None and x > maximum:
            raise self.fail(name, f"must be at most {maximum:g}, got {value!r}")
        return x

    def integer(self, name: str, *, minimum: int, maximum: int | None = None) -> int:
        value = self.get(name)
        return self.as_integer(name, value, minimum=minimum, maximum=maximum)

    def as_integer(self, name: str, value: Any, *, minimum: int, maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be a whole number, got {type(value).__name__} {value!r}")
        if value < minimum:
            raise self.fail(name, f"must be at least {minimum}, got {value!r}")
        if maximum is not None and value > maximum:
            raise self.fail(name, f"must be at most {maximum:,}, got {value:,}")
        return value

    def fractions(self, name: str, *, most: int) -> tuple[float, ...]:
        """A strictly increasing list of 1 to ``most`` numbers strictly between 0 and 1."""
        value = self.get(name)
        if not isinstance(value, list) or not value or len(value) > most:
            raise self.fail(name, f"must be a list of 1 to {most} numbers, got {value!r}")
        items = tuple(self.as_number(f"{name}[{i}]", v) for i, v in enumerate(value))
        if any(not 0 < x < 1 for x in items):
            raise self.fail(name, f"must lie strictly between 0 and 1, got {list(items)}")
        if any(b <= a for a, b in itertools.pairwise(items)):
            raise self.fail(name, f"must be in increasing order, got {list(items)}")
        return items

    def integers(self, name: str, *, minimum: int, maximum: int, most: int) -> tuple[int, ...]:
        """A strictly increasing list of 1 to ``most`` whole numbers in [minimum, maximum]."""
        value = self.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"must be a non-empty list of whole numbers, got {value!r}")
        if len(value) > most:
            raise self.fail(name, f"lists {len(value)} numbers; at most {most} are allowed")
        items = tuple(
            self.as_integer(f"{name}[{i}]", v, minimum=minimum, maximum=maximum)
            for i, v in enumerate(value)
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
        """A table with ``mean`` in [-MEAN_LIMIT, MEAN_LIMIT] and ``sd`` in [SD_RANGE]."""
        table = self.sub(name)
        mean = table.number("mean", minimum=-MEAN_LIMIT, maximum=MEAN_LIMIT)
        sd = table.number("sd", maximum=SD_RANGE[1])
        if sd <= 0:
            raise table.fail("sd", f"is a standard deviation and must be positive, got {sd!r}")
        if sd < SD_RANGE[0]:
            raise table.fail("sd", f"must be at least {SD_RANGE[0]:g}, got {sd!r}")
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
# The most outcomes the lecture is laid out for (tables, figure labels), and the longest name.
MAX_OUTCOMES = 12
MAX_NAME_LENGTH = 40


def _enough_outcomes(reader: TableReader, p: dict[str, float]) -> None:
    """The lecture draws the simplex of three outcomes and compares likely with rare ones;
    it has room for at most MAX_OUTCOMES outcomes named in at most MAX_NAME_LENGTH
    characters."""
    if len(p) < MIN_OUTCOMES:
        raise reader.fail(
            "p", f"lists {len(p)} outcome(s); the lecture needs at least {MIN_OUTCOMES}"
        )
    if len(p) > MAX_OUTCOMES:
        raise reader.fail(
            "p", f"lists {len(p)} outcomes; the lecture has room for at most {MAX_OUTCOMES}"
        )
    for name in p:
        if not name.strip():
            raise reader.fail("p", f"has an outcome with a blank name ({name!r})")
        if len(name) > MAX_NAME_LENGTH:
            raise reader.fail(
                "p",
                f"outcome name {name!r} has {len(name)} characters; at most"
                f" {MAX_NAME_LENGTH} fit the tables and figures",
            )
    if sum(1 for x in p.values() if x > 0) < 2:
        raise reader.fail("p", "must give a positive probability to at least two outcomes")


def _some_block_fits(reader: TableReader, sizes: tuple[int, ...], outcomes: int) -> None:
    """The coding section shows at least one block code: some block of ``sizes`` must have
    at most MAX_BLOCK_CODEWORDS codewords (``outcomes`` ** size)."""
    fits = block_sizes(outcomes, MAX_BLOCK_SIZE)
    if not set(sizes) & set(fits):
        raise reader.fail(
            "block_sizes",
            f"has no block the lecture can show: with {outcomes} animals a block of k has"
            f" {outcomes}**k codewords, and only blocks up to k = {fits[-1]} stay within"
            f" {MAX_BLOCK_CODEWORDS:,}; got {list(sizes)}",
        )


BOM = "\ufeff"  # a byte-order mark some editors put first: not part of the TOML
_OVERWRITE = re.compile(r"^Cannot overwrite a value \(at line (\d+), column \d+\)$")
_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")


def _toml_problem(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """What is wrong with TOML ``text``, naming the key where tomllib does not (a key given
    twice in a table: "[forest.p.Rabbit] is given twice (line 12)")."""
    found = _OVERWRITE.match(str(exc))
    if found is None:
        return f"not valid TOML: {exc}"
    number = int(found.group(1))
    lines = text.splitlines()
    key = lines[number - 1].partition("=")[0].strip()
    tables = (_HEADER.match(line) for line in reversed(lines[: number - 1]))
    table = next((m.group(1) for m in tables if m), None)
    return (
        f"[{table}.{key}] is given twice (line {number})"
        if table
        else (f"[{key}] is given twice (line {number})")
    )


# The lecture integrates KL(P||Q) numerically over every curve's mean +- TAIL_SDS standard
# deviations (as kl.lecture.sections.continuous does). Wherever P's density is a positive float
# there (within P_REACH of its standard deviations of its mean), each approximation's
# density must be one too: within Q_REACH of its own standard deviations of its mean.
TAIL_SDS = 12.0
P_REACH = 38.6  # exp(-38.6**2 / 2) < 1e-323: P's density is 0 beyond
Q_REACH = 38.0  # exp(-38**2 / 2) > 1e-314: Q's density is still positive


def _curves_overlap(reader: TableReader, curves: Curves) -> None:
    """Raise DataError if an approximation vanishes (in floating point) where P does not,
    inside the interval the lecture integrates over: its numeric KL would be infinite."""
    normals = (curves.p, curves.good, curves.poor)
    lower = max(
        min(n.mean - TAIL_SDS * n.sd for n in normals), curves.p.mean - P_REACH * curves.p.sd
    )
    upper = min(
        max(n.mean + TAIL_SDS * n.sd for n in normals), curves.p.mean + P_REACH * curves.p.sd
    )
    for name in ("good", "poor"):
        q: Normal = getattr(curves, name)
        reach = max(q.mean - lower, upper - q.mean) / q.sd
        if reach > Q_REACH:
            raise reader.fail(
                name,
                f"is too narrow or too far from P: the lecture integrates KL over"
                f" [{lower:g}, {upper:g}], up to {reach:.0f} of its standard deviations from"
                f" its mean (at most {Q_REACH:g}); widen it or bring the curves closer",
            )


def parse_lecture_data(text: str, source: Path) -> LectureData:
    """Validate the TOML text of a lecture data file (a leading byte-order mark is
    ignored); ``source`` is used in error messages."""
    try:
        raw = tomllib.loads(text.removeprefix(BOM))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: {_toml_problem(text.removeprefix(BOM), exc)}") from None
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
    _curves_overlap(curves_table, curves)
    curves_table.reject_unknown()
    coding_table = root.sub("coding")
    coding = CodingExperiment(
        seed=coding_table.integer("seed", minimum=0, maximum=MAX_SEED),
        sample_sizes=coding_table.integers(
            "sample_sizes", minimum=1, maximum=MAX_SAMPLE_SIZE, most=MAX_SAMPLE_SIZES
        ),
        repeats=coding_table.integer("repeats", minimum=1, maximum=MAX_REPEATS),
        block_sizes=coding_table.integers(
            "block_sizes", minimum=1, maximum=MAX_BLOCK_SIZE, most=MAX_BLOCK_SIZE
        ),
    )
    _some_block_fits(coding_table, coding.block_sizes, len(p))
    coding_table.reject_unknown()
    extremes_table = root.sub("extremes")
    extremes = Extremes(path_steps=extremes_table.fractions("path_steps", most=MAX_PATH_STEPS))
    extremes_table.reject_unknown()
    asymmetry_table = root.sub("asymmetry")
    asymmetry = Asymmetry(
        sharpening=asymmetry_table.number("sharpening", minimum=1.0, maximum=MAX_SHARPENING)
    )
    if asymmetry.sharpening == 1:
        raise asymmetry_table.fail("sharpening", "must be more than 1 (1 gives N = P)")
    asymmetry_table.reject_unknown()
    fitting_table = root.sub("fitting")
    fitting = Fitting(
        separation=fitting_table.number("separation", minimum=0.0, maximum=MAX_SEPARATION)
    )
    fitting_table.reject_unknown()
    learning_table = root.sub("learning")
    learning = Learning(
        steps=learning_table.integer("steps", minimum=1, maximum=MAX_STEPS),
        learning_rate=learning_table.number("learning_rate"),
        snapshot_steps=learning_table.integers(
            "snapshot_steps", minimum=1, maximum=MAX_STEPS, most=MAX_SNAPSHOTS
        ),
    )
    if not 0 < learning.learning_rate < LEARNING_RATE_LIMIT:
        raise learning_table.fail(
            "learning_rate",
            f"must be above 0 and below {LEARNING_RATE_LIMIT:g} (so KL falls at every step),"
            f" got {learning.learning_rate!r}",
        )
    # A snapshot at or past the last step is the end itself: shown once, as the end.
    learning = dataclasses.replace(
        learning, snapshot_steps=tuple(s for s in learning.snapshot_steps if s < learning.steps)
    )
    learning_table.reject_unknown()
    exercises_table = root.sub("exercises")
    exercises = Exercises(
        message_length=exercises_table.integer(
            "message_length", minimum=1, maximum=MAX_MESSAGE_LENGTH
        ),
        closer_factor=exercises_table.number(
            "closer_factor", minimum=1.0, maximum=MAX_CLOSER_FACTOR
        ),
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
