"""Turn artifacts into the Markdown a page shows: figures with captions, expanded pages."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

from markupsafe import Markup

from kl.build import Artifacts, FigureArtifact
from kl.style import NARROW_LAYOUT, NARROW_MEDIA, PNG_DPI, WIDE_LAYOUT, Layout
from kl.tables import as_text, plain
from kl.templating import environment, render
from kl.values import nest

FIGURE_DIR = "figures"


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def figure_markdown(figure: FigureArtifact, *, page: str, eager: bool = False) -> str:
    """A ``<figure>`` with the light and dark pictures (Material shows the one matching the
    palette: #only-light, #only-dark), each serving the narrow layout's SVG to screens that
    match NARROW_MEDIA, then the caption and links to the SVG, PNG and CSV data. ``page`` is
    the page's path in docs/, so links resolve from wherever the page lives."""
    base = _figure_base(page)
    light = _picture(figure, base, "", "#only-light", "eager" if eager else "lazy")
    dark = _picture(figure, base, ".dark", "#only-dark", "lazy")
    return (
        f'<figure class="kl-figure" id="{figure.spec.anchor}" markdown="span">\n'
        f"{light}\n{dark}\n"
        f'<figcaption markdown="span">{figure.caption}\n{_downloads(figure, base)}'
        f"</figcaption>\n</figure>\n"
    )


def _picture(figure: FigureArtifact, base: str, theme: str, only: str, loading: str) -> str:
    """The figure in one theme (``theme``: "" or ".dark") as a ``<picture>``: the narrow
    SVG where NARROW_MEDIA matches, else the wide one; the ``<img>``'s src ends in ``only``."""
    fid = figure.id
    narrow = f"{base}/{fid}{NARROW_LAYOUT.suffix}{theme}.svg"
    return (
        f'<picture><source media="{NARROW_MEDIA}" srcset="{narrow}" '
        f"{_size_attrs(figure, NARROW_LAYOUT)}>"
        f'<img src="{base}/{fid}{theme}.svg{only}" alt="{as_text(plain(figure.alt))}" '
        f'{_size_attrs(figure)} loading="{loading}"></picture>'
    )


def _figure_base(page: str) -> str:
    return posixpath.relpath(FIGURE_DIR, posixpath.dirname(page) or ".")


def _pixel_size(
    figure: FigureArtifact, dpi: float, layout: Layout = WIDE_LAYOUT
) -> tuple[int, int]:
    width, height = layout.size(figure.spec.size, figure.spec.narrow_size)
    return round(width * dpi), round(height * dpi)


def _size_attrs(figure: FigureArtifact, layout: Layout = WIDE_LAYOUT) -> str:
    width, height = _pixel_size(figure, 100, layout)
    return f'width="{width}" height="{height}"'


def link_preview(artifacts: Artifacts, fig_id: str) -> dict[str, str | int]:
    """The PNG of figure ``fig_id`` as the image of the site's link previews: its path
    below the site root, its alt text and its size in pixels. Raises KeyError for an
    unknown figure."""
    figure = next((f for f in artifacts.figures if f.id == fig_id), None)
    if figure is None:
        raise KeyError(f"no figure {fig_id!r} for link previews")
    width, height = _pixel_size(figure, PNG_DPI)
    return {
        "image": f"{FIGURE_DIR}/{fig_id}.png",
        "alt": plain(figure.alt),
        "width": width,
        "height": height,
    }


def _markdown_alt(alt: str) -> str:
    return alt.replace("[", "(").replace("]", ")")


def _downloads(figure: FigureArtifact, base: str) -> str:
    fid = figure.id
    png_px = "×".join(map(str, _pixel_size(figure, PNG_DPI)))
    return (
        f'<span class="kl-downloads">[SVG]({base}/{fid}.svg) · '
        f"[dark SVG]({base}/{fid}.dark.svg) · "
        f"[PNG {png_px}]({base}/{fid}.png) · [data (CSV)]({base}/{fid}.csv) · "
        f"{_permalink(figure)}</span>"
    )


def _permalink(figure: FigureArtifact) -> str:
    """A link to the figure's own anchor; docs/assets/permalink.js copies it on click."""
    return (
        f'<a class="kl-permalink" href="#{figure.spec.anchor}" '
        f'title="Copy the link to this figure">Link to this figure</a>'
    )


def render_page(
    text: str,
    *,
    page: str,
    artifacts: Artifacts,
    includes: Path,
    extra: Mapping[str, object] | None = None,
    compiled: Path | None = None,
) -> str:
    """Render one page's template (``page`` is its path in docs/) with the lecture's facts,
    tables and figures; ``includes`` holds the macros pages share and ``compiled`` keeps
    the compiled templates (`kl.templating.environment`); ``extra`` adds names (e.g. the
    gallery's markup) for the pages that use them."""
    by_id = {f.id: f for f in artifacts.figures}
    shown: list[str] = []

    def figure(fig_id: str) -> str:
        shown.append(fig_id)
        return figure_markdown(by_id[fig_id], page=page, eager=len(shown) == 1)

    return render(
        environment(includes, compiled),
        text,
        where=f"docs/{page}",
        facts={**nest(artifacts.values), **(extra or {})},
        tables=artifacts.tables,
        figure=figure,
        figure_ids=by_id,
    )


def gallery_entries(
    artifacts: Artifacts,
    *,
    page: str = "gallery.md",
    site_url: str = "",
    site_name: str = "the lecture",
    order: Sequence[str] = (),
) -> list[dict[str, object]]:
    """What the gallery page (docs/gallery.md) shows of each figure: its title, id and
    anchor, the light and dark images of both layouts, the caption and downloads, the link
    to it in the lecture, its files, and Markdown and HTML snippets to embed it elsewhere (already
    escaped for a ``<pre><code>`` block). The page holds the words around them.

    Figures come in ``order`` (figure ids, e.g. as the lecture shows them), then any others.
    The snippets use absolute URLs under ``site_url``, or URLs relative to the site root
    when it is ``""``; they link back to the figure in the lecture, titled ``site_name``.
    """
    base = _figure_base(page)
    lecture = posixpath.relpath("index.md", posixpath.dirname(page) or ".")
    root = f"{site_url.rstrip('/')}/" if site_url else "./"
    rank = {fid: i for i, fid in enumerate(dict.fromkeys(order))}
    entries: list[dict[str, object]] = []
    for figure in sorted(artifacts.figures, key=lambda f: rank.get(f.id, len(rank))):
        fid, size = figure.id, _size_attrs(figure)
        markdown_snippet, html_snippet = _embed_snippets(figure, root=root, site_name=site_name)
        entries.append(
            {
                "id": fid,
                "title": figure.spec.title,
                "anchor": figure.spec.anchor,
                # Addresses made of figure ids (letters, digits and hyphens): markup-safe.
                "in_lecture": Markup(f"{lecture}#{figure.spec.anchor}"),
                "image": Markup(
                    f'![{_markdown_alt(figure.alt)}]({base}/{fid}.svg){{ {size} loading="lazy" }}'
                ),
                "dark_image_src": Markup(f"{base}/{fid}.dark.svg"),
                "size": Markup(size),
                "narrow_image_src": Markup(f"{base}/{fid}{NARROW_LAYOUT.suffix}.svg"),
                "narrow_dark_image_src": Markup(f"{base}/{fid}{NARROW_LAYOUT.suffix}.dark.svg"),
                "narrow_size": Markup(_size_attrs(figure, NARROW_LAYOUT)),
                "caption": Markup(figure.caption),
                "downloads": Markup(_downloads(figure, base)),
                "files": [Markup(f"{FIGURE_DIR}/{name}") for name in figure.files()],
                "embed_markdown": Markup(html.escape(markdown_snippet, quote=False)),
                "embed_html": Markup(html.escape(html_snippet, quote=False)),
            }
        )
    return entries


def _embed_snippets(figure: FigureArtifact, *, root: str, site_name: str) -> tuple[str, str]:
    """Markdown and HTML (showing the dark version in dark mode, and the narrow layout on
    a phone) that embed the figure in another page, linking back to it in the lecture."""
    fid = figure.id
    svg, dark_svg = f"{root}{FIGURE_DIR}/{fid}.svg", f"{root}{FIGURE_DIR}/{fid}.dark.svg"
    narrow = f"{root}{FIGURE_DIR}/{fid}{NARROW_LAYOUT.suffix}"
    target = f"{root}#{figure.spec.anchor}"
    markdown = f"[![{_markdown_alt(plain(figure.alt))}]({svg})]({target})"
    dark = "(prefers-color-scheme: dark)"
    sources = [
        (f"{narrow}.dark.svg", f"{NARROW_MEDIA} and {dark}", NARROW_LAYOUT),
        (f"{narrow}.svg", NARROW_MEDIA, NARROW_LAYOUT),
        (dark_svg, dark, WIDE_LAYOUT),
    ]
    html_snippet = (
        f"<figure>\n"
        f'  <a href="{_attr(target)}">\n'
        f"    <picture>\n"
        + "".join(
            f'      <source srcset="{_attr(src)}" media="{media}" {_size_attrs(figure, layout)}>\n'
            for src, media, layout in sources
        )
        + f'      <img src="{_attr(svg)}" alt="{_attr(plain(figure.alt))}" '
        f"{_size_attrs(figure)}>\n"
        f"    </picture>\n"
        f"  </a>\n"
        f"  <figcaption>{html.escape(figure.spec.title)}. From "
        f'<a href="{_attr(root)}">{html.escape(site_name)}</a>.</figcaption>\n'
        f"</figure>"
    )
    return markdown, html_snippet
