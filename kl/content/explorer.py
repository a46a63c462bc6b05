"""The explorer page's starting point: the forest's animals, P and Q, for its script."""

from __future__ import annotations

import json

from markupsafe import Markup

from kl.data import LectureData
from kl.tables import Table
from kl.values import Fact

# What JSON may contain but an HTML <script> element may not (it could close the element).
_UNSAFE_IN_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def start_json(data: LectureData) -> str:
    """``{"names": [...], "p": [...], "q": [...]}`` in the data file's order of animals,
    as JSON that is safe inside an HTML ``<script type="application/json">`` element.
    The probabilities are the data file's floats exactly (JSON keeps every digit)."""
    forest = data.forest
    text = json.dumps(
        {
            "names": forest.outcomes,
            "p": [forest.p[x] for x in forest.outcomes],
            "q": [forest.q[x] for x in forest.outcomes],
        },
        ensure_ascii=False,
    )
    for char, escape in _UNSAFE_IN_SCRIPT.items():
        text = text.replace(char, escape)
    return text


def values(data: LectureData) -> dict[str, Fact]:
    # Already safe inside <script>, and the page's text escapes would corrupt the JSON.
    return {"explorer.start": Markup(start_json(data))}


def tables(data: LectureData) -> dict[str, Table]:
    return {}
