"""The lecture's complete docs tree: every page expanded, with everything the site shows.

`make_tree` turns the project's sources into the files a site generator publishes as they
are, with no build step of its own: each page of ``docs/`` rendered from its template
(`kl.build.markup.render_page`), the lecture page ending with its interactive figures' inputs
(`kl.build.widgets.island`), every figure file, the link listings (``objects.inv``,
``links.json``) and the math font cut down to the glyphs the pages' formulas use
(`kl.build.mathfont`). To know those glyphs, and to stop at a formula that cannot be typeset,
each page is rendered once with the site's own Markdown extensions (the characters found
are cached, keyed by the pages and the extensions' settings). `write_tree` writes the
tree as a project folder of its own, ``docs/`` and the ``mkdocs.yml`` that
`kl.site.config.tree_config` derives, which MkDocs and Zensical both build.

MkDocs' authoring build puts the same files into its build (scripts/gen_pages.py,
`make_pages`), but cuts the font from the pages MkDocs renders (`kl.site.mkdocs_plugin`), so
that it renders each page once.
Everything here raises `kl.errors.KLError` subclasses with one-line messages naming the file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kl.build.artifacts import (
    PACKAGE_DIR,
    Artifacts,
    Drawing,
    Progress,
    Workers,
    cancelled_on_error,
    start_artifacts,
    write_folder,
)
from kl.build.cache import FileCache, cache_key, library_versions, source_digest
from kl.build.gallery import discover_figures
from kl.build.inventory import link_listings, read_anchor_contract
from kl.build.markup import gallery_entries, link_preview, page_where, render_page
from kl.build.mathfont import MATH_FONT, math_characters, math_font
from kl.build.project import Project
from kl.build.templating import compile_template, environment, figures_named
from kl.build.widgets import island
from kl.errors import KLError, traceback_wanted
from kl.site.config import SiteConfig, read_site_config, tree_config

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

LECTURE_PAGE = "index.md"
GALLERY_PAGE = "gallery.md"
# The figure whose PNG illustrates links to the site (docs/overrides/partials/kl-meta.html).
PREVIEW_FIGURE = "hero"
CHARACTERS_FILE = "characters.txt"
TREE_DOCS = "docs"
TREE_CONFIG = "mkdocs.yml"


class PageError(KLError):
    """A page's Markdown cannot be rendered: the message names the page."""


@dataclass
class SiteTree:
    """What `make_tree` made: ``files`` maps a path below docs/ to its bytes (the pages
    and files that replace or join those of docs/), ``extra`` the settings the theme
    reads (``extra.kl_link_preview``); ``figure_entries`` says where the build cache keeps
    the figures' files (`kl.build.artifacts.Artifacts.figure_entries`)."""

    files: dict[str, bytes] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    figure_entries: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class PageInputs:
    """What the pages are rendered from, besides their own text: the lecture's artifacts
    (`build_artifacts`), the link listings' files and the theme's settings."""

    artifacts: Artifacts
    listings: dict[str, bytes]
    extra: dict[str, Any]


def make_inputs(
    project: Project,
    config: SiteConfig,
    *,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> PageInputs:
    """Everything the pages are rendered from but their texts: the figures, values and
    tables (made on ``workers``, as `build_artifacts` says), the link listings and the
    link previews' settings."""
    inputs, drawing = start_inputs(project, config, progress=progress, workers=workers)
    drawing.finish(inputs.artifacts)
    return inputs


def start_inputs(
    project: Project,
    config: SiteConfig,
    *,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> tuple[PageInputs, Drawing]:
    """`make_inputs`, with the figures not in the cache still being drawn
    (`kl.build.artifacts.start_artifacts`): the pages need none of their files."""
    docs = project.root / TREE_DOCS
    artifacts, drawing = start_artifacts(
        project, progress=progress, workers=workers, listings=False
    )
    with cancelled_on_error(drawing):
        listings = link_listings(
            read_anchor_contract(docs / "anchors.toml"),
            project=config.site_name,
            version=version("kl-lecture"),
            site_url=config.site_url,
            directory_urls=config.use_directory_urls,
        )
        preview = link_preview(artifacts, PREVIEW_FIGURE)
    return PageInputs(artifacts, listings, {"kl_link_preview": preview}), drawing


def page_texts(project: Project) -> dict[str, str]:
    """Every page's template (path below docs/ -> text), in the order of their paths."""
    docs = project.root / TREE_DOCS
    return {
        page.relative_to(docs).as_posix(): page.read_text(encoding="utf-8")
        for page in sorted(docs.rglob("*.md"))
    }


def compile_templates(project: Project) -> None:
    """Compile every template a build renders (its pages, and its figures' captions and
    alt texts) into the project's template cache, as the build compiles them."""
    env = environment(project.includes_dir, project.templates_dir)
    for rel, text in page_texts(project).items():
        compile_template(env, text, where=page_where(rel))
    for spec in discover_figures(project.figures_dir):
        compile_template(env, spec.caption, where=spec.caption_where)
        compile_template(env, spec.alt, where=spec.alt_where)


def _compile_quietly(project: Project, also: Callable[[], None] | None) -> None:
    """`compile_templates`, then ``also``, silently: a mistake in a template or a figure
    module, or a cache that cannot be written, is for the build to report, once."""
    logging.disable(logging.CRITICAL)
    with contextlib.suppress(Exception):
        compile_templates(project)
    with contextlib.suppress(Exception):
        if also is not None:
            also()


def start_compiling_templates(
    project: Project, also: Callable[[], None] | None = None
) -> BaseProcess:
    """Start `compile_templates` in a process of its own (forked: it starts at once), then
    ``also`` there (which compiles more: the theme's templates), and return it, to be
    joined. A build imports its maths and matplotlib first, most of a second with one core
    idle; it then finds its templates compiled (0.4 s of its own time in a cold build)."""
    import multiprocessing
    import warnings

    process = multiprocessing.get_context("fork").Process(
        target=_compile_quietly, args=(project, also), daemon=True
    )
    with warnings.catch_warnings():  # Python 3.12's warning on forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    return process


def gallery(inputs: PageInputs, config: SiteConfig, pages: Mapping[str, str]) -> list[Any]:
    """The gallery's entries (`gallery_entries`), in the order the lecture shows them."""
    return gallery_entries(
        inputs.artifacts,
        site_url=config.site_url,
        site_name=config.site_name,
        order=figures_named(pages.get(LECTURE_PAGE, "")),
    )


def make_page(
    project: Project,
    inputs: PageInputs,
    rel: str,
    text: str,
    entries: list[Any],
    shown: list[str] | None = None,
) -> bytes:
    """One page (``rel``, below docs/) rendered from its template ``text``, with the
    gallery's ``entries``; the lecture page ends with its interactive figures' inputs.
    The ids of the figures it shows are added to ``shown`` when it is given."""
    rendered = render_page(
        text,
        page=rel,
        artifacts=inputs.artifacts,
        includes=project.includes_dir,
        extra={"gallery": entries},
        compiled=project.templates_dir,
        shown=shown,
    )
    if rel == LECTURE_PAGE:  # read by docs/assets/widgets/, left out of search
        rendered = f"{rendered.rstrip()}\n\n{island(inputs.artifacts.widgets)}\n"
    return rendered.encode()


def tree_files(
    pages: Mapping[str, bytes], figures: Mapping[str, bytes], inputs: PageInputs
) -> dict[str, bytes]:
    """The tree's files in the order they are handed on: the pages, the figures' files
    (in the order of their names) and the link listings."""
    return {**pages, **{name: figures[name] for name in sorted(figures)}, **inputs.listings}


def make_pages(
    project: Project,
    config: SiteConfig,
    *,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> SiteTree:
    """The files of the docs tree that differ from or add to ``docs/``, but for the math
    font (`math_font`), which needs the pages' formulas typeset: the pages rendered from
    their templates, the figures and the link listings (made on ``workers``, as
    `build_artifacts` says)."""
    inputs = make_inputs(project, config, progress=progress, workers=workers)
    texts = page_texts(project)
    entries = gallery(inputs, config, texts)
    pages = {rel: make_page(project, inputs, rel, text, entries) for rel, text in texts.items()}
    artifacts = inputs.artifacts
    figures = {r: b for r, b in artifacts.files.items() if r.startswith("figures/")}
    return SiteTree(
        tree_files(pages, figures, inputs), dict(inputs.extra), artifacts.figure_entries
    )


def formula_characters(pages: Mapping[str, str], config: SiteConfig) -> set[str]:
    """Every character the formulas of ``pages`` (path below docs/ -> Markdown) are drawn
    with, found by rendering each with the site's Markdown extensions. Raises PageError
    naming the page for a formula that cannot be typeset or drawn."""
    import markdown

    names, options = config.markdown_extensions()
    characters: set[str] = set()
    for rel, text in pages.items():
        try:
            html = markdown.Markdown(extensions=names, extension_configs=options).convert(text)
        except KLError as exc:
            if traceback_wanted():
                raise
            raise PageError(f"page '{rel}': {exc}") from None
        characters |= math_characters(html)
    return characters


def _cached_characters(
    pages: Mapping[str, str], config: SiteConfig, font: bytes, cache: FileCache
) -> str:
    """`formula_characters`, kept in ``cache``, keyed by the pages, the extensions' names
    and options, the math font they check formulas against, `kl`'s source and the
    libraries' versions."""
    key = cache_key(
        [
            "formula-characters",
            source_digest(PACKAGE_DIR),
            library_versions(),
            repr(config.markdown_extensions()),
            font,
            *(f"{rel}\0{text}" for rel, text in sorted(pages.items())),
        ]
    )
    stored = cache.get(key, [CHARACTERS_FILE])
    if stored is not None:
        return stored[CHARACTERS_FILE].decode()
    found = "".join(sorted(formula_characters(pages, config)))
    cache.put(key, {CHARACTERS_FILE: found.encode()})
    return found


def make_tree(
    project: Project, config: SiteConfig, *, progress: Progress | None = None
) -> SiteTree:
    """Every file of the docs tree that differs from or adds to ``docs/``, the math font
    cut to the formulas of the pages, rendered here with the site's Markdown extensions."""
    tree = make_pages(project, config, progress=progress)
    pages = {rel: b.decode() for rel, b in tree.files.items() if rel.endswith(".md")}
    font = project.root / TREE_DOCS / MATH_FONT
    digest = font.read_bytes() if font.is_file() else b""
    characters = _cached_characters(pages, config, digest, FileCache(project.cache_dir))
    tree.files[MATH_FONT] = math_font(project, characters)
    return tree


def write_tree(project: Project, out_dir: Path, *, progress: Progress | None = None) -> int:
    """Write the expanded tree into ``out_dir`` (``docs/`` and ``mkdocs.yml``), replacing
    it only once every file is written; return the number of files written."""
    config = read_site_config(project.root / TREE_CONFIG)
    tree = make_tree(project, config, progress=progress)
    docs = project.root / TREE_DOCS
    files = {
        f"{TREE_DOCS}/{p.relative_to(docs).as_posix()}": p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    files.update({f"{TREE_DOCS}/{rel}": content for rel, content in tree.files.items()})
    files[TREE_CONFIG] = tree_config(config, extra=tree.extra).encode()
    write_folder(files, out_dir)
    return len(files)
