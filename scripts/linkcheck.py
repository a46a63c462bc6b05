"""Check the internal links of a built site: no broken link, image or anchor.

    python scripts/linkcheck.py site/

Every href, src, srcset, poster and data in every HTML page, and every url() in every
CSS file, that points inside the site must name a file that exists (a folder means its
index.html), and a #fragment pointing at an HTML page must name an id (or an <a name>)
in that page. A path that starts with "/" is taken from the site's root (MkDocs writes
such links in 404.html, which is served at any address). Links to other hosts (http:,
https:, //host, mailto:, data:, ...) are not followed: the check needs no network.
Exit status 1 if anything is broken.
"""

from __future__ import annotations

import posixpath
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "data"})
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


@dataclass(frozen=True)
class BrokenLink:
    """A link in ``source`` (a path relative to the site) that leads nowhere."""

    source: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.url}: {self.problem}"


class PageScan(HTMLParser):
    """The ids a page defines and the URLs it refers to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in URL_ATTRIBUTES or name == "xlink:href":
                self.urls.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())


def _scan(page: Path) -> PageScan:
    scan = PageScan()
    scan.feed(page.read_text(encoding="utf-8"))
    scan.close()
    return scan


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def check_site(site: Path) -> list[BrokenLink]:
    """Every broken internal link, image or anchor in the site built in ``site``."""
    pages = {p.relative_to(site).as_posix(): _scan(p) for p in sorted(site.rglob("*.html"))}
    sources = {rel: scan.urls for rel, scan in pages.items()}
    for css in sorted(site.rglob("*.css")):
        urls = [m.group(2) for m in CSS_URL.finditer(css.read_text(encoding="utf-8"))]
        sources[css.relative_to(site).as_posix()] = urls
    broken: list[BrokenLink] = []
    for source, urls in sources.items():
        for url in urls:
            problem = _problem(site, pages, source, url)
            if problem:
                broken.append(BrokenLink(source, url, problem))
    return broken


def _problem(site: Path, pages: dict[str, PageScan], source: str, url: str) -> str | None:
    if _is_external(url):
        return None
    parts = urlsplit(url)
    path = unquote(parts.path)
    start = "" if path.startswith("/") else posixpath.dirname(source)
    target = posixpath.normpath(posixpath.join(start, path.lstrip("/"))) if path else source
    if target == ".." or target.startswith("../"):
        return "points outside the site"
    if (site / target).is_dir():
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    if not (site / target).is_file():
        return f"no such file {target}"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id {fragment!r} in {target}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python scripts/linkcheck.py SITE_DIR", file=sys.stderr)
        return 2
    broken = check_site(Path(args[0]))
    for link in broken:
        print(link)
    print(f"{len(broken)} broken link(s)" if broken else "no broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
