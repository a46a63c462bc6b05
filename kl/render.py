"""Draw one figure module in one theme and return its files as bytes (deterministically)."""

from __future__ import annotations

import importlib.util
import io
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kl.data import LectureData
from kl.errors import FigureError
from kl.gallery import FigureSpec
from kl.style import PNG_DPI, SVG_HASH_SALT, TALL, WIDE, Palette, Theme
from kl.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class DrawContext:
    """What a draw function gets besides the figure: the data and the theme to draw in."""

    data: LectureData
    theme: Theme

    @property
    def palette(self) -> Palette:
        return self.theme.palette


DrawFunction = Callable[["Figure", DrawContext], Table]


def figure_files(fig_id: str, theme: Theme) -> list[str]:
    """Names of the files one theme of a figure produces (the light theme also gives PNG, CSV)."""
    if theme.name == "light":
        return [f"{fig_id}.svg", f"{fig_id}.png", f"{fig_id}.csv"]
    return [f"{fig_id}.{theme.name}.svg"]


def load_draw_function(spec: FigureSpec) -> DrawFunction:
    """Import the figure module afresh (never from a stale cache) and return its draw()."""
    module_spec = importlib.util.spec_from_file_location(f"kl_figure_{spec.id}", spec.path)
    if module_spec is None or module_spec.loader is None:
        raise FigureError(f"{spec.path}: cannot be imported")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:
        raise FigureError(f"{_failing_line(spec.path, exc)}: import failed: {exc!r}") from None
    draw: DrawFunction = module.draw
    return draw


def _failing_line(path: Path, exc: BaseException) -> str:
    """ "file:line" of the innermost frame of ``exc`` inside ``path`` (or just the file)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    return f"{path}:{frames[-1].lineno}" if frames else str(path)


def _save(fig: Figure, fmt: str, **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def render_theme(spec: FigureSpec, data: LectureData, theme: Theme) -> dict[str, bytes]:
    """Draw ``spec`` in ``theme``; return {file name: bytes} as listed by `figure_files`.

    The same inputs always give the same bytes: no dates in metadata, a fixed SVG id
    salt, text drawn as paths. A draw function that raises, or returns something other
    than a Table, raises FigureError naming the module's file and line.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    draw = load_draw_function(spec)
    with matplotlib.rc_context(cast(Any, theme.rc)):
        matplotlib.rcParams["svg.hashsalt"] = SVG_HASH_SALT
        fig = Figure(figsize=WIDE if spec.size == "wide" else TALL, layout="constrained")
        try:
            table = draw(fig, DrawContext(data=data, theme=theme))
        except Exception as exc:
            raise FigureError(f"{_failing_line(spec.path, exc)}: draw() raised {exc!r}") from None
        if not isinstance(table, Table):
            raise FigureError(f"{spec.path}: draw() must return a kl.tables.Table of its data")
        files = {figure_files(spec.id, theme)[0]: _save(fig, "svg", metadata={"Date": None})}
        if theme.name == "light":
            files[f"{spec.id}.png"] = _save(fig, "png", dpi=PNG_DPI, metadata={"Software": None})
            files[f"{spec.id}.csv"] = table.to_csv().encode()
    return files
