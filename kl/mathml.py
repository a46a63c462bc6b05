"""Typeset TeX as MathML at build time (KaTeX via pykatex), so pages need no script or network."""

from __future__ import annotations

import functools
import re

from kl.errors import TexError

_WRAPPER = re.compile(r'^<span class="katex">(.*)</span>$', re.DOTALL)
# The TeX source KaTeX keeps in an <annotation>: browsers do not show it, but search
# indexes it as text, so results would quote raw TeX. Dropped.
_ANNOTATION = re.compile(r"<annotation encoding=\"application/x-tex\">.*?</annotation>", re.DOTALL)
# KaTeX ends its message with an excerpt of the formula, the bad token underlined with
# combining characters; the formula is quoted whole already, so the excerpt goes.
_EXCERPT = re.compile(r"(at position \d+|at end of input): .*$", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """Return a ``<math>`` element for ``tex`` (block-level when ``display``).

    Raises TexError quoting the formula and KaTeX's complaint on any TeX that KaTeX
    cannot typeset (unknown command, unbalanced braces, ...).
    """
    import pykatex

    try:
        html = pykatex.renderToString(
            tex, output="mathml", displayMode=display, throwOnError=True, strict="ignore"
        )
    except Exception as exc:  # pykatex raises ParseError and, for some input, plain Exception
        raise TexError(f"cannot typeset ${tex}$: {_katex_complaint(exc)}") from None
    match = _WRAPPER.match(html)
    return _ANNOTATION.sub("", match.group(1) if match else html)


def _katex_complaint(exc: Exception) -> str:
    return _EXCERPT.sub(r"\1", str(exc).removeprefix("KaTeX parse error: "))
