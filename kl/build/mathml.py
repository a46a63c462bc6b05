"""Typeset TeX as MathML at build time (KaTeX via pykatex), so pages need no script or network."""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
from pathlib import Path

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
# How KaTeX's MathML marks a \left, \middle or \right fence (and a \bigl one, a \binom's).
_FENCE = 'fence="true"'


@functools.lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """Return a ``<math>`` element for ``tex`` (block-level when ``display``), corrected
    for MathML Core browsers (`kl.build.mathml_core.to_core`), its ``\\left(...\\right)``
    fences sized as KaTeX's HTML output of it sizes them.

    Raises TexError quoting the formula and KaTeX's complaint on any TeX that KaTeX
    cannot typeset (unknown command, unbalanced braces, ...).
    """
    output = _katex(tex, "mathml", display)
    # Only a formula with \left...\right fences needs KaTeX's HTML (`kl.build.fences`): the
    # HTML costs about as much again as the MathML, so the rest are typeset once.
    html = _katex(tex, "htmlAndMathml", display) if _FENCE in output else None
    match = _MATH.search(output)
    if match is None:
        raise TexError(f"cannot typeset ${tex}$: KaTeX wrote no MathML")
    mathml = _SEMANTICS.sub("", _ANNOTATION.sub("", match.group(0)))
    try:
        return to_core(mathml, html)
    except TexError as exc:
        raise TexError(f"cannot typeset ${tex}$: {exc}") from None


def _katex(tex: str, output: str, display: bool) -> str:
    """KaTeX's ``output`` ("mathml" or "htmlAndMathml") of ``tex``; TexError if it fails."""
    import pykatex

    try:
        return str(
            pykatex.renderToString(
                tex, output=output, displayMode=display, throwOnError=True, strict="ignore"
            )
        )
    except Exception as exc:  # pykatex raises ParseError and, for some input, plain Exception
        raise TexError(f"cannot typeset ${tex}$: {_katex_complaint(exc)}") from None


BOOK_FILE = "formulas.json"
# The most formulas a book keeps (about 0.5 KB of MathML each): the least recently asked
# for go first.
BOOK_SIZE = 4096


@functools.lru_cache(maxsize=1)
def _pykatex_version() -> str:
    return importlib.metadata.version("pykatex")


class FormulaBook:
    """`tex_to_mathml`, kept in ``cache`` between builds as one entry for all formulas (one
    file to read and to write, where an entry per formula cost a cold build about 7 % in
    file system calls), keyed by pykatex's version and the source of this module and of
    `kl.build.mathml_core`.

    `mathml` typesets only what the book lacks; `save` stores the book when it has grown,
    the formulas asked for most recently last and at most `BOOK_SIZE` of them. Formulas
    that fail are not stored. Two builds saving at once keep one book: a cache, so the
    other's new formulas are typeset again next time.
    """

    def __init__(self, cache: FileCache) -> None:
        self.cache = cache
        sources = [module_source(__file__), module_source(kl.build.mathml_core.__file__)]
        self.key = cache_key(["mathml book", _pykatex_version(), *sources])
        stored = cache.get(self.key, [BOOK_FILE])
        self._formulas: dict[str, str] = json.loads(stored[BOOK_FILE]) if stored else {}
        self._grown = False

    def mathml(self, tex: str, *, display: bool) -> str:
        """The MathML of ``tex`` (block-level when ``display``); TexError as `tex_to_mathml`."""
        entry = f"{'display' if display else 'inline'} {tex}"
        mathml = self._formulas.pop(entry, None)
        if mathml is None:
            mathml = tex_to_mathml(tex, display=display)
            self._grown = True
        self._formulas[entry] = mathml  # last: the most recently asked for
        return mathml

    def save(self) -> None:
        """Store the book if it has grown since it was read or last saved."""
        if not self._grown:
            return
        self._formulas = dict(list(self._formulas.items())[-BOOK_SIZE:])
        self.cache.put(self.key, {BOOK_FILE: json.dumps(self._formulas).encode()}, replace=True)
        self._grown = False


def formula_book(folder: Path) -> FormulaBook:
    """The `FormulaBook` of the cache ``folder``, one per process: the pages of a build
    share it (two spellings of one folder, one book)."""
    return _book(folder.resolve())


@functools.cache
def _book(folder: Path) -> FormulaBook:
    return FormulaBook(FileCache(folder))


def _katex_complaint(exc: Exception) -> str:
    return _EXCERPT.sub(r"\1", str(exc).removeprefix("KaTeX parse error: "))
