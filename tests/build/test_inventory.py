"""kl.build.inventory: the anchors contract and the listings made from it."""

from __future__ import annotations

import io
import json
import posixpath
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

from kl.build.inventory import (
    Anchor,
    link_listings,
    links_manifest,
    page_url,
    read_anchor_contract,
    sphinx_inventory,
)
from kl.errors import DataError
from tests.conftest import ROOT
from tests.public_anchors import FIGURES, FORMULAS, SECTIONS

CONTRACT = ROOT / "docs" / "anchors.toml"

SAMPLE = [
    Anchor(id="forest-example", kind="section", page="index.md", title="The forest example"),
    Anchor(id="fig-hero", kind="figure", page="index.md", title="KL at a glance"),
    Anchor(id="eq-entropy", kind="formula", page="formulas.md", title="Entropy"),
    Anchor(id="exercise-asymmetry", kind="exercise", page="notes/index.md", title="Asymmetry"),
]


def _inventory(data: bytes, uri: str) -> dict[str, dict[str, object]]:
    return dict(InventoryFile.load(io.BytesIO(data), uri, posixpath.join))


def _contract(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "anchors.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("page", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("index.md", False, "index.html"),
        ("formulas.md", True, "formulas/"),
        ("formulas.md", False, "formulas.html"),
        ("notes/index.md", True, "notes/"),
        ("notes/index.md", False, "notes/index.html"),
        ("notes/week-1.md", True, "notes/week-1/"),
    ],
)
def test_page_url_follows_mkdocs(page: str, directory_urls: bool, url: str) -> None:
    assert page_url(page, directory_urls=directory_urls) == url


def test_page_url_rejects_a_file_that_is_not_a_page() -> None:
    with pytest.raises(ValueError, match="not a Markdown page"):
        page_url("figures/hero.svg")


def test_the_contract_lists_every_promised_anchor_on_its_page() -> None:
    anchors = read_anchor_contract(CONTRACT)
    where = {(a.kind, a.id): a.page for a in anchors}
    for section in SECTIONS:
        assert where.pop(("section", section)) == "index.md"
    for figure in FIGURES:
        assert where.pop(("figure", f"fig-{figure}")) == "index.md"
    for formula in FORMULAS:
        assert where.pop(("formula", formula)) == "formulas.md"
    assert {kind for kind, _ in where} <= {"exercise"}
    assert all(a.title for a in anchors)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["index.md"]\nsection = [', "not valid TOML"),
        ('["index"]\nsection = []', "a page in docs/"),
        ('["index.md"]\nheading = []', "unknown kind 'heading'"),
        ('["index.md"]\nsection = { id = "recap" }', "expected a list"),
        ('["index.md"]\nsection = ["recap"]', "expected { id = ..., title = ... }"),
        ('["index.md"]\nsection = [{ id = "recap", title = " " }]', "non-empty title"),
        ('["index.md"]\nsection = [{ id = "Recap", title = "R" }]', "lower-case"),
        ('["index.md"]\nfigure = [{ id = "hero", title = "H" }]', "not a figure id"),
        ('["index.md"]\nsection = [{ id = "eq-x", title = "X" }]', "not a section id"),
        ('["a.md"]\nformula = [{ id = "fig-x", title = "X" }]', "not a formula id"),
        (
            '["a.md"]\nsection = [{ id = "x", title = "X" }]\n'
            '["b.md"]\nsection = [{ id = "x", title = "Y" }]',
            "'x' is already listed",
        ),
    ],
)
def test_a_broken_contract_names_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _contract(tmp_path, text)
    with pytest.raises(DataError, match=message) as error:
        read_anchor_contract(path)
    assert str(path) in str(error.value)


def test_a_missing_contract_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        read_anchor_contract(tmp_path / "anchors.toml")


def test_titles_keep_file_order_and_lose_stray_whitespace(tmp_path: Path) -> None:
    path = _contract(
        tmp_path,
        '["index.md"]\nsection = [\n  { id = "b", title = "Second  one\\n" },\n'
        '  { id = "a", title = "First" },\n]\n',
    )
    assert read_anchor_contract(path) == [
        Anchor(id="b", kind="section", page="index.md", title="Second one"),
        Anchor(id="a", kind="section", page="index.md", title="First"),
    ]


def test_sphinx_reads_the_inventory_with_every_anchor_url_and_title() -> None:
    data = sphinx_inventory(SAMPLE, project="Lecture 34: KL Divergence", version="1.2")
    labels = _inventory(data, "https://example.org/courses/l34")["std:label"]
    assert set(labels) == {a.id for a in SAMPLE}
    item = labels["forest-example"]
    assert item.uri == "https://example.org/courses/l34/#forest-example"
    assert item.display_name == "The forest example"
    assert item.project_name == "Lecture 34: KL Divergence"
    assert item.project_version == "1.2"
    assert labels["eq-entropy"].uri == "https://example.org/courses/l34/formulas/#eq-entropy"
    assert labels["exercise-asymmetry"].uri.endswith("/notes/#exercise-asymmetry")


def test_inventory_urls_follow_directory_urls_setting() -> None:
    data = sphinx_inventory(SAMPLE, project="L", version="", directory_urls=False)
    labels = _inventory(data, "site")["std:label"]
    assert labels["eq-entropy"].uri == "site/formulas.html#eq-entropy"
    assert labels["fig-hero"].uri == "site/index.html#fig-hero"


def test_inventory_header_is_version_2_on_one_line_each() -> None:
    data = sphinx_inventory(SAMPLE, project="Two\nlines", version="0.1")
    header = data.split(b"\n", 4)[:4]
    assert header == [
        b"# Sphinx inventory version 2",
        b"# Project: Two lines",
        b"# Version: 0.1",
        b"# The remainder of this file is compressed using zlib.",
    ]


def test_links_manifest_gives_absolute_urls_under_the_site_url() -> None:
    manifest = json.loads(
        links_manifest(SAMPLE, project="L34", site_url="https://example.org/courses/l34")
    )
    assert manifest["site_url"] == "https://example.org/courses/l34/"
    assert manifest["anchors"][0] == {
        "id": "forest-example",
        "kind": "section",
        "title": "The forest example",
        "page": "index.md",
        "url": "https://example.org/courses/l34/#forest-example",
    }
    urls = [a["url"] for a in manifest["anchors"]]
    assert urls[2] == "https://example.org/courses/l34/formulas/#eq-entropy"


def test_links_manifest_without_a_site_url_is_relative_to_the_site_root() -> None:
    manifest = json.loads(links_manifest(SAMPLE, project="L34", site_url=""))
    assert manifest["site_url"] is None
    assert [a["url"] for a in manifest["anchors"]] == [
        "#forest-example",
        "#fig-hero",
        "formulas/#eq-entropy",
        "notes/#exercise-asymmetry",
    ]


def test_link_listings_are_the_two_root_files() -> None:
    files = link_listings(SAMPLE, project="L34", version="1", site_url="")
    assert files == {
        "objects.inv": sphinx_inventory(SAMPLE, project="L34", version="1"),
        "links.json": links_manifest(SAMPLE, project="L34", site_url=""),
    }
