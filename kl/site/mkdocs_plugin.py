"""The lecture's MkDocs plugin, ``kl``: the only module of the project that imports MkDocs.

MkDocs' authoring build (``mkdocs build``, ``mkdocs serve``) publishes the same docs tree
as any other engine (`kl.site.tree`); this plugin is what MkDocs needs around it:

- before each build in which the code of `kl` is not what the last one ran (for the first,
  what MkDocs started with), it drops `kl` and the figure modules from ``sys.modules``, so
  that under ``mkdocs serve`` the gen-files step (scripts/gen_pages.py, run next) imports
  them afresh and an edit shows up without a restart (a figure module is loaded afresh by
  each drawing anyway);
- under ``mkdocs serve`` it keeps the build's worker processes from one rebuild to the
  next (`kl.build.artifacts.WarmWorkers`: matplotlib imported once), and starts new ones when the
  code of `kl` changed (an edited figure module needs none: each drawing loads it anew);
- it keeps each page's converted Markdown and search index entries in the build cache
  (and in memory through a ``mkdocs serve`` session: `kl.site.conversion_cache`), so that
  a build converts and indexes only the pages whose Markdown changed, or that read
  something that did;
- `add_tree`, which that step calls, puts the tree's files into the build, and ends the
  build with a mistake in the sources as one line (a `PluginError`, no traceback); the
  figures not in the build cache are still being drawn then: their files go in empty, are
  left out of what MkDocs writes once it has rendered the pages (`on_env`), and are
  written into the site when drawn, after the pages (`on_post_build`); or the build fails
  there with the drawing's one line, and takes back what it wrote;
- at the start of a build (not of a rebuild under ``mkdocs serve``), it compiles the
  templates in a process of its own, while this one imports what the build needs
  (`kl.site.tree.start_compiling_templates`);
- it hands Material's search each page with its formulas as text
  (`kl.site.search_text`): the same index, without parsing every tag of their MathML;
- it keeps the theme's compiled templates in the build cache (`_cache_theme_templates`);
- once every page is rendered, it puts in place of the math font the font cut down to
  the glyphs of the pages' formulas (`kl.build.mathfont.math_font`), as the tree has it;
- a mistake MkDocs meets itself, such as a formula in a page it renders, has its message
  logged by MkDocs with the page; the plugin then ends the build with MkDocs' own abort
  instead of a traceback.

KL_TRACEBACK=1 shows Python's traceback in both cases.
"""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from kl.build.artifacts import WarmWorkers
    from kl.build.cache import FileCache
    from kl.build.project import Project
    from kl.site.conversion_cache import IndexedPages, RenderedPages
    from kl.site.pages_cache import LaterFigures

OpenFile = Callable[[str, str], IO[Any]]
TRACEBACK_HINT = "KL_TRACEBACK=1 shows a traceback"
THEME_TEMPLATES = "theme-templates"  # where the build cache keeps the theme's compiled code


def _is_kl_error(error: BaseException) -> bool:
    # By name: `mkdocs serve` reloads kl, so the class object may not be the one imported here.
    return any(c.__module__ == "kl.errors" and c.__name__ == "KLError" for c in type(error).__mro__)


def _traceback_wanted() -> bool:
    from kl.errors import traceback_wanted

    return traceback_wanted()


def _kl_source() -> str:
    """The digest of `kl`'s code as it is on disk (`kl.build.cache.source_digest`)."""
    import kl
    from kl.build.cache import source_digest

    return source_digest(Path(kl.__file__).parent)


def add_tree(config: MkDocsConfig, open_file: OpenFile) -> None:
    """Put the lecture's docs tree (`kl.site.tree.make_pages`, kept in the build cache by
    `kl.site.pages_cache`) into the build of ``config`` through ``open_file`` (gen-files'
    ``open``), and the theme's settings into its extra."""
    from kl.site.config import read_site_config
    from kl.site.pages_cache import cached_pages

    config_file = Path(config.config_file_path)
    log = logging.getLogger("mkdocs.plugins.kl")
    plugin = config.plugins.get("kl")
    # By name: `mkdocs serve` reloads this module, but keeps the plugin made at its start.
    warm = getattr(plugin, "warm_workers", None)
    with _one_line_errors():
        files, extra, later = cached_pages(
            _project(config),
            read_site_config(config_file),
            progress=log.info,
            workers=warm() if warm is not None else None,
        )
        if plugin is not None and hasattr(plugin, "later_figures"):
            plugin.later_figures = later  # written by its on_post_build
        else:
            files.update(later.finish())
    config.extra.update(extra)
    for rel, content in files.items():
        with open_file(rel, "wb") as f:
            f.write(content)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """A `kl.errors.KLError` raised inside becomes a PluginError: one line, no traceback."""
    try:
        yield
    except Exception as exc:
        if not _is_kl_error(exc) or _traceback_wanted():
            raise  # MkDocs prints the traceback of anything that is not its own error
        raise PluginError(f"kl: {exc} ({TRACEBACK_HINT})") from None


class _SearchedPage:
    """A page as the search indexer is given it: its formulas as text
    (`kl.site.search_text.formulas_as_text`), everything else the page's own."""

    def __init__(self, page: Any) -> None:
        from kl.site.search_text import formulas_as_text

        self._page = page
        self.content = formulas_as_text(page.content or "")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


SEARCH_PLUGIN = "material/search"


def _cache_theme_templates(config: MkDocsConfig) -> None:
    """Give each Jinja environment the theme makes for this build (MkDocs' own, and the
    one Material's search makes to read the theme's translations) a cache of compiled
    templates in the build cache: made anew for each build, each would compile every
    template it renders again (a quarter of a rebuild's time under ``mkdocs serve``)."""
    from kl.build.templating import bytecode_cache

    theme = config.theme
    make = theme.get_env
    folder = _project(config).cache_dir / THEME_TEMPLATES

    def get_env() -> Any:
        env = make()
        env.bytecode_cache = bytecode_cache(folder)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _compile_theme_templates(config: MkDocsConfig) -> None:
    """Compile the templates a build renders with the theme (its pages' template and its
    static templates, with what they include) into the cache `_cache_theme_templates`
    gives it."""
    from kl.build.templating import compile_named

    compile_named(config.theme.get_env(), ["main.html", *config.theme.static_templates])


def _index_formulas_as_text(config: MkDocsConfig) -> None:
    """Have Material's search index each page with its formulas as text: the same index,
    without parsing every tag of their MathML. The search plugin makes its index when
    it reads the config (`LecturePlugin.on_pre_build` runs after that)."""
    index = getattr(config.plugins.get(SEARCH_PLUGIN), "search_index", None)
    add = getattr(index, "add_entry_from_context", None)
    if add is None or getattr(add, "formulas_as_text", False):
        return

    def add_entry(page: Any) -> None:
        add(_SearchedPage(page))

    add_entry.formulas_as_text = True  # type: ignore[attr-defined]
    index.add_entry_from_context = add_entry  # type: ignore[union-attr]


class LecturePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """``plugins: - kl`` in mkdocs.yml (registered by pyproject.toml). Having `on_startup`,
    it is one object for a whole ``mkdocs serve`` session."""

    serving = False
    dirty = False  # a --dirty build: MkDocs writes over the site instead of emptying it first
    _workers: WarmWorkers | None = None
    _source: str | None = None  # the digest of the kl code loaded
    rendered: RenderedPages | None = None  # the pages' converted Markdown
    later_figures: LaterFigures | None = None  # the figures `add_tree` left to draw
    _held: tuple[File, ...] = ()  # their files, which `on_env` took out of MkDocs' files
    indexed: IndexedPages | None = None  # and their search index entries
    _compiling: BaseProcess | None = None  # the templates' compiling, if it was started

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        self._source = _kl_source()  # what was imported to start is the code as it is
        self.rendered = self.indexed = None
        # The command's process frees what is left when it exits; Python's collections at
        # exit would first walk every object still there (after a cold build, matplotlib's,
        # scipy's and the build's own: a third of a second).
        atexit.register(gc.freeze)

    def warm_workers(self) -> WarmWorkers | None:
        """Under ``mkdocs serve``, the workers kept for this session, new ones (the old
        ended) when `kl`'s code is not what they were started with; None otherwise."""
        if not self.serving:
            return None
        from kl.build.artifacts import PACKAGE_DIR, WarmWorkers
        from kl.build.cache import source_digest

        source = source_digest(PACKAGE_DIR)
        if self._workers is None or self._workers.source != source:
            self._close_workers()
            self._workers = WarmWorkers(os.cpu_count() or 1, source)
            self._workers.warm_up()
        return self._workers

    def on_shutdown(self) -> None:
        self.rendered = self.indexed = None
        self._cancel_figures()
        self._close_workers()
        self._end_compiling()

    def _close_workers(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    @event_priority(100)  # before the search plugin's, which renders theme templates
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _cache_theme_templates(config)
        self._end_compiling()
        if not self.serving:  # a rebuild under serve has at most the section edited to compile
            from kl.site.tree import start_compiling_templates

            theme = functools.partial(_compile_theme_templates, config)
            self._compiling = start_compiling_templates(_project(config), also=theme)
        return config

    def _end_compiling(self) -> None:
        """Wait for the templates' compiling started by `on_config`, if it was."""
        if self._compiling is not None:
            self._compiling.join()
            self._compiling = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        _index_formulas_as_text(config)
        self._cancel_figures()  # any left by a build that ended before its on_post_build
        source = _kl_source()
        if source == self._source:
            return  # the modules loaded are the code as it is
        self._source = source
        stale = [m for m in sys.modules if m == "kl" or m.startswith(("kl.", "kl_figure_"))]
        for name in stale:
            del sys.modules[name]
        self.rendered = self.indexed = None  # kept anew (by the new code) from on_nav

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.rendered is None or self.indexed is None:
            from mkdocs.structure.toc import get_toc

            from kl.site.conversion_cache import IndexedPages, RenderedPages

            self.rendered, self.indexed = RenderedPages(get_toc), IndexedPages()
        context = _conversion_context(config, files, self._source or "")
        self.rendered.start(context, _build_cache(config))
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        rendered = self.rendered
        if rendered is not None:

            def render(config: MkDocsConfig, files: Files) -> None:
                rendered.render(page, lambda: Page.render(page, config, files), files)

            page.render = render  # type: ignore[method-assign]
        return page

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        from kl.build.mathfont import MATH_FONT, math_characters, math_font

        self._keep_index_entries(config)
        font = files.get_file_from_path(MATH_FONT)
        if font is not None:
            characters: set[str] = set()
            for file in files.documentation_pages():
                if file.page is not None and file.page.content is not None:
                    characters |= math_characters(file.page.content)
            with _one_line_errors():
                subset = math_font(_project(config), characters)
            files.remove(font)
            files.append(File.generated(config, MATH_FONT, content=subset))
        self._hold_figures(files)
        return env

    def _hold_figures(self, files: Files) -> None:
        """Take the figures `add_tree` left to draw out of the files MkDocs writes next:
        it writes the pages while they are drawn, and `on_post_build` writes them."""
        names = self.later_figures.names if self.later_figures is not None else []
        self._held = tuple(f for f in map(files.get_file_from_path, names) if f is not None)
        for file in self._held:
            files.remove(file)

    @event_priority(100)  # first: the site is whole for the plugins after it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the figures `on_env` held back into the site, once they are drawn. If
        drawing one failed, the build fails with the drawing's one line and the site
        folder is left as a build that fails earlier leaves it: emptied, as MkDocs empties
        it at the start (but for a ``--dirty`` build, which writes over what is there)."""
        later, self.later_figures = self.later_figures, None
        held, self._held = self._held, ()
        if later is None:
            return
        try:
            with _one_line_errors():
                drawn = later.finish()
        except Exception:
            if not self.dirty:
                clean_directory(config.site_dir)
            raise
        for file in held:
            file.content_bytes = drawn[file.src_uri]
            file.copy_file()  # as MkDocs writes a file (its folders made)

    def _cancel_figures(self) -> None:
        later, self.later_figures = self.later_figures, None
        if later is not None:
            later.cancel()

    def _keep_index_entries(self, config: MkDocsConfig) -> None:
        """Index each page through `indexed` (Material's search plugin indexes the pages
        next, each as the theme renders it)."""
        indexed = self.indexed
        if indexed is None:
            return
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return
        settings = repr(sorted(search.config.items(), key=str))  # type: ignore[union-attr]
        indexed.start([settings, self._source or ""], _build_cache(config))
        index_page = index.add_entry_from_context
        index.add_entry_from_context = lambda page: indexed.add(page, index.entries, index_page)

    def on_build_error(self, *, error: Exception) -> None:
        self._cancel_figures()
        if _is_kl_error(error) and not _traceback_wanted():
            raise Abort(f"Aborted with an error in the sources ({TRACEBACK_HINT}).")


def _project(config: MkDocsConfig) -> Project:
    """The project whose mkdocs.yml ``config`` is."""
    from kl.build.project import Project

    return Project(Path(config.config_file_path).parent)


def _build_cache(config: MkDocsConfig) -> FileCache:
    """The project's build cache (``.cache/kl`` beside mkdocs.yml, or KL_CACHE_DIR)."""
    from kl.build.cache import FileCache

    return FileCache(_project(config).cache_dir)


def _conversion_context(config: MkDocsConfig, files: Files, source: str) -> list[str | bytes]:
    """What converting a page's Markdown reads besides the page (`kl.site.conversion_cache`):
    the files' paths and addresses, the extensions' settings and the files and folders
    they name (but the math cache, which holds what they make), validation, whether
    MkDocs notes the links to anchors (not when it logs debug messages), kl's code. A path
    below the config's folder counts from it, so a copy of the project has the same."""
    from kl.build.cache import cache_key
    from kl.site.config import CONFIG_DIR
    from kl.site.pages_cache import combined_digest, file_digests

    root = Path(config.config_file_path).parent
    settings = _plain(config.mdx_configs or {}, root)
    parts: list[str | bytes] = [
        source,
        repr(config.markdown_extensions),
        repr(settings),
        repr(config.validation),
        repr(config.use_directory_urls),
        repr(pages.log.getEffectiveLevel() > logging.DEBUG),
        *(f"{f.src_uri}\0{f.url}\0{f.dest_uri}\0{f.inclusion}" for f in sorted(files, key=str)),
    ]
    for extension, options in sorted(settings.items()):
        for name, value in sorted(options.items()):
            if name != "cache_dir" and isinstance(value, str) and value:
                below = value.startswith(CONFIG_DIR)
                path = root / value.removeprefix(CONFIG_DIR) if below else Path(value)
                if path.is_file():
                    parts.append(cache_key([extension, name, path.read_bytes()]))
                elif path.is_dir():
                    parts.append(cache_key([extension, name, combined_digest(file_digests(path))]))
    return parts


def _plain(value: Any, root: Path) -> Any:
    """Settings as plain values: a path (MkDocs' ``!relative``) as its string, below
    ``root`` as ``$config_dir/...``."""
    from kl.site.config import CONFIG_DIR

    if isinstance(value, os.PathLike):
        path = Path(value)
        if path.is_relative_to(root):
            return f"{CONFIG_DIR}{path.relative_to(root).as_posix()}"
        return os.fspath(path)
    if isinstance(value, dict):
        return {k: _plain(v, root) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, root) for v in value]
    return value
