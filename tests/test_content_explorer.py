"""kl/content/explorer.py: the explorer's starting point, as JSON safe inside <script>."""

from __future__ import annotations

import dataclasses
import json
import re

from kl.build import Project
from kl.content.explorer import start_json, values
from kl.data import Forest, load_lecture_data
from tests.conftest import ROOT

DATA = load_lecture_data(Project(ROOT).data_file)


def test_start_is_the_data_files_forest_exactly() -> None:
    start = json.loads(start_json(DATA))
    assert start["names"] == DATA.forest.outcomes
    assert start["p"] == [DATA.forest.p[x] for x in DATA.forest.outcomes]
    assert start["q"] == [DATA.forest.q[x] for x in DATA.forest.outcomes]
    assert str(values(DATA)["explorer.start"]) == start_json(DATA)


def test_names_cannot_close_the_script_element() -> None:
    odd = "Deer</script><b>&amp;"
    forest = Forest(
        p={"Squirrel": 0.5, "Rabbit": 0.3, odd: 0.2}, q={"Squirrel": 0.4, "Rabbit": 0.4, odd: 0.2}
    )
    text = start_json(dataclasses.replace(DATA, forest=forest))
    assert not re.search(r"[<>&]", text)
    assert json.loads(text)["names"] == ["Squirrel", "Rabbit", odd]
