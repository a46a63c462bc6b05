"""Make a figure's SVG in one theme from its SVG in another, by swapping palette colours.

Themes differ only in their palettes (`kl.build.style.Theme`), and matplotlib writes every
colour of a vector figure as a ``#rrggbb`` code, so the dark SVG is the light one with
each palette role's light colour replaced by its dark colour: the same shapes, text and
layout, at a fraction of the cost of drawing again. A raster image (a heat map) is kept as
it is where it is data through the colour map the themes share. Where that could be wrong
(see `recolour_svg`) it declines, and the figure is drawn in the other theme instead.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from kl.build.style import Theme

_HEX = re.compile(rb"#[0-9a-fA-F]{6}(?![0-9a-fA-F])")


def _palette_map(source: Theme, target: Theme) -> dict[bytes, bytes] | None:
    """Each of source's palette colours mapped to target's colour for the same role, or
    None if two roles share a source colour but not a target colour."""
    mapping: dict[bytes, bytes] = {}
    for role in dataclasses.fields(source.palette):
        old = getattr(source.palette, role.name).lower().encode()
        new = getattr(target.palette, role.name).lower().encode()
        if mapping.setdefault(old, new) != new:
            return None
    return mapping


@functools.lru_cache(maxsize=8)
def _colormap_colours(name: str) -> frozenset[bytes]:
    """Every colour a heat map drawn with colour map ``name`` can contain, as SVG writes it."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    colormap = colormaps[name]
    lut = colormap(np.linspace(0, 1, colormap.N))
    return frozenset(to_hex(c).encode() for c in lut)


def recolour_svg(
    svg: bytes, source: Theme, target: Theme, *, rasters_mapped: bool = False
) -> bytes | None:
    """``svg`` (drawn in ``source``) as drawn in ``target``, or None where swapping colours
    would not be exact: the themes use different colour maps, the SVG embeds a raster
    image whose pixels could hold palette colours (it may only where ``rasters_mapped``
    says each raster is data through the themes' shared colour map, so the same in both),
    or it holds a colour that is neither a palette colour nor one of the colour map's (one
    computed from the palette, say)."""
    mapping = _palette_map(source, target)
    if mapping is None or source.colormap != target.colormap:
        return None
    if b"<image" in svg and not rasters_mapped:
        return None
    shared = _colormap_colours(source.colormap)
    colours = {m.group(0).lower() for m in _HEX.finditer(svg)}
    if not colours <= mapping.keys() | shared:
        return None
    return _HEX.sub(lambda m: mapping.get(m.group(0).lower(), m.group(0)), svg)
