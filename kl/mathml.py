"""Typeset TeX as MathML at build time (KaTeX via pykatex), so pages need no script or network."""

from __future__ import annotations

import functools
import re

from kl.errors import TexError

_WRAPPER = re.compile(r'^<span class="katex">(.*)</span>$', re.DOTALL)


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
        raise TexError(f"cannot typeset ${tex}$: {exc}") from None
    match = _WRAPPER.match(html)
    return match.group(1) if match else html
