"""The lecture's public anchors (``docs/anchors.toml``) and the link listings made from them.

Other course sites link into the lecture by name through two files at the site root:

- ``objects.inv``, a Sphinx inventory (version 2), read by Sphinx's intersphinx, Jupyter
  Book and mkdocstrings/autorefs;
- ``links.json``, the same anchors as plain JSON for any other tool.

Everything here is pure: it reads the contract file and returns bytes.
"""

from __future__ import annotations

import json
import re
import tomllib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kl.errors import DataError

KINDS = ("section", "figure", "formula", "exercise")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
# Each kind's ids carry its prefix, so one id never names two kinds of thing.
PREFIXES = {"figure": "fig-", "formula": "eq-", "exercise": "exercise-"}
SPHINX_ROLE = "std:label"
SPHINX_PRIORITY = -1  # what Sphinx itself writes for std:label


@dataclass(frozen=True)
class Anchor:
    """One public anchor: the HTML id ``id`` on the page ``page`` (its path in docs/)."""

    id: str
    kind: str
    page: str
    title: str

    def href(self, *, directory_urls: bool = True) -> str:
        """The anchor's address relative to the site root, e.g. ``formulas/#eq-entropy``."""
        return f"{page_url(self.page, directory_urls=directory_urls)}#{self.id}"


def page_url(page: str, *, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page ``page`` (a path in docs/), relative to the site root:
    ``index.md`` -> ``""``, ``formulas.md`` -> ``formulas/`` (``formulas.html`` without
    directory URLs). Raises ValueError for a path that is not a Markdown page."""
    if not page.endswith(".md"):
        raise ValueError(f"{page!r} is not a Markdown page")
    stem = page.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    if name == "index":
        return prefix if directory_urls else f"{prefix}index.html"
    return f"{prefix}{name}/" if directory_urls else f"{prefix}{name}.html"


def read_anchor_contract(path: Path) -> list[Anchor]:
    """Read the anchors contract, in file order.

    The file maps each page (its path in docs/) to lists of anchors by kind (``section``,
    ``figure``, ``formula``, ``exercise``), each entry ``{ id = "...", title = "..." }``.
    Raises DataError naming the file and the entry for unreadable TOML, an unknown kind, a
    missing title, or an id that is malformed, repeated or lacks its kind's prefix.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML: {exc}") from None
    anchors: list[Anchor] = []
    seen: set[str] = set()
    for page, kinds in raw.items():
        where = f"{path}: [{page!r}]"
        if not page.endswith(".md") or not isinstance(kinds, dict):
            raise DataError(f"{where}: expected a table named after a page in docs/ (*.md)")
        for kind, entries in kinds.items():
            if kind not in KINDS:
                raise DataError(f"{where}: unknown kind {kind!r} (expected one of {KINDS})")
            if not isinstance(entries, list):
                raise DataError(f"{where}.{kind}: expected a list")
            for entry in entries:
                anchor = _anchor(entry, kind, page, where=f"{where}.{kind}")
                if anchor.id in seen:
                    raise DataError(f"{where}.{kind}: id {anchor.id!r} is already listed")
                seen.add(anchor.id)
                anchors.append(anchor)
    return anchors


def _anchor(entry: Any, kind: str, page: str, *, where: str) -> Anchor:
    if not (isinstance(entry, dict) and set(entry) == {"id", "title"}):
        raise DataError(f"{where}: expected {{ id = ..., title = ... }}, got {entry!r}")
    anchor_id, title = entry["id"], entry["title"]
    if not (isinstance(anchor_id, str) and ID_PATTERN.match(anchor_id)):
        raise DataError(f"{where}: id {anchor_id!r} must be lower-case letters, digits, dashes")
    if not (isinstance(title, str) and title.strip()):
        raise DataError(f"{where}: {anchor_id!r} needs a non-empty title")
    implied = next((k for k, prefix in PREFIXES.items() if anchor_id.startswith(prefix)), "section")
    if implied != kind:
        rule = ", ".join(f"{k} ids start with {p!r}" for k, p in PREFIXES.items())
        raise DataError(f"{where}: {anchor_id!r} is not a {kind} id ({rule})")
    return Anchor(id=anchor_id, kind=kind, page=page, title=" ".join(title.split()))


def sphinx_inventory(
    anchors: Sequence[Anchor], *, project: str, version: str, directory_urls: bool = True
) -> bytes:
    """A Sphinx inventory (``objects.inv``, format version 2) listing every anchor as a
    ``std:label`` whose URI is relative to the site root; Sphinx joins it to the base URL
    given in ``intersphinx_mapping``."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {_one_line(project)}\n"
        f"# Version: {_one_line(version)}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(
        f"{a.id} {SPHINX_ROLE} {SPHINX_PRIORITY} {a.href(directory_urls=directory_urls)} "
        f"{a.title}\n"
        for a in anchors
    )
    return header.encode() + zlib.compress(lines.encode(), 9)


def links_manifest(
    anchors: Sequence[Anchor], *, project: str, site_url: str, directory_urls: bool = True
) -> bytes:
    """``links.json``: each anchor's id, kind, title, page and URL. URLs are absolute when
    ``site_url`` is given (``""`` for none), else relative to the site root."""
    base = site_url if not site_url or site_url.endswith("/") else f"{site_url}/"
    manifest = {
        "project": project,
        "site_url": base or None,
        "anchors": [
            {
                "id": a.id,
                "kind": a.kind,
                "title": a.title,
                "page": a.page,
                "url": base + a.href(directory_urls=directory_urls),
            }
            for a in anchors
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def link_listings(
    anchors: Sequence[Anchor],
    *,
    project: str,
    version: str,
    site_url: str,
    directory_urls: bool = True,
) -> dict[str, bytes]:
    """The files other sites link through, by their path at the site root: ``objects.inv``
    and ``links.json``."""
    return {
        "objects.inv": sphinx_inventory(
            anchors, project=project, version=version, directory_urls=directory_urls
        ),
        "links.json": links_manifest(
            anchors, project=project, site_url=site_url, directory_urls=directory_urls
        ),
    }
