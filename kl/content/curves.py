"""The infographic's continuous curves (SPEC "The infographic" and section 8)."""

from __future__ import annotations

from kl.data import LectureData
from kl.gaussian import kl_normal
from kl.tables import Table
from kl.values import Value


def values(data: LectureData) -> dict[str, Value]:
    c = data.curves
    return {
        "curves.kl_good_nats": Value(kl_normal(c.p.mean, c.p.sd, c.good.mean, c.good.sd)),
        "curves.kl_poor_nats": Value(kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)),
    }


def tables(data: LectureData) -> dict[str, Table]:
    return {}
