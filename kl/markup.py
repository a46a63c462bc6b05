"""Turn artifacts into the Markdown a page shows: figures with captions, expanded pages."""

from __future__ import annotations

import html
import posixpath

from kl.build import Artifacts, FigureArtifact
from kl.style import PNG_DPI, TALL, WIDE
from kl.templating import expand

FIGURE_DIR = "figures"


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def figure_markdown(figure: FigureArtifact, *, page: str, eager: bool = False) -> str:
    """A ``<figure>`` with the light and dark SVGs (Material shows the one matching the
    palette), the caption, and links to the SVG, PNG and CSV data. ``page`` is the page's
    path in docs/, so links resolve from wherever the page lives."""
    base = posixpath.relpath(FIGURE_DIR, posixpath.dirname(page) or ".")
    width, height = WIDE if figure.spec.size == "wide" else TALL
    size = f'width="{round(width * 100)}" height="{round(height * 100)}"'
    loading = "eager" if eager else "lazy"
    alt = figure.alt.replace("[", "(").replace("]", ")")
    fid = figure.id
    png_px = f"{round(width * PNG_DPI)}×{round(height * PNG_DPI)}"
    return (
        f'<figure class="kl-figure" id="{figure.spec.anchor}" markdown="span">\n'
        f'![{alt}]({base}/{fid}.svg#only-light){{ {size} loading="{loading}" }}\n'
        f'![{alt}]({base}/{fid}.dark.svg#only-dark){{ {size} loading="lazy" }}\n'
        f'<figcaption markdown="span">{figure.caption}\n'
        f'<span class="kl-downloads">[SVG]({base}/{fid}.svg) · '
        f"[dark SVG]({base}/{fid}.dark.svg) · "
        f"[PNG {png_px}]({base}/{fid}.png) · [data (CSV)]({base}/{fid}.csv)</span>"
        f"</figcaption>\n</figure>\n"
    )


def expand_page(text: str, *, page: str, artifacts: Artifacts) -> str:
    """Expand every ``{{ ... }}`` directive of one page (``page`` is its path in docs/)."""
    by_id = {f.id: f for f in artifacts.figures}
    shown: list[str] = []

    def figure(fig_id: str) -> str:
        shown.append(fig_id)
        return figure_markdown(by_id[fig_id], page=page, eager=len(shown) == 1)

    return expand(
        text,
        where=f"docs/{page}",
        values=artifacts.values,
        tables=artifacts.tables,
        figure=figure,
        figure_ids=frozenset(by_id),
    )


GALLERY_INTRO = """# Figure gallery

Every figure of the lecture, for reuse in slides, notes and other course pages. Each one
comes in a light and a dark version (SVG, sharp at any size), as a PNG at twice the
on-screen resolution, and with its data as CSV. The addresses below are stable: they
will not change from one release to the next.
"""


def gallery_markdown(artifacts: Artifacts, *, page: str = "gallery.md") -> str:
    """The gallery page: each figure with caption, light and dark previews, downloads and its
    stable addresses (the figure's anchor in the lecture and its file URLs)."""
    base = posixpath.relpath(FIGURE_DIR, posixpath.dirname(page) or ".")
    lecture = posixpath.relpath("index.md", posixpath.dirname(page) or ".")
    parts = [GALLERY_INTRO]
    for figure in artifacts.figures:
        fid = figure.id
        parts.append(
            f"## {figure.spec.title} {{ #{fid} }}\n\n"
            f"{figure_markdown(figure, page=page)}\n"
            f'<div class="kl-dark-preview" markdown="span">'
            f"![Dark version: {figure.alt}]({base}/{fid}.dark.svg){{ loading=lazy }}</div>\n\n"
            f"In the lecture: [{figure.spec.title}]({lecture}#{figure.spec.anchor}) · "
            f"File: `{FIGURE_DIR}/{fid}.svg` (light), `{FIGURE_DIR}/{fid}.dark.svg` (dark), "
            f"`{FIGURE_DIR}/{fid}.png`, `{FIGURE_DIR}/{fid}.csv`\n"
        )
    return "\n".join(parts)
