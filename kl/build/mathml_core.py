"""KaTeX's MathML, corrected for browsers that implement MathML Core (Chromium, Firefox).

KaTeX writes MathML for the full MathML 3 specification; MathML Core, what Chromium
draws, drops parts of it, and some TeX spacing rules have no MathML equivalent at all.
`to_core` rewrites a formula's MathML the way Temml writes it, so it typesets as KaTeX's
HTML does:

- styled letters (``\\mathcal{N}``, ``\\mathbb{E}``, ``\\mathbf{x}``) become Unicode
  mathematical alphanumerics (𝒩, 𝔼, 𝐱): Core ignores ``mathvariant`` but "normal";
  a symbol that is not a letter (``/``, ``∥``) loses a "normal" it has no use for, with
  which Firefox spaced it as an operator name (``p / q``);
- an operator name (``\\log``, ``\\ln``, ``\\operatorname{tr}``) gets TeX's thin space
  before and after it, unless an operator or a delimiter there brings its own;
- a minus or plus after an operator, an opening delimiter or punctuation is a sign
  (``form="prefix"``), not a binary operator with space on both sides;
- an accent (``\\hat{P}``, ``\\tilde``, ``\\bar``) is the font's spacing accent (ˆ, ˜, ¯:
  0.5em wide, drawn at a letter's width as KaTeX's), not KaTeX's ASCII ``^`` and ``~``,
  which the math font draws 0.84em wide, or a modifier macron it has no glyph for; not
  stretchy, so that Firefox does not widen it;
- primes (``Q'``) sit beside their base at full size, as the font draws ′ already raised,
  instead of being shrunk to a superscript;
- the label of ``\\xrightarrow{...}`` is padded with spaces, not with ``mpadded``'s
  relative width ("+0.6em", which Core reads as a fixed 0.6em), so the arrow under it
  stretches to its width;
- the operators of sub- and superscripts and limits are set without space around them
  (``i=1``, not ``i = 1``), as in TeX;
- the columns of ``aligned`` and ``gathered`` (KaTeX's ``columnspacing="0em"``) lose the
  cell padding Core gives every ``mtd``;
- a large operator (∫, ∑) after another operator or at the start of a row has no space
  before it (``lspace="0"``): TeX spaces ``= ∫`` by the relation's space alone, where
  Core adds the integral's own thin space to it; nor after it before an opening
  delimiter (``∑ₓ(p - q)``);
- in display math, integrals are drawn at display size (2em, about TeX's), where the
  font's own display minimum (1.33em) leaves them smaller than a fraction beside them;
- a fraction has TeX's null delimiter space (0.12em) on each side, as padding of an
  ``mpadded`` around it: Chromium sets it against its neighbours, and Firefox spaced it
  as TeX's inner atom (0.1667em more, doubling a ``\\,`` beside it) unless wrapped; but
  not a fraction between delimiters of its own (``\\binom``), which TeX sets there
  instead (the wrapper stays, for Firefox);
- a ``\\left(...\\right)`` group is TeX's inner atom: a thin space between it and an
  ordinary term, a closing delimiter or another such group beside it (not in scripts
  or in a fraction of inline math, where TeX sets none), as its fences' own spaces;
  so is an ellipsis (``\\dots``), which Chromium spaced as a relation;
- a large operator with limits (``\\sum_{i=1}^{N}``) is spaced by padding on its script
  element instead of the operator's ``lspace`` and ``rspace``: Firefox sized a table
  column without them when the limits are wider than the operator (``aligned``'s ``=``
  then touched the ``\\sum`` before it).

`fit_fixed_sizes` then, knowing the math font, sets each operator of a fixed size
(``\\bigl(``: ``minsize`` = ``maxsize``) to the font's own size for it, the first at least
that tall, as TeX picks it. Chromium takes the first size reaching ``minsize``, Firefox the
largest within ``maxsize``: from a size between two of the font's they drew different
glyphs (Firefox's ``\\bigl(`` was hardly bigger than ``(``). `place_accents` moves each
accent over an italic letter right by the letter's skew, as TeX does. Given KaTeX's HTML
of the formula, `to_core` also sets each ``\\left(...\\right)`` fence to the size TeX
picks for it (`kl.build.fences`), which browsers did not.

The input must be one well-formed ``<math>`` element, as `kl.build.mathml` produces.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from xml.etree import ElementTree

from kl.build.fences import match_fences, size_fences
from kl.build.mathfont import styled

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_NS_PREFIX = f"{{{MATHML_NS}}}"

THIN_SPACE = "0.1667em"  # TeX's \, (3 mu)
# KaTeX's explicit spaces (\, \: \; \! and their long names), which it writes as Unicode
# spaces that the math font draws wider (U+2009 is 0.2em, not 3 mu; \! came out positive),
# and their widths in TeX, to five places: so written, kl.css tells them from the
# build's own `THIN_SPACE` around operator names.
TEX_SPACES = {
    "\u2009": "0.16667em",
    "\u2005": "0.22222em",
    "\u2005\u200a": "0.27778em",
    "\u2009\u2063": "-0.16667em",
    "\u205f\u2063": "-0.22222em",
}
NULL_DELIMITER_SPACE = "0.12em"  # TeX's \nulldelimiterspace (1.2pt), each side of a fraction
DISPLAY_INTEGRAL_SIZE = "2em"  # about TeX's display integral (KaTeX: 2.22em)

FUNCTION_APPLICATION = "\u2061"  # the invisible operator KaTeX puts after an operator name
OPENING = set("([{⟨⌈⌊")
CLOSING = set(")]}⟩⌉⌋")
SIGNS = set("−+±∓")
PRIMES = set("′″‴⁗")
INTEGRALS = set("∫∬∭∮∯∰")
LARGE_OPERATORS = INTEGRALS | set("∑∏∐⋃⋂⨀⨁⨂")
ELLIPSES = set("…⋯")
# KaTeX's accent characters, and the spacing accent the math font draws at a letter's width.
ACCENTS = {"^": "\u02c6", "~": "\u02dc", "\u02c9": "\u00af"}

TOKENS = {"mi", "mn", "mo", "mtext", "ms"}
# Elements that lay their children out in a row (the others place them by position).
ROWS = {"math", "mrow", "mstyle", "mtd", "mpadded", "mphantom", "menclose"}
SCRIPTS = {"msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts"}


def to_core(mathml: str, html: str | None = None) -> str:
    """``mathml`` (one ``<math>`` element from KaTeX) with the corrections above; given
    ``html``, KaTeX's HTML of the same formula, with its ``\\left(...\\right)`` fences
    at the sizes TeX picks (`kl.build.fences`, which raises TexError if
    ``html`` cannot be read or does not match)."""
    root = ElementTree.fromstring(mathml)
    for element in root.iter():
        element.tag = element.tag.removeprefix(_NS_PREFIX)
    display = root.get("display") == "block"
    _style_letters(root)
    _size_explicit_spaces(root)
    _unscript_primes(root)
    _narrow_accents(root)
    _pad_arrow_labels(root)
    _unpad_aligned_columns(root)
    _tighten_scripts(root)
    if display:
        _enlarge_integrals(root)
    fences = match_fences(root, html) if html is not None else []
    _pad_fractions(root, {fence.mo for fence in fences if fence.of_fraction})
    tight = _tight_elements(root, display=display)
    for row in [e for e in root.iter() if e.tag in ROWS]:
        _mark_signs(row)
        _space_operator_names(row)
        _unspace_large_operators(row)
        if row not in tight:
            _space_inner_groups(row)
    _pad_limits(root)
    size_fences(fences)
    root.attrib = {"xmlns": MATHML_NS, **root.attrib}
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=False)


# An operator of a fixed size, as `to_core` writes it: its other attributes, size and text.
_FIXED_SIZE = re.compile(r'<mo([^>]*?) minsize="([0-9.]+)em" maxsize="\2em"([^>]*)>([^<]+)</mo>')
_SPACE = re.compile(r' (lspace|rspace)="([^"]*)"')


def fit_fixed_sizes(mathml: str, sizes: Mapping[str, tuple[tuple[float, float], ...]]) -> str:
    """``mathml`` (from `to_core`) with each fixed-size operator set to the height, in
    em, of the first of its sizes in ``sizes`` (the math font's heights and advance
    widths, smallest first) at least as tall as asked; less a thousandth of an em, so that
    rounding in the browser cannot make it reach for the next size. A delimiter (not a
    large operator) is also given that size's advance width: Chromium sized its box by
    another glyph's; its ``lspace`` and ``rspace`` become padding, outside that width.
    Operators the font has no size that tall for (it builds them from parts) are left as
    they are."""

    def fit(match: re.Match[str]) -> str:
        before, size, after, text = match.groups()
        fitting = [step for step in sizes.get(text, ()) if step[0] >= float(size)]
        if not fitting:
            return match.group(0)
        height, advance = fitting[0]
        fitted = f"{math.floor(height * 1000 - 1) / 1000:g}em"
        attributes = f'{before} minsize="{fitted}" maxsize="{fitted}"{after}'
        if text not in LARGE_OPERATORS:
            spaces = dict(_SPACE.findall(attributes))
            style = f"width:{advance:g}em"
            if spaces:
                attributes = _SPACE.sub("", attributes) + ' lspace="0" rspace="0"'
                style += f";padding-inline:{spaces.get('lspace', '0')} {spaces.get('rspace', '0')}"
            attributes += f' style="{style}"'
        return f"<mo{attributes}>{text}</mo>"

    return _FIXED_SIZE.sub(fit, mathml)


# An accent over one letter, as `to_core` writes it: the letter's attributes and text, the
# accent's attributes and text.
_ACCENTED = re.compile(r'<mover accent="true"><mi([^>]*)>([^<])</mi><mo([^>]*)>([^<])</mo></mover>')


def place_accents(mathml: str, top_accents: Mapping[str, float]) -> str:
    """``mathml`` (from `to_core`) with each accent over a letter (``\\hat{P}``) moved
    right by the letter's skew: how far right of its centre the math font's top accent
    attachment of the letter, as drawn (italic unless ``mathvariant`` says otherwise), is
    from the accent's own, in ``top_accents`` (em). Browsers centre the accent over the
    letter's box, as if it were upright; it gets twice the skew as padding on its start
    side (on its end side if the skew is negative), which moves its glyph by the skew."""

    def place(match: re.Match[str]) -> str:
        letter_attributes, letter, accent_attributes, accent = match.groups()
        drawn = letter if "mathvariant" in letter_attributes else styled(letter, "italic")
        skew = top_accents.get(drawn, 0.0) - top_accents.get(accent, 0.0)
        if round(skew, 3) == 0:
            return match.group(0)
        side = "start" if skew > 0 else "end"
        style = f' style="padding-inline-{side}:{round(2 * abs(skew), 3):g}em"'
        return (
            f'<mover accent="true"><mi{letter_attributes}>{letter}</mi>'
            f"<mo{accent_attributes}{style}>{accent}</mo></mover>"
        )

    return _ACCENTED.sub(place, mathml)


def _element(
    tag: str, attributes: dict[str, str], *children: ElementTree.Element
) -> ElementTree.Element:
    made = ElementTree.Element(tag, attributes)
    made.extend(children)
    return made


def _thin_space() -> ElementTree.Element:
    return _element("mspace", {"width": THIN_SPACE})


def _style_letters(root: ElementTree.Element) -> None:
    for token in root.iter():
        variant = token.get("mathvariant")
        if token.tag == "mi" and variant == "normal" and _is_symbol(token.text or ""):
            del token.attrib["mathvariant"]  # Firefox spaces an upright <mi> like a name
            continue
        if token.tag in TOKENS and variant and variant != "normal" and token.text:
            token.text = "".join(styled(char, variant) for char in token.text)
            del token.attrib["mathvariant"]


def _is_symbol(text: str) -> bool:
    """Whether ``text`` is one character that is not a letter (``/``, ``∥``, ``∞``): it
    has no italic form, so ``mathvariant="normal"`` changes nothing of how it is drawn."""
    return len(text) == 1 and not unicodedata.category(text).startswith("L")


def _is_prime(element: ElementTree.Element) -> bool:
    if element.tag == "mo":
        return bool(element.text) and set(element.text or "") <= PRIMES
    return element.tag == "mrow" and len(element) > 0 and all(_is_prime(e) for e in element)


def _unscript_primes(root: ElementTree.Element) -> None:
    for script in root.iter("msup"):
        if len(script) == 2 and _is_prime(script[1]):
            base, primes = script[0], list(script[1].iter("mo"))
            script.tag = "mrow"
            script[:] = [base, *primes]
            for prime in primes:
                prime.attrib = {"lspace": "0em", "rspace": "0em"}


def _narrow_accents(root: ElementTree.Element) -> None:
    """Each accent of a fixed size (``\\hat``, not ``\\widehat``) as its `ACCENTS` glyph."""
    for over in root.iter("mover"):
        accent = over[1] if over.get("accent") == "true" and len(over) == 2 else None
        if accent is None or accent.tag != "mo" or accent.get("stretchy") == "true":
            continue
        if (accent.text or "") in ACCENTS:
            accent.text = ACCENTS[accent.text or ""]
            accent.set("stretchy", "false")


def _pad_arrow_labels(root: ElementTree.Element) -> None:
    """``<mpadded width="+W" lspace="L">`` (KaTeX's arrow labels): an ``mrow`` with
    ``L`` of space before its content and ``W - L`` after, both in em."""
    for padded in root.iter("mpadded"):
        width = padded.get("width", "")
        if not (width.startswith("+") and width.endswith("em")):
            continue
        total = float(width[1:-2])
        before = float(padded.get("lspace", "0em").removesuffix("em"))
        content = list(padded)
        padded.clear()
        padded.tag = "mrow"
        padded.append(_element("mspace", {"width": f"{before:g}em"}))
        padded.extend(content)
        padded.append(_element("mspace", {"width": f"{total - before:g}em"}))


def _size_explicit_spaces(root: ElementTree.Element) -> None:
    """Each of KaTeX's explicit spaces (an ``<mtext>`` of `TEX_SPACES`) as an ``<mspace>``
    of TeX's width."""
    for token in root.iter("mtext"):
        width = TEX_SPACES.get(token.text or "")
        if width is not None and len(token) == 0:
            token.tag, token.text, token.attrib = "mspace", None, {"width": width}


def _unpad_aligned_columns(root: ElementTree.Element) -> None:
    for table in root.iter("mtable"):
        spacing = table.get("columnspacing", "").split()
        if spacing and all(value in ("0", "0em") for value in spacing):
            for row in table.findall("mtr"):
                for cell in row.findall("mtd"):
                    cell.set("style", "padding-inline:0")


def _tighten_scripts(root: ElementTree.Element) -> None:
    """No space around the relations, binary operators and punctuation of a sub- or
    superscript or a limit (``i=1``, ``x ∼ P``), as TeX sets them; Core spaces them as
    in the main line. The base of a script keeps its spacing."""
    for script in root.iter():
        if script.tag not in SCRIPTS:
            continue
        for part in script[1:]:
            for operator in part.iter("mo"):
                if "lspace" not in operator.attrib and "rspace" not in operator.attrib:
                    operator.set("lspace", "0")
                    operator.set("rspace", "0")


def _enlarge_integrals(root: ElementTree.Element) -> None:
    """Each display integral stretched to exactly `DISPLAY_INTEGRAL_SIZE`; one with limits
    in an ``mrow`` of its own as the script's base (Chromium stretches an operator in a
    row, not one that is a script's base directly)."""
    for parent in list(root.iter()):
        positions = range(len(parent)) if parent.tag in ROWS else range(0)
        if parent.tag in SCRIPTS and len(parent) > 0:
            positions = range(1)
        for index in positions:
            child = parent[index]
            if child.tag == "mo" and (child.text or "") in INTEGRALS:
                child.set("stretchy", "true")
                child.set("minsize", DISPLAY_INTEGRAL_SIZE)
                child.set("maxsize", DISPLAY_INTEGRAL_SIZE)
                if parent.tag in SCRIPTS:
                    parent[index] = _element("mrow", {}, child)


def _core_operator(element: ElementTree.Element) -> ElementTree.Element | None:
    """The ``<mo>`` an element is embellishing (itself if it is one), or None."""
    while element.tag in SCRIPTS or (element.tag in ROWS and len(element) == 1):
        if len(element) == 0:
            return None
        element = element[0]
    return element if element.tag == "mo" else None


def _is_space(element: ElementTree.Element) -> bool:
    return element.tag == "mspace" or (
        element.tag == "mtext" and len(element) == 0 and not (element.text or "").strip()
    )


def _kind(element: ElementTree.Element) -> str:
    """TeX's class of an element in a row, as far as spacing goes: "space" (explicit
    space), "open", "close", "apply" (the end of an operator name), "operator" (spaced by
    the browser: relations, binary operators, punctuation, large operators) or "ord"
    (an ellipsis too)."""
    if _is_space(element):
        return "space"
    operator = _core_operator(element)
    if operator is None:
        return "ord"
    text = operator.text or ""
    if text == FUNCTION_APPLICATION:
        return "apply"
    if text in OPENING:
        return "open"
    if text in CLOSING:
        return "close"
    if text in ELLIPSES:
        return "ord"  # TeX's inner atom: spaced as an ordinary term is, or more
    return "operator"


def _ends_with_apply(element: ElementTree.Element) -> bool:
    return len(element) > 0 and element[-1].tag == "mo" and element[-1].text == FUNCTION_APPLICATION


def _operator_name_at(row: ElementTree.Element, index: int) -> int | None:
    """If an operator name starts at ``row[index]``, the index of its last element: the
    ``<mo>⁡</mo>`` after an ``<mi>``, or the script element whose base ends with one
    (``\\log_2``, ``\\max_\\theta``)."""
    child = row[index]
    if child.tag == "mi" and index + 1 < len(row) and _kind(row[index + 1]) == "apply":
        return index + 1
    if child.tag in SCRIPTS and len(child) > 0 and _ends_with_apply(child[0]):
        return index
    return None


def _space_operator_names(row: ElementTree.Element) -> None:
    """TeX's thin space between an operator name and an ordinary term (a sign counts as
    one), or another name, on either side, an explicit space between them or not (TeX
    spaces atoms by their classes, whatever glue is between: ``P\\,\\|\\,\\operatorname{f}``
    has two thin spaces before "f"); none next to an opening delimiter or an operator the
    browser spaces itself.

    Firefox spaces an operator name itself from a letter, a script or a fraction, but not
    from an operator before it: the space after a closing delimiter or a sign is that
    operator's ``rspace`` (both engines honour it), the others are an ``<mspace>`` of
    `THIN_SPACE`, which kl.css hides in Firefox."""
    index = 0
    while index < len(row):
        last = _operator_name_at(row, index)
        if last is None:
            index += 1
            continue
        after = _solid_index(row, last + 1, step=1)
        if after is not None and (
            _kind(row[after]) == "ord" or _operator_name_at(row, after) is not None
        ):
            row.insert(last + 1, _thin_space())
        previous = _solid_index(row, index - 1, step=-1)
        before = None if previous is None else row[previous]
        operator = None if before is None else _core_operator(before)
        if previous is not None and (_kind(row[previous]) == "close" or _is_sign(row, previous)):
            assert operator is not None
            operator.set("rspace", THIN_SPACE)
        elif before is not None and _kind(before) == "ord":
            row.insert(index, _thin_space())
            last += 1
        index = last + 1


def _solid_index(row: ElementTree.Element, index: int, *, step: int) -> int | None:
    """The index of the first element of ``row`` from ``index`` on (``step`` 1) or back
    (``step`` -1) that is not an explicit space, or None."""
    while 0 <= index < len(row):
        if not _is_space(row[index]):
            return index
        index += step
    return None


def _is_sign(row: ElementTree.Element, index: int) -> bool:
    """Whether ``row[index]`` is a minus or plus that is a sign, not a binary operator (at
    the start of the row, or marked by `_mark_signs`): an ordinary term to TeX."""
    child = row[index]
    if child.tag != "mo" or (child.text or "") not in SIGNS:
        return False
    return child.get("form") == "prefix" or all(_is_space(e) for e in row[:index])


def _mark_signs(row: ElementTree.Element) -> None:
    """``form="prefix"`` on a minus or plus that follows an operator, an opening
    delimiter or punctuation (TeX makes such a binary operator ordinary). At the start
    of a row the browser makes it prefix already."""
    previous: ElementTree.Element | None = None
    for child in row:
        sign = child.tag == "mo" and (child.text or "") in SIGNS
        if sign and previous is not None and _kind(previous) in ("operator", "open", "apply"):
            child.set("form", "prefix")
        if not _is_space(child):
            previous = child


def _unspace_large_operators(row: ElementTree.Element) -> None:
    """``lspace="0"`` on each large operator (the core of a ``\\sum_{i}``) that starts
    ``row`` or follows an operator or an opening delimiter, which bring their own space
    or none, and ``rspace="0"`` on one an opening delimiter follows (``\\sum_x (p - q)``),
    as in TeX; next to an ordinary term it keeps its thin space, and after a sign (an
    ordinary term to TeX: ``= -\\sum``) it gets one."""
    solid = [child for child in row if not _is_space(child)]
    for index, child in enumerate(solid):
        operator = _core_operator(child)
        if operator is None or (operator.text or "") not in LARGE_OPERATORS:
            continue
        if index > 0 and _is_sign(row, list(row).index(solid[index - 1])):
            operator.set("lspace", THIN_SPACE)
        elif index == 0 or _kind(solid[index - 1]) in ("operator", "open", "apply"):
            operator.set("lspace", "0")
        if index + 1 < len(solid) and _kind(solid[index + 1]) == "open":
            operator.set("rspace", "0")


def _pad_fractions(root: ElementTree.Element, delimiters: set[ElementTree.Element]) -> None:
    """Wrap each fraction in an ``mpadded`` with the null delimiter space as its padding,
    but for one in a row that opens and closes with ``delimiters``, the fraction's own
    (``\\binom``): TeX sets them where that space would be."""
    for parent in list(root.iter()):
        own = len(parent) == 3 and {parent[0], parent[-1]} <= delimiters
        for index, child in enumerate(parent):
            if child.tag == "mfrac":
                padding = {} if own else {"style": f"padding-inline:{NULL_DELIMITER_SPACE}"}
                parent[index] = _element("mpadded", padding, child)


def _tight_elements(root: ElementTree.Element, *, display: bool) -> set[ElementTree.Element]:
    """The elements TeX sets in script style (sub- and superscripts, limits, the parts of
    a fraction in text style), where it puts no thin space beside an inner atom."""
    tight: set[ElementTree.Element] = set()

    def walk(element: ElementTree.Element, display: bool, is_tight: bool) -> None:
        if element.tag == "mstyle" and element.get("displaystyle"):
            display = element.get("displaystyle") == "true"
        if is_tight:
            tight.add(element)
        for index, child in enumerate(element):
            scripted = element.tag in SCRIPTS and index > 0
            in_fraction = element.tag == "mfrac"
            walk(
                child,
                display and not scripted and not in_fraction,
                is_tight or scripted or (in_fraction and not display),
            )

    walk(root, display, False)
    return tight


def _inner_fences(
    element: ElementTree.Element,
) -> tuple[ElementTree.Element, ElementTree.Element] | None:
    """The opening and closing ``<mo>`` of a ``\\left(...\\right)`` group (KaTeX's
    ``mrow`` between two fences of no fixed size), or None if ``element`` is not one."""
    if element.tag != "mrow" or len(element) < 2:
        return None
    fences = (element[0], element[-1])
    if all(
        f.tag == "mo" and f.get("fence") == "true" and "minsize" not in f.attrib for f in fences
    ):
        return fences
    return None


def _space_inner_groups(row: ElementTree.Element) -> None:
    """A thin space (its opening fence's ``lspace``) between a ``\\left(...\\right)``
    group and an ordinary term or a closing delimiter right before it, and (its closing
    fence's ``rspace``) an ordinary term, an opening delimiter or punctuation right after
    it; another such group counts as an ordinary term. An operator, or an explicit space,
    next to it brings its own. An ellipsis (``\\dots``, TeX's inner atom too) gets these
    spaces and no others (Chromium spaced ``<mo>…</mo>`` as a relation)."""
    for index, child in enumerate(row):
        fences = _inner_fences(child)
        if fences is None and child.tag == "mo" and (child.text or "") in ELLIPSES:
            fences = (child, child)
            child.attrib |= {"lspace": "0", "rspace": "0"}
        if fences is None:
            continue
        opening, closing = fences
        if index > 0 and _kind(row[index - 1]) in ("ord", "close"):
            opening.set("lspace", THIN_SPACE)
        following = row[index + 1] if index + 1 < len(row) else None
        if following is not None and (
            _kind(following) in ("ord", "open") or following.get("separator") == "true"
        ):
            closing.set("rspace", THIN_SPACE)


def _pad_limits(root: ElementTree.Element) -> None:
    for script in root.iter():
        operator = _core_operator(script) if script.tag in ("munder", "munderover") else None
        if operator is None or (operator.text or "") not in LARGE_OPERATORS:
            continue
        before = operator.get("lspace", THIN_SPACE)
        after = operator.get("rspace", THIN_SPACE)
        operator.set("lspace", "0")
        operator.set("rspace", "0")
        spaces = before if before == after else f"{before} {after}"
        script.set("style", f"padding-inline:{spaces}")
