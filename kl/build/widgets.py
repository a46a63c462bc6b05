"""The data the lecture page's interactive figures start from, as one JSON island.

The widgets (docs/assets/widgets/*.js) compute every number they show in the browser, the
way `kl` computes it; this module hands them their inputs and the constants of those
computations, taken from the build (the data file, the lecture's facts and `kl`'s own
module constants), so that no number is typed into a script. The island is
``<script type="application/json" id="kl-widgets">`` on the lecture page
(`kl.site.tree` puts it at the end of the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from kl.lecture.data import LectureData
from kl.lecture.values import Fact

ISLAND_ID = "kl-widgets"


def widget_data(data: LectureData, values: Mapping[str, Fact]) -> dict[str, Any]:
    """The inputs of each widget, keyed by the figure it enhances (floats exactly). The
    build keeps them in its cache (`kl.build.artifacts`), so the maths modules are imported here,
    by a build that makes them anew."""
    from kl.build.style import DARK_PALETTE, LIGHT_PALETTE
    from kl.lecture.sections.continuous import GRID_POINTS, TAIL_SDS
    from kl.lecture.sections.not_a_distance import simplex_vectors
    from kl.measures import fitting as kl_fitting

    curves = data.curves
    corners, p3, q3 = simplex_vectors(data)
    forest = data.forest
    return {
        "palette": {"light": asdict(LIGHT_PALETTE), "dark": asdict(DARK_PALETTE)},
        "continuous-integrand": {
            "p": asdict(curves.p),
            "fits": {"good": asdict(curves.good), "poor": asdict(curves.poor)},
            "tail_sds": TAIL_SDS,
            "points": GRID_POINTS,
        },
        "simplex": {"corners": corners, "p": p3.tolist(), "q": q3.tolist()},
        "learning": {
            "names": forest.outcomes,
            "p": [forest.p[x] for x in forest.outcomes],
            "steps": data.learning.steps,
            "rate": data.learning.learning_rate,
        },
        "forward-reverse": {
            "separation": data.fitting.separation,
            "peaks_appear": _number(values, "forward_vs_reverse.peaks_appear"),
            "peaks_win": _number(values, "forward_vs_reverse.peaks_win"),
            "tail_sigmas": kl_fitting.TAIL_SIGMAS,
            "min_grid_points": kl_fitting.MIN_GRID_POINTS,
            "max_grid_points": kl_fitting.MAX_GRID_POINTS,
            "max_abs_log_sigma": kl_fitting.MAX_ABS_LOG_SIGMA,
            "same_minimum": kl_fitting.SAME_MINIMUM,
            "kl_tie": kl_fitting.KL_TIE,
            "off_centre": kl_fitting.OFF_CENTRE,
        },
    }


def _number(values: Mapping[str, Fact], name: str) -> float:
    value = values[name]
    if not isinstance(value, float):
        raise TypeError(f"kl: the fact {name} is not a number: {value!r}")
    return float(value)


def island(inputs: Mapping[str, Any]) -> str:
    """The inputs `widget_data` made as a ``<script type="application/json">`` element,
    safe in HTML."""
    # Escapes <, >, & and ' so that no name can close the element (as the pages' tojson).
    text = htmlsafe_json_dumps(inputs, ensure_ascii=False, allow_nan=False)
    return f'<script type="application/json" id="{ISLAND_ID}">{text}</script>'
