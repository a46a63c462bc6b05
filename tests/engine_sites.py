"""The docs tree `kl tree` writes, published by MkDocs and by Zensical, and the two compared.

Both sites must carry every public anchor (tests/public_anchors.py and docs/anchors.toml)
on its page, the same pages, the same sections in their search indexes, and on each page
the same title and the same text in its article (what a reader reads or hears: text, alt
texts, titles, labels). What lies around the article (header, navigation, footer) and
the search index's format are each engine's own.

    python -m tests.engine_sites TREE_DIR    write the tree, build it with both, compare
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kl.build.inventory import page_url, read_anchor_contract
from tests.public_anchors import FIGURES, FORMULAS, SECTIONS

ROOT = Path(__file__).resolve().parent.parent
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Where each engine publishes the tree, inside it (Zensical's site_dir must be inside it).
SITES = {"mkdocs": "site-mkdocs", "zensical": "site"}
COMMANDS = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", SITES["mkdocs"]],
    "zensical": [sys.executable, "-m", "zensical", "build", "--strict"],
}
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
ID = re.compile(r"""\bid=["']([^"']+)["']""")


def run(command: list[str], cwd: Path, **env: str) -> None:
    """Run ``command`` in ``cwd`` with ``env`` added; raise with its output if it fails."""
    environment = {**os.environ, **QUIET, **env}
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=environment, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def write_tree(root: Path, tree: Path) -> None:
    run([sys.executable, "-m", "kl", "--root", str(root), "tree", str(tree)], cwd=root)


def publish(tree: Path, engine: str) -> Path:
    """Build ``tree`` with ``engine`` ("mkdocs" or "zensical"); the site's folder."""
    run(COMMANDS[engine], cwd=tree)
    return tree / SITES[engine]


class ReadText(HTMLParser):
    """What a reader reads or hears: text outside scripts and styles, and the alt, title
    and aria-label of each element, as one line."""

    SKIPPED = frozenset({"script", "style"})
    SPOKEN = ("alt", "title", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in self.SKIPPED
        self.parts.extend(v for k, v in attrs if k in self.SPOKEN and v)

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in self.SKIPPED

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def article_text(html: str) -> str:
    """The text of the page's article, whitespace collapsed ("" if it has none)."""
    match = ARTICLE.search(html)
    parser = ReadText()
    parser.feed(match.group(1) if match else "")
    parser.close()
    return " ".join(" ".join(parser.parts).split())


# The anchors as first published, whichever page now has them.
FIRST_PUBLISHED = {*SECTIONS, *(f"fig-{f}" for f in FIGURES), *FORMULAS}


def contract_anchors() -> dict[str, set[str]]:
    """Each page's anchors in docs/anchors.toml: its path below the site root -> ids."""
    by_page: dict[str, set[str]] = {}
    for anchor in read_anchor_contract(ROOT / "docs" / "anchors.toml"):
        by_page.setdefault(_html_file(page_url(anchor.page)), set()).add(anchor.id)
    return by_page


def _html_file(url: str) -> str:
    return f"{url}index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True)
class Difference:
    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


def _first_difference(a: str, b: str) -> str:
    pairs = enumerate(zip(a, b, strict=False))
    at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    return f"...{a[max(0, at - 60) : at + 60]!r} against ...{b[max(0, at - 60) : at + 60]!r}"


# Each engine's search index: its file and the key of its list of sections.
SEARCH_INDEXES = (("search/search_index.json", "docs"), ("search.json", "items"))


def search_sections(site: Path) -> list[str]:
    """The addresses of the sections the site's search index holds, sorted."""
    for name, key in SEARCH_INDEXES:
        if (site / name).is_file():
            index = json.loads((site / name).read_text(encoding="utf-8"))
            return sorted(section["location"] for section in index[key])
    return []


def compare_sites(first: Path, second: Path) -> list[Difference]:
    """How the site in ``second`` differs from the one in ``first``, and what either lacks
    of the public anchors: nothing when both publish the same lecture. (A page with no
    article, such as a redirect, is compared by its title.)"""
    pages = {p.relative_to(first).as_posix() for p in first.rglob("*.html")}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*.html")}
    found = [Difference(p, "only in one of the sites") for p in sorted(pages ^ others)]
    for site in (first, second):
        ids = {p: set(ID.findall(p.read_text(encoding="utf-8"))) for p in site.rglob("*.html")}
        for page, wanted in sorted(contract_anchors().items()):
            missing = sorted(wanted - ids.get(site / page, set()))
            if missing:
                found.append(Difference(f"{site.name}/{page}", f"no anchor {', '.join(missing)}"))
        lost = sorted(FIRST_PUBLISHED - set().union(*ids.values()))
        if lost:
            found.append(Difference(site.name, f"no page has the anchor {', '.join(lost)}"))
    sections = search_sections(first), search_sections(second)
    if not sections[0] or sections[0] != sections[1]:
        lost = sorted(set(sections[0]) ^ set(sections[1])) or ["(none indexed)"]
        found.append(Difference("search", f"sections differ: {', '.join(lost)}"))
    for page in sorted(pages & others):
        a, b = ((s / page).read_text(encoding="utf-8") for s in (first, second))
        titles = [" ".join(m.group(1).split()) if m else "" for m in map(TITLE.search, (a, b))]
        if titles[0] != titles[1]:
            found.append(Difference(page, f"titles {titles[0]!r} and {titles[1]!r}"))
        texts = article_text(a), article_text(b)
        if texts[0] != texts[1]:
            found.append(Difference(page, f"article text {_first_difference(*texts)}"))
    return found


def main(argv: list[str]) -> int:
    tree = Path(argv[0]).resolve()
    write_tree(ROOT, tree)
    sites = [publish(tree, engine) for engine in SITES]
    differences = compare_sites(*sites)
    for difference in differences:
        print(difference, file=sys.stderr)
    if differences:
        print(f"{len(differences)} difference(s) between the two sites", file=sys.stderr)
        return 1
    print(f"{' and '.join(str(s) for s in sites)}: the same pages, anchors and text")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
