"""A Python-Markdown extension: ``$inline$`` and ``$$display$$`` math, typeset to MathML.

Display math is a block of its own: ``$$ ... $$`` optionally followed by ``{#eq-name}``
to give the formula a stable anchor. Inline math follows Pandoc's rule: no space just
inside the dollars and no digit right after the closing one, so "$5 and $6" stays text.
Bad TeX raises `kl.TexError` naming the formula (MkDocs adds the page).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from kl.mathml import tex_to_mathml

INLINE_MATH = r"(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?![\d$])"
DISPLAY_MATH = re.compile(r"^\s*\$\$(.+?)\$\$\s*(?:\{:?\s*#([A-Za-z][\w-]*)\s*\})?\s*$", re.DOTALL)


class InlineMathProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        return self.md.htmlStash.store(tex_to_mathml(m.group(1))), m.start(0), m.end(0)


class DisplayMathProcessor(BlockProcessor):
    def __init__(self, parser: BlockParser, md: Markdown) -> None:
        super().__init__(parser)
        self.md = md

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        return DISPLAY_MATH.match(block) is not None

    def run(self, parent: ElementTree.Element, blocks: list[str]) -> None:
        match = DISPLAY_MATH.match(blocks.pop(0))
        assert match is not None
        tex, anchor = match.group(1).strip(), match.group(2)
        div = ElementTree.SubElement(parent, "div", {"class": "math-display"})
        if anchor:
            div.set("id", anchor)
        div.text = self.md.htmlStash.store(tex_to_mathml(tex, display=True))


class MathExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(InlineMathProcessor(INLINE_MATH, md), "kl-math", 185)
        md.parser.blockprocessors.register(
            DisplayMathProcessor(md.parser, md), "kl-display-math", 105
        )


def makeExtension(**kwargs: Any) -> MathExtension:  # noqa: N802
    return MathExtension(**kwargs)
