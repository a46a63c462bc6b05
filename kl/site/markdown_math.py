"""A Python-Markdown extension: ``$inline$`` and ``$$display$$`` math, typeset to MathML.

Display math is a block of its own: ``$$ ... $$`` optionally followed by ``{#eq-name}``
to give the formula a stable anchor. Inline math follows Pandoc's rule: no space just
inside the dollars and no digit right after the closing one, so "$5 and $6" stays text.
Punctuation right after inline math is kept on the formula's line (``.kl-nobreak``).
Bad TeX raises `kl.errors.TexError` naming the formula (MkDocs adds the page).

Option ``cache_dir``: a folder that keeps the formulas' MathML between builds
(`kl.build.mathml.FormulaBook`, saved at the end of each page), so a rebuild typesets only
new or changed formulas (KL_CACHE_DIR, when set, takes its place). Without it every build
typesets every formula.

Option ``font``: the math font the site ships (a file). A formula with a character that
font has no glyph for raises `kl.errors.FontError` naming the formula and the character: a
browser would draw it from whatever font the reader's system has, or as an empty box.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor

from kl.build.cache import cache_folder
from kl.build.mathfont import FontFacts, cached_font_facts, font_facts, math_characters
from kl.build.mathml import FormulaBook, formula_book, tex_to_mathml
from kl.build.mathml_core import fit_fixed_sizes, place_accents
from kl.errors import FontError

INLINE_MATH = r"(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?![\d$])([.,;:!?)\]”’]*)"
DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*(?:\{:?\s*#([A-Za-z][\w-]*)\s*\})?\s*$", re.DOTALL)


class Typesetter:
    """TeX to MathML, through the on-disk cache when there is one; when there is a math
    font, checked against its characters, with fixed-size brackets and integrals set to
    the font's own sizes (`kl.build.mathml_core.fit_fixed_sizes`) and accents over
    letters placed by the font's skew (`kl.build.mathml_core.place_accents`)."""

    def __init__(self, cache_dir: str, font: str) -> None:
        self.book = formula_book(cache_folder(Path(cache_dir))) if cache_dir else None
        self.font = font
        self._facts: FontFacts | None = None

    def __call__(self, tex: str, *, display: bool = False) -> str:
        if self.book is None:
            mathml = tex_to_mathml(tex, display=display)
        else:
            mathml = self.book.mathml(tex, display=display)
        if self.font:
            facts = self._font_facts()
            self._check_drawable(tex, mathml, facts.characters)
            mathml = place_accents(fit_fixed_sizes(mathml, facts.sizes), facts.top_accents)
        return mathml

    def _font_facts(self) -> FontFacts:
        if self._facts is None:
            try:
                data = Path(self.font).read_bytes()
                cache = self.book.cache if self.book else None
                self._facts = cached_font_facts(data, cache) if cache else font_facts(data)
            except (OSError, FontError) as exc:
                raise FontError(f"{self._font_name()}: {exc}") from None
        return self._facts

    def _check_drawable(self, tex: str, mathml: str, drawable: frozenset[str]) -> None:
        missing = sorted(math_characters(mathml) - drawable)
        if missing:
            chars = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing)
            formula = " ".join(tex.split())
            raise FontError(
                f"${formula}$: the math font {self._font_name()} has no glyph for {chars}"
            )

    def _font_name(self) -> str:
        """The font's path, relative to the working folder when it is inside it."""
        path = Path(self.font).absolute()
        return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


class InlineMathProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, typeset: Typesetter) -> None:
        super().__init__(pattern, md)
        self.typeset = typeset

    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        html = self.typeset(m.group(1))
        if m.group(2):  # punctuation right after the formula stays on its line
            html = f'<span class="kl-nobreak">{html}{escape(m.group(2))}</span>'
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class DisplayMathProcessor(BlockProcessor):
    def __init__(self, parser: BlockParser, md: Markdown, typeset: Typesetter) -> None:
        super().__init__(parser)
        self.md = md
        self.typeset = typeset

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        return DISPLAY_MATH.match(block) is not None

    def run(self, parent: ElementTree.Element, blocks: list[str]) -> None:
        match = DISPLAY_MATH.match(blocks.pop(0))
        assert match is not None
        tex, anchor = match.group(1).strip(), match.group(2)
        div = ElementTree.SubElement(parent, "div", {"class": "math-display"})
        if anchor:
            div.set("id", anchor)
        div.text = self.md.htmlStash.store(self.typeset(tex, display=True))


class SaveFormulas(Postprocessor):
    """Saves the formula book at the end of a page, changing nothing of the page."""

    def __init__(self, md: Markdown, book: FormulaBook) -> None:
        super().__init__(md)
        self.book = book

    def run(self, text: str) -> str:
        self.book.save()
        return text


class MathExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "cache_dir": ["", "Folder that keeps typeset formulas between builds"],
            "font": ["", "The math font file the site ships: every formula must be drawable"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        typeset = Typesetter(str(self.getConfig("cache_dir")), str(self.getConfig("font")))
        md.inlinePatterns.register(InlineMathProcessor(INLINE_MATH, md, typeset), "kl-math", 185)
        md.parser.blockprocessors.register(
            DisplayMathProcessor(md.parser, md, typeset), "kl-display-math", 105
        )
        if typeset.book is not None:
            md.postprocessors.register(SaveFormulas(md, typeset.book), "kl-save-formulas", 0)


def makeExtension(**kwargs: Any) -> MathExtension:  # noqa: N802
    return MathExtension(**kwargs)
