"""Tests for kl.build.mathml_core: one test per way KaTeX's MathML went wrong in a browser that
implements MathML Core, each on the MathML the site publishes."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont

from kl.build.mathfont import MATH_FONT, font_facts
from kl.build.mathml import tex_to_mathml
from kl.build.mathml_core import THIN_SPACE, fit_fixed_sizes, place_accents
from tests.conftest import ROOT

_MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _tree(tex: str, *, display: bool = False) -> ElementTree.Element:
    root = ElementTree.fromstring(tex_to_mathml(tex, display=display))
    for element in root.iter():
        element.tag = element.tag.removeprefix(_MATHML)
    return root


def _row_of(root: ElementTree.Element, child: ElementTree.Element) -> list[ElementTree.Element]:
    return next(list(parent) for parent in root.iter() if child in list(parent))


def test_styled_letters_are_mathematical_alphanumerics() -> None:
    root = _tree(r"\mathcal{N}(0, 1) + \mathbb{E}[x] + \mathrm{KL}")
    letters = [mi.text for mi in root.iter("mi")]
    assert "\U0001d4a9" in letters and "\U0001d53c" in letters  # 𝒩, 𝔼
    assert "N" not in letters and "E" not in letters
    variants = {mi.get("mathvariant") for mi in root.iter("mi")}
    assert variants <= {None, "normal"}  # \mathrm stays "normal", the one variant Core reads


@pytest.mark.parametrize(
    ("tex", "name", "before", "after"),
    [
        (r"p \log p", "log", True, True),
        (r"\ln t \le t - 1", "ln", False, True),
        (r"\arg\min_\theta D", "arg", False, True),
        (r"\arg\min_\theta D", "min", True, True),  # the one space between the names
        (r"x \log_2 q(x)", "log", True, True),
        (r"\log(p) = \ln\bigl(q\bigr)", "log", False, False),  # a delimiter follows
        (r"\log(p) = \ln\bigl(q\bigr)", "ln", False, False),
        (r"q(x) \ln \frac{p}{q}", "ln", True, True),
        (r"P \,\|\, \operatorname{softmax}(z)", "softmax", True, False),  # past the \,
        (r"\bigl(-\log q(x)\bigr)", "log", True, True),  # a sign is an ordinary term
        (r"-\log_2 p(x)", "log", True, True),
        (r"a - \log_2 p(x)", "log", False, True),  # a binary minus spaces itself
    ],
)
def test_operator_names_have_a_thin_space_unless_a_delimiter_or_operator_is_there(
    tex: str, name: str, before: bool, after: bool
) -> None:
    root = _tree(tex)
    mi = next(mi for mi in root.iter("mi") if mi.text == name)
    scripted = [(p, c) for p in root.iter() for c in p if c.tag.startswith("m") and c[:1]]
    row, unit = next(
        ((list(p), c) for p, c in scripted if c.tag in ("msub", "munder") and mi in c[0].iter()),
        (_row_of(root, mi), mi),
    )  # the name, or the script it is the base of
    index = row.index(unit)
    thin = {"width": "0.1667em"}
    previous = row[index - 1] if index > 0 else ElementTree.Element("none")
    spaced_before = (previous.tag, previous.attrib) == ("mspace", thin) or (
        previous.tag == "mo" and previous.get("rspace") == thin["width"]
    )
    following = row[index + (2 if unit is mi else 1) :]  # after the name's <mo>⁡</mo>
    spaced_after = bool(following) and following[0].tag == "mspace" and following[0].attrib == thin
    assert (spaced_before, spaced_after) == (before, after)


@pytest.mark.parametrize(("tex", "before"), [(r"q(x) \ln x", ")"), (r"\bigl(-\log q\bigr)", "−")])
def test_a_name_after_a_delimiter_or_sign_is_spaced_by_its_rspace(tex: str, before: str) -> None:
    """Firefox spaces a name from a letter itself (kl.css hides the ``<mspace>`` there),
    but not from an operator: that space is the operator's own, which both engines draw."""
    root = _tree(tex)
    name = next(mi for mi in root.iter("mi") if len(mi.text or "") > 1)
    row = _row_of(root, name)
    operator = row[row.index(name) - 1]
    assert (operator.tag, operator.text, operator.get("rspace")) == ("mo", before, "0.1667em")


@pytest.mark.parametrize(
    ("tex", "prefix"),
    [
        (r"D = -H(P) - \mathbb{E}[x]", [True, False]),
        (r"\bigl(-\log q(x)\bigr) - \bigl(-\log p(x)\bigr)", [True, False, True]),
        (r"\mathcal{N}\bigl(x;\, -\tfrac{d}{2}, 1\bigr)", [True]),
        (r"(1 - t)\,P + t\,R", [False, False]),
    ],
)
def test_a_minus_after_an_operator_or_opening_is_a_sign(tex: str, prefix: list[bool]) -> None:
    signs = [mo for mo in _tree(tex).iter("mo") if mo.text in ("−", "+")]
    assert [mo.get("form") == "prefix" for mo in signs] == prefix


def test_primes_sit_beside_their_base_at_full_size() -> None:
    root = _tree(r"Q' = P + Q''")
    assert list(root.iter("msup")) == []
    rows = [[e.text for e in row] for row in root.iter("mrow")]
    assert ["Q", "′"] in rows and ["Q", "′", "′"] in rows  # right after the base, in a row


def test_a_labelled_arrow_is_padded_with_spaces_not_relative_width() -> None:
    root = _tree(r"a \xrightarrow{\;n \to \infty\;} b", display=True)
    (over,) = root.iter("mover")
    arrow, label = over
    assert arrow.text == "→" and arrow.get("stretchy") == "true"
    assert list(root.iter("mpadded")) == []  # Core reads width="+0.6em" as 0.6em
    assert [label[0].get("width"), label[-1].get("width")] == ["0.3em", "0.3em"]


def test_aligned_columns_have_no_cell_padding() -> None:
    root = _tree(r"\begin{aligned} a &= b \\ &= c \end{aligned}", display=True)
    cells = list(root.iter("mtd"))
    assert len(cells) == 4
    assert all(cell.get("style") == "padding-inline:0" for cell in cells)
    spaced = _tree(r"\begin{matrix} a & b \end{matrix}", display=True)  # columns apart
    assert all(cell.get("style") is None for cell in spaced.iter("mtd"))


@pytest.mark.parametrize(
    ("tex", "width"),
    [
        (r"a\,b", "0.16667em"),
        (r"a\thinspace b", "0.16667em"),
        (r"a\:b", "0.22222em"),
        (r"a\;b", "0.27778em"),
        (r"a\!b", "-0.16667em"),
    ],
)
def test_explicit_spaces_are_tex_widths_not_the_fonts_spaces(tex: str, width: str) -> None:
    """KaTeX writes ``\\,`` as U+2009, which the math font draws 0.2em wide, not 3mu
    (``\\:`` and ``\\;`` likewise, and ``\\!`` came out positive): each is an
    ``<mspace>`` of TeX's width, written to five places so that it is not taken for
    the build's thin space around operator names (kl.css hides that one in Firefox)."""
    root = _tree(tex)
    assert [e.text for e in root.iter("mtext")] == []
    assert [s.attrib for s in root.iter("mspace")] == [{"width": width}]


@pytest.mark.parametrize("tex", [r"\int p(x)\,dx", r"\int_{-\infty}^{\infty} p(x)\,dx"])
def test_display_integrals_are_display_size(tex: str) -> None:
    (integral,) = (mo for mo in _tree(tex, display=True).iter("mo") if mo.text == "∫")
    sizes = ("stretchy", "minsize", "maxsize")
    assert {k: integral.get(k) for k in sizes} == {
        "stretchy": "true",
        "minsize": "2em",
        "maxsize": "2em",
    }
    (inline,) = (mo for mo in _tree(tex).iter("mo") if mo.text == "∫")
    assert {k: inline.get(k) for k in sizes} == dict.fromkeys(sizes)


def test_operators_in_scripts_are_not_spaced() -> None:
    root = _tree(r"\sum_{i=1}^{n} x_{a+b} \mathbb{E}_{x \sim P} = y", display=True)
    spaced = {mo.text: (mo.get("lspace"), mo.get("rspace")) for mo in root.iter("mo")}
    assert spaced["="] == (None, None)  # the main line's relation keeps its spaces
    inner = [mo for s in root.iter() if s.tag in ("msub", "munderover") for mo in s[1].iter("mo")]
    assert {mo.text for mo in inner} == {"=", "+", "∼"}
    assert all((mo.get("lspace"), mo.get("rspace")) == ("0", "0") for mo in inner)


def test_a_size_the_font_has_no_glyph_that_tall_for_is_kept() -> None:
    mathml = '<math><mo stretchy="true" minsize="9em" maxsize="9em">(</mo></math>'
    assert fit_fixed_sizes(mathml, {"(": ((1.0, 0.4), (2.0, 0.5))}) == mathml
    assert fit_fixed_sizes(mathml, {}) == mathml


def test_a_large_operator_after_an_operator_has_no_space_of_its_own() -> None:
    """``= ∫`` is spaced by the relation alone, as in TeX; after a letter the integral
    keeps its thin space (TeX's space between an ordinary term and a large operator)."""
    root = _tree(r"D = \int p + \sum_{x} q - p \int r", display=True)
    large = [mo for mo in root.iter("mo") if mo.text in ("∫", "∑")]
    assert [mo.get("lspace") for mo in large] == ["0", "0", None]


def test_a_large_operator_after_a_sign_has_a_thin_space() -> None:
    """A sign is an ordinary term to TeX, which puts a thin space between it and a large
    operator (``= -\\sum``, as KaTeX's HTML has it); as padding of the limits' element."""
    root = _tree(r"D = -\sum_{x} q = -\int r", display=True)
    (limits,) = root.iter("munder")
    assert limits.get("style") == f"padding-inline:{THIN_SPACE}"
    (integral,) = (mo for mo in root.iter("mo") if mo.text == "∫")
    assert integral.get("lspace") == THIN_SPACE


def test_a_symbol_loses_the_upright_variant_firefox_spaces_it_for() -> None:
    """KaTeX's ``<mi mathvariant="normal">/</mi>``: Firefox spaced it as an operator name
    (``p / q``); a symbol is drawn upright anyway. Upright letters keep theirs."""
    root = _tree(r"p/q + P\,\|\,Q + \Sigma + \mathrm{KL}")
    variants = {mi.text: mi.get("mathvariant") for mi in root.iter("mi")}
    assert variants["/"] is None and variants["∥"] is None
    assert variants["Σ"] == variants["K"] == "normal"


def test_a_large_operator_before_an_opening_delimiter_has_no_space_after_it() -> None:
    root = _tree(r"\tfrac12 \sum_x (p - q)^2 + \sum_x p")
    large = [mo for mo in root.iter("mo") if mo.text == "∑"]
    assert [mo.get("rspace") for mo in large] == ["0", None]


@pytest.mark.parametrize("tex", [r"\frac{\partial}{\partial z} D", r"\tfrac12\,\mathcal{N}(x)"])
def test_a_fraction_has_the_null_delimiter_space_on_each_side(tex: str) -> None:
    """KaTeX's 0.12em each side, as padding of an ``mpadded`` (Firefox spaced a bare
    ``mfrac`` as TeX's inner atom, 0.1667em more, on its own)."""
    root = _tree(tex, display=True)
    (fraction,) = root.iter("mfrac")
    (padded,) = (e for e in root.iter("mpadded") if fraction in list(e))
    assert padded.attrib == {"style": "padding-inline:0.12em"}


@pytest.mark.parametrize(
    ("tex", "padding"),
    [
        (r"\binom{n}{k}", None),  # TeX sets the brackets where the null delimiters go
        (r"\genfrac[]{0pt}{}{a}{b}", None),
        (r"\dbinom{\frac{a}{b}}{c}", None),
        (r"\left(\frac{a}{b}\right)", "padding-inline:0.12em"),  # null delimiters inside
    ],
)
def test_a_fraction_between_its_own_delimiters_has_no_null_delimiter_space(
    tex: str, padding: str | None
) -> None:
    """A binomial's brackets are the fraction's delimiters: TeX puts them where a plain
    fraction has its null delimiter space, and KaTeX's HTML sets them against the numbers.
    The ``mpadded`` stays, keeping Firefox from spacing the fraction as an inner atom."""
    root = _tree(tex, display=True)
    outer = next(f for f in root.iter("mfrac") if any(f in list(e) for e in root.iter("mpadded")))
    (padded,) = (e for e in root.iter("mpadded") if outer in list(e))
    assert padded.get("style") == padding


@pytest.mark.parametrize(
    ("tex", "spaces"),
    [
        (r"\frac{1}{2}\left(\mu - 1\right)", [("0.1667em", None)]),
        (r"p(x) \left( \frac{q}{p} - 1 \right) x", [("0.1667em", "0.1667em")]),
        (r"\left(a\right)\left(b\right), c", [(None, "0.1667em"), ("0.1667em", "0.1667em")]),
        (r"= \left(a\right) + b", [(None, None)]),  # the operators bring their own spaces
        # no space inside delimiters (the formula's row is between fences too: \bigl, \bigr)
        (r"\bigl(\left(a\right)\bigr)", [(None, None), (None, None)]),
        (r"\ln\left(a\right)", [(None, None)]),  # the name's own thin space is there
        (r"x^{a\left(b\right)c}", [("0", "0")]),  # none in a script
    ],
)
def test_a_left_right_group_is_spaced_as_an_inner_atom(
    tex: str, spaces: list[tuple[str | None, str | None]]
) -> None:
    """TeX's thin space between an inner atom (``\\left(...\\right)``) and an ordinary
    term, a closing delimiter or another inner atom; KaTeX's MathML had none."""
    groups = [
        row
        for row in _tree(tex).iter("mrow")
        if len(row) > 1 and all(f.get("fence") == "true" for f in (row[0], row[-1]))
    ]
    assert [(g[0].get("lspace"), g[-1].get("rspace")) for g in groups] == spaces


def test_a_large_operator_with_limits_is_spaced_by_padding() -> None:
    """Firefox leaves an operator's lspace and rspace out of a table column's width when
    its limits are wider than it; padding on the script element it counts."""
    root = _tree(r"\begin{aligned} a \sum_{i=1}^{N} x &= \sum_x y \end{aligned}", display=True)
    scripts = [e for e in root.iter() if e.tag in ("munder", "munderover")]
    assert [s.get("style") for s in scripts] == [
        "padding-inline:0.1667em",
        "padding-inline:0 0.1667em",
    ]
    assert all((s[0].get("lspace"), s[0].get("rspace")) == ("0", "0") for s in scripts)


def test_an_ellipsis_is_spaced_as_an_inner_atom() -> None:
    """``x_1, \\dots, x_N``: the comma's thin space before it, one of its own before the
    next comma (TeX's), none as a relation (Chromium's for ``<mo>…</mo>``); a plus after
    it stays binary."""
    root = _tree(r"x_1, \dots, x_N + \cdots + y")
    dots = [mo for mo in root.iter("mo") if mo.text in ("…", "⋯")]
    assert [(mo.get("lspace"), mo.get("rspace")) for mo in dots] == [("0", "0.1667em"), ("0", "0")]
    assert [mo.get("form") for mo in root.iter("mo") if mo.text == "+"] == [None, None]


@pytest.mark.parametrize(
    ("tex", "letter"), [(r"\hat{\theta}", "𝜃"), (r"\tilde{P}", "𝑃"), (r"\bar{p}", "𝑝")]
)
def test_an_accent_is_the_fonts_spacing_accent_no_wider_than_its_letter(
    tex: str, letter: str
) -> None:
    """KaTeX's ``^`` and ``~`` are 0.84em wide in the math font, wider than 𝜃 or 𝑝
    under them, and it has no glyph for KaTeX's macron (ˉ); the accent is the font's own
    spacing accent instead, not stretchy, and the shipped font has it."""
    root = _tree(tex)
    (over,) = root.iter("mover")
    accent = over[1]
    assert over.get("accent") == "true" and accent.get("stretchy") == "false"
    shipped = ROOT / "docs" / MATH_FONT
    font = TTFont(shipped)
    cmap, widths = font.getBestCmap(), font["hmtx"].metrics
    assert ord(accent.text or "") in cmap
    assert widths[cmap[ord(accent.text or "")]][0] <= widths[cmap[ord(letter)]][0]


FACTS = font_facts((ROOT / "docs" / MATH_FONT).read_bytes())


def _top_accent_offset(char: str) -> float:
    """From the shipped font's MATH table: how far right of its centre, in em, an accent
    over ``char`` is attached."""
    font = TTFont(ROOT / "docs" / MATH_FONT)
    glyph = font.getBestCmap()[ord(char)]
    attachments = font["MATH"].table.MathGlyphInfo.MathTopAccentAttachment
    index = attachments.TopAccentCoverage.glyphs.index(glyph)
    value = attachments.TopAccentAttachment[index].Value
    return float((value - font["hmtx"][glyph][0] / 2) / font["head"].unitsPerEm)


@pytest.mark.parametrize(
    ("tex", "drawn"), [(r"\hat{P}", "𝑃"), (r"\bar{x}", "𝑥"), (r"\hat\theta", "𝜃")]
)
def test_an_accent_over_an_italic_letter_is_moved_right_by_its_skew(tex: str, drawn: str) -> None:
    """Browsers centre an accent over its letter's box; TeX centres it over the italic
    letter's top accent attachment, right of that (the skew): twice the skew as padding
    on the accent's start side moves its glyph by the skew."""
    skew = _top_accent_offset(drawn)
    assert skew > 0.02
    placed = ElementTree.fromstring(place_accents(tex_to_mathml(tex), FACTS.top_accents))
    (accent,) = (mo for mo in placed.iter(f"{_MATHML}mo"))
    assert accent.get("style") == f"padding-inline-start:{round(2 * skew, 3):g}em"
    upright = place_accents(tex_to_mathml(r"\hat{\mathrm{P}}"), FACTS.top_accents)
    assert "padding-inline-start" not in upright  # the upright P's attachment is left of centre


def test_a_fixed_size_delimiter_is_as_wide_as_its_glyph_and_spaced_by_padding() -> None:
    """Chromium made the box of ``\\bigl(`` as wide as the font's largest "(": it gets
    the width of the size it is drawn at, and its own spaces become padding outside it.
    A display integral gets no width."""
    mathml = fit_fixed_sizes(
        tex_to_mathml(r"x \left(\frac{1}{2}\right) + \bigl[ y \bigr] + \int f", display=True),
        FACTS.sizes,
    )
    fixed = {
        mo.text: mo.attrib
        for mo in ElementTree.fromstring(mathml).iter(f"{_MATHML}mo")
        if "minsize" in mo.attrib
    }
    assert set(fixed) == {"(", ")", "[", "]", "∫"}
    for char in "([":
        height = float(fixed[char]["minsize"].removesuffix("em"))
        advance = next(a for h, a in FACTS.sizes[char] if h > height)
        assert fixed[char]["style"].startswith(f"width:{advance:g}em")
    assert fixed["("]["style"].endswith(f";padding-inline:{THIN_SPACE} 0")
    assert (fixed["("]["lspace"], fixed["("]["rspace"]) == ("0", "0")
    assert "style" not in fixed["∫"]
