"""The explorer page's starting point: the forest's animals, P and Q, for its script.

The page writes ``explorer.start`` into its ``<script type="application/json">`` with
Jinja's ``tojson`` filter, which escapes ``<``, ``>``, ``&`` and ``'`` so that no name can
close the element.
"""

from __future__ import annotations

from kl.lecture.data import LectureData
from kl.lecture.tables import Table
from kl.lecture.values import Fact


def start(data: LectureData) -> dict[str, list[str] | list[float]]:
    """``{"names": [...], "p": [...], "q": [...]}`` in the data file's order of animals;
    the probabilities are the data file's floats exactly (JSON keeps every digit)."""
    forest = data.forest
    return {
        "names": list(forest.outcomes),
        "p": [forest.p[x] for x in forest.outcomes],
        "q": [forest.q[x] for x in forest.outcomes],
    }


def values(data: LectureData) -> dict[str, Fact]:
    return {"explorer.start": start(data)}


def tables(data: LectureData) -> dict[str, Table]:
    return {}
