"""Tests for kl.build.mathml: TeX to MathML at build time, the message for TeX KaTeX rejects, the
on-disk cache of typeset formulas and the flattening that keeps search indexing fast."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

import kl.build.mathml
from kl.build.cache import FileCache
from kl.build.mathml import FormulaBook, formula_book, tex_to_mathml
from kl.errors import KLError, TexError
from tests.conftest import ROOT


def test_inline_and_display_math_are_mathml() -> None:
    assert tex_to_mathml(r"\frac{p}{q}").startswith("<math")
    assert 'display="block"' in tex_to_mathml(r"\frac{p}{q}", display=True)


@pytest.mark.parametrize(
    ("tex", "complaint"),
    [
        (r"\fracc{1}{2}", r"Undefined control sequence: \fracc at position 1"),
        (r"x^^2", "Expected group after '^' at position 2"),
        (
            r"\frac{1}{",
            "Unexpected end of input in a macro argument, expected '}' at end of input",
        ),
        (r"\left( x", r"Expected '\right', got 'EOF' at end of input"),
    ],
)
def test_bad_tex_raises_tex_error_quoting_the_formula_and_the_problem(
    tex: str, complaint: str
) -> None:
    with pytest.raises(TexError) as caught:
        tex_to_mathml(tex)
    assert isinstance(caught.value, KLError)
    assert str(caught.value) == f"cannot typeset ${tex}$: {complaint}"


def test_the_message_has_no_underlined_excerpt() -> None:
    """KaTeX underlines the bad token with combining characters; the formula is quoted instead."""
    long_formula = r"\sum_{x} p(x) \log_2 \frac{p(x)}{q(x)} \foo"
    with pytest.raises(TexError) as caught:
        tex_to_mathml(long_formula)
    assert "\u0332" not in str(caught.value)
    assert "…" not in str(caught.value)
    assert str(caught.value).endswith(r"Undefined control sequence: \foo at position 40")


FORMULAS = [r"D_{\mathrm{KL}}(P \,\|\, Q)", r"\sum_x p(x) \log_2 \frac{p(x)}{q(x)}", r"a < b"]


def _refuse_typesetting(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(tex: str, *, display: bool = False) -> str:
        raise AssertionError(f"typeset again: {tex}")

    monkeypatch.setattr(kl.build.mathml, "tex_to_mathml", refuse)


def test_typeset_formulas_are_kept_on_disk_in_one_entry_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = FormulaBook(FileCache(tmp_path))
    first = [book.mathml(tex, display=True) for tex in FORMULAS]
    assert first[1] == tex_to_mathml(FORMULAS[1], display=True)
    assert not list(tmp_path.glob("*/*"))  # nothing written before the book is saved
    book.save()
    assert len(list(tmp_path.glob("*/*"))) == 1

    _refuse_typesetting(monkeypatch)
    again = FormulaBook(FileCache(tmp_path))
    assert [again.mathml(tex, display=True) for tex in FORMULAS] == first
    with pytest.raises(AssertionError, match="typeset again"):
        again.mathml(FORMULAS[1], display=False)  # another mode, another formula


def test_a_book_is_written_only_when_it_has_grown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = FormulaBook(FileCache(tmp_path))
    book.mathml(FORMULAS[0], display=False)
    book.save()
    again = FormulaBook(FileCache(tmp_path))
    written: list[str] = []
    monkeypatch.setattr(again.cache, "put", lambda key, *_, **__: written.append(key))
    again.mathml(FORMULAS[0], display=False)
    again.save()
    assert written == []
    again.mathml(FORMULAS[1], display=False)
    again.save()
    assert written == [again.key]


def test_the_pages_of_a_build_share_one_book_however_its_folder_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cache").mkdir()
    assert formula_book(Path("cache")) is formula_book(tmp_path / "cache")


def test_a_full_book_drops_the_formulas_asked_for_least_recently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kl.build.mathml, "BOOK_SIZE", 2)
    book = FormulaBook(FileCache(tmp_path))
    for tex in [FORMULAS[0], FORMULAS[1], FORMULAS[0], FORMULAS[2]]:
        book.mathml(tex, display=False)
    book.save()
    _refuse_typesetting(monkeypatch)
    with pytest.raises(AssertionError, match="typeset again"):
        book.mathml(FORMULAS[1], display=False)  # forgotten here too, not only on disk
    kept = FormulaBook(FileCache(tmp_path))
    kept.mathml(FORMULAS[0], display=False)
    kept.mathml(FORMULAS[2], display=False)
    with pytest.raises(AssertionError, match="typeset again"):
        kept.mathml(FORMULAS[1], display=False)


def test_a_formula_that_fails_is_not_kept(tmp_path: Path) -> None:
    book = FormulaBook(FileCache(tmp_path))
    with pytest.raises(TexError):
        book.mathml(r"\fracc{1}{2}", display=False)
    book.save()
    assert not list(tmp_path.glob("*/*"))


def test_importing_the_build_and_the_math_extension_does_not_load_numpy() -> None:
    """A warm build needs neither, nor to validate the data file; the measures load on
    first use."""
    data = ROOT / "docs" / "data" / "lecture.toml"
    code = (
        "import sys, pathlib, kl.build.artifacts, kl.build.markup, kl.site.markdown_math;"
        "import kl.lecture.data;"
        f"kl.lecture.data.load_lecture_data(pathlib.Path({str(data)!r}));"
        "assert 'numpy' not in sys.modules, 'numpy loaded';"
        "from kl.measures.discrete import kl_divergence;"
        "print(kl_divergence({'a': 0.5, 'b': 0.5}, {'a': 0.9, 'b': 0.1}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(5))


@pytest.mark.parametrize(
    ("tex", "outputs"),
    [
        (r"\frac{p}{q} + (x)", ["mathml"]),
        # KaTeX's HTML draws these brackets as a \left...\right pair, its MathML as fixed
        # glyphs: compared, the two did not match and the formula could not be typeset.
        (r"\braket{\phi|\psi}", ["mathml"]),
        (r"\left(\frac{p}{q}\right)", ["mathml", "htmlAndMathml"]),
    ],
)
def test_only_a_formula_with_fences_is_typeset_as_html_too(
    tex: str, outputs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """KaTeX's HTML, which costs as much again as its MathML, is asked for only where
    `kl.build.fences` reads it: a formula with \\left...\\right fences."""
    import pykatex

    asked: list[str] = []
    render = pykatex.renderToString

    def counted(tex: str, **options: object) -> str:
        asked.append(str(options["output"]))
        return str(render(tex, **options))

    monkeypatch.setattr(pykatex, "renderToString", counted)
    tex_to_mathml.cache_clear()
    tex_to_mathml(tex)
    assert asked == outputs
