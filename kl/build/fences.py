"""The sizes TeX picks for ``\\left(...\\right)`` fences, read from KaTeX's HTML.

A browser stretches a fence of KaTeX's MathML to its own choice of the font's sizes,
not TeX's (``\\left(\\tfrac12 x\\right)`` came out a size too large, or too small). KaTeX's
HTML output says which TeX chose: the font's normal glyph, one of its four larger sizes
(``delimsizing size1`` ... ``size4``) or a glyph built from parts (``delimsizing mult``).
`match_fences` pairs each fence of the MathML with what the HTML says of it (its size, and
whether it is a fraction's own delimiter, as ``\\binom``'s brackets are); `size_fences`
then sets each to its size: ``minsize`` = ``maxsize`` for a larger size (which
`kl.build.mathml_core.fit_fixed_sizes` then fits to the math font), ``stretchy="false"``
for the normal glyph; one built from parts is left to stretch, as the browser builds it
from the font's parts too.
"""

from __future__ import annotations

from typing import NamedTuple
from xml.etree import ElementTree

from kl.errors import TexError

# The heights of KaTeX's (TeX's) delimiter sizes, \big to \Bigg, in em.
TEX_SIZES = {"size1": "1.2em", "size2": "1.8em", "size3": "2.4em", "size4": "3.0em"}
BUILT = "mult"  # a delimiter built from parts

_MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _classes(element: ElementTree.Element) -> set[str]:
    return set(element.get("class", "").split())


def _tex_size(delimiter: ElementTree.Element) -> str | None:
    """The size TeX drew a delimiter of KaTeX's HTML at: a key of `TEX_SIZES`, `BUILT`,
    or None for the normal glyph."""
    for span in delimiter.iter("span"):
        classes = _classes(span)
        if "delimsizing" in classes:
            return next((c for c in classes if c in TEX_SIZES or c == BUILT), None)
    return None


def _html_fences(html: str) -> list[tuple[str, str | None, bool]]:
    """The text (none for one built from parts) and TeX size of each fence of KaTeX's
    HTML, in order, and whether it is a fraction's own delimiter (``\\binom``): the first
    and last child of each fenced span (`_fenced`), but for a null one (``\\left.``,
    which the MathML has no fence for)."""
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError as exc:
        raise TexError(f"KaTeX's HTML cannot be read ({exc})") from None
    fences = []
    for group in root.iter("span"):
        children = list(group)
        if _fenced(group, children):
            for fence in (children[0], children[-1]):
                if "nulldelimiter" in _classes(fence):
                    continue
                size = _tex_size(fence)
                text = "" if size == BUILT else "".join(fence.itertext())
                fences.append((text, size, "minner" not in _classes(group)))
    return fences


def _fenced(group: ElementTree.Element, children: list[ElementTree.Element]) -> bool:
    """Whether the span ``group`` of KaTeX's HTML (its ``children``) opens and closes with
    fences: a ``\\left...\\right`` group (``minner``; an ellipsis is one too, with no
    children), or a fraction between its delimiters (``\\binom``: the ends around an
    ``mfrac``), one at least not null (a plain fraction has two null ones)."""
    if len(children) < 2:
        return False
    first, last = _classes(children[0]), _classes(children[-1])
    if "mopen" not in first or "mclose" not in last:
        return False
    fraction = len(children) == 3 and "mfrac" in _classes(children[1])
    return "minner" in _classes(group) or (fraction and not {"nulldelimiter"} <= first & last)


def _mathml_fences(root: ElementTree.Element) -> list[ElementTree.Element]:
    """The ``<mo>`` fences of each ``\\left(...\\right)`` group of the MathML, in order:
    the first and last child of a row, each a fence of no fixed size (a ``\\middle`` one
    is neither)."""
    fences = []
    for row in root.iter():
        children = list(row)
        if len(children) < 2 or not row.tag.endswith("mrow"):
            continue
        fences += [
            end
            for end in (children[0], children[-1])
            if end.tag.endswith("mo") and end.get("fence") == "true" and "minsize" not in end.attrib
        ]
    return fences


class Fence(NamedTuple):
    """A ``\\left``/``\\right`` fence of the MathML (`match_fences`): its ``<mo>``, the
    size TeX drew it at (a key of `TEX_SIZES`, `BUILT`, or None for the normal glyph) and
    whether it is a fraction's own delimiter (``\\binom``)."""

    mo: ElementTree.Element
    size: str | None
    of_fraction: bool


def match_fences(root: ElementTree.Element, html: str) -> list[Fence]:
    """Each ``\\left``/``\\right`` fence of the MathML ``root``, with what KaTeX's ``html``
    of the same formula says of it. Raises TexError, in one line, if ``html`` cannot be
    read or its fences are not the MathML's."""
    drawn = _html_fences(html)
    fences = _mathml_fences(root)
    texts = [(fence.text or "") for fence in fences]
    if len(drawn) != len(fences) or any(
        text and text != own for (text, _, _), own in zip(drawn, texts, strict=True)
    ):
        raise TexError(
            f"KaTeX's HTML has the fences {[t for t, _, _ in drawn]}, its MathML {texts}"
        )
    return [Fence(mo, size, own) for mo, (_, size, own) in zip(fences, drawn, strict=True)]


def size_fences(fences: list[Fence]) -> None:
    """Set each of ``fences`` (`match_fences`) to the size TeX drew it at (see the module's
    doc)."""
    for fence in fences:
        if fence.size in TEX_SIZES:
            fence.mo.set("stretchy", "true")
            fence.mo.set("minsize", TEX_SIZES[fence.size])
            fence.mo.set("maxsize", TEX_SIZES[fence.size])
        elif fence.size is None:
            fence.mo.set("stretchy", "false")
