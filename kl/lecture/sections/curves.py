"""The infographic's continuous curves (SPEC "The infographic" and section 8)."""

from __future__ import annotations

from kl.lecture.data import LectureData
from kl.lecture.tables import Table
from kl.lecture.values import Fact, Value
from kl.measures.gaussian import kl_normal


def values(data: LectureData) -> dict[str, Fact]:
    c = data.curves
    out: dict[str, Fact] = {
        "curves.kl_good_nats": Value(kl_normal(c.p.mean, c.p.sd, c.good.mean, c.good.sd)),
        "curves.kl_poor_nats": Value(kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)),
    }
    # Each curve's mean and standard deviation, shown as written in the data file.
    for name in ("p", "good", "poor"):
        normal = getattr(c, name)
        out[f"curves.{name}_mean"] = Value(normal.mean, kind="probability")
        out[f"curves.{name}_sd"] = Value(normal.sd, kind="probability")
    return out


def tables(data: LectureData) -> dict[str, Table]:
    return {}
