"""The whole site built from other data in docs/data/lecture.toml, as a course author might
write it: a Q that rules out an animal P allows (KL(P‖Q) = ∞), a P that rules out an
animal Q allows (KL(Q‖P) = ∞), a fourth animal, and another P. Each variant is one real
`mkdocs build` of a copy of the project (tests/datasets.py builds each once in the run);
expected numbers come from scipy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from scipy import stats

from kl.build.gallery import discover_figures
from tests.datasets import built_lecture, variant_raw
from tests.site.test_robust_build import section, visible_text
from tests.sitebuild import ROOT, shared_site

pytestmark = pytest.mark.site  # builds the site with MkDocs

Forest = dict[str, float]

# Figures drawn from the forest's P and Q; the others draw only the continuous curves.
# (zero-to-infinity is drawn from P too, but its curve depends on P only through the
# rarest animal's share, which the other-p variant leaves as it is: only its data table changes.)
FOREST_FIGURES = {
    "forest-bars",
    "code-lengths",
    "extra-bits",
    "simplex",
    "decomposition",
    "learning",
}
SAME_CURVE = "zero-to-infinity"


# The variants of tests/datasets.py these tests read, by the names they are known by here.
VARIANTS = {
    "q-zero": "q-rules-out",  # Q gives P's rarest animal 0; its share goes to the first
    "p-zero": "p-has-zero",  # P gives its rarest animal 0; its share goes to the first
    "fox": "four-animals",  # a Fox, given a tenth of each distribution's first animal's share
    "other-p": "p-70-20-10",  # P = {0.7, 0.2, 0.1} over the same animals (issue 4's example)
}


class Built:
    """A built variant: its data and its site folder."""

    def __init__(self, p: Forest, q: Forest, site: Path) -> None:
        self.p, self.q, self.site = p, q, site

    @property
    def lecture(self) -> str:
        return (self.site / "index.html").read_text(encoding="utf-8")

    def text(self, anchor: str) -> str:
        """What a reader sees of one section, whitespace collapsed."""
        return " ".join(visible_text(section(self.lecture, anchor)).split())


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    """A variant, built once in the run (tests/datasets.py)."""

    def built(name: str) -> Built:
        forest = variant_raw(VARIANTS[name])["forest"]
        return Built(forest["p"], forest["q"], built_lecture(VARIANTS[name], tmp_path_factory))

    return built


class Tables(HTMLParser):
    """The cells' text of every <table> in an HTML fragment: a list of rows per table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables_in(fragment: str) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(fragment)
    return parser.tables


def bits(p: Forest, q: Forest) -> float:
    names = list(p)
    return float(stats.entropy([p[x] for x in names], [q[x] for x in names], base=2))


def six(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.6f}"


def assert_no_nan_and_every_figure(built: Built) -> None:
    """No "nan" or "inf" a reader could see or hear on any page, no "nan" in any CSV (where
    infinity is written "inf"), and every figure's files in the site."""
    for page in sorted(built.site.rglob("*.html")):
        leaked = re.findall(r"\b(nan|inf)\b", visible_text(page.read_text()), re.I)
        assert not leaked, f"{page.relative_to(built.site)}: {leaked}"
    for table in sorted(built.site.rglob("*.csv")):
        assert not re.search(r"\bnan\b", table.read_text(), re.I), table.name
    for spec in discover_figures(ROOT / "figures"):
        for name in (f"{spec.id}.svg", f"{spec.id}.dark.svg", f"{spec.id}.png", f"{spec.id}.csv"):
            assert (built.site / "figures" / name).stat().st_size > 0, name


def worked_rows(built: Built) -> list[list[str]]:
    (table,) = tables_in(section(built.lecture, "forest-example"))
    return table[1:]  # without the header


def test_q_ruling_out_an_animal_shows_infinity_and_says_why(build: Callable[[str], Built]) -> None:
    built = build("q-zero")
    assert_no_nan_and_every_figure(built)
    rare = next(x for x in built.q if built.q[x] == 0)
    rows = worked_rows(built)
    row = next(r for r in rows if r[0] == rare)
    assert row[2] == "0" and row[3:] == ["∞", "∞", "∞"]
    assert rows[-2][-1] == rows[-1][-1] == "∞"
    reason = f"Q gives the {rare} probability 0, but P gives it {built.p[rare]:g}"
    worked = built.text("forest-example")
    assert f"Why ∞? {reason}." in worked
    assert f"infinite because {reason}" in worked
    coding = built.text("coding-intuition")
    assert f"{reason}, so Q's ideal code has no codeword for it at all" in coding
    assert f"KL(P‖Q) = ∞, because {reason}" in coding  # the extra-bits caption
    assert f"Q's code has no codeword for the {rare}" in coding
    assert f"the excess is infinite, because {reason}" in built.text("cross-entropy-decomposition")
    # the triangle inequality is shown with the uniform belief instead of Q
    assert "The forest's own Q cannot show it here" in built.text("not-a-distance")
    extra = (built.site / "figures" / "extra-bits.csv").read_text().splitlines()
    assert all(line.split(",")[1:4] == ["inf", "inf", "inf"] for line in extra[1:])


def test_p_ruling_out_an_animal_gives_a_finite_forward_and_infinite_reverse_kl(
    build: Callable[[str], Built],
) -> None:
    built = build("p-zero")
    assert_no_nan_and_every_figure(built)
    never = next(x for x in built.p if built.p[x] == 0)
    forward, reverse = bits(built.p, built.q), bits(built.q, built.p)
    assert math.isfinite(forward) and math.isinf(reverse)
    rows = worked_rows(built)
    assert rows[-2][-1] == six(forward)
    assert next(r for r in rows if r[0] == never)[3:] == ["0", "—", "0.0000"]
    worked = built.text("forest-example")
    assert f"The row of the {never} adds nothing" in worked
    why = f"infinite because P gives the {never} probability 0, but Q gives it {built.q[never]:g}"
    definition = built.text("definition")  # (a glossary tooltip follows each "bits")
    assert six(forward) in definition
    assert why in definition
    assert "could hardly differ more" in built.text("not-a-distance")
    assert six(forward) in built.text("summary")


def test_a_fourth_animal_gets_its_row_everywhere(build: Callable[[str], Built]) -> None:
    built = build("fox")
    assert_no_nan_and_every_figure(built)
    rows = worked_rows(built)
    animals = list(built.p)
    assert len(animals) == 4
    assert [r[0] for r in rows[:4]] == animals and len(rows) == 4 + 2
    assert rows[-2][-1] == six(bits(built.p, built.q))
    (lengths, _blocks) = tables_in(section(built.lecture, "coding-intuition"))
    assert [r[0] for r in lengths[1:5]] == animals
    assert "Fox" in built.text("recap") and "Fox" in built.text("coding-intuition")
    lumped = "lumps the Deer and the Fox together into one corner, “other animals”"
    assert lumped in built.text("not-a-distance")
    simplex = (built.site / "figures" / "simplex.csv").read_text().splitlines()[0]
    assert simplex.startswith("q(Squirrel),q(Rabbit),q(other animals),")
    assert "Fox" in (built.site / "figures" / "forest-bars.csv").read_text()


def test_numbers_tables_and_figures_follow_the_data(
    build: Callable[[str], Built], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Issue 4: rebuild with P = {0.7, 0.2, 0.1}; the page's numbers, tables and the
    figures drawn from the forest change, the others stay byte for byte the same."""
    built = build("other-p")
    default = shared_site(tmp_path_factory)
    p, q = built.p, built.q
    names = list(p)
    kl = bits(p, q)
    h_p = float(stats.entropy(list(p.values()), base=2))
    rows = worked_rows(built)
    assert [r[1] for r in rows[: len(names)]] == [f"{p[x]:g}" for x in names]
    assert rows[-2][-1] == six(kl)
    assert rows[-1][-1] == six(kl * math.log(2))
    for row, x in zip(rows[: len(names)], names, strict=True):
        term = p[x] * math.log2(p[x] / q[x])
        assert row[-1] == f"{term:.4f}".replace("-", "−")
    (decomposition,) = tables_in(section(built.lecture, "cross-entropy-decomposition"))
    model = next(r for r in decomposition if r[0] == "the model's Q")
    assert model[1:] == [six(h_p), six(kl), six(h_p + kl), six(h_p + kl)]
    assert "0.033309" not in built.lecture and "0.033309" in (default / "index.html").read_text()
    assert six(kl) in built.text("forest-example")
    figures = built.site / "figures", default / "figures"
    for spec in discover_figures(ROOT / "figures"):
        for name in (f"{spec.id}.svg", f"{spec.id}.dark.svg"):
            ours, theirs = ((folder / name).read_bytes() for folder in figures)
            assert (ours != theirs) == (spec.id in FOREST_FIGURES), name
        ours, theirs = ((folder / f"{spec.id}.csv").read_bytes() for folder in figures)
        assert (ours != theirs) == (spec.id in FOREST_FIGURES | {SAME_CURVE}), spec.id
