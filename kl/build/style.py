"""The house style of every figure: palette, fonts, sizes, light and dark themes.

Colours are chosen to stay distinct for colour-blind readers, but no figure relies on
colour alone: each series also has its own line style and a direct label.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cycler import cycler

from kl.lecture.formatting import SCIENTIFIC_FROM, power_of_ten

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Figure sizes in inches. Each figure is drawn twice: on a 6.4-inch-wide canvas for screens
# wider than a phone, and on a NARROW_WIDTH one for a phone's column (the page serves it
# below NARROW_MEDIA). Text keeps its size in points on both, so on the narrow canvas it is
# larger beside the figure: SMALL_FONT_SIZE shows at 11 CSS px or more in a column of
# 310 px or more (a 342 px screen minus the page margins; the column is 343 px on a 375 px
# screen).
WIDE = (6.4, 3.6)  # 16:9
TALL = (6.4, 4.8)  # 4:3, for figures that need more height (heat maps, tables of bars)
NARROW_WIDTH = 4.5
# A narrow canvas is NARROW_WIDTH wide; its height, by a figure's NARROW_SIZE (width:height).
NARROW_ASPECTS = {"4:3": 3 / 4, "1:1": 1.0, "3:4": 4 / 3, "3:5": 5 / 3}
# The screens that get the narrow layout: those where the wide canvas would show its
# smallest text below 11 CSS px (a column under 441 px: a screen under 473 px), and a little
# more.
NARROW_MEDIA = "(max-width: 30em)"
FONT = "DejaVu Sans"  # matplotlib's own: every machine draws the same glyphs
FONT_SIZE = 13.0
SMALL_FONT_SIZE = 11.5
PNG_DPI = 200  # 2x of the 100 dpi "1x" size: 1280 x 720 px for a wide figure
SVG_HASH_SALT = "kl-lecture-34"


@dataclass(frozen=True)
class Palette:
    """Named roles, not hues: figures ask for ``truth`` or ``poor``, never for "red"."""

    truth: str  # P, the true distribution: solid blue
    good: str  # a close approximation: green
    poor: str  # a poor approximation: red
    accent: str  # a third series (e.g. reverse KL): purple
    highlight: str  # shaded areas and markers: orange
    neutral: str  # guides, grids, secondary text
    text: str
    background: str
    grid: str


@dataclass(frozen=True)
class Theme:
    """A theme is its palette and a colour map: everything else (fonts, sizes, line
    widths) is the same in every theme, so a figure keeps its layout from one to another."""

    name: str
    palette: Palette
    colormap: str  # sequential colour map for heat maps

    @property
    def rc(self) -> dict[str, Any]:
        """matplotlib settings for drawing in this theme."""
        return _rc(self.palette)


def _rc(p: Palette) -> dict[str, Any]:
    return {
        "font.family": FONT,
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": SMALL_FONT_SIZE,
        "ytick.labelsize": SMALL_FONT_SIZE,
        "legend.fontsize": SMALL_FONT_SIZE,
        "legend.frameon": False,
        "figure.facecolor": p.background,
        "savefig.facecolor": p.background,
        "axes.facecolor": p.background,
        "axes.edgecolor": p.neutral,
        "axes.labelcolor": p.text,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        # Titles sit at the top of their axes, where no figure puts ticks; matplotlib would
        # otherwise look for top ticks and offset texts to clear: up to a fifth of a drawing.
        "axes.titley": 1.0,
        "grid.color": p.grid,
        "grid.linewidth": 0.8,
        "xtick.color": p.neutral,
        "ytick.color": p.neutral,
        "xtick.labelcolor": p.text,
        "ytick.labelcolor": p.text,
        "text.color": p.text,
        "lines.linewidth": 2.5,
        "patch.linewidth": 0,
        "svg.fonttype": "path",  # text drawn as outlines: identical on every machine
        # Text is drawn as written: a name from the data with a "$" is not mathtext.
        "text.parse_math": False,
        "path.simplify": True,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.prop_cycle": cycler(color=[p.truth, p.good, p.poor, p.accent]),
    }


LIGHT_PALETTE = Palette(
    truth="#1f5fa8",
    good="#2a8a57",
    poor="#c2362b",
    accent="#6d4fb3",
    highlight="#d9822b",
    neutral="#5b6270",
    text="#1d2330",
    background="#ffffff",
    grid="#e3e6ec",
)

DARK_PALETTE = Palette(
    truth="#7fb3f5",
    good="#6fd39c",
    poor="#ff8a7a",
    accent="#b9a2f0",
    highlight="#f5b26b",
    neutral="#a4abb8",
    text="#e8ebf1",
    background="#1e2129",
    grid="#343946",
)


@dataclass(frozen=True)
class Layout:
    """A canvas a figure is drawn on: ``wide`` (the figure's SIZE, for screens wider than a
    phone) or ``narrow`` (NARROW_WIDTH wide, NARROW_SIZE high, for a phone's column).
    ``suffix`` goes into file names: "" for wide (``hero.svg``), ".narrow" (``hero.narrow.svg``)."""

    name: str
    suffix: str

    def size(self, wide_size: str, narrow_size: str) -> tuple[float, float]:
        """The canvas in inches for a figure of SIZE ``wide_size`` ("wide" or "tall") and
        NARROW_SIZE ``narrow_size`` (a key of NARROW_ASPECTS); KeyError for any other."""
        if self.name == "narrow":
            return NARROW_WIDTH, round(NARROW_WIDTH * NARROW_ASPECTS[narrow_size], 3)
        return {"wide": WIDE, "tall": TALL}[wide_size]


WIDE_LAYOUT = Layout("wide", "")
NARROW_LAYOUT = Layout("narrow", ".narrow")
LAYOUTS = (WIDE_LAYOUT, NARROW_LAYOUT)

LIGHT = Theme("light", LIGHT_PALETTE, "cividis")
DARK = Theme("dark", DARK_PALETTE, "cividis")
THEMES = (LIGHT, DARK)


# About how wide a character of the house font is at SMALL_FONT_SIZE, in points; the most
# lines a group's name is wrapped onto under its group, and the most characters of a name
# shown where names stand on end instead.
CHAR_PT = 0.62 * SMALL_FONT_SIZE
WRAPPED_NAME_LINES = 3
UPRIGHT_NAME_CHARS = 14


def points_per_group(ax: Axes, groups: int) -> float:
    """About how many points of width each of ``groups`` side-by-side groups of bars gets in
    ``ax`` (the plot takes about 85% of the figure's width)."""
    figure = ax.get_figure(root=True)
    assert figure is not None
    return float(0.85 * 72 * figure.get_size_inches()[0] / groups)


def bar_value_rotation(bar_pt: float, values: Sequence[str]) -> int | None:
    """How a bar ``bar_pt`` points wide shows ``values`` above it, at SMALL_FONT_SIZE: across
    (0 degrees) where the longest fits its width, on end (90) where the bar is at least
    1.6 font sizes wide, else not at all (None)."""
    if bar_pt < 1.6 * SMALL_FONT_SIZE:
        return None
    return 0 if bar_pt >= max(map(len, values), default=0) * CHAR_PT else 90


def short_name(name: str, most: int) -> str:
    """``name`` cut to at most ``most`` characters, ending in "…" where it was cut."""
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def _text_width_pt(text: str) -> float:
    """How wide ``text`` is drawn in points, at the current font and size."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _, _ = TextToPath().get_text_width_height_descent(text, FontProperties(), ismath=False)
    return float(width)


def _wrap_to(name: str, room_pt: float) -> list[str]:
    """``name`` wrapped at spaces (or, in a word too long for a line, anywhere) onto lines
    at most ``room_pt`` points wide, at the current font and size; or, once that would take
    more than WRAPPED_NAME_LINES lines, some wrapping of that many or more (the caller then
    stands the names on end)."""
    for per_line in range(len(name), 0, -1):
        lines = textwrap.wrap(name, per_line) or [name]
        if len(lines) > WRAPPED_NAME_LINES or all(_text_width_pt(t) <= room_pt for t in lines):
            return lines
    return list(name)


def label_groups(
    ax: Axes, centres: Sequence[float], names: Sequence[str], *, drop: float, color: str
) -> None:
    """Name each group of bars under the x axis, centred on it, ``drop`` points below the
    axis (below the per-bar tick labels). ``centres`` are in data coordinates. A name wider
    than its group is wrapped onto up to WRAPPED_NAME_LINES lines; where one would need
    more, the names stand on end, cut to UPRIGHT_NAME_CHARS."""
    room = 0.95 * points_per_group(ax, len(names))
    wrapped = [_wrap_to(name, room) for name in names]
    upright = any(len(lines) > WRAPPED_NAME_LINES for lines in wrapped)
    for centre, name, lines in zip(centres, names, wrapped, strict=True):
        ax.annotate(
            short_name(name, UPRIGHT_NAME_CHARS) if upright else "\n".join(lines),
            xy=(centre, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -drop),
            textcoords="offset points",
            ha="center",
            va="top",
            rotation=90 if upright else 0,
            color=color,
        )


MAX_TICKS = 8  # the most labelled ticks an axis gets, whatever the data's range


def whole_number_ticks(top: float, most: int = MAX_TICKS) -> list[int]:
    """Ticks 0, s, 2s, ... up to ``top`` (>= 0) for an axis of whole numbers (bits, say),
    at the smallest step s of 1, 2 or 5 times a power of ten that gives at most ``most``."""
    last = max(int(top), 0)
    step = next(
        s
        for s in (m * 10**e for e in range(len(str(last)) + 1) for m in (1, 2, 5))
        if last // s + 1 <= most
    )
    return list(range(0, last + 1, step))


def log_tick_label(v: float) -> str:
    """The label of a tick (v > 0) on a log axis: 10⁻⁵ at a power of ten, else the number
    as written (0.05). Figures draw text as written (no mathtext), so matplotlib's own log
    labels, written in mathtext, would show as TeX."""
    exponent = math.log10(v)
    if abs(exponent - round(exponent)) < 1e-9:
        return power_of_ten(round(exponent))
    return f"{v:g}".replace("-", "\u2212")


def count_tick_label(v: float) -> str:
    """The label of a tick on a log axis of counts: written out (100,000) below
    SCIENTIFIC_FROM, as a power of ten (10⁶) from there on, so labels stay short."""
    if v < SCIENTIFIC_FROM:
        return f"{v:,.0f}"
    return power_of_ten(round(math.log10(v)))
