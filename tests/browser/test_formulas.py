"""Every distinct formula of the site, drawn by the browser beside KaTeX's HTML.

The formulas are those a real build typesets (`tests.site_formulas`), with the MathML the
pages got. Each is shown beside the same TeX in KaTeX's HTML output (npm `katex`, its CSS
and fonts local) on contact sheets, `tests/screenshots/formulas-chromium-N.png` and, from
Debian's firefox-esr, `formulas-firefox-N.png`, for a person to compare. Chromium then
measures each way the MathML once went wrong: a labelled arrow as wide as its label, a
prime beside its base at superscript height, operator names spaced, styled letters from
the mathematical alphanumerics, display integrals and sums at display size, signs unspaced,
``aligned`` columns unpadded, large operators spaced by the relation before them, TeX's
null delimiter space beside each fraction, a thin space before a ``\\left(...\\right)``
group, an ellipsis spaced as TeX's inner atom, an accent no wider than its letter and
right of an italic letter's centre by its skew, a thin space between a sign and a large
operator (``= -\\sum``), each fixed-size delimiter no wider than KaTeX's and as many of
them as KaTeX has (``\\left(`` at TeX's size), and each explicit space (``\\,``,
``\\;``) at TeX's width; and on the site's own pages, every display
formula fits its box at desktop width, every character is drawn from the site's math font
and a formula's letters are as tall as the text's. Firefox, which can only take screenshots,
is measured from them against Chromium: fixed-size brackets (``\\bigl(``) and integrals
drawn at the same height; every operator name, fraction, ``\\left(...\\right)`` group and
ellipsis as far from its neighbours; and each row of an ``aligned`` block with its columns
as far apart.
"""

from __future__ import annotations

import html
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Locator, Page

from kl.build.mathfont import MATH_FONT, styled
from kl.build.mathml_core import OPENING
from tests.browser.conftest import NODE_MODULES, PAGES, WatchedPage, goto_settled, served
from tests.conftest import ROOT
from tests.site_formulas import Formula, distinct, site_formulas
from tests.tools import require_command, require_npm_packages

PER_SHEET = 24
SHEET_WIDTH = 1280
SHEET_HEIGHT = 4000  # px: Firefox shoots its window, taller than the tallest sheet
KATEX = NODE_MODULES / "katex"
STYLED = re.compile(r"\\math(cal|bb)\{([A-Za-z])\}")
VARIANTS = {"cal": "script", "bb": "double-struck"}
NS = "{http://www.w3.org/1998/Math/MathML}"
APPLY = "\u2061"  # function application, after an operator name
DELIMITERS = re.compile(r"^[()\[\]{}⟨⟩|‖∥⌈⌉⌊⌋]$")
# The font family of the site's math font, as the browser reports it.
MATH_FONT_FAMILY = "DejaVu Math TeX Gyre"

RENDER_KATEX = """
const katex = require(process.argv[1]);
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = formulas.map(([tex, display]) =>
  katex.renderToString(tex, { displayMode: display, output: "html", throwOnError: true }));
process.stdout.write(JSON.stringify(out));
"""

SHEET_STYLE = """
body { font: 16px/1.5 sans-serif; margin: 0; padding: 8px; width: 1264px; background: #fff;
       color: #000; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; }
th, td { border-top: 1px solid #bbb; padding: 4px 8px; vertical-align: middle;
         text-align: left; }
th:first-child, td.n { width: 7em; font-size: 12px; color: #444; }
td.ours, td.reference { overflow: hidden; }
.math-display { margin: 0; }
"""


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory) -> list[Formula]:
    """Every formula the site's pages typeset, in page order (repeats included)."""
    return site_formulas(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("formulas") / "site")


def _katex_html(items: list[Formula]) -> list[str]:
    require_npm_packages(NODE_MODULES.parent)
    require_command("npm")  # brings node
    result = subprocess.run(
        ["node", "-e", RENDER_KATEX, str(KATEX)],
        input=json.dumps([[f.tex, f.display] for f in items]),
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(result.stdout))


def _sheet(number: int, first: int, items: list[Formula], katex: list[str]) -> str:
    rows = []
    for offset, (formula, reference) in enumerate(zip(items, katex, strict=True)):
        index = first + offset
        ours = formula.mathml
        if formula.display:
            ours = f'<div class="math-display">{ours}</div>'
        rows.append(
            f'<tr data-index="{index}"><td class="n">{index} {html.escape(formula.page)}</td>'
            f'<td class="ours">{ours}</td><td class="reference">{reference}</td></tr>'
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Formulas, sheet {number}</title>"
        '<link rel="stylesheet" href="katex/katex.min.css">'
        '<link rel="stylesheet" href="../assets/kl.css">'
        f'<link rel="preload" href="../{MATH_FONT}" as="font" type="font/woff2" crossorigin>'
        f"<style>{SHEET_STYLE}</style></head><body><table>"
        "<tr><th>formula</th><th>the site (MathML)</th><th>KaTeX (HTML)</th></tr>"
        f"{''.join(rows)}</table></body></html>"
    )


@pytest.fixture(scope="module")
def sheets(
    formulas: list[Formula], site_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """The comparison sheets, as files beside a copy of the built site's assets (so the
    formulas are drawn with the CSS and the cut-down math font the site ships)."""
    items = distinct(formulas)
    katex = _katex_html(items)
    root = tmp_path_factory.mktemp("formula-check")
    shutil.copytree(site_dir / "assets", root / "assets")
    folder = root / "sheets"
    shutil.copytree(KATEX / "dist" / "fonts", folder / "katex" / "fonts")
    shutil.copy(KATEX / "dist" / "katex.min.css", folder / "katex" / "katex.min.css")
    paths = []
    for number, first in enumerate(range(0, len(items), PER_SHEET), start=1):
        chunk = slice(first, first + PER_SHEET)
        path = folder / f"{number}.html"
        path.write_text(_sheet(number, first, items[chunk], katex[chunk]))
        paths.append(path)
    return paths


@pytest.fixture
def sheet_page(browser: Browser) -> Iterator[Page]:
    """A desktop-wide page for the sheets (local files); the test fails if it asked for
    anything on the network."""
    context = browser.new_context(viewport={"width": SHEET_WIDTH, "height": 900})
    page = context.new_page()
    asked: list[str] = []
    context.route(
        re.compile(r"^https?://"), lambda route: (asked.append(route.request.url), route.abort())
    )
    yield page
    context.close()
    assert asked == [], "the sheets asked for files on the network"


def _open(page: Page, sheet: Path) -> None:
    page.goto(sheet.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready")


def test_the_site_has_the_formulas_it_is_checked_on(formulas: list[Formula]) -> None:
    pages = {f.page for f in formulas}
    assert {"index.md", "formulas.md"} <= pages
    assert len(distinct(formulas)) >= 100
    assert any(r"\xrightarrow" in f.tex for f in formulas)
    assert any("'" in f.tex for f in formulas)
    assert any(r"\hat{" in f.tex for f in formulas)


def test_katex_is_drawn_at_its_own_size_beside_the_site(
    sheet_page: Page, sheets: list[Path]
) -> None:
    """Both columns of a sheet start from the same text size, so KaTeX's formulas are
    1.21 times it (its CSS) and the site's 1.02 times (kl.css): a reference cell of class
    "katex" took KaTeX's 1.21em itself, drawing KaTeX's column 1.21 times too large."""
    _open(sheet_page, sheets[0])
    sizes = sheet_page.evaluate(
        """() => [...document.querySelectorAll("tr[data-index]")].map((row) =>
             [...row.cells].slice(1).map((cell) =>
               getComputedStyle(cell).fontSize))"""
    )
    assert sizes and all(len(row) == 2 and row[0] == row[1] for row in sizes), sizes


def test_contact_sheets_in_chromium(
    sheet_page: Page, sheets: list[Path], screenshots: Path
) -> None:
    for old in screenshots.glob("formulas-chromium-*.png"):
        old.unlink()
    for number, sheet in enumerate(sheets, start=1):
        _open(sheet_page, sheet)
        out = screenshots / f"formulas-chromium-{number}.png"
        sheet_page.screenshot(path=str(out), full_page=True)
    assert len(list(screenshots.glob("formulas-chromium-*.png"))) == len(sheets)


@pytest.fixture(scope="module")
def sheet_server(sheets: list[Path]) -> Iterator[str]:
    """The sheets' folder served on 127.0.0.1 (Firefox takes no font from a file:// page's
    parent folder): the URL of that folder."""
    with served(sheets[0].parent.parent) as url:
        yield f"{url}{sheets[0].parent.name}/"


def _firefox_screenshot(url: str, out: Path, width: int, height: int) -> Image.Image:
    """Debian's firefox-esr, headless, on ``url``: it takes its screenshot once the page
    and the fonts it preloads are in."""
    firefox = require_command("firefox-esr")
    with tempfile.TemporaryDirectory() as home:
        command = [
            firefox,
            "--headless",
            "--screenshot",
            str(out),
            f"--window-size={width},{height}",
        ]
        subprocess.run(
            [*command, url],
            env={**os.environ, "HOME": home, "MOZ_HEADLESS": "1"},
            capture_output=True,
            timeout=180,
            check=True,
        )
    return Image.open(out)


def test_contact_sheets_in_firefox(
    sheets: list[Path], sheet_server: str, screenshots: Path
) -> None:
    for old in screenshots.glob("formulas-firefox-*.png"):
        old.unlink()
    for number, sheet in enumerate(sheets, start=1):
        out = screenshots / f"formulas-firefox-{number}.png"
        image = _firefox_screenshot(sheet_server + sheet.name, out, SHEET_WIDTH, SHEET_HEIGHT)
        assert image.width == SHEET_WIDTH
        ink = _ink_box(image)
        assert ink is not None, f"{out.name} is blank"
        assert ink[3] < SHEET_HEIGHT - 20, f"{out.name}: the sheet is cut at the window's foot"


FIXED_SIZE = re.compile(r"<mo\b[^>]*\bmaxsize=[^>]*>[^<]*</mo>")
PROBE = 96  # px: the side of the square each fixed-size operator is drawn alone in


def _probes_sheet(formulas: list[Formula], folder: Path) -> tuple[Path, list[str]]:
    """A page beside the sheets with each distinct fixed-size operator of the site's
    formulas (``\\bigl(``, a display integral) alone, in a square of its own in a row."""
    operators = sorted({(op, f.display) for f in formulas for op in FIXED_SIZE.findall(f.mathml)})
    cells = "".join(
        f'<div class="probe"><math display="{"block" if display else "inline"}">{op}</math></div>'
        for op, display in operators
    )
    style = f".probe {{ display: inline-block; width: {PROBE}px; height: {PROBE}px; }}"
    page = folder / "fixed-sizes.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fixed sizes</title>'
        '<link rel="stylesheet" href="../assets/kl.css">'
        f'<link rel="preload" href="../{MATH_FONT}" as="font" type="font/woff2" crossorigin>'
        f"<style>body {{ margin: 0; display: flex; }} {style}</style></head><body>{cells}</body>"
        "</html>"
    )
    return page, [op for op, _ in operators]


def _probe_heights(image: Image.Image, count: int) -> list[int]:
    heights = []
    for index in range(count):
        ink = _ink_box(image.crop((index * PROBE, 0, (index + 1) * PROBE, PROBE)))
        heights.append(0 if ink is None else ink[3] - ink[1])
    return heights


def test_fixed_size_brackets_are_drawn_alike_in_firefox_and_chromium(
    sheet_page: Page,
    sheets: list[Path],
    sheet_server: str,
    formulas: list[Formula],
    tmp_path: Path,
) -> None:
    """Each ``\\bigl(``, ``\\Bigl[`` and display integral (``minsize`` = ``maxsize``)
    is drawn at the same height in both browsers, and near the size it asks for (its ink
    falls a little short of the glyph's size, the antialiased edge is not counted: 0.86 of
    it for the thin tips of an inline ``\\bigr)``): Firefox once drew ``\\bigl(`` hardly
    bigger than ``(`` (its largest glyph within the size, 0.84 of it less its edge),
    Chromium the first glyph reaching it."""
    page, operators = _probes_sheet(formulas, sheets[0].parent)
    assert any(">(<" in op for op in operators) and any(">∫<" in op for op in operators)
    width = PROBE * len(operators)
    sheet_page.set_viewport_size({"width": width, "height": PROBE})
    _open(sheet_page, page)
    chromium = _probe_heights(Image.open(io.BytesIO(sheet_page.screenshot())), len(operators))
    shot = _firefox_screenshot(sheet_server + page.name, tmp_path / "ff.png", width, PROBE)
    firefox = _probe_heights(shot, len(operators))
    em = sheet_page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('math')).fontSize)"
    )
    for operator, drawn_chromium, drawn_firefox in zip(operators, chromium, firefox, strict=True):
        asked = float(re.findall(r'minsize="([0-9.]+)em"', operator)[0]) * em
        assert abs(drawn_firefox - drawn_chromium) <= 1, (operator, drawn_chromium, drawn_firefox)
        assert drawn_chromium >= 0.85 * asked, (operator, drawn_chromium, asked)


PROBE_ROW = 128  # px: the height of each probe's row on a spacing page
PROBE_SIZE = 48  # px: the math's size there, for a measure finer than a pixel in em
PARTS = ("before", "unit", "after")
ROW_TAGS = {f"{NS}{tag}" for tag in ("math", "mrow", "mstyle", "mtd", "mpadded")}
UnitAt = Callable[[ElementTree.Element, list[ElementTree.Element], int], int | None]


def _name_at(
    row: ElementTree.Element, children: list[ElementTree.Element], index: int
) -> int | None:
    """An operator name at ``children[index]`` (``<mi>log</mi><mo>⁡</mo>``, or one with a
    script or limits, ``\\log_2``): the index of its last element."""
    child = children[index]
    following = children[index + 1] if index + 1 < len(children) else None
    if child.tag == f"{NS}mi" and following is not None and following.text == APPLY:
        return index + 1
    if len(child) and len(child[0]) and child[0][-1].text == APPLY:
        return index
    return None


def _fraction_at(
    row: ElementTree.Element, children: list[ElementTree.Element], index: int
) -> int | None:
    """A fraction in a row, with what holds it alone (``\\tfrac``'s ``mstyle``)."""
    child = children[index]
    while child.tag != f"{NS}mfrac" and len(child) == 1:
        child = child[0]
    return index if row.tag in ROW_TAGS and child.tag == f"{NS}mfrac" else None


def _group_at(
    row: ElementTree.Element, children: list[ElementTree.Element], index: int
) -> int | None:
    """A ``\\left(...\\right)`` group: a row of a row, between two fences (of the size
    TeX picks: ``\\bigl(`` and ``\\bigr)`` are in the row of what they enclose)."""
    child = children[index]
    fences = [child[0], child[-1]] if child.tag == f"{NS}mrow" and len(child) > 1 else []
    fenced = fences and all(f.tag == f"{NS}mo" and f.get("fence") == "true" for f in fences)
    return index if row.tag in ROW_TAGS and fenced else None


def _ellipsis_at(
    row: ElementTree.Element, children: list[ElementTree.Element], index: int
) -> int | None:
    child = children[index]
    return index if child.tag == f"{NS}mo" and (child.text or "") in "…⋯" else None


def _neighbour_probes(formulas: list[Formula], unit_at: UnitAt, *, delimiters: bool) -> list[str]:
    """Each unit ``unit_at`` finds in the site's formulas, with what stands before it and
    after it (unless ``delimiters``, an opening delimiter before an operator name and a
    delimiter after it aside: it is not spaced from those) and the spaces between, as
    MathML: the three parts classed "before", "unit" and "after"."""
    probes: set[str] = set()
    for formula in distinct(formulas):
        root = ElementTree.fromstring(formula.mathml)
        for row in root.iter():
            children = list(row)
            for index in range(len(children)):
                end = unit_at(row, children, index)
                if end is None:
                    continue
                solid = [i for i, c in enumerate(children) if not _is_space(c)]
                before = [i for i in solid if i < index][-1:]
                after = [i for i in solid if i > end][:1]
                if not delimiters:
                    before = [i for i in before if (children[i].text or "") not in OPENING]
                    after = [i for i in after if not DELIMITERS.match(children[i].text or "")]
                parts = {
                    index: "unit",
                    **dict.fromkeys(before, "before"),
                    **dict.fromkeys(after, "after"),
                }
                kept = range(min(parts), max(parts) + 1)
                copies = [ElementTree.fromstring(ElementTree.tostring(children[i])) for i in kept]
                for i, copy in zip(kept, copies, strict=True):
                    if i in parts:
                        copy.set("class", parts[i])
                probes.add(_without_namespace(copies))
    return sorted(probes)


def _is_space(element: ElementTree.Element) -> bool:
    """An ``<mspace>``, or an ``<mtext>`` of white space (KaTeX's ``\\,``): no ink."""
    blank = element.tag == f"{NS}mtext" and not (element.text or "").strip()
    return element.tag == f"{NS}mspace" or blank


def _without_namespace(elements: list[ElementTree.Element]) -> str:
    """``elements`` as MathML without their namespace (the page's <math> gives it)."""
    for element in elements:
        for part in element.iter():
            part.tag = part.tag.removeprefix(NS)
    return "".join(ElementTree.tostring(e, encoding="unicode") for e in elements)


def _probe_sheet(probes: list[str], folder: Path, shown: str, row: int) -> Path:
    rows = "".join(f'<div class="row"><math>{probe}</math></div>' for probe in probes)
    page = folder / f"probes-{shown}.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spacing</title>'
        '<link rel="stylesheet" href="../assets/kl.css">'
        f'<link rel="preload" href="../{MATH_FONT}" as="font" type="font/woff2" crossorigin>'
        f"<style>body {{ margin: 0; }} .row {{ height: {row}px; padding-left: 8px; }}"
        f" math {{ font-size: {PROBE_SIZE}px; visibility: hidden; }}"
        f" math .{shown}, math .{shown} * {{ visibility: visible; }}"
        # Accents aside: the engines stretch a hat to different widths over its letter.
        ' math mover[accent="true"] > :last-child { visibility: hidden !important; }'
        "</style></head>"
        f"<body>{rows}</body></html>"
    )
    return page


def _gaps(shots: dict[str, Image.Image], count: int, row: int) -> list[list[float | None]]:
    """Per probe, the ink gaps in em between each part and the next (None where either
    is not there)."""
    gaps = []
    for index in range(count):
        band = (0, index * row)
        boxes = [_ink_box(shot.crop((*band, shot.width, band[1] + row))) for shot in shots.values()]
        gaps.append(
            [
                None if left is None or right is None else (right[0] - left[2]) / PROBE_SIZE
                for left, right in itertools.pairwise(boxes)
            ]
        )
    return gaps


def _gaps_in_both(
    probes: list[str],
    parts: tuple[str, ...],
    sheet_page: Page,
    sheets: list[Path],
    sheet_server: str,
    tmp_path: Path,
    row: int = PROBE_ROW,
) -> tuple[list[list[float | None]], list[list[float | None]]]:
    """The gaps between the ``parts`` of each probe, in Chromium and in Firefox."""
    height = row * len(probes)
    engines: dict[str, dict[str, Image.Image]] = {"chromium": {}, "firefox": {}}
    sheet_page.set_viewport_size({"width": SHEET_WIDTH, "height": height})
    for part in parts:
        page = _probe_sheet(probes, sheets[0].parent, part, row)
        _open(sheet_page, page)
        engines["chromium"][part] = Image.open(io.BytesIO(sheet_page.screenshot()))
        out = tmp_path / f"{part}.png"
        engines["firefox"][part] = _firefox_screenshot(
            sheet_server + page.name, out, SHEET_WIDTH, height
        )
    return (
        _gaps(engines["chromium"], len(probes), row),
        _gaps(engines["firefox"], len(probes), row),
    )


def _unalike(
    probes: list[str],
    chromium: list[list[float | None]],
    firefox: list[list[float | None]],
    sides: tuple[str, ...],
) -> list[str]:
    wrong = []
    for probe, in_chromium, in_firefox in zip(probes, chromium, firefox, strict=True):
        for side, c, f in zip(sides, in_chromium, in_firefox, strict=True):
            if c is not None and f is not None and abs(c - f) > 0.06:
                wrong.append(f"{side} {probe}: {f:.3f} em in Firefox, {c:.3f} em in Chromium")
    return wrong


SPACED_UNITS = {
    "operator names": (_name_at, False),
    "fractions": (_fraction_at, True),
    "left-right groups": (_group_at, True),
    "ellipses": (_ellipsis_at, True),
}


@pytest.mark.parametrize("kind", SPACED_UNITS)
def test_names_fractions_groups_and_ellipses_are_spaced_alike_in_firefox_and_chromium(
    sheet_page: Page,
    sheets: list[Path],
    sheet_server: str,
    formulas: list[Formula],
    tmp_path: Path,
    kind: str,
) -> None:
    """Each operator name, fraction, ``\\left(...\\right)`` group and ellipsis of the
    site, drawn with its neighbours, is as far from each in Firefox as in Chromium (where
    the other checks measure TeX's spaces): Firefox spaces names itself, but not after a
    closing delimiter or a sign, and doubled the thin spaces the build adds; it spaced a
    bare fraction as TeX's inner atom, 0.1667em more than KaTeX's null delimiter space (a
    ``\\,`` beside it looked doubled); Chromium spaced an ellipsis as a relation."""
    unit_at, delimiters = SPACED_UNITS[kind]
    probes = _neighbour_probes(formulas, unit_at, delimiters=delimiters)
    assert probes, f"the site has {kind}"
    chromium, firefox = _gaps_in_both(probes, PARTS, sheet_page, sheets, sheet_server, tmp_path)
    wrong = _unalike(probes, chromium, firefox, PARTS[::2])
    assert not wrong, "\n".join(wrong)


ALIGNED_ROW = 256  # px: a row of an aligned block, its limits included, at PROBE_SIZE


def _aligned_rows(formulas: list[Formula]) -> list[str]:
    """Each row of the site's ``aligned`` blocks with both columns filled, alone in its
    table, the left cell classed "before" and the right one "after"."""
    probes: set[str] = set()
    for formula in distinct(formulas):
        root = ElementTree.fromstring(formula.mathml)
        for table in root.iter(f"{NS}mtable"):
            if table.get("columnalign") != "right left":
                continue
            for row in table.findall(f"{NS}mtr"):
                cells = [ElementTree.fromstring(ElementTree.tostring(c)) for c in row]
                if len(cells) != 2 or not all("".join(c.itertext()).strip() for c in cells):
                    continue
                cells[0].set("class", "before")
                cells[1].set("class", "after")
                attributes = " ".join(f'{k}="{v}"' for k, v in table.attrib.items())
                probes.add(f"<mtable {attributes}><mtr>{_without_namespace(cells)}</mtr></mtable>")
    return sorted(probes)


def test_aligned_columns_meet_alike_in_firefox_and_chromium(
    sheet_page: Page, sheets: list[Path], sheet_server: str, formulas: list[Formula], tmp_path: Path
) -> None:
    """In each row of an ``aligned`` block, the ``=`` column is as far from the column
    before it in Firefox as in Chromium (where it is measured against TeX's spacing):
    Firefox once sized the left column without the spaces of a ``\\sum`` with limits
    wider than itself, and its ``=`` touched what came before."""
    probes = _aligned_rows(formulas)
    assert len(probes) >= 5
    parts = ("before", "after")
    chromium, firefox = _gaps_in_both(
        probes, parts, sheet_page, sheets, sheet_server, tmp_path, ALIGNED_ROW
    )
    wrong = _unalike(probes, chromium, firefox, ("columns",))
    assert not wrong, "\n".join(wrong)


MEASURE = (Path(__file__).parent / "formula_measures.js").read_text()


def test_every_formula_is_set_as_katex_sets_it(sheet_page: Page, sheets: list[Path]) -> None:
    """Primes beside their base at superscript height, display integrals and sums at display
    size, signs next to what they sign, operator names spaced unless a delimiter is next,
    ``aligned`` columns without padding, accents no wider than their letter and explicit
    spaces a whole number of mu wide, measured in Chromium."""
    problems = []
    for sheet in sheets:
        _open(sheet_page, sheet)
        problems += [f"sheet {sheet.stem}: {p}" for p in sheet_page.evaluate(MEASURE)]
    assert not problems, "\n".join(problems)


def _ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of everything unlike the background (the colour at the left edge, half way
    down), in ``image`` less a 2-pixel frame (the borders of a table cell)."""
    rgb = image.convert("RGB").crop((2, 2, image.width - 2, image.height - 2))
    background = Image.new("RGB", rgb.size, rgb.getpixel((0, rgb.height // 2)))
    difference = ImageChops.difference(rgb, background).convert("L")
    return difference.point(lambda v: 255 if v > 60 else 0).getbbox()


def _ink_width(element: Locator, child: int) -> int:
    """The width in pixels of what one child of ``element`` draws: its formula hidden but
    for that child, the formula's whole cell shot (a child may overflow ``element``)."""
    show = """(e, [i, on]) => {
        e.closest("math").style.visibility = on ? "hidden" : "";
        e.children[i].style.visibility = on ? "visible" : "";
    }"""
    element.evaluate(show, [child, True])
    cell = element.locator("xpath=ancestor::td[1]")
    ink = _ink_box(Image.open(io.BytesIO(cell.screenshot())))
    element.evaluate(show, [child, False])
    assert ink is not None, "nothing drawn"
    return ink[2] - ink[0]


def test_a_labelled_arrow_is_at_least_as_wide_as_its_label(
    sheet_page: Page, sheets: list[Path], formulas: list[Formula]
) -> None:
    arrows = 0
    for sheet in sheets:
        _open(sheet_page, sheet)
        overs = sheet_page.locator("td.ours mover:has(> mo[stretchy='true'])")
        for index in range(overs.count()):
            arrow = _ink_width(overs.nth(index), child=0)
            label = _ink_width(overs.nth(index), child=1)
            assert arrow >= label, f"sheet {sheet.stem}: an arrow {arrow} px under {label} px"
            arrows += 1
    assert arrows == len({f.tex for f in formulas if r"\xrightarrow" in f.tex})


def test_styled_letters_are_mathematical_alphanumerics(
    sheet_page: Page, sheets: list[Path], formulas: list[Formula]
) -> None:
    """𝒩 and 𝔼 are the letters of the mathematical alphanumeric block, as the page has
    them (a browser ignores ``mathvariant``), and the math font draws them."""
    expected = {}
    for index, formula in enumerate(distinct(formulas)):
        wanted = {styled(letter, VARIANTS[kind]) for kind, letter in STYLED.findall(formula.tex)}
        if wanted:
            expected[index] = wanted
    assert expected, "the site has \\mathcal and \\mathbb letters"
    found: dict[int, str] = {}
    for sheet in sheets:
        _open(sheet_page, sheet)
        drawn = sheet_page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll("td.ours")].map(
                 cell => [cell.parentElement.dataset.index, cell.textContent]))"""
        )
        found |= {int(index): text for index, text in drawn.items()}
    for index, wanted in expected.items():
        assert all(char in found[index] for char in wanted), f"formula {index}: {wanted}"
        assert all(0x1D400 <= ord(char) <= 0x1D7FF for char in wanted)


@pytest.mark.parametrize("path", [p for p in PAGES if p in ("", "formulas/")])
def test_no_display_formula_is_wider_than_its_box_at_desktop_width(
    watched_page: WatchedPage, path: str
) -> None:
    watched_page.goto(path)
    page = watched_page.page
    page.evaluate("document.fonts.ready")
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll(".math-display")].filter(box => {
             const math = box.querySelector("math");
             return math.getBoundingClientRect().width > box.clientWidth + 0.5
               || box.scrollWidth > box.clientWidth + 1;
           }).map(box => box.textContent.slice(0, 60))"""
    )
    assert too_wide == []


@pytest.mark.parametrize("path", [p for p in PAGES if p in ("", "formulas/")])
def test_every_character_of_every_formula_comes_from_the_math_font(
    browser: Browser, base_url: str, path: str
) -> None:
    """What Chromium reports it drew each formula's text with: the site's own math font,
    never a font of the reader's system (⟺ once was)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    goto_settled(page, base_url + path)
    page.add_style_tag(content="* { content-visibility: visible !important }")
    page.evaluate("document.fonts.ready")
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    selector = "math :is(mi, mn, mo, mtext)"
    tokens = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
    fonts: dict[str, int] = {}
    for node in tokens["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            name = f"{font['familyName']} ({'web' if font['isCustomFont'] else 'system'} font)"
            fonts[name] = fonts.get(name, 0) + font["glyphCount"]
    context.close()
    assert list(fonts) == [f"{MATH_FONT_FAMILY} (web font)"], fonts


@pytest.mark.parametrize("width", [1280, 375])
def test_a_formulas_letters_are_as_tall_as_the_texts(
    browser: Browser, base_url: str, width: int
) -> None:
    """An 𝑥 of a formula has the x-height of an x of the text around it (within 3%), on a
    desktop and on a phone: at 1.08em the math font's letters stood 6% taller than the
    text's (KaTeX's 1.21em matches its own font's smaller x-height the same way)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    goto_settled(page, base_url)
    page.evaluate(
        """() => {
             const p = document.querySelector(".md-typeset p:has(math)").cloneNode(false);
             p.id = "x-heights";
             p.innerHTML = '<span>x</span> <math><mi>x</mi></math>';
             p.style.fontSize = "160px";
             document.querySelector(".md-typeset").prepend(p);
           }"""
    )
    page.evaluate("document.fonts.ready")
    heights = []
    for shown, hidden in (("span", "math"), ("math", "span")):
        page.evaluate(
            """([shown, hidden]) => {
                 document.querySelector(`#x-heights > ${shown}`).style.visibility = "";
                 document.querySelector(`#x-heights > ${hidden}`).style.visibility = "hidden";
               }""",
            [shown, hidden],
        )  # the paragraph is shot, not the math's box, which clips the top of its 𝑥
        ink = _ink_box(Image.open(io.BytesIO(page.locator("#x-heights").screenshot())))
        assert ink is not None, f"nothing drawn for the {shown}"
        heights.append(ink[3] - ink[1])
    context.close()
    text, formula = heights
    assert abs(formula / text - 1) <= 0.03, (
        f"x-height {formula} px in a formula, {text} px in the text"
    )
