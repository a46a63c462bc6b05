"""Tests for kl.build.widgets: the interactive figures' inputs come from the data and the
lecture's facts, and their JSON island is safe in HTML."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict

import pytest

from kl.build.style import DARK_PALETTE, LIGHT_PALETTE
from kl.build.widgets import ISLAND_ID, island, widget_data
from kl.lecture.data import LectureData
from kl.lecture.sections import lecture_values
from kl.measures import fitting

ISLAND = re.compile(rf'<script type="application/json" id="{ISLAND_ID}">(.*)</script>', re.S)


def test_each_widget_starts_from_the_data_and_the_facts(data: LectureData) -> None:
    values = lecture_values(data)
    inputs = widget_data(data, values)
    assert set(inputs) == {
        "palette",
        "continuous-integrand",
        "simplex",
        "learning",
        "forward-reverse",
    }
    assert inputs["palette"] == {"light": asdict(LIGHT_PALETTE), "dark": asdict(DARK_PALETTE)}
    learning = inputs["learning"]
    assert learning["p"] == [data.forest.p[x] for x in learning["names"]]
    assert (learning["steps"], learning["rate"]) == (
        data.learning.steps,
        data.learning.learning_rate,
    )
    fits = inputs["forward-reverse"]
    assert fits["peaks_win"] == float(values["forward_vs_reverse.peaks_win"])
    assert fits["kl_tie"] == fitting.KL_TIE and fits["separation"] == data.fitting.separation
    assert inputs["continuous-integrand"]["p"] == asdict(data.curves.p)
    assert math.fsum(inputs["simplex"]["p"]) == pytest.approx(1.0)


def test_a_fact_that_is_not_a_number_is_refused(data: LectureData) -> None:
    values = {**lecture_values(data), "forward_vs_reverse.peaks_win": "soon"}
    with pytest.raises(
        TypeError, match=r"the fact forward_vs_reverse\.peaks_win is not a number: 'soon'"
    ):
        widget_data(data, values)


def test_the_island_holds_the_inputs_and_no_name_can_close_it() -> None:
    inputs = {"names": ["</script><script>alert(1)</script>", "R&D 'x'"], "p": [0.1, 0.9]}
    element = island(inputs)
    match = ISLAND.fullmatch(element)
    assert match is not None and "<" not in match.group(1) and "&" not in match.group(1)
    assert json.loads(match.group(1)) == inputs


def test_the_island_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        island({"p": [math.nan]})
