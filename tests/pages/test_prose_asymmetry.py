"""The built text of "Not a distance" (and the simplex figure's caption and alt text) says
only true things, for every data set of the matrix.

Each claim is read from the built page as a reader sees it and checked against numpy and
scipy (not `kl`): which direction is larger and by how much, why two directions are equal
or infinite, the sharpened belief's shares and rarities, which belief stands in for Q in
the triangle and how it is defined, and where the simplex's maps peak.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest
import scipy.stats

from tests.datasets import VARIANTS, built_lecture, section_html, variant_raw, visible

pytestmark = pytest.mark.site  # builds the site with MkDocs

ANCHOR = "not-a-distance"
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
NUMBER = r"(−?[\d,]+(?:\.\d+)?)"


def kl2(a: np.ndarray, b: np.ndarray) -> float:
    """KL(a||b) in bits (scipy: infinite where b = 0 < a)."""
    return float(scipy.stats.entropy(a, b, base=2))


def forest(variant: str) -> tuple[list[str], np.ndarray, np.ndarray, float]:
    raw = variant_raw(variant)
    p, q = raw["forest"]["p"], raw["forest"]["q"]
    names = list(p)
    return (
        names,
        np.array([p[x] for x in names], dtype=float),
        np.array([q[x] for x in names], dtype=float),
        float(raw["asymmetry"]["sharpening"]),
    )


def tidy(text: str) -> str:
    """Visible text with the space a tooltip leaves before punctuation removed."""
    return re.sub(r"\s+([,.;:)])", r"\1", text)


@pytest.fixture(scope="module", params=list(VARIANTS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    variant = request.param
    fragment = section_html(built_lecture(variant, tmp_path_factory), ANCHOR)
    caption = re.search(r"<figcaption>(.*?)<span", fragment, re.S)
    alt = re.search(r'<img[^>]*alt="([^"]*)"', fragment)
    assert caption and alt, variant
    return {
        "variant": variant,
        "text": tidy(visible(fragment)),
        "caption": tidy(visible(caption.group(1))),
        "alt": html.unescape(alt.group(1)),
    }


def part(text: str, start: str, end: str | None) -> str:
    """The text from ``start`` up to ``end`` (or the end)."""
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else len(text)]


def numbers_joined(text: str, word: str) -> list[tuple[str, str]]:
    """Pairs of numbers joined by ``word``: "0.1 bits, but = 0.2", "0.3 instead of 0.3"."""
    pattern = NUMBER + r"(?:\s*%|\s*bits)?,?\s+" + word + r"\s+(?:=\s*)?" + NUMBER
    return re.findall(pattern, text)


def written(x: float, digits: int = 4) -> str:
    """A probability as the page writes it: rounded, without trailing zeros."""
    return f"{round(x, digits):.12g}"


def _swap(p: np.ndarray, i: int, j: int) -> np.ndarray:
    out = p.copy()
    out[[i, j]] = p[[j, i]]
    return out


def test_no_two_equal_numbers_are_set_against_each_other(built: dict) -> None:
    for where in ("text", "caption", "alt"):
        for word in ("but", "instead of", "not"):
            for a, b in numbers_joined(built[where], word):
                assert a != b, (built["variant"], where, a, word, b)


def test_the_issues_false_sentences_are_gone(built: dict) -> None:
    text = built["text"]
    assert "any other Q separates them" not in text
    assert "0.000000 bits, but" not in text
    assert "certain of the animals P thinks least likely" not in text
    assert not re.search(r"\b100(\.0+)?%", text) and not re.search(r"\b0\.0+%", text)


def test_the_forest_pair_is_compared_truly(built: dict) -> None:
    names, p, q, _ = forest(built["variant"])
    para = part(built["text"], "It is not symmetric.", "Far apart")
    forward, backward = kl2(p, q), kl2(q, p)
    if np.array_equal(p, q):
        assert "its Q is P itself" in para and "both directions are 0 bits" in para
        positive = [i for i in range(p.size) if p[i] > 0]
        most, least = max(positive, key=p.__getitem__), min(positive, key=p.__getitem__)
        swapped = _swap(p, most, least)
        assert kl2(p, swapped) == pytest.approx(kl2(swapped, p), rel=1e-12)  # the claim
        assert kl2(p, swapped) > 0
        assert (
            f"swaps P's probabilities of the {names[most]} and the {names[least]} costs "
            f"{kl2(p, swapped):.6f} bits both ways round"
        ) in para
    elif math.isinf(forward) and math.isinf(backward):
        assert "both directions are infinite" in para
    elif math.isinf(forward):
        rare = [x for x, pi, qi in zip(names, p, q, strict=True) if pi > 0 and qi == 0]
        assert f"is infinite, but = {backward:.6f} bits" in para
        assert f"Q gives the {rare[0]} probability 0, but P gives it" in para
    elif math.isinf(backward):
        rare = [x for x, pi, qi in zip(names, p, q, strict=True) if qi > 0 and pi == 0]
        assert f"= {forward:.6f} bits, but = is infinite" not in para
        assert f"= {forward:.6f} bits, but" in para and "is infinite" in para
        assert f"P gives the {rare[0]} probability 0, but Q gives it" in para
    elif math.isclose(forward, backward, rel_tol=1e-9):
        assert f"are both {forward:.6f} bits" in para and "though Q is not P" in para
        differ = [x for x, pi, qi in zip(names, p, q, strict=True) if pi != qi]
        if len(differ) == 2:
            assert f"Q gives the {differ[0]} and the {differ[1]} each other's" in para
    else:
        assert f"= {forward:.6f} bits, but = {backward:.6f} bits" in para
        larger, smaller = max(forward, backward), min(forward, backward)
        if larger / smaller < 1.25:
            quadratic = float(np.sum((p - q) ** 2 / p)) / 2 / math.log(2)
            close = all(abs(d / quadratic - 1) <= 0.15 for d in (forward, backward))
            # the gap of the two numbers as shown, and "only" where they are close
            gap = abs(round(backward, 6) - round(forward, 6))
            assert f"They differ by {'only ' if close else ''}{gap:.6f} bits" in para
            assert ("because P and Q are close" in para) == close
            if close:
                assert f"bits, here {quadratic:.4f};" in para
            else:
                assert f"one is {larger / smaller:.2f} times the other" in para
        else:
            assert f"One is {larger / smaller:.2f} times the other" in para


def test_the_sharpened_belief_is_described_truly(built: dict) -> None:
    names, p, _, power = forest(built["variant"])
    para = part(built["text"], "Far apart", "It breaks the triangle")
    n = np.where(p > 0, p, 0) ** power
    n = n / n.sum()
    top = p == p.max()
    if np.allclose(n, p, atol=1e-15, rtol=0):
        assert "N is P" in para
        return
    said = re.search(r"it gives ((?:the \w+(?:,| and)? ?)+) ([\d.]+)%", para)
    assert said, para
    assert re.findall(r"the (\w+)", said.group(1)) == [
        x for x, t in zip(names, top, strict=True) if t
    ]
    shown, share = said.group(2), float(n[top][0])
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    assert float(shown) == pytest.approx(100 * share, abs=0.51 * 10**-decimals)
    assert float(shown) != 100 or share == 1
    for i in range(p.size):
        if not top[i] and n[i] > 0:
            assert f"the {names[i]} once in {round(1 / n[i]):,}" in para
        elif n[i] == 0:
            assert f"the {names[i]} once in" not in para
    rare = [x for x, t, ni in zip(names, top, n, strict=True) if not t and ni > 0]
    rest = 100 * float(p[~top].sum())
    if len(rare) == 1:
        assert f"where the animal N calls rare turns up {rest:.0f}% of the time" in para
    else:
        assert f"where the animals N calls rare turn up {rest:.0f}% of the time" in para
    pn, np_ = kl2(p, n), kl2(n, p)
    for value, lead in ((pn, "The data come from the real forest"), (np_, "Now the data come")):
        got = re.search(NUMBER + r" bits\. " + lead, para)
        assert got, lead
        digits = len(got.group(1).split(".")[1])
        assert float(got.group(1)) == pytest.approx(value, abs=0.51 * 10**-digits)
        assert float(got.group(1)) > 0  # never a rounded 0.00
    rest = re.search(NUMBER + r"% of the time, and N is astonished", para)
    assert rest and float(rest.group(1)) == pytest.approx(100 * p[~top].sum(), abs=0.51)
    if max(pn, np_) / min(pn, np_) >= 1.25 and pn > np_:
        assert f"The first is {pn / np_:.1f} times the second" in para


def test_the_triangle_names_and_defines_its_far_corner(built: dict) -> None:
    names, p, q, _ = forest(built["variant"])
    para = part(built["text"], "It breaks the triangle", "The whole picture")
    direct = kl2(p, q)
    uniform = np.full(p.size, 1 / p.size)
    if 0 < direct < math.inf:
        symbol, corner = "Q", q
        assert "stand in" not in para
    elif kl2(p, uniform) > 0:
        symbol, corner = "U", uniform
        assert (
            f"let the uniform belief U stand in for Q: U gives each of the "
            f"{WORDS[p.size]} animals the same probability, {written(1 / p.size)}."
        ) in para
        if np.array_equal(p, q):
            assert "Q is P itself, so every route from P to Q costs 0" in para
        else:
            rare = [x for x, pi, qi in zip(names, p, q, strict=True) if pi > 0 and qi == 0]
            assert f"is infinite (Q gives the {rare[0]} probability 0)" in para
    else:
        symbol, corner = "C", (p + np.eye(p.size)[0]) / 2
        assert f"C is P moved half-way towards certainty in the {names[0]}" in para
    m = (p + corner) / 2
    listing = ", ".join(f"{x} {written(v)}" for x, v in zip(names, m, strict=True))
    assert f"that is {listing}. Going from P to {symbol} in one step" in para
    detour = kl2(p, m) + kl2(m, corner)
    assert 0 < detour < direct if symbol == "Q" else 0 < detour < kl2(p, corner)
    direct = kl2(p, corner)
    assert f"Direct: KL(P‖{symbol}) {direct:.5f}" in para
    assert f"Detour: KL(P‖M) + KL(M‖{symbol}) {detour:.5f}" in para
    assert f"The direct route is {direct / detour:.2f} times the detour" in para
    # Each half-step's share of the direct step, and "a quarter each" only where it is true;
    # "grows like the square" only where the corner puts nothing where P has nothing.
    shares = [kl2(p, m) / direct, kl2(m, corner) / direct]
    assert f"{100 * shares[0]:.0f}% and {100 * shares[1]:.0f}% of the direct step" in para
    assert ("about a quarter each" in para) == all(abs(x - 0.25) <= 0.05 for x in shares)
    ruled_out = [x for x, pi, ci in zip(names, p, corner, strict=True) if pi == 0 and ci > 0]
    assert ("grows like the square" in para) == (not ruled_out)
    if ruled_out:
        assert f"gives probability to the {ruled_out[0]}" in para
        assert "in proportion to the probability moved there, not to its square" in para


def _lumped(names: list[str], p: np.ndarray, q: np.ndarray) -> tuple[list[str], list[str]]:
    """The simplex's corners and the animals lumped into its third one."""
    if len(names) <= 3:
        return names, []
    keep = sorted(sorted(range(len(names)), key=lambda i: -p[i])[:2])
    return [names[i] for i in keep] + ["other animals"], [
        x for i, x in enumerate(names) if i not in keep
    ]


def test_the_simplex_text_caption_and_alt_say_where_the_maps_peak(built: dict) -> None:
    names, p, q, _ = forest(built["variant"])
    corners, lumped = _lumped(names, p, q)
    groups = [[c] for c in corners[:2]] + [lumped or [corners[2]]]
    pl = np.array([sum(p[names.index(x)] for x in g) for g in groups])
    ql = np.array([sum(q[names.index(x)] for x in g) for g in groups])
    text = part(built["text"], "The whole picture", None)
    caption, alt = built["caption"], built["alt"]
    cap = -math.log2(pl[pl > 0].min())
    peak = [c for c, v in zip(corners, pl, strict=True) if v == pl[pl > 0].min()]
    for where in (text, caption, alt):
        assert f"{cap:.2f} bits" in where
        assert " and ".join(peak) + (" corners" if len(peak) > 1 else " corner") in where
    if lumped:
        assert f"lumps {' and '.join('the ' + x for x in lumped)} together" in text
        full = -math.log2(p[p > 0].min())
        rarest = [x for x, v in zip(names, p, strict=True) if v == p[p > 0].min()]
        if peak == ["other animals"]:
            assert "where Q is certain of “other animals” (the animal is" in text
            assert f"the corner P gives the least probability, {written(pl[2])} in all" in text
        if full > cap + 1e-12:
            assert f"it goes higher: {full:.2f} bits, when Q is certain of the {rarest[0]}" in text
        else:
            assert "it goes no higher" in text
    elif not (pl == 0).any():
        assert f"certain of the animal P thinks least likely ({written(pl.min())})" in text
    if (pl == 0).any():
        zero = corners[int(np.argmin(pl))]
        assert f"infinite wherever Q gives the {zero} any probability" in text
        assert f"rules out the {zero} (at the" in caption
    else:
        assert "stays finite everywhere" in text and "stays lower" in alt
    if np.array_equal(p, q):
        assert "at the same point, since Q = P" in caption and "sits on the star" in alt
    else:
        for label, value in (("KL(P‖Q)", kl2(pl, ql)), ("KL(Q‖P)", kl2(ql, pl))):
            said = "is infinite" if math.isinf(value) else f"= {value:.4f} bits"
            assert f"{label} {said}" in alt
        assert ("between the lumped beliefs" in alt) == bool(lumped)
