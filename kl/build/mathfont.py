"""The site's math font, cut down to the glyphs its formulas use.

The font in ``docs/assets/fonts`` (DejaVu Math TeX Gyre, see scripts/subset_math_font.py)
covers any formula an author is likely to write. A reader needs only the glyphs of the
formulas the site has: `math_characters` lists the characters a browser draws for a page's
MathML, and `subset_font` keeps those (with the larger sizes and stretchy parts of each in
the font's MATH table): for this lecture, an eighth of the font's size.

The font is stored as WOFF2 with its outlines as a TrueType file holds them (no WOFF2
transform of the glyf and loca tables, scripts/subset_math_font.py), so reading it costs
only brotli: undoing the transform in fontTools' Python takes four times as long as a cut.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kl.build.cache import FileCache, cache_key, module_source, versions
from kl.build.project import Project
from kl.errors import FontError, traceback_wanted

# Where the font is, under docs/ in the sources and under the site's root once built.
MATH_FONT = "assets/fonts/dejavu-math.woff2"

# A token element (<mi>, <mn>, <mo>, <mtext>, ...) and its attributes and text.
_TOKEN = re.compile(r"<(m[a-z]+)\b([^>]*)>([^<]+)</\1>")
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_VARIANT = re.compile(r"""\bmathvariant\s*=\s*["']([a-z-]+)["']""")
# Where a styled letter is missing from the Mathematical Alphanumeric Symbols block, Unicode
# has it among the letterlike symbols: under the same name without "MATHEMATICAL", except
# the italic small h.
_SPECIAL = {"MATHEMATICAL ITALIC SMALL H": "PLANCK CONSTANT"}


def styled(char: str, variant: str) -> str:
    """``char`` in a MathML ``mathvariant`` ("italic", "bold", "script", "double-struck",
    ...) as the browser draws it: the Mathematical Alphanumeric Symbol, e.g. "x" in italic
    is "𝑥". Characters with no styled form (operators, "normal") are returned unchanged."""
    if variant == "normal":
        return char
    name = unicodedata.name(char, "")
    for prefix in ("LATIN ", "GREEK "):
        name = name.removeprefix(prefix)
    name = name.replace("LETTER ", "")
    style = variant.upper().replace("-", " ")
    style = style.replace("DOUBLE STRUCK", "DOUBLE-STRUCK").replace("SANS SERIF", "SANS-SERIF")
    wanted = f"MATHEMATICAL {style} {name}"
    for candidate in (_SPECIAL.get(wanted, wanted), wanted.removeprefix("MATHEMATICAL ")):
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            continue
    return char


def math_characters(page_html: str) -> set[str]:
    """Every character the ``<math>`` elements of ``page_html`` may be drawn with: each
    token's text as written and in its ``mathvariant`` if it has one; a one-letter ``<mi>``
    in italic too, unless it is "normal" (browsers draw it italic, and Chromium ignores
    every ``mathvariant`` but "normal")."""
    found: set[str] = set()
    tokens = {token for formula in _MATH.findall(page_html) for token in _TOKEN.findall(formula)}
    for tag, attributes, raw in tokens:  # each once: a page repeats most of them
        text = html.unescape(raw)
        found.update(text)
        match = _VARIANT.search(attributes)
        variant = match.group(1) if match else None
        if variant:
            found.update(styled(c, variant) for c in text)
        if tag == "mi" and len(text) == 1 and variant != "normal":
            found.add(styled(text, "italic"))
    return found


@contextmanager
def _reading() -> Iterator[None]:
    """Any failure of fontTools inside becomes a FontError saying the font cannot be read."""
    try:
        yield
    except Exception as exc:  # fontTools raises TTLibError, struct.error, brotli.error, ...
        raise FontError(f"not a font that can be read ({type(exc).__name__}: {exc})") from None


def _load(font: bytes, options: Any) -> Any:
    from fontTools import subset

    with _reading():
        return subset.load_font(io.BytesIO(font), options)


def font_characters(font: bytes) -> frozenset[str]:
    """The characters ``font`` (WOFF2, TTF or OTF bytes) has a glyph for. Raises
    FontError if ``font`` is not a font."""
    return font_facts(font).characters


@dataclass(frozen=True)
class FontFacts:
    """What the build needs to know of a math font: the characters it has a glyph for;
    for each character the font draws taller in steps (brackets, integrals), the height
    and the advance width of each of those sizes in em, smallest first (its MATH table's
    vertical variants); and for each glyph with a top accent attachment (its MATH table's),
    how far right of the glyph's centre an accent over it is centred, in em (an italic
    letter's is positive: TeX's skew)."""

    characters: frozenset[str]
    sizes: dict[str, tuple[tuple[float, float], ...]]
    top_accents: dict[str, float]


def font_facts(font: bytes) -> FontFacts:
    """The `FontFacts` of ``font`` (WOFF2, TTF or OTF bytes). Raises FontError if
    ``font`` is not a font."""
    from fontTools import subset

    loaded = _load(font, subset.Options())
    cmap = loaded.getBestCmap()
    per_em = loaded["head"].unitsPerEm
    advances = {glyph: metrics[0] / per_em for glyph, metrics in loaded["hmtx"].metrics.items()}
    sizes: dict[str, tuple[tuple[float, float], ...]] = {}
    top_accents: dict[str, float] = {}
    table = loaded["MATH"].table if "MATH" in loaded else None
    variants = None if table is None else table.MathVariants
    if variants is not None and variants.VertGlyphCoverage:
        glyph_index = {glyph: i for i, glyph in enumerate(variants.VertGlyphCoverage.glyphs)}
        for code, glyph in cmap.items():
            if glyph in glyph_index:
                records = variants.VertGlyphConstruction[glyph_index[glyph]]
                steps = records.MathGlyphVariantRecord
                measured = (
                    (r.AdvanceMeasurement / per_em, advances[r.VariantGlyph]) for r in steps
                )
                sizes[chr(code)] = tuple(sorted(measured))
    info = None if table is None else table.MathGlyphInfo
    attachments = None if info is None else info.MathTopAccentAttachment
    if attachments is not None:
        glyphs = attachments.TopAccentCoverage.glyphs
        offsets = {
            glyph: value.Value / per_em - advances[glyph] / 2
            for glyph, value in zip(glyphs, attachments.TopAccentAttachment, strict=True)
        }
        top_accents = {chr(code): offsets[g] for code, g in cmap.items() if g in offsets}
    return FontFacts(frozenset(map(chr, cmap)), sizes, top_accents)


FACTS_FILE = "facts.json"


def cached_font_facts(font: bytes, cache: FileCache) -> FontFacts:
    """`font_facts`, kept in ``cache`` and keyed by the font and this module's source."""
    key = cache_key(["font-facts", module_source(__file__), font])
    stored = cache.get(key, [FACTS_FILE])
    if stored is not None:
        data = json.loads(stored[FACTS_FILE])
        sizes = {char: tuple(map(tuple, steps)) for char, steps in data["sizes"].items()}
        return FontFacts(frozenset(data["characters"]), sizes, data["top_accents"])
    facts = font_facts(font)
    data = {
        "characters": "".join(sorted(facts.characters)),
        "sizes": facts.sizes,
        "top_accents": facts.top_accents,
    }
    cache.put(key, {FACTS_FILE: json.dumps(data, ensure_ascii=False).encode()})
    return facts


def subset_font(font: bytes, characters: Iterable[str]) -> bytes:
    """The WOFF2 ``font`` with only the glyphs for ``characters``, and what the font draws
    them with: their larger sizes and stretchy parts (MATH table) and their alternates
    (every OpenType layout feature). Characters the font lacks are left out. Deterministic:
    the same inputs give the same bytes, however ``font`` is stored (the cut's outlines are
    transformed, as a WOFF2 file's are by default). Raises FontError if ``font`` is not a
    font."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables = []
    loaded = _load(font, options)
    loaded.flavorData = None  # a WOFF2 source's transforms are its own, not the cut's
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(characters))))
    subsetter.subset(loaded)
    out = io.BytesIO()
    subset.save_font(loaded, out, options)
    return out.getvalue()


FONT_FILE = "font.woff2"


# What reads and writes fonts: fontTools, and brotli for WOFF2.
FONT_LIBRARIES = ("fonttools", "brotli")


def cached_subset(font: bytes, characters: Iterable[str], cache: FileCache) -> bytes:
    """`subset_font`, kept in ``cache`` and keyed by the font, the characters, fontTools'
    and brotli's versions and this module's source."""
    chars = "".join(sorted(set(characters)))
    key = cache_key(["math-font", versions(FONT_LIBRARIES), module_source(__file__), font, chars])
    stored = cache.get(key, [FONT_FILE])
    if stored is not None:
        return stored[FONT_FILE]
    made = subset_font(font, chars)
    cache.put(key, {FONT_FILE: made})
    return made


def _project_font(project: Project) -> bytes:
    return (project.root / "docs" / MATH_FONT).read_bytes()


# Kept in every cut, shown or not: which digits the formulas show follows the data, and a
# cut that followed them would be made anew (0.1 to 0.2 s) on most data edits.
DIGITS = "0123456789"


def math_font(project: Project, characters: Iterable[str]) -> bytes:
    """The project's math font (``docs/`` + `MATH_FONT`) cut down to ``characters`` and the
    `DIGITS`, kept in its build cache. Raises FontError naming the font file if it cannot
    be read as a font."""
    kept = {*characters, *DIGITS}
    try:
        return cached_subset(_project_font(project), kept, FileCache(project.cache_dir))
    except (OSError, FontError) as exc:
        if traceback_wanted():
            raise
        problem = exc.strerror if isinstance(exc, OSError) else exc
        raise FontError(f"docs/{MATH_FONT}: {problem}") from None
