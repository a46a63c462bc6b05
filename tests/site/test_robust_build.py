"""`mkdocs build` on broken sources: one clear error line, no traceback, a non-zero exit.

Each test breaks one thing in a copy of the project (the data file, a figure module, the
TeX of a formula) and runs the real build an author runs. A Q that gives zero probability
to an outcome P allows is not an error: the build succeeds and the lecture shows ∞.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kl.build.mathfont import MATH_FONT
from tests.figurecheck import figure_source, line_of
from tests.sitebuild import mkdocs_run

pytestmark = pytest.mark.site  # builds the site with MkDocs

DATA = Path("docs") / "data" / "lecture.toml"


@pytest.fixture(scope="module")
def figure_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One figure cache for the module: builds with the same data draw each figure once."""
    return str(tmp_path_factory.mktemp("figure-cache"))


def build(root: Path, cache: str, **env: str) -> subprocess.CompletedProcess[str]:
    return mkdocs_run(root, root / "site", KL_CACHE_DIR=cache, **env)


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "ERROR" in line]


def assert_one_clean_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """The build failed with exactly one ERROR line holding every fragment, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = error_lines(result)
    assert len(lines) == 1, output
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


# --------------------------------------------------------------------------- editing the data


def section_span(text: str, table: str) -> tuple[int, int]:
    """Start and end offsets of the body of ``[table]`` in TOML text (up to the next header)."""
    header = re.search(rf"^\[{re.escape(table)}\][ \t]*\n", text, re.M)
    assert header, f"[{table}] not found in the data file"
    following = re.compile(r"^\[", re.M).search(text, header.end())
    return header.end(), following.start() if following else len(text)


def edit_key(text: str, table: str, key: str, new_line: str | None) -> str:
    """Replace the line ``key = ...`` in ``[table]`` with ``new_line`` (None deletes it)."""
    start, end = section_span(text, table)
    body, n = re.subn(
        rf"^{re.escape(key)}[ \t]*=.*\n",
        "" if new_line is None else new_line + "\n",
        text[start:end],
        count=1,
        flags=re.M,
    )
    assert n == 1, f"{key} not found in [{table}]"
    return text[:start] + body + text[end:]


def add_line(text: str, table: str, line: str) -> str:
    start, _ = section_span(text, table)
    return text[:start] + line + "\n" + text[start:]


def forest(root: Path) -> tuple[dict[str, float], dict[str, float]]:
    raw = tomllib.loads((root / DATA).read_text())
    return raw["forest"]["p"], raw["forest"]["q"]


def first_outcome(root: Path) -> str:
    return next(iter(forest(root)[0]))


def negative_probability(text: str, root: Path) -> str:
    name = first_outcome(root)
    return edit_key(text, "forest.p", name, f"{name} = -0.25")


def sum_not_one(text: str, root: Path) -> str:
    name = first_outcome(root)
    q = forest(root)[1]
    return edit_key(text, "forest.q", name, f"{name} = {q[name] + 0.125!r}")


def missing_field(text: str, root: Path) -> str:
    return edit_key(text, "curves.poor", "sd", None)


def misspelled_field(text: str, root: Path) -> str:
    return edit_key(text, "fitting", "separation", "seperation = 5.0")


def wrong_type(text: str, root: Path) -> str:
    return edit_key(text, "coding", "repeats", 'repeats = "200"')


def outcome_only_in_q(text: str, root: Path) -> str:
    return add_line(text, "forest.q", "Fox = 0.0")


def outcome_only_in_p(text: str, root: Path) -> str:
    return add_line(text, "forest.p", "Fox = 0.0")


def unknown_field(text: str, root: Path) -> str:
    return add_line(text, "learning", "momentum = 0.9")


def not_toml(text: str, root: Path) -> str:
    return add_line(text, "learning", "steps = = 60")


BAD_DATA = {
    "negative probability": (negative_probability, "[forest.p.{first}]", "must be at least 0"),
    "sum not 1": (sum_not_one, "[forest.q]", "probabilities sum to"),
    "missing field": (missing_field, "[curves.poor.sd]", "is missing"),
    "misspelled field": (misspelled_field, "[fitting.separation]", "'seperation': a misspelling"),
    "wrong type": (wrong_type, "[coding.repeats]", "must be a whole number, got str '200'"),
    "outcome in Q that P lacks": (outcome_only_in_q, "[forest.p]", "lacks outcome(s) ['Fox']"),
    "outcome in P that Q lacks": (outcome_only_in_p, "[forest.q]", "lacks outcome(s) ['Fox']"),
    "unknown field": (unknown_field, "[learning.momentum]", "is not a known field"),
    "not TOML": (not_toml, "not valid TOML", "line"),
}


@pytest.mark.parametrize("case", BAD_DATA)
def test_bad_data_stops_the_build_with_one_clear_line(
    case: str, project_copy: Path, figure_cache: str
) -> None:
    breaker, key, problem = BAD_DATA[case]
    data = project_copy / DATA
    data.write_text(breaker(data.read_text(), project_copy))
    result = build(project_copy, figure_cache)
    key = key.format(first=first_outcome(project_copy) if "{first}" in key else "")
    assert_one_clean_error(result, str(DATA), key, problem)
    assert not (project_copy / "site" / "index.html").exists()


def test_kl_traceback_shows_the_traceback_of_a_data_error(
    project_copy: Path, figure_cache: str
) -> None:
    data = project_copy / DATA
    data.write_text(wrong_type(data.read_text(), project_copy))
    result = build(project_copy, figure_cache, KL_TRACEBACK="1")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "DataError" in result.stderr and "[coding.repeats]" in result.stderr


# --------------------------------------------------------------------------- broken figures

PLOT = "ax.plot([0, 1], [0, 1])"
BROKEN_FIGURES = {
    "syntax error": figure_source("ax.plot([0, 1], [0, 1]", "broken"),  # never closed
    "exception in draw": figure_source("ax.plot([0, 1], [0, 1, 2])", "broken"),
    "bad math label": figure_source('ax.set_xlabel(r"$\\frac$", parse_math=True)', "broken"),
    "missing alt text": figure_source(PLOT, "broken", alt=None),
    "empty alt text": figure_source(PLOT, "broken", alt="  "),
}


def syntax_error_line(source: str) -> int | None:
    try:
        compile(source, "zz_broken.py", "exec")
    except SyntaxError as exc:
        return exc.lineno
    raise AssertionError("the source compiles")


@pytest.mark.parametrize(
    ("case", "problem", "line_needle"),
    [
        ("syntax error", "syntax error", None),
        ("exception in draw", "draw() raised ValueError", "ax.plot"),
        ("bad math label", "cannot draw the figure: \\frac: ParseSyntaxException", None),
        ("missing alt text", "declares no ALT", None),
        ("empty alt text", "declares no ALT", None),
    ],
)
def test_broken_figure_stops_the_build_naming_file_and_line(
    case: str, problem: str, line_needle: str | None, project_copy: Path, figure_cache: str
) -> None:
    source = BROKEN_FIGURES[case]
    module = project_copy / "figures" / "zz_broken.py"
    module.write_text(source)
    result = build(project_copy, figure_cache)
    where = str(Path("figures") / "zz_broken.py")
    if case == "syntax error":
        where += f":{syntax_error_line(source)}"
    elif line_needle is not None:
        where += f":{line_of(source, line_needle)}"
    assert_one_clean_error(result, where, problem)
    # The pages are written while the figures are drawn: a failed drawing takes them back.
    assert not (project_copy / "site" / "index.html").exists()


def test_a_dirty_build_with_a_broken_figure_leaves_the_site_it_wrote_over(
    project_copy: Path, figure_cache: str
) -> None:
    """``--dirty`` writes over the site of the last build, which stays (with the pages
    this build wrote): nothing is emptied that MkDocs would not have emptied."""
    assert build(project_copy, figure_cache).returncode == 0
    site = project_copy / "site"
    (site / "kept.txt").write_text("a file of the site this build writes over")
    (project_copy / "figures" / "zz_broken.py").write_text(BROKEN_FIGURES["exception in draw"])
    result = mkdocs_run(project_copy, site, options=["--dirty"], KL_CACHE_DIR=figure_cache)
    assert_one_clean_error(result, str(Path("figures") / "zz_broken.py"), "draw() raised")
    assert (site / "kept.txt").exists() and (site / "index.html").exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "Chipmunk \U0001f43f",
            "'\U0001f43f' (U+1F43F), which the figures' font DejaVu Sans lacks",
        ),
    ],
    ids=["emoji"],
)
def test_a_name_the_figures_cannot_draw_names_the_data_file_and_key(
    name: str, problem: str, project_copy: Path, figure_cache: str
) -> None:
    data = project_copy / DATA
    old = first_outcome(project_copy)
    toml_name = name.replace("\\", "\\\\")
    data.write_text(data.read_text().replace(f"{old} =", f'"{toml_name}" ='))
    result = build(project_copy, figure_cache)
    assert_one_clean_error(result, f"{DATA}: [forest.p] the name {name!r}", problem)


# --------------------------------------------------------------------------- bad TeX


@pytest.mark.parametrize(
    ("math", "formula", "problem"),
    [
        ("Inline $\\fracc{1}{2}$ math.", "$\\fracc{1}{2}$", "Undefined control sequence"),
        ("$$\n\\sum_x p(x {\n$$", "$\\sum_x p(x {$", "end of input"),
    ],
    ids=["inline", "display"],
)
def test_bad_tex_names_the_page_and_the_formula(
    math: str, formula: str, problem: str, project_copy: Path, figure_cache: str
) -> None:
    page = project_copy / "docs" / "formulas.md"
    page.write_text(page.read_text() + f"\n\n{math}\n")
    result = build(project_copy, figure_cache)
    line = assert_one_clean_error(result, "'formulas.md'", formula, problem)
    assert "\u0332" not in line  # KaTeX's underlined excerpt is not passed on
    output = result.stdout + result.stderr
    assert "KL_TRACEBACK=1" in output

    traced = build(project_copy, figure_cache, KL_TRACEBACK="1")
    assert traced.returncode != 0
    assert "Traceback" in traced.stderr and "TexError" in traced.stderr


# --------------------------------------------------------------------------- the math font


def test_a_broken_math_font_names_the_file(project_copy: Path, figure_cache: str) -> None:
    (project_copy / "docs" / MATH_FONT).write_bytes(b"wOF2 but not really a font")
    result = build(project_copy, figure_cache)
    assert_one_clean_error(result, "docs/assets/fonts/dejavu-math.woff2", "not a font")
    assert not (project_copy / "site" / "index.html").exists()

    traced = build(project_copy, figure_cache, KL_TRACEBACK="1")
    assert traced.returncode != 0
    assert "Traceback" in traced.stderr and "FontError" in traced.stderr


def test_a_character_the_math_font_lacks_names_the_page_and_the_formula(
    project_copy: Path, figure_cache: str
) -> None:
    """A browser would draw it from whatever font the reader has, or as an empty box."""
    page = project_copy / "docs" / "formulas.md"
    page.write_text(page.read_text() + "\n\nA snowman $x = \\text{☃}$.\n")
    result = build(project_copy, figure_cache)
    assert_one_clean_error(result, "'formulas.md'", r"$x = \text{☃}$", "no glyph for ☃ (U+2603)")
    assert not (project_copy / "site" / "index.html").exists()


# --------------------------------------------------------------------------- infinity


class VisibleText(HTMLParser):
    """The text a reader can see or hear: text nodes plus alt, title and aria-label values.
    Not what the page asks the reader to type (<kbd>: "type inf for ∞" is no leaked float)."""

    SKIPPED = frozenset({"script", "style", "kbd"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        self.parts.extend(v for k, v in attrs if k in ("alt", "title", "aria-label") and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with id ``anchor`` to the next h2."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


LEAKED_NUMBER = re.compile(r"\b(nan|inf)\b", re.I)


def test_infinite_divergence_builds_shows_infinity_and_leaks_no_nan(
    project_copy: Path, figure_cache: str
) -> None:
    """Q gives 0 to the last outcome (whose P is positive), its mass moved to the first."""
    p, q = forest(project_copy)
    names = list(q)
    assert p[names[-1]] > 0
    q = {**q, names[0]: q[names[0]] + q[names[-1]], names[-1]: 0.0}
    data = project_copy / DATA
    text = data.read_text()
    start, end = section_span(text, "forest.q")
    body = "".join(f"{name} = {value!r}\n" for name, value in q.items())
    data.write_text(text[:start] + body + "\n" + text[end:])
    result = build(project_copy, figure_cache)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project_copy / "site"

    worked = section((site / "index.html").read_text(), "forest-example")
    assert "<table" in worked
    assert "∞" in visible_text(worked[worked.index("<table") :])
    for page in sorted(site.rglob("*.html")):
        leaked = LEAKED_NUMBER.findall(visible_text(page.read_text()))
        assert not leaked, f"{page.relative_to(site)}: {leaked}"
    for table in sorted(site.rglob("*.csv")):  # a machine format: infinity is "inf", never NaN
        leaked = re.findall(r"\bnan\b", table.read_text(), re.I)
        assert not leaked, f"{table.relative_to(site)}: {leaked}"
