"""The files `kl.site.tree.make_pages` makes, kept whole in the build cache, so that a build
in which no source changed neither loads nor runs the machinery that makes them (the data's
checks, the parts' cache keys, the templating of every page, caption and alt text).

The entry is keyed by everything the files are made from: every file below ``docs/`` and
``figures/``, the code of `kl`, the versions of Python and of the libraries whose output the
files hold, and the site settings the tree uses. It holds the pages and the link listings,
and where the build cache keeps the figures' files (`kl.site.tree.SiteTree.figure_entries`):
those are read from their own entries, each checked against its digests, so that a figure
entry that is damaged (reported, as `kl.build.cache.FileCache` does) or gone makes the
files anew.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kl
from kl.build.cache import FileCache, cache_key, library_versions, source_digest
from kl.build.project import Project
from kl.site.config import SiteConfig

if TYPE_CHECKING:
    from kl.build.artifacts import Progress, Workers

PAGES_FILE = "pages.pickle"
SOURCES = ("docs", "figures")  # the folders below the project's root the files come from
DISTRIBUTIONS = ("kl-lecture", "jinja2", "markupsafe")  # besides kl.build.cache.LIBRARIES
Files = dict[str, bytes]


def _folder_digest(folder: Path) -> str:
    """SHA-256 over the relative names and contents of the files below ``folder``."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _key(project: Project, config: SiteConfig) -> str:
    return cache_key(
        [
            "docs-tree-pages",
            sys.version,
            source_digest(Path(kl.__file__).parent),
            library_versions(),
            *(f"{name}={version(name)}" for name in DISTRIBUTIONS),
            repr((config.site_name, config.site_url, config.use_directory_urls)),
            *(_folder_digest(project.root / name) for name in SOURCES),
        ]
    )


def _figure_files(cache: FileCache, entries: dict[str, tuple[str, ...]]) -> Files | None:
    """The figures' files from their cache entries, or None if one is damaged or gone."""
    files: Files = {}
    for key, names in entries.items():
        stored = cache.get(key, names)
        if stored is None:
            return None
        files.update({f"figures/{name}": content for name, content in stored.items()})
    return files


def cached_pages(
    project: Project,
    config: SiteConfig,
    *,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> tuple[Files, dict[str, Any]]:
    """`kl.site.tree.make_pages`' files (in its order) and theme settings, from the build
    cache when no source changed since they were kept, else made (as `make_pages` says:
    the same errors) and kept."""
    cache = FileCache(project.cache_dir)
    key = _key(project, config)
    stored = cache.get(key, [PAGES_FILE])
    if stored is not None:
        order, kept, extra, entries = pickle.loads(stored[PAGES_FILE])
        figures = _figure_files(cache, entries)
        if figures is not None:
            found = {**kept, **figures}
            return {name: found[name] for name in order}, extra
    from kl.site.tree import make_pages

    tree = make_pages(project, config, progress=progress, workers=workers)
    kept = {name: b for name, b in tree.files.items() if not name.startswith("figures/")}
    made = (list(tree.files), kept, tree.extra, tree.figure_entries)
    cache.put(key, {PAGES_FILE: pickle.dumps(made)}, replace=True)
    return tree.files, tree.extra
