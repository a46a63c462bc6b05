"""The files `kl.site.tree.make_pages` makes, kept in the build cache at three grains, so
that a build remakes only what its edit touched:

- the whole tree, keyed by everything the files are made from: every file below ``docs/``
  and ``figures/``, the code of `kl`, the versions of Python and of the libraries whose
  output the files hold, and the site settings the tree uses. A build in which no source
  changed takes it and neither loads nor runs the machinery that makes the files (the
  data's checks, the parts' cache keys, the templating);
- what the pages are rendered from (`kl.site.tree.PageInputs`: the lecture's values,
  tables, figures, captions and alt texts, and the link listings), keyed as the tree but
  for the pages' own texts: an edit to a page's prose leaves it as it is;
- each page, keyed by its text, the template macros, what it quotes (the values, tables
  and the interactive figures' inputs) and what it was found to show when it was
  rendered: the declaration, caption and alt text of each figure it shows, and the
  gallery's entries if it reads them. A prose edit renders the page edited; a figure
  redrawn with the same words renders no page, one whose caption changed the pages that
  show it; a data edit renders the pages when a value changed.

The figures' files are not kept in these entries but read from their own
(`kl.site.tree.SiteTree.figure_entries`), each checked against its digests, so that a
figure entry that is damaged (reported, as `kl.build.cache.FileCache` does) or gone makes
the figures anew. Figures that are not in the cache are drawn while the pages are rendered
and converted: the pages are handed on first (`LaterFigures`), and the tree and its inputs
are kept once the figures are drawn.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kl
from kl.build.cache import FileCache, cache_key, library_versions, source_digest, versions
from kl.build.project import Project
from kl.lecture.values import Number
from kl.site.config import SiteConfig

if TYPE_CHECKING:
    from kl.build.artifacts import Artifacts, Drawing, Progress, Workers
    from kl.site.tree import PageInputs

PAGES_FILE = "pages.pickle"
INPUTS_FILE = "inputs.pickle"
PAGE_FILE = "page.md"
READS_FILE = "reads.json"
SOURCES = ("docs", "figures")  # the folders below the project's root the files come from
DISTRIBUTIONS = ("kl-lecture", "jinja2", "markupsafe")  # besides kl.build.cache.LIBRARIES
Files = dict[str, bytes]
Digests = dict[str, bytes]  # a file's path below its folder -> the SHA-256 of its content


def file_digests(folder: Path) -> Digests:
    """The SHA-256 of each file below ``folder``, by its path relative to it."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).digest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def combined_digest(digests: Mapping[str, bytes]) -> str:
    """SHA-256 over the names and digests of files (`file_digests`), in name order."""
    h = hashlib.sha256()
    for name in sorted(digests):
        h.update(name.encode() + b"\0" + digests[name])
    return h.hexdigest()


@dataclasses.dataclass(frozen=True)
class _Sources:
    """The digests of the sources, read once per build: ``docs`` and ``figures`` (below
    their folders), ``pages`` the page templates among ``docs`` outside the includes."""

    docs: Digests
    figures: Digests
    includes: str  # the includes folder's path below docs/

    @classmethod
    def read(cls, project: Project) -> _Sources:
        docs = project.root / SOURCES[0]
        includes = project.includes_dir.relative_to(docs).as_posix()
        return cls(file_digests(docs), file_digests(project.root / SOURCES[1]), includes)

    def is_page(self, rel: str) -> bool:
        return rel.endswith(".md") and not rel.startswith(f"{self.includes}/")

    def tree(self) -> list[str]:
        return [combined_digest(self.docs), combined_digest(self.figures)]

    def inputs(self) -> list[str]:
        """Every source but the pages' own texts."""
        kept = {rel: d for rel, d in self.docs.items() if not self.is_page(rel)}
        return [combined_digest(kept), combined_digest(self.figures)]

    def macros(self) -> str:
        macros = {r: d for r, d in self.docs.items() if r.startswith(f"{self.includes}/")}
        return combined_digest(macros)


def _code(config: SiteConfig) -> list[str]:
    """What the files are made with: Python, `kl`'s code, the libraries, the settings."""
    return [
        sys.version,
        source_digest(Path(kl.__file__).parent),
        library_versions(),
        versions(DISTRIBUTIONS),
        repr((config.site_name, config.site_url, config.use_directory_urls)),
    ]


def _figure_files(cache: FileCache, entries: dict[str, tuple[str, ...]]) -> Files | None:
    """The figures' files from their cache entries, or None if one is damaged or gone."""
    files: Files = {}
    for key, names in entries.items():
        stored = cache.get(key, names)
        if stored is None:
            return None
        files.update({f"figures/{name}": content for name, content in stored.items()})
    return files


def _digest(obj: object) -> str:
    """SHA-256 of `_canonical` ``obj``: the same for equal content, however it was made."""
    h = hashlib.sha256()
    _canonical(obj, h.update)
    return h.hexdigest()


def _canonical(obj: object, out: Callable[[bytes], object]) -> None:
    """Write ``obj`` to ``out`` as bytes that depend on its content and types only (a
    pickle also records which parts are the same object, and so differs between values
    computed and values read back from the cache). A type this does not know is written
    as its pickle: never equal for different content."""
    kind = type(obj)
    out(f"{kind.__module__}.{kind.__qualname__}:".encode())
    if isinstance(obj, Number):  # its format is part of it
        out(repr((float(obj), obj.kind, obj.digits)).encode())
    elif isinstance(obj, float) or obj is None or isinstance(obj, bool | int):
        out(repr(obj).encode())
    elif isinstance(obj, str):
        raw = obj.encode()
        out(len(raw).to_bytes(8, "big") + raw)
    elif isinstance(obj, Mapping):
        out(len(obj).to_bytes(8, "big"))
        for key, value in obj.items():
            _canonical(key, out)
            _canonical(value, out)
    elif isinstance(obj, list | tuple):
        out(len(obj).to_bytes(8, "big"))
        for item in obj:
            _canonical(item, out)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _canonical({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, out)
    else:
        raw = pickle.dumps(obj, protocol=5)
        out(len(raw).to_bytes(8, "big") + raw)


def _quoted(artifacts: Artifacts) -> str:
    """A digest of what every page may quote of ``artifacts``: the values, the tables and
    the interactive figures' inputs."""
    return _digest((artifacts.values, artifacts.tables, artifacts.widgets))


def _shown(artifacts: Artifacts) -> dict[str, str]:
    """A digest of what a page shows of each figure, by its id: its title, sizes, caption
    and alt text (not its files: a figure redrawn with the same words renders no page)."""
    return {
        f.id: _digest((f.spec.title, f.spec.size, f.spec.narrow_size, f.caption, f.alt))
        for f in artifacts.figures
    }


@dataclasses.dataclass(frozen=True)
class _Rendered:
    """What pages are keyed by, besides their text: the digests of `_quoted` and
    `_shown`."""

    quoted: str
    shown: dict[str, str]


GALLERY = "gallery"  # what a page that reads the gallery's entries notes


class _Noted(list[Any]):
    """The gallery's entries, noting in ``reads`` that a page read them."""

    def __init__(self, entries: list[Any], reads: set[str]) -> None:
        super().__init__(entries)
        self._reads = reads

    def __iter__(self) -> Any:
        self._reads.add(GALLERY)
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self._reads.add(GALLERY)
        return super().__getitem__(index)

    def __len__(self) -> int:
        self._reads.add(GALLERY)
        return super().__len__()


@dataclasses.dataclass(frozen=True)
class LaterFigures:
    """The figures whose files `cached_pages` hands on empty, as they are still being
    drawn: ``names``, the paths of those files; ``finish()`` waits for them, keeps them
    and what was made with them in the cache and returns their files (raising what
    drawing a figure raised); ``cancel()`` stops them."""

    names: list[str] = dataclasses.field(default_factory=list)
    finish: Callable[[], Files] = dict
    cancel: Callable[[], None] = lambda: None


def _figures_of(artifacts: Artifacts) -> Files:
    return {r: b for r, b in artifacts.files.items() if r.startswith("figures/")}


def _keep_inputs(cache: FileCache, key: str, inputs: PageInputs, rendered: _Rendered) -> None:
    """Keep ``inputs`` (without the figures' files, kept in their own entries) under ``key``."""
    artifacts = dataclasses.replace(inputs.artifacts, files={})
    kept = dataclasses.replace(inputs, artifacts=artifacts)
    cache.put(key, {INPUTS_FILE: pickle.dumps((kept, rendered))}, replace=True)


def _cached_inputs(
    project: Project,
    config: SiteConfig,
    cache: FileCache,
    key: str,
    *,
    progress: Progress | None,
    workers: Workers | None,
) -> tuple[PageInputs, Files, _Rendered, Drawing | None]:
    """`kl.site.tree.make_inputs`, the figures' files and what pages are keyed by of its
    artifacts, from the cache entry ``key`` when it is there and its figures are too;
    else made with the figures not in the cache still being drawn (the `Drawing`, None
    if there are none), kept in the cache when they are all there."""
    stored = cache.get(key, [INPUTS_FILE])
    if stored is not None:
        inputs, rendered = pickle.loads(stored[INPUTS_FILE])
        figures = _figure_files(cache, inputs.artifacts.figure_entries)
        if figures is not None:
            return inputs, figures, rendered, None
    from kl.site.tree import start_inputs

    inputs, drawing = start_inputs(project, config, progress=progress, workers=workers)
    artifacts = inputs.artifacts
    rendered = _Rendered(_quoted(artifacts), _shown(artifacts))
    if not drawing.names:
        _keep_inputs(cache, key, inputs, rendered)
        return inputs, _figures_of(artifacts), rendered, None
    return inputs, _figures_of(artifacts), rendered, drawing


def _page_key(reads_key: str, reads: list[str], digests: Mapping[str, str]) -> str:
    """A page's key: its text and what every page quotes (``reads_key``), and the digests
    of what it was found to read (a figure gone since is "absent")."""
    return cache_key([reads_key, *(f"{r}\0{digests.get(r, 'absent')}" for r in reads)])


def _kept_page(cache: FileCache, reads_key: str, digests: Mapping[str, str]) -> bytes | None:
    """A page from the cache, if what it read when it was rendered is as it was then."""
    stored = cache.get(reads_key, [READS_FILE])
    if stored is None:
        return None
    key = _page_key(reads_key, json.loads(stored[READS_FILE]), digests)
    page = cache.get(key, [PAGE_FILE])
    return None if page is None else page[PAGE_FILE]


def cached_pages(
    project: Project,
    config: SiteConfig,
    *,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> tuple[Files, dict[str, Any], LaterFigures]:
    """`kl.site.tree.make_pages`' files (in its order) and theme settings, from the build
    cache where no source they are made from changed since they were kept, else made (as
    `make_pages` says: the same errors, but a figure's, which `LaterFigures.finish`
    raises) and kept. The figures not in the cache are handed on before they are drawn:
    their files are empty, and `LaterFigures` says which they are and gives them."""
    cache = FileCache(project.cache_dir)
    sources, code = _Sources.read(project), _code(config)
    key = cache_key(["docs-tree-pages", *code, *sources.tree()])
    stored = cache.get(key, [PAGES_FILE])
    if stored is not None:
        order, kept, extra, entries = pickle.loads(stored[PAGES_FILE])
        figures = _figure_files(cache, entries)
        if figures is not None:
            found = {**kept, **figures}
            return {name: found[name] for name in order}, extra, LaterFigures()

    inputs_key = cache_key(["docs-tree-inputs", *code, *sources.inputs()])
    inputs, figures, rendered, drawing = _cached_inputs(
        project, config, cache, inputs_key, progress=progress, workers=workers
    )
    from kl.build.artifacts import cancelled_on_error

    with cancelled_on_error(drawing):
        pages = _pages(project, config, cache, [*code, sources.macros()], inputs, rendered)

    from kl.site.tree import tree_files

    def keep(figures: Files) -> Files:
        """The tree's files, kept in the cache, made with ``figures``."""
        files = tree_files(pages, figures, inputs)
        kept = {name: b for name, b in files.items() if not name.startswith("figures/")}
        made = (list(files), kept, inputs.extra, inputs.artifacts.figure_entries)
        cache.put(key, {PAGES_FILE: pickle.dumps(made)}, replace=True)
        return files

    if drawing is None:
        return keep(figures), dict(inputs.extra), LaterFigures()
    names = drawing.names

    def finish() -> Files:
        drawn = _figures_of(drawing.finish(inputs.artifacts))
        _keep_inputs(cache, inputs_key, inputs, rendered)
        keep(drawn)
        return {name: drawn[name] for name in names}

    empty = {**figures, **dict.fromkeys(names, b"")}
    return (
        tree_files(pages, empty, inputs),
        dict(inputs.extra),
        LaterFigures(names, finish, drawing.cancel),
    )


def _pages(
    project: Project,
    config: SiteConfig,
    cache: FileCache,
    code: list[str],
    inputs: PageInputs,
    rendered: _Rendered,
) -> Files:
    """Every page rendered from its template, or taken from the cache if what it read
    when it was rendered is as it was then (``code``: what the files are made with and
    the template macros' digest)."""
    from kl.site.tree import gallery, make_page, page_texts

    texts = page_texts(project)
    entries = gallery(inputs, config, texts)
    read_digests = {f"figure:{fid}": d for fid, d in rendered.shown.items()}
    read_digests[GALLERY] = _digest(entries)
    with_what = ["docs-tree-page", *code, rendered.quoted]
    pages: Files = {}
    for rel, text in texts.items():
        reads_key = cache_key([*with_what, rel, text])
        page = _kept_page(cache, reads_key, read_digests)
        if page is None:
            shown: list[str] = []
            reads: set[str] = set()
            page = make_page(project, inputs, rel, text, _Noted(entries, reads), shown)
            reads.update(f"figure:{fid}" for fid in shown)
            listed = sorted(reads)
            cache.put(_page_key(reads_key, listed, read_digests), {PAGE_FILE: page})
            cache.put(reads_key, {READS_FILE: json.dumps(listed).encode()}, replace=True)
        pages[rel] = page
    return pages
