"""The lecture's data for the content tests: the data file, the frozen copy, and forests
made from them (other P and Q, the SPEC's reference forest)."""

from __future__ import annotations

import dataclasses

import scipy.stats

from kl.lecture.data import Asymmetry, Forest, LectureData, load_lecture_data
from tests.sitebuild import ROOT

SQUIRREL_RABBIT_DEER = ("Squirrel", "Rabbit", "Deer")
# The SPEC's reference forest, sharpened by 10 (section 6).
P_DEFAULT = {"Squirrel": 0.6, "Rabbit": 0.3, "Deer": 0.1}
Q_DEFAULT = {"Squirrel": 0.5, "Rabbit": 0.4, "Deer": 0.1}
SHARPENING = 10.0
OTHER_FORESTS = {
    "Q rules out the Deer": ((0.6, 0.3, 0.1), (0.7, 0.3, 0.0)),
    "P rules out the Deer": ((0.6, 0.4, 0.0), (0.5, 0.4, 0.1)),
    "Q = P": ((0.6, 0.3, 0.1), (0.6, 0.3, 0.1)),
    "P = 0.7, 0.2, 0.1": ((0.7, 0.2, 0.1), (0.5, 0.4, 0.1)),
    "each rules out one": ((0.5, 0.5, 0.0), (0.5, 0.0, 0.5)),
}


def lecture_data() -> LectureData:
    """The data file as it stands."""
    return load_lecture_data(ROOT / "docs" / "data" / "lecture.toml")


def frozen_data() -> LectureData:
    """The frozen copy of the lecture's data, so an edit of docs/data never fails a test."""
    return load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")


def with_forest(data: LectureData, p: dict[str, float], q: dict[str, float]) -> LectureData:
    return dataclasses.replace(data, forest=Forest(p=p, q=q))


def with_separation(data: LectureData, separation: float) -> LectureData:
    return dataclasses.replace(
        data, fitting=dataclasses.replace(data.fitting, separation=separation)
    )


def forest_data(data: LectureData, p: dict[str, float], q: dict[str, float]) -> LectureData:
    """``data`` with this forest, sharpened as the SPEC's reference is."""
    return dataclasses.replace(
        data, forest=Forest(p=p, q=q), asymmetry=Asymmetry(sharpening=SHARPENING)
    )


def three_animals(data: LectureData, p: tuple[float, ...], q: tuple[float, ...]) -> LectureData:
    return with_forest(
        data,
        dict(zip(SQUIRREL_RABBIT_DEER, p, strict=True)),
        dict(zip(SQUIRREL_RABBIT_DEER, q, strict=True)),
    )


def other_forest(data: LectureData, case: str) -> LectureData:
    """``data`` with the forest ``case`` of OTHER_FORESTS."""
    return three_animals(data, *OTHER_FORESTS[case])


def kl_bits(p: dict[str, float], q: dict[str, float]) -> float:
    """Reference KL(P||Q) in bits from scipy (inf where q = 0 < p)."""
    return float(scipy.stats.entropy(list(p.values()), list(q.values()), base=2))
