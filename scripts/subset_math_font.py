"""Regenerate docs/assets/fonts/dejavu-math.woff2, the site's math font (run by hand, rarely).

    apt-get install fonts-dejavu-extra
    python scripts/subset_math_font.py

Chromium draws MathML natively, but without an OpenType MATH font its sums, fractions
and stretchy brackets come out small and plain. DejaVu Math TeX Gyre (free licence,
see docs/assets/fonts/LICENSE-DejaVu-Math.txt) has one; this keeps the characters lecture
math may use, plus the MATH table's size variants and assembly parts, so the font ships
with the site (no request to another host). Each build then publishes it cut down further,
to the glyphs the site's formulas do use (kl/site/tree.py). It is written with its outlines
untransformed, which makes each build's cut quicker to read (kl/build/mathfont.py).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.woff2 import WOFF2FlavorData

from kl.build.mathfont import MATH_FONT, subset_font

SOURCE = Path("/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf")
TARGET = Path(__file__).resolve().parent.parent / "docs" / MATH_FONT
UNICODES = [
    "U+0020-007E",  # Basic Latin
    "U+00A0-00FF",  # Latin-1 (×, ·, ±)
    "U+02C6-02DD",  # spacing accents (ˆ of \\hat, ˜ of \\tilde)
    "U+0391-03C9",  # Greek
    "U+03D1,U+03D5,U+03F5",  # variant theta, phi, epsilon
    "U+2000-206F",  # punctuation, invisible operators (function application)
    "U+2100-214F",  # letterlike symbols (ℓ, ℝ, ℎ)
    "U+2190-21FF",  # arrows
    "U+2200-22FF",  # mathematical operators (∑, ∫, ∥, ≥, ≠, ∞)
    "U+2308-230B,U+2329-232A",  # ceilings, floors, angle brackets
    "U+27E8-27E9",  # mathematical angle brackets
    "U+27F0-27FF",  # long arrows (⟶, ⟹, ⟺ of \iff, ⟼)
    "U+1D400-1D6A3",  # mathematical Latin: italic (what <mi>x</mi> becomes), bold, script
    # (\mathcal), fraktur, double-struck (\mathbb), sans-serif, monospace
    "U+1D6A8-1D74F",  # mathematical bold and italic Greek (italic mu, sigma)
    "U+1D7CE-1D7FF",  # mathematical digits (\mathbf{1}, \mathbb{1})
]


def untransformed(woff2: bytes) -> bytes:
    """The WOFF2 font ``woff2`` with the same tables, none of them transformed."""
    font = TTFont(io.BytesIO(woff2), recalcTimestamp=False)
    font.flavorData = WOFF2FlavorData(transformedTables=())
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def main() -> int:
    if not SOURCE.is_file():
        print(f"{SOURCE} not found: apt-get install fonts-dejavu-extra", file=sys.stderr)
        return 1
    characters = map(chr, subset.parse_unicodes(",".join(UNICODES)))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(untransformed(subset_font(SOURCE.read_bytes(), characters)))
    print(f"wrote {TARGET} ({TARGET.stat().st_size / 1000:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
