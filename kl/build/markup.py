"""Turn artifacts into the Markdown a page shows: figures with captions, expanded pages."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from kl.build.artifacts import Artifacts, FigureArtifact
from kl.build.style import NARROW_LAYOUT, NARROW_MEDIA, PNG_DPI, WIDE_LAYOUT, Layout
from kl.build.templating import environment, render
from kl.lecture.tables import as_text, plain
from kl.lecture.values import nest

FIGURE_DIR = "figures"


def figure_facts(figure: FigureArtifact, base: str) -> dict[str, object]:
    """What ``docs/includes/figures.jinja`` shows of ``figure``, whose files are under the
    URL ``base`` (a folder relative to the page, or an absolute one): anchor, title,
    caption (Markdown), alt text (as text in an attribute, and for a Markdown image), the
    address of each file (``src``), each layout's size attributes, the PNG's pixels and
    the screens the narrow layout is for. Everything is escaped for where it lands."""
    fid, narrow = figure.id, f"{figure.id}{NARROW_LAYOUT.suffix}"
    files = {
        "light": f"{fid}.svg",
        "dark": f"{fid}.dark.svg",
        "narrow_light": f"{narrow}.svg",
        "narrow_dark": f"{narrow}.dark.svg",
        "png": f"{fid}.png",
        "csv": f"{fid}.csv",
    }
    alt = plain(figure.alt)
    return {
        "id": fid,
        "anchor": figure.spec.anchor,
        "title": figure.spec.title,
        "caption": Markup(figure.caption),
        "alt": Markup(as_text(alt)),
        "markdown_alt": Markup(as_text(_markdown_alt(alt))),
        "src": {key: Markup(html.escape(f"{base}/{name}")) for key, name in files.items()},
        "size": Markup(_size_attrs(figure)),
        "narrow_size": Markup(_size_attrs(figure, NARROW_LAYOUT)),
        "png_pixels": "×".join(map(str, _pixel_size(figure, PNG_DPI))),
        "narrow_media": NARROW_MEDIA,
    }


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


def page_where(page: str) -> str:
    """What the template of ``page`` (its path in docs/) is called, in messages and in the
    template cache."""
    return f"docs/{page}"


def render_page(
    text: str,
    *,
    page: str,
    artifacts: Artifacts,
    includes: Path,
    extra: Mapping[str, object] | None = None,
    compiled: Path | None = None,
    shown: list[str] | None = None,
) -> str:
    """Render one page's template (``page`` is its path in docs/) with the lecture's facts,
    tables and figures; ``includes`` holds the macros pages share and ``compiled`` keeps
    the compiled templates (`kl.build.templating.environment`); ``extra`` adds names (e.g.
    the gallery's markup) for the pages that use them. The ids of the figures the page
    shows are added to ``shown``, in order, when it is given."""
    by_id = {f.id: f for f in artifacts.figures}
    base = _figure_base(page)
    env = environment(includes, compiled)
    macros: Any = env.globals["figures"]  # docs/includes/figures.jinja
    shown = [] if shown is None else shown
    first = len(shown)

    def figure(fig_id: str) -> str:
        """The figure's markup (figures.jinja); the first one shown loads eagerly."""
        shown.append(fig_id)
        return str(macros.figure(figure_facts(by_id[fig_id], base), len(shown) == first + 1))

    return render(
        env,
        text,
        where=page_where(page),
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
    """What the gallery page (docs/gallery.md) shows of each figure: its facts as the page
    shows it (``figure``, `figure_facts`) and as another site embeds it (``embed``, with
    absolute addresses under ``site_url``), the link to it in the lecture and back to it
    from an embed, and its files. The page and ``figures.jinja`` hold the words and the
    markup.

    Figures come in ``order`` (figure ids, e.g. as the lecture shows them), then any others.
    The embeds use absolute URLs under ``site_url``, or URLs relative to the site root
    when it is ``""``; they link back to the figure in the lecture, titled ``site_name``.
    """
    base = _figure_base(page)
    lecture = posixpath.relpath("index.md", posixpath.dirname(page) or ".")
    root = f"{site_url.rstrip('/')}/" if site_url else "./"
    rank = {fid: i for i, fid in enumerate(dict.fromkeys(order))}
    return [
        {
            "figure": figure_facts(figure, base),
            "embed": figure_facts(figure, f"{root}{FIGURE_DIR}"),
            # Addresses made of figure ids (letters, digits and hyphens): markup-safe.
            "in_lecture": Markup(f"{lecture}#{figure.spec.anchor}"),
            "embed_target": Markup(html.escape(f"{root}#{figure.spec.anchor}")),
            "site": Markup(html.escape(root)),
            "site_name": site_name,
            # Shown in a code block as written: the name's text, escaped once for HTML.
            "embed_markdown": Markup(
                html.escape(
                    f"[![{_markdown_alt(plain(figure.alt))}]({root}{FIGURE_DIR}/{figure.id}.svg)]"
                    f"({root}#{figure.spec.anchor})",
                    quote=False,
                )
            ),
            "files": [Markup(f"{FIGURE_DIR}/{name}") for name in figure.files()],
        }
        for figure in sorted(artifacts.figures, key=lambda f: rank.get(f.id, len(rank)))
    ]
