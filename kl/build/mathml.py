"""Typeset TeX as MathML at build time (KaTeX via pykatex), so pages need no script or network."""

from __future__ import annotations

import functools
import importlib.metadata
import re

import kl.build.mathml_core
from kl.build.cache import FileCache, cache_key, module_source
from kl.build.mathml_core import to_core
from kl.errors import TexError

# KaTeX's MathML, in its HTML output.
_MATH = re.compile(r"<math\b.*</math>", re.DOTALL)
# The TeX source KaTeX keeps in an <annotation>: browsers do not show it, but search
# indexes it as text, so results would quote raw TeX. Dropped.
_ANNOTATION = re.compile(r"<annotation encoding=\"application/x-tex\">.*?</annotation>", re.DOTALL)
# What is left of <semantics> once the annotation is gone wraps one element and means
# nothing more: dropped too, a tag fewer per formula for the browser to lay out.
_SEMANTICS = re.compile(r"</?semantics>")
# KaTeX ends its message with an excerpt of the formula, the bad token underlined with
# combining characters; the formula is quoted whole already, so the excerpt goes.
_EXCERPT = re.compile(r"(at position \d+|at end of input): .*$", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """Return a ``<math>`` element for ``tex`` (block-level when ``display``), corrected
    for MathML Core browsers (`kl.build.mathml_core.to_core`), its ``\\left(...\\right)``
    fences sized as KaTeX's HTML output of it sizes them.

    Raises TexError quoting the formula and KaTeX's complaint on any TeX that KaTeX
    cannot typeset (unknown command, unbalanced braces, ...).
    """
    import pykatex

    try:
        html = pykatex.renderToString(
            tex, output="htmlAndMathml", displayMode=display, throwOnError=True, strict="ignore"
        )
    except Exception as exc:  # pykatex raises ParseError and, for some input, plain Exception
        raise TexError(f"cannot typeset ${tex}$: {_katex_complaint(exc)}") from None
    match = _MATH.search(html)
    if match is None:
        raise TexError(f"cannot typeset ${tex}$: KaTeX wrote no MathML")
    mathml = _SEMANTICS.sub("", _ANNOTATION.sub("", match.group(0)))
    try:
        return to_core(mathml, html)
    except TexError as exc:
        raise TexError(f"cannot typeset ${tex}$: {exc}") from None


MATHML_FILE = "formula.mathml"


@functools.lru_cache(maxsize=1)
def _pykatex_version() -> str:
    return importlib.metadata.version("pykatex")


def cached_mathml(tex: str, *, display: bool, cache: FileCache) -> str:
    """`tex_to_mathml`, kept in ``cache`` between builds, keyed by the formula, its mode,
    pykatex's version and the source of this module and of `kl.build.mathml_core`. Formulas
    that fail are not stored."""
    sources = [module_source(__file__), module_source(kl.build.mathml_core.__file__)]
    key = cache_key(["mathml", _pykatex_version(), *sources, str(display), tex])
    stored = cache.get(key, [MATHML_FILE])
    if stored is not None:
        return stored[MATHML_FILE].decode()
    mathml = tex_to_mathml(tex, display=display)
    cache.put(key, {MATHML_FILE: mathml.encode()})
    return mathml


def _katex_complaint(exc: Exception) -> str:
    return _EXCERPT.sub(r"\1", str(exc).removeprefix("KaTeX parse error: "))
