"""Tests for kl.build.recolour: a figure's dark SVG made from its light one, only where exact.

That every figure's recoloured SVG matches the figure drawn dark is checked for each
figure in tests/figures/test_every_figure.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kl.build.recolour import recolour_svg
from kl.build.style import DARK, LIGHT, Theme

CIVIDIS_TOP = "#fee838"  # the last colour of the cividis colour map, as SVG writes it


def svg(*colours: str, extra: str = "") -> bytes:
    paths = "".join(
        f'<path style="fill: {c}; stroke: {c}" clip-path="url(#p1a2b3c)"/>' for c in colours
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg">{paths}{extra}</svg>'.encode()


def test_palette_colours_become_the_same_roles_colours_and_colour_map_colours_stay() -> None:
    light = svg(LIGHT.palette.truth, LIGHT.palette.background.upper(), CIVIDIS_TOP)
    assert recolour_svg(light, LIGHT, DARK) == svg(
        DARK.palette.truth, DARK.palette.background, CIVIDIS_TOP
    )


def test_ids_that_look_like_colours_are_left_alone() -> None:
    light = svg(LIGHT.palette.poor, extra='<use xlink:href="#d9822bff"/><g id="c2362b"/>')
    assert b'href="#d9822bff"' in (recolour_svg(light, LIGHT, DARK) or b"")


SHARED_TRUTH = replace(LIGHT, palette=replace(LIGHT.palette, good=LIGHT.palette.truth))


@pytest.mark.parametrize(
    ("source", "light", "target"),
    [
        pytest.param(LIGHT, svg(LIGHT.palette.truth, extra="<image/>"), DARK, id="raster image"),
        pytest.param(LIGHT, svg("#123456"), DARK, id="colour of neither palette nor colour map"),
        pytest.param(
            LIGHT, svg(LIGHT.palette.truth), replace(DARK, colormap="magma"), id="other colour map"
        ),
        pytest.param(SHARED_TRUTH, svg(LIGHT.palette.truth), DARK, id="roles share a colour"),
    ],
)
def test_recolouring_declines_where_it_would_not_be_exact(
    source: Theme, light: bytes, target: Theme
) -> None:
    assert recolour_svg(light, source, target) is None
