"""The coding section and the exercises as a reader sees them, for every data set of the matrix.

Each claim the built page makes (a number, a comparison word, a range of Huffman codes,
which animal is named) is checked against numbers this file computes on its own, from
the variant's raw data with numpy, scipy and a small Huffman coder of its own, never
with `kl`. The Huffman ranges are checked twice: by brute force over every full binary
code tree for small alphabets, and against independently computed values for the frozen
copy of the lecture's data.
"""

from __future__ import annotations

import heapq
import html
import itertools
import math
import re
import tomllib
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.stats
import tomli_w

from kl.measures.coding import huffman_length_range
from tests.datasets import (
    DATA,
    VARIANTS,
    built_lecture,
    lecture_text,
    page_html,
    section_html,
    variant_raw,
    visible,
)
from tests.sitebuild import ROOT, copy_project, mkdocs_build, session_cache

pytestmark = pytest.mark.site  # builds the site with MkDocs

FROZEN = ROOT / "tests" / "data" / "frozen.toml"
NUMBER = r"−?\d[\d,]*(?:\.\d+)?|∞"


# --- an independent Huffman coder (exact probabilities, lexicographic weights) ---------


def exact(x: float) -> Fraction:
    return Fraction(repr(float(x)))


def huffman_lengths(weights: Sequence[tuple[Fraction, ...]]) -> list[int]:
    """Codeword lengths; equal weights go to the node made first (outcomes, then merges)."""
    heap = [(w, i, (i,)) for i, w in enumerate(weights)]
    heapq.heapify(heap)
    depth = [0] * len(weights)
    made = len(weights)
    while len(heap) > 1:
        a, _, left = heapq.heappop(heap)
        b, _, right = heapq.heappop(heap)
        for leaf in left + right:
            depth[leaf] += 1
        heapq.heappush(heap, (tuple(x + y for x, y in zip(a, b, strict=True)), made, left + right))
        made += 1
    return [max(d, 1) for d in depth]


def cost(p: Sequence[Fraction], lengths: Sequence[int]) -> Fraction:
    return sum((px * n for px, n in zip(p, lengths, strict=True)), Fraction(0))


def extra_range(p: Sequence[Fraction], q: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """Fewest and most extra bits of P's data under the optimal codes for Q."""
    own = cost(p, huffman_lengths([(x,) for x in p]))
    low = cost(p, huffman_lengths(list(zip(q, p, strict=True))))
    high = cost(p, huffman_lengths([(qx, -px) for qx, px in zip(q, p, strict=True)]))
    return low - own, high - own


def blocks(p: Sequence[Fraction], k: int) -> list[Fraction]:
    return [math.prod(c, start=Fraction(1)) for c in itertools.product(p, repeat=k)]


def full_tree_profiles(n: int) -> set[tuple[int, ...]]:
    """Every multiset of leaf depths of a full binary tree with n leaves (sorted)."""
    if n == 1:
        return {(0,)}
    out = set()
    for left in range(1, n):
        for a in full_tree_profiles(left):
            for b in full_tree_profiles(n - left):
                out.add(tuple(sorted(d + 1 for d in a + b)))
    return out


def brute_force_range(p: Sequence[Fraction], q: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """The extra-bits range by trying every full code tree and every assignment."""
    n = len(p)
    codes = {
        perm
        for profile in full_tree_profiles(n)
        for perm in itertools.permutations([max(d, 1) for d in profile])
    }
    best_q = min(cost(q, c) for c in codes)
    own = min(cost(p, c) for c in codes)
    costs = [cost(p, c) for c in codes if cost(q, c) == best_q]
    return min(costs) - own, max(costs) - own


# --- the maths, without a build -------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ((0.6, 0.3, 0.1), (0.5, 0.5, 0.0)),  # Q rules out the Deer and ties: 0 to 0.3
        ((0.6, 0.3, 0.1), (0.5, 0.4, 0.1)),
        ((0.4, 0.3, 0.2, 0.1), (0.25, 0.25, 0.25, 0.25)),
        ((0.1, 0.2, 0.3, 0.4), (0.4, 0.2, 0.2, 0.2)),
        ((0.5, 0.2, 0.1, 0.1, 0.1), (0.2, 0.2, 0.2, 0.2, 0.2)),
        ((0.3, 0.3, 0.2, 0.1, 0.1), (0.4, 0.3, 0.1, 0.1, 0.1)),
        ((0.0, 0.5, 0.5), (0.25, 0.25, 0.5)),
    ],
)
def test_huffman_range_is_the_range_over_every_optimal_code_for_q(
    p: tuple[float, ...], q: tuple[float, ...]
) -> None:
    names = [f"x{i}" for i in range(len(p))]
    pe, qe = [exact(x) for x in p], [exact(x) for x in q]
    low, high = brute_force_range(pe, qe)
    own = cost(pe, huffman_lengths([(x,) for x in pe]))
    got = huffman_length_range(dict(zip(names, p, strict=True)), dict(zip(names, q, strict=True)))
    assert got == pytest.approx((float(low + own), float(high + own)), abs=1e-12)
    assert (low, high) == extra_range(pe, qe)


def test_block_ranges_are_the_ones_issue_11_measured() -> None:
    """0.0170–0.0177 extra bits at blocks of 3, 0.0236–0.0245 at 4 (frozen data)."""
    raw = tomllib.loads(FROZEN.read_text(encoding="utf-8"))
    p = [exact(x) for x in raw["forest"]["p"].values()]
    q = [exact(x) for x in raw["forest"]["q"].values()]
    for k, expected in ((3, (0.0170, 0.0177)), (4, (0.0236, 0.0245))):
        low, high = extra_range(blocks(p, k), blocks(q, k))
        assert (round(float(low) / k, 4), round(float(high) / k, 4)) == expected


# --- reading the built page -------------------------------------------------------------


def numbers(text: str) -> list[float]:
    return [
        math.inf if n == "∞" else float(n.replace(",", "").replace("−", "-"))
        for n in re.findall(NUMBER, text)
    ]


def num(text: str) -> float:
    (value,) = numbers(text)
    return value


def tables(fragment: str) -> list[list[list[str]]]:
    """Every table in an HTML fragment as rows of visible cell texts."""
    out = []
    for table in re.findall(r"<table\b.*?</table>", fragment, re.S):
        rows = re.findall(r"<tr\b.*?</tr>", table, re.S)
        out.append(
            [[visible(c) for c in re.findall(r"<t[dh]\b.*?</t[dh]>", r, re.S)] for r in rows]
        )
    return out


def close(shown: float, value: float, digits: int) -> bool:
    if math.isinf(value) or math.isinf(shown):
        return shown == value
    return abs(shown - value) <= 0.5 * 10**-digits + 1e-9


class Forest:
    """A variant's P and Q, and what this file computes from them on its own."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.names = list(raw["forest"]["p"])
        self.p = np.array([raw["forest"]["p"][x] for x in self.names], dtype=float)
        self.q = np.array([raw["forest"]["q"][x] for x in self.names], dtype=float)
        self.kl = float(scipy.stats.entropy(self.p, self.q, base=2))
        self.kl_reverse = float(scipy.stats.entropy(self.q, self.p, base=2))
        self.ruled_out = [
            x for x, a, b in zip(self.names, self.p, self.q, strict=True) if a > 0 == b
        ]
        self.q_is_p = bool(np.array_equal(self.p, self.q))

    def exact(self, which: str) -> list[Fraction]:
        return [exact(self.raw["forest"][which][x]) for x in self.names]


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name = request.param
    return name, built_lecture(name, tmp_path_factory), Forest(variant_raw(name))


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+(?=[A-Z(])", text)


def assert_no_equal_numbers_around(text: str, joiner: str) -> None:
    """No "X instead of Y" (or "X, but ... Y") joins two numbers that read the same."""
    for sentence in sentences(text):
        for before, after in re.findall(
            rf"({NUMBER})[^.;:]{{0,25}}?\b{joiner}\b[^.;:\d∞−]{{0,40}}({NUMBER})", sentence
        ):
            assert before != after, sentence


def test_coding_section_claims(variant: Any) -> None:
    _, site, forest = variant
    text = lecture_text(site, "coding-intuition")
    ideal_p = -np.log2(forest.p, where=forest.p > 0, out=np.full(len(forest.p), np.inf))
    # the ideal lengths of P's code, animal by animal
    for x, length in zip(forest.names, ideal_p, strict=True):
        if math.isfinite(length):
            assert f"{x} {length:.3f} bits" in text
    # how large the divergence is, in words
    if forest.ruled_out:
        assert "For the forest that is infinitely many extra bits per animal." in text
        for x in forest.ruled_out:
            assert f"Q gives the {x} probability 0" in text
    elif forest.q_is_p:
        assert "For the forest that is 0 extra bits per animal: Q is P" in text
    else:
        said = re.search(rf"For the forest that is ({NUMBER}) extra bits per animal\.", text)
        assert said and close(num(said.group(1)), forest.kl, 4)
    # The arithmetic-coding bound is the exact-arithmetic one
    assert "to within a couple of bits per whole message" not in text
    assert "exact, unlimited-precision arithmetic" in text
    assert "fewer than two bits more than the message's ideal length" in text
    for joiner in ("instead of", "but"):
        assert_no_equal_numbers_around(text, joiner)


def test_code_lengths_caption_compares_unequal_lengths_only(variant: Any) -> None:
    """With Q = P the caption never says "a Squirrel costs 0.74 bits instead of 0.74"."""
    _, site, forest = variant
    text = lecture_text(site, "coding-intuition")
    said = re.findall(rf"a (\w+) costs ({NUMBER}) bits instead of ({NUMBER})", text)
    for x, under_q, under_p in said:
        i = forest.names.index(x)
        assert under_q != under_p
        assert close(num(under_q), -math.log2(forest.q[i]) if forest.q[i] else math.inf, 2)
        assert close(num(under_p), -math.log2(forest.p[i]), 2)
    differ = [
        x
        for x, a, b in zip(forest.names, forest.p, forest.q, strict=True)
        if a > 0 and (b == 0 or round(-math.log2(a), 2) != round(-math.log2(b), 2))
    ]
    assert [x for x, *_ in said] == differ
    if forest.q_is_p:
        assert "Q is P, so both codes give every animal the same length" in text


def test_block_table_shows_the_range_over_all_optimal_codes(variant: Any) -> None:
    """Ties in Q give optimal codes of different cost on P's data."""
    _, site, forest = variant
    html_text = section_html(site, "coding-intuition")
    block_table = next(t for t in tables(html_text) if t[0][0] == "Animals per block")
    p, q = forest.exact("p"), forest.exact("q")
    # every block size the data asks for is a row, or said to need too many codewords
    asked = forest.raw["coding"]["block_sizes"]
    fits = [k for k in asked if k == 1 or len(forest.names) ** k <= 1000]
    assert [int(row[0]) for row in block_table[1:-1]] == fits
    text = lecture_text(site, "coding-intuition")
    left_out = [f"{k:,}" for k in asked if k not in fits]
    if left_out:
        assert f"The table stops at blocks of {fits[-1]}: a code for blocks of" in text
        assert f"{' or '.join(left_out)} animals would need more than 1,000 codewords" in text
    else:
        assert "The table stops at blocks of" not in text
    widest = None
    for row in block_table[1:-1]:
        k = int(row[0])
        low, high = extra_range(blocks(p, k), blocks(q, k))
        shown = numbers(row[4].replace("–", " "))
        expected = [float(low) / k, float(high) / k]
        if round(expected[0], 4) == round(expected[1], 4):
            expected = expected[:1]
        assert len(shown) == len(expected), row
        for a, b in zip(shown, expected, strict=True):
            assert close(a, b, 4), (row, expected)
        widest = (k, expected)
    text = lecture_text(site, "coding-intuition")
    assert widest is not None
    k, expected = widest
    if forest.q_is_p:
        assert "no block costs anything extra" in text
    elif len(expected) == 2:
        said = re.search(
            rf"With blocks of {k} animals \([\d,]+ codewords\) \D*?from ({NUMBER}) to ({NUMBER})",
            text,
            re.I,
        )
        assert said and close(num(said.group(1)), expected[0], 4)
        assert close(num(said.group(2)), expected[1], 4)
    if not forest.q_is_p and not forest.ruled_out:
        first = int(block_table[1][0])
        gaps = [
            [abs(float(e) / kk - forest.kl) for e in extra_range(blocks(p, kk), blocks(q, kk))]
            for kk in (first, k)
        ]
        closer = max(gaps[1]) < min(gaps[0])
        assert (": closer to it than codes for" in text) == closer
        assert (": no closer to it than codes for" in text) == (not closer)


def test_single_animal_huffman_range_is_said_when_ties_matter(variant: Any) -> None:
    _, site, forest = variant
    text = lecture_text(site, "coding-intuition")
    low, high = extra_range(forest.exact("p"), forest.exact("q"))
    said = re.search(rf"on P's data they cost from ({NUMBER}) to ({NUMBER}) extra bits", text)
    assert bool(said) == (low < high)
    if said:
        assert close(num(said.group(1)), float(low), 4)
        assert close(num(said.group(2)), float(high), 4)


def test_experiment_paragraph(variant: Any) -> None:
    _, site, forest = variant
    text = lecture_text(site, "coding-intuition")
    n_min = forest.raw["coding"]["sample_sizes"][0]
    if forest.ruled_out:
        missing = sum(forest.p[forest.names.index(x)] for x in forest.ruled_out)
        said = re.search(
            rf"n = {n_min:,} animals already includes one with probability (\d+)%", text
        )
        assert said and int(said.group(1)) == round(100 * (1 - (1 - missing) ** n_min))
    elif forest.q_is_p:
        assert "every run of every size measures exactly 0 extra bits" in text
    else:
        said = re.search(rf"lies close to the KL divergence of ({NUMBER}) bits", text)
        assert said and close(num(said.group(1)), forest.kl, 4)
        # the band's width, not its offset from the mean, is what beats the divergence
        band = re.search(rf"spans from ({NUMBER}) to ({NUMBER}) extra bits per animal", text)
        assert band
        wider = num(band.group(2)) - num(band.group(1)) > forest.kl
        assert ("that band is wider than the whole divergence" in text) == wider
        assert "chance moves the cost by more than" not in text


def test_glossary_calls_a_huffman_code_one_of_several(variant: Any) -> None:
    _, site, _ = variant
    page = html.unescape(page_html(site))
    assert "The prefix code with the shortest" not in page
    assert "A prefix code with the shortest average length" in page


# --- the exercises ------------------------------------------------------------------------


def answer(site: Path, anchor: str) -> tuple[str, str]:
    """The question and the hidden answer of one exercise, as visible text (the question
    ends where its answer checker or its hint begins)."""
    page = page_html(site)
    start = page.index(f'id="{anchor}"')
    end = page.find("<h3", start + 1)
    part = page[start : end if end != -1 else len(page)]
    question = re.split(r"<form|<details", part, maxsplit=1)[0]
    hidden = part.split('<details class="success', 1)[1]
    return visible(question), visible(hidden.split("</details>")[0])


def comparison(a: float, b: float) -> str:
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or a == b:
        return "equal to"
    return "larger than" if a > b else "smaller than"


def test_the_other_direction_compares_truthfully(variant: Any) -> None:
    _, site, forest = variant
    _, text = answer(site, "exercise-reverse-direction")
    if math.isinf(forest.kl) and math.isinf(forest.kl_reverse):
        assert "Both directions are infinite" in text
    else:
        assert f"which is {comparison(forest.kl_reverse, forest.kl)}" in text
    if forest.q_is_p or comparison(forest.kl_reverse, forest.kl) == "equal to":
        assert "count for different amounts" not in text  # all log-ratios are 0


def test_closer_model_answer(variant: Any) -> None:
    _, site, forest = variant
    k = forest.raw["exercises"]["closer_factor"]
    closer = forest.p + (forest.q - forest.p) / k
    question, text = answer(site, "exercise-closer-model")
    listing = [f"{x} {round(c, 3):g}" for x, c in zip(forest.names, closer, strict=True)]
    assert ", ".join(listing[:-1]) + " and " + listing[-1] in question
    rounded = any(abs(round(c, 3) - c) > 1e-12 for c in closer)
    assert ("(rounded)" in question) == rounded
    kl_closer = float(scipy.stats.entropy(forest.p, closer, base=2))
    said = re.search(rf"= ({NUMBER}) bits\.", text)
    assert said and close(num(said.group(1)), kl_closer, 6)
    # "How many times smaller" is asked only where a finite, nonzero factor answers it
    asks_factor = not forest.q_is_p and not forest.ruled_out
    assert ("How many times smaller than" in question) == asks_factor
    assert ("How does it compare with" in question) == (not asks_factor)
    if forest.q_is_p:
        assert "Q is P already" in text
    elif forest.ruled_out:
        assert "No finite factor describes the gain." in text
    else:
        shrink = forest.kl / kl_closer
        said = re.search(rf"about ({NUMBER}) times smaller than the original ({NUMBER})", text)
        assert said and close(num(said.group(1)), shrink, 1)
        assert close(num(said.group(2)), forest.kl, 6)
        unseen = [x for x, a, b in zip(forest.names, forest.p, forest.q, strict=True) if a == 0 < b]
        if unseen:
            assert "not to its square" in text
        else:
            assert ("the real factor is larger" in text) == (round(shrink, 1) > k)


def test_zero_probability_exercise(variant: Any) -> None:
    """With Q already ruling out the animal, "Q⁰ … (rounded)" was Q, unrounded."""
    _, site, forest = variant
    pos = [i for i, a in enumerate(forest.p) if a > 0]
    rare = min(pos, key=lambda i: forest.p[i])
    q0 = np.where(np.arange(len(forest.q)) == rare, 0.0, forest.q / (1 - forest.q[rare]))
    question, text = answer(site, "exercise-zero-probability")
    rare_name = forest.names[rare]
    listing = [f"{x} {round(c, 3):g}" for x, c in zip(forest.names, q0, strict=True)]
    assert ", ".join(listing[:-1]) + " and " + listing[-1] in question
    assert ("(rounded)" in question) == any(abs(round(c, 3) - c) > 1e-12 for c in q0)
    assert ("rescales the rest" in question) == (forest.q[rare] > 0)
    if forest.q[rare] == 0:
        assert f"The forest's Q already rules out the {rare_name}" in question
    reverse = float(scipy.stats.entropy(q0, forest.p, base=2))
    if math.isinf(reverse):
        assert f"is infinite too, but not because of the {rare_name}" in text
    else:
        said = re.search(rf"The other direction is finite, = ({NUMBER}) bits", text)
        assert said and close(num(said.group(1)), reverse, 6)


def test_gaussians_compare_truthfully(variant: Any) -> None:
    _, site, forest = variant
    c = forest.raw["curves"]

    def kl(a: dict[str, float], b: dict[str, float]) -> float:
        return (
            math.log(b["sd"] / a["sd"])
            + (a["sd"] ** 2 + (a["mean"] - b["mean"]) ** 2) / (2 * b["sd"] ** 2)
            - 0.5
        )

    forward, reverse = kl(c["p"], c["poor"]), kl(c["poor"], c["p"])
    _, text = answer(site, "exercise-gaussians")
    assert f"nats, {comparison(reverse, forward)} the first" in text


def test_message_cost(variant: Any) -> None:
    _, site, forest = variant
    n = forest.raw["exercises"]["message_length"]
    _, text = answer(site, "exercise-message-cost")
    h_p = float(scipy.stats.entropy(forest.p, base=2))
    assert f"{n:,} × ≈ {n * h_p:.1f} bits" in text
    if forest.ruled_out:
        assert "the log cannot be sent at all" in text
    elif forest.q_is_p:
        assert "nothing is wasted" in text
    else:
        said = re.search(rf"The waste is {n:,} × ≈ ({NUMBER}) bits", text)
        assert said and close(num(said.group(1)), n * forest.kl, 1)


# --- Q rules out an animal and ties (a reported example) -----------------------------


@pytest.fixture(scope="module")
def tied_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture with Q = 0.5, 0.5, 0: Q's Huffman codes tie, and they cost 0 or 0.3."""
    raw = variant_raw("default")
    first, second, third = raw["forest"]["p"]
    raw["forest"]["q"] = {first: 0.5, second: 0.5, third: 0.0}
    work = tmp_path_factory.mktemp("tied")
    root = copy_project(work / "project")
    (root / DATA).write_text(tomli_w.dumps(raw), encoding="utf-8")
    mkdocs_build(root, work / "site", KL_CACHE_DIR=session_cache(tmp_path_factory))
    return work / "site"


def test_tied_codes_for_a_q_that_rules_out_an_animal_are_shown_as_a_range(
    tied_site: Path,
) -> None:
    """Ties in Q: "extra 0.3000" was one tie-break's code; another optimal code gives 0."""
    text = lecture_text(tied_site, "coding-intuition")
    raw = variant_raw("default")
    p = [exact(x) for x in raw["forest"]["p"].values()]
    low, high = brute_force_range(p, [Fraction(1, 2), Fraction(1, 2), Fraction(0)])
    assert (low, high) == (0, Fraction(3, 10))
    assert "on P's data they cost from 0.0000 to 0.3000 extra bits per animal" in text
