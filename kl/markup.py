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
