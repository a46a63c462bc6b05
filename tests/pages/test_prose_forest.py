"""The built prose of the lecture's opening, the forest example, zero to infinity and the
decomposition, the formula sheet and the explorer, for every data set of the matrix.

Each claim is read from the built page as a reader sees it and checked against numpy and
scipy (never `kl`): which animal is named, comparison words, counts, and that the false
sentences of the old pages do not appear.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
import scipy.stats

from kl.build.templating import environment, figures_named, render
from kl.lecture.data import Forest as DataForest
from kl.lecture.data import load_lecture_data
from kl.lecture.formatting import format_number
from kl.lecture.sections import lecture_tables, lecture_values
from kl.lecture.sections.explorer import values
from kl.lecture.values import nest
from tests.datasets import VARIANTS, built_lecture, page_html, section_html, variant_raw
from tests.sitebuild import ROOT

pytestmark = pytest.mark.site  # builds the site with MkDocs

MINE = ("recap", "definition", "forest-example", "zero-to-infinity", "cross-entropy-decomposition")
NUMBER = r"(−?\d+(?:\.\d+)?|∞)"


def _text(fragment: str) -> str:
    """What a reader sees, with each formula's symbols kept (joined) and figures' alt text."""
    fragment = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", fragment, flags=re.S)
    fragment = re.sub(
        r"<math\b.*?</math>",
        lambda m: re.sub(r"<[^>]+>", "", m.group(0)),
        fragment,
        flags=re.S,
    )
    fragment = re.sub(r'<img\b[^>]*\balt="([^"]*)"[^>]*>', r" [alt: \1] ", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u2061", "")
    return re.sub(r"\s+", " ", text).strip()


def _num(text: str) -> float:
    return math.inf if text == "∞" else float(text.replace("−", "-"))


class Forest:
    """A variant's forest, computed here with numpy/scipy."""

    def __init__(self, variant: str) -> None:
        raw = variant_raw(variant)
        self.names = list(raw["forest"]["p"])
        self.p = np.array([raw["forest"]["p"][x] for x in self.names], dtype=float)
        self.q = np.array([raw["forest"]["q"][x] for x in self.names], dtype=float)
        self.steps = [0.0, *raw["extremes"]["path_steps"], 1.0]

    def kl(self, a: np.ndarray, b: np.ndarray, base: float = 2.0) -> float:
        return float(scipy.stats.entropy(a, b, base=base))

    def terms_nats(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.array(
                [
                    0.0 if pi == 0 else math.inf if qi == 0 else pi * math.log(pi / qi)
                    for pi, qi in zip(self.p, self.q, strict=True)
                ]
            )

    @property
    def q_is_p(self) -> bool:
        return bool(np.array_equal(self.p, self.q))

    def named(self, mask: np.ndarray) -> list[str]:
        return [x for x, m in zip(self.names, mask, strict=True) if m]


@pytest.fixture(scope="module", params=list(VARIANTS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    site = built_lecture(request.param, tmp_path_factory)
    return request.param, site, Forest(request.param)


def _section(site: Path, anchor: str) -> str:
    return _text(section_html(site, anchor))


def _pair(
    pattern: str, text: str, expected: tuple[float, float], tolerance: float
) -> tuple[float, float]:
    """The two numbers ``pattern`` finds in ``text``, checked against ``expected``."""
    m = re.search(pattern, text)
    assert m, text
    shown = _num(m.group(1)), _num(m.group(2))
    assert shown == (
        pytest.approx(expected[0], abs=tolerance),
        pytest.approx(expected[1], abs=tolerance),
    )
    return shown


def _sentence(text: str, start: str) -> str:
    """The paragraph-level text from ``start`` up to the next bold lead-in or section end."""
    i = text.index(start)
    return text[i : i + 1500]


# --- formatting ---------------------------------------------------------------------------


def test_numbers_round_half_away_from_zero_on_their_decimal_value() -> None:
    """Defect 12: 0.03125 shows as 0.0313 (a reader's rounding), not 0.0312 (round half
    even on the binary float)."""
    for k in range(10000):
        written = f"0.{k:04d}5"  # exactly halfway between two 4-decimal numbers
        up = f"{(k + 1) // 10000}.{(k + 1) % 10000:04d}"
        assert Decimal(written).quantize(Decimal("0.0001"), ROUND_HALF_UP) == Decimal(up)
        assert format_number(float(written), 4) == up, written
        assert format_number(-float(written), 4) == "−" + up, written


def test_the_issues_rounding_examples() -> None:
    assert format_number(0.03125, 4) == "0.0313"
    assert format_number(2.675, 2) == "2.68"  # the float is 2.67499999..., the decimal 2.675
    assert format_number(0.125, 2) == "0.13"
    assert format_number(-0.00001, 4) == "0.0000"  # no "−0.0000"
    assert format_number(np.float64(1.25), 1) == "1.3"


# --- the recap ----------------------------------------------------------------------------


def test_recap_names_the_commonest_and_rarest_and_orders_the_two_averages(built) -> None:
    _, site, f = built
    text = _section(site, "recap")
    possible = f.p[f.p > 0]
    hi, lo = possible.max(), possible.min()
    if hi == lo:
        assert "every animal it allows is equally likely" in text
    else:
        for word, value in (("commonest", hi), ("rarest", lo)):
            ties = int((f.p == value).sum())
            lead = f"one of the {word} animals" if ties > 1 else f"the {word} animal"
            m = re.search(rf"a sighting of {lead}(?: P allows)?, the (\w+) \(probability", text)
            assert m, (word, text)
            assert f.p[f.names.index(m.group(1))] == value
    h_p = float(scipy.stats.entropy(f.p, base=2))
    with np.errstate(divide="ignore"):
        h_pq = float(-np.sum(f.p[f.p > 0] * np.log2(f.q[f.p > 0])))
    if f.q_is_p:
        assert "Here the two averages are equal" in text
        assert "The cross-entropy is the larger" not in text
    else:
        larger, smaller = _pair(
            rf"The cross-entropy is the larger of the two \({NUMBER} against {NUMBER}",
            text,
            (h_pq, h_p),
            1e-4,
        )
        assert larger > smaller


# --- the definition -----------------------------------------------------------------------


def test_the_divergence_is_named_one_way_only(built) -> None:
    """Defect 10: "the KL divergence of Q from P" reads the wrong way round."""
    _, site, _ = built
    text = " ".join(_section(site, a) for a in MINE)
    # The thin spaces of P \,\|\, Q are <mspace>s, which have no text.
    assert "The KL divergence DKL(P∥Q), with the data from P and the model Q, adds up" in text
    assert "of Q from P" not in text and "from P to Q" not in text
    sheet = _text(page_html(site, "formulas/index.html"))
    assert "DKL(P∥Q), with the data from P and the model Q" in sheet
    assert "divergence from the data to the model" not in sheet


def test_which_way_round_compares_the_two_directions_truthfully(built) -> None:
    _, site, f = built
    text = _sentence(_section(site, "definition"), "Which way round?")
    pq, qp = f.kl(f.p, f.q), f.kl(f.q, f.p)
    if f.q_is_p:
        assert "Here both answers are 0" in text
    elif pq == pytest.approx(qp, rel=1e-12):
        assert "happen to be equal" in text and "differ." in text
    else:
        shown = _pair(rf"= {NUMBER} bits, against {NUMBER} bits", text, (qp, pq), 1e-6)
        assert shown[0] != shown[1]


# --- the worked example ---------------------------------------------------------------------


def test_the_total_is_not_negative_because_each_row_beats_its_difference(built) -> None:
    """Defect 3: the reason is ln t <= t - 1, row by row, not the weighting by p."""
    _, site, f = built
    text = _section(site, "forest-example")
    assert "The rows where Q falls short therefore count for more" not in text
    assert "weighted by a p smaller than" not in text
    part = _sentence(text, "Why the total is not negative.")
    if f.q_is_p:
        assert "Q is P, every term is 0" in part
        return
    assert "lnt≤t−1" in part and "plnpq≥p−q" in part  # \; is an <mspace>, no text
    terms = f.terms_nats()
    rows = re.findall(
        rf"the (\w+)'s term is (?:infinite|{NUMBER} nats, (more than|equal to) its p−q = {NUMBER})",
        part,
    )
    assert [r[0] for r in rows] == f.names, part
    for (name, term, word, gap), t, pi, qi in zip(rows, terms, f.p, f.q, strict=True):
        if math.isinf(t):
            assert term == "", name
            continue
        assert _num(term) == pytest.approx(t, abs=5e-5)
        assert _num(gap) == pytest.approx(pi - qi, abs=1e-9)
        assert word == ("equal to" if pi == qi else "more than"), name
        assert t >= pi - qi
    gaps = re.search(r"add up to zero: (.*?)\. ", part)
    assert gaps and len(re.findall(NUMBER + " for the", gaps.group(1))) == len(f.names)
    kl = f.kl(f.p, f.q, math.e)
    if math.isinf(kl):
        assert re.search(r"the infinite rows? makes? the total infinite", part)
        assert "the terms add up to" not in part
        assert "bend of the logarithm" not in part  # the zero, not the bend, makes it infinite
    else:
        assert "It is the bend of the logarithm, not the weighting by p" in part
        m = re.search(rf"the terms add up to {NUMBER} nats, or {NUMBER} bits", part)
        assert m and _num(m.group(1)) == pytest.approx(kl, abs=5e-5)


def test_negative_terms_paragraph_fits_the_case(built) -> None:
    _, site, f = built
    part = _sentence(_section(site, "forest-example"), "Negative terms.")
    terms = f.terms_nats()
    if (terms < 0).any():
        m = re.search(r"Q expects more of the (\w+) than the forest holds", part)
        assert m
        i = f.names.index(m.group(1))
        assert terms[i] == terms.min() and f.q[i] > f.p[i]
    elif f.q_is_p:
        assert "Q gives every animal exactly the probability P gives it" in part
    else:
        unseen = f.named((f.p == 0) & (f.q > 0))
        assert unseen
        assert (
            "Q's extra probability all goes to "
            + " and the ".join(f"the {x}" for x in unseen).replace("the the", "the")
            in part
        )


def test_infinite_terms_are_explained_in_the_page_wording(built) -> None:
    _, site, f = built
    text = " ".join(_section(site, a) for a in MINE)
    assert "(infinite:" not in text
    zeros = f.named((f.q == 0) & (f.p > 0))
    if zeros:
        assert f"Why ∞? Q gives the {zeros[0]} probability 0, but P gives it" in text
        assert f"infinite because Q gives the {zeros[0]} probability 0" in text
    else:
        assert "Why ∞?" not in text and "infinite because" not in text.split("Which way")[0]
    for x in f.named(f.p == 0):
        assert re.search(rf"The rows? of (?:the \w+ and )?the {x} adds? nothing", text)


def test_one_row_step_by_step_takes_the_largest_finite_term(built) -> None:
    _, site, f = built
    part = _sentence(_section(site, "forest-example"), "One row, step by step.")
    terms = f.terms_nats()
    finite = [
        (t, x) for t, x, pi in zip(terms, f.names, f.p, strict=True) if pi > 0 and math.isfinite(t)
    ]
    best = max(finite)[1]
    assert f"the {best}" in part.split(".")[1] + part.split(".")[2]
    if not f.q_is_p and max(finite)[0] > 0:
        m = re.search(rf"the row adds {NUMBER} bits", part)
        assert m and _num(m.group(1)) == pytest.approx(max(finite)[0] / math.log(2), abs=5e-5)
    # "adds nothing" would be false beside a negative row: only "no positive amount" is true
    assert "no row adds anything" not in part
    if not f.q_is_p and max(finite)[0] <= 0:
        assert "no row adds a positive amount here" in part


# --- zero to infinity ------------------------------------------------------------------------


def test_zero_to_infinity_names_the_rarest_animal_and_the_path(built) -> None:
    _, site, f = built
    text = _section(site, "zero-to-infinity")
    lo = f.p[f.p > 0].min()
    m = re.search(
        r"rarest animal(?: that P allows)?, the (\w+) \(p = ([\d.]+)\)(, one of (\w+))?", text
    )
    assert m and f.p[f.names.index(m.group(1))] == lo == float(m.group(2))
    assert bool(m.group(3)) == (int((f.p == lo).sum()) > 1)
    assert ("that P allows" in m.group(0)) == bool((f.p == 0).any())
    rare = f.names.index(m.group(1))
    r = np.where(np.arange(len(f.p)) == rare, 0.0, f.p / (1 - lo))
    steps = f.steps[1:-1]
    first = re.search(rf"(Halfway, at|At) t = ([\d.]+), the divergence is {NUMBER} bits", text)
    assert first and float(first.group(2)) == steps[0]
    assert (first.group(1) == "Halfway, at") == (steps[0] == 0.5)
    kl = [f.kl(f.p, (1 - t) * f.p + t * r) for t in steps]
    assert _num(first.group(3)) == pytest.approx(kl[0], abs=5e-4)
    if len(steps) > 1:
        last = re.search(
            rf"at t = ([\d.]+), when Q still gives the \w+ a probability of [\d.]+, "
            rf"it is {NUMBER} bits",
            text,
        )
        assert last and float(last.group(1)) == steps[-1]
        assert _num(last.group(2)) == pytest.approx(kl[-1], abs=5e-4) and kl[-1] > kl[0]


# --- the decomposition -------------------------------------------------------------------------


def test_the_decomposition_says_what_each_belief_pays(built) -> None:
    _, site, f = built
    text = _section(site, "cross-entropy-decomposition")
    assert "never reaches zero on real data" not in text
    part = _sentence(text, "The entropy is a floor")
    kl, n = f.kl(f.p, f.q), len(f.p)
    uniform = np.full(n, 1 / n)
    p_uniform = bool(np.array_equal(f.p, uniform))
    if math.isinf(kl):
        assert "For the model's Q the excess is infinite, because Q gives the" in part
    elif f.q_is_p:
        assert "The model's Q is P itself here, so it pays nothing" in part
    else:
        m = re.search(rf"the whole excess is {NUMBER} bits, ([\d.]+)% of its cross-entropy", part)
        h_pq = kl + float(scipy.stats.entropy(f.p, base=2))
        assert m and _num(m.group(1)) == pytest.approx(kl, abs=5e-4)
        assert float(m.group(2)) == pytest.approx(100 * kl / h_pq, abs=0.05)
    if not p_uniform and not np.array_equal(f.q, uniform):
        m = re.search(rf"the uniform guess pays {NUMBER} bits", part)
        assert m and _num(m.group(1)) == pytest.approx(f.kl(f.p, uniform), abs=5e-4)
        worse = math.isfinite(kl) and round(kl, 3) > round(f.kl(f.p, uniform), 3)
        assert ("this model does worse than a guess with no preference" in part) == worse
    zero_rows = 1 + f.q_is_p + p_uniform
    # rows, not beliefs: with Q = P two rows are one belief
    assert "The table computes each of the three on its own, for each Q in its rows" in text
    gibbs = _sentence(text, "In the table,")
    if zero_rows == 1:
        assert "only the row Q = P has a zero in the KL column" in gibbs
    else:
        assert "only the row Q = P has" not in gibbs
        assert ("the model's Q, which is P itself" in gibbs) == f.q_is_p


# --- figures -------------------------------------------------------------------------------------


def test_figure_captions_and_alt_texts_fit_the_data(built) -> None:
    _, site, f = built
    bars = _section(site, "forest-example")
    for x, pi, qi in zip(f.names, f.p, f.q, strict=True):
        assert re.search(rf"{x}: P {pi:.12g}, Q {qi:.12g}\.", bars)  # alt text
        assert re.search(rf"{x} {pi:.12g} against {qi:.12g}", bars)  # caption
    assert ("Every pair of bars is equal, because Q is P" in bars) == f.q_is_p
    dec = _section(site, "cross-entropy-decomposition")
    assert ("nothing for the model's Q, which is P" in dec) == f.q_is_p
    kl = f.kl(f.p, f.q)
    assert ("for the model's Q a hatched part running off the right edge" in dec) == math.isinf(kl)
    assert "a hatched part of 0.000 bits" not in dec and "a hatched part of ∞" not in dec
    # the last bar is named as its label names it: a model's Q may rule the animal out too
    assert "without end for a Q that rules out" not in dec
    last = re.search(r"without end for the Q without the (\w+), which gives it probability 0", dec)
    assert last and last.group(1) in f.named(f.p == f.p[f.p > 0].min())
    # A phone stacks the panels drawn side by side on a wide screen: no caption or alt text
    # may place a panel on the left or the right.
    page = page_html(site)
    described = re.findall(r"<figcaption\b.*?</figcaption>", page, flags=re.S)
    described += re.findall(r'\balt="([^"]*)"', page)
    for words in described:
        text = _text(words)
        for placing in (
            "on the left",
            "on the right",
            "(left)",
            "(right)",
            "Left:",
            "side by side",
        ):
            assert placing not in text, text
    zero = _section(site, "zero-to-infinity")
    m = re.search(r"grows all the way \((.*?)\) and is infinite at t = 1", zero)
    assert m and re.findall(r"t = ([\d.]+)", m.group(1)) == [f"{t:g}" for t in f.steps[1:-1]]


# --- the formula sheet and the explorer ---------------------------------------------------------


def test_the_formula_sheet_gives_natural_log_results_in_nats(built) -> None:
    """Defect 11: the sheet's logs are natural, so its forest values are nats (bits beside)."""
    _, site, f = built
    text = _text(page_html(site, "formulas/index.html"))
    h_p = float(scipy.stats.entropy(f.p))
    with np.errstate(divide="ignore"):
        h_pq = float(-np.sum(f.p[f.p > 0] * np.log(f.q[f.p > 0])))
    expected = {
        "Entropy ¶": h_p,
        "Cross-entropy ¶": h_pq,
        "KL divergence (discrete) ¶": f.kl(f.p, f.q, math.e),
    }
    for heading, nats in expected.items():
        entry = text[text.index(heading) : text.index("In the lecture", text.index(heading))]
        assert "in nats" in entry, heading
        m = re.search(rf"Forest: (?:\S+ = )?{NUMBER} nats, or {NUMBER} bits", entry)
        assert m, entry
        assert _num(m.group(1)) == pytest.approx(nats, abs=5e-7)
        assert _num(m.group(2)) == pytest.approx(nats / math.log(2), abs=5e-7)
        assert "the fewest bits" not in entry or "With log2 it is in bits , the fewest" in entry
    dec = text[text.index("Cross-entropy = entropy + KL divergence ¶") :]
    assert re.search(rf"in nats : {NUMBER} = {NUMBER} \+ {NUMBER}; in bits :", dec)


def test_the_explorer_starts_from_the_data_and_its_json_parses(built) -> None:
    _, site, f = built
    page = page_html(site, "explorer/index.html")
    raw = re.search(r'id="kl-explorer-start">(.*?)</script>', page, re.S)
    assert raw
    start = json.loads(raw.group(1))
    assert start == {"names": f.names, "p": list(f.p), "q": list(f.q)}
    text = _text(page)
    for x, pi, qi in zip(f.names, f.p, f.q, strict=True):
        assert f"{x}: P {pi:.12g}, Q {qi:.12g}." in text
    same = f.kl(f.p, f.q) == pytest.approx(f.kl(f.q, f.p), rel=1e-12)
    assert ("and are not equal" in text) == (not same and not f.q_is_p)


def test_no_name_can_close_the_explorers_script(tmp_path: Path) -> None:
    """The JSON is written with Jinja's tojson: <, > and & are escaped inside <script>."""
    odd = "Deer</script><b>&amp;'"
    data = load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")
    forest = DataForest(p={"Squirrel": 0.5, odd: 0.5}, q={"Squirrel": 0.4, odd: 0.6})
    facts = nest(values(dataclasses.replace(data, forest=forest)))
    out = render(environment(), "{{ explorer.start | tojson }}", where="t", facts=facts)
    assert not re.search(r"[<>&']", out)
    assert json.loads(out)["names"] == ["Squirrel", odd]


# --- ties and a uniform P (no variant of the matrix has them) ------------------------------------

TIED = {
    "rarest tied": ((0.4, 0.3, 0.3), (False, True)),
    "commonest tied": ((0.4, 0.4, 0.2), (True, False)),
    "uniform": ((0.25, 0.25, 0.25, 0.25), (True, True)),
}
ANIMALS = ("Squirrel", "Rabbit", "Deer", "Fox")


def _page_for(shares: tuple[float, ...]) -> str:
    """docs/index.md rendered with the lecture's facts and tables for P = ``shares`` and a Q
    that differs from it (0.1, 0.2, ... rescaled); figures are shown as their ids."""
    data = load_lecture_data(ROOT / "tests" / "data" / "frozen.toml")
    names = ANIMALS[: len(shares)]
    rising = np.arange(1, len(shares) + 1, dtype=float)
    q = dict(zip(names, (rising / rising.sum()).tolist(), strict=True))
    p = dict(zip(names, shares, strict=True))
    changed = dataclasses.replace(data, forest=DataForest(p=p, q=q))
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    return render(
        environment(ROOT / "docs" / "includes"),
        text,
        where="docs/index.md",
        facts=nest(lecture_values(changed)),
        tables=lecture_tables(changed),
        figure=lambda fig_id: f"[figure {fig_id}]",
        figure_ids=figures_named(text),
    )


@pytest.mark.parametrize("case", list(TIED))
def test_ties_are_named_as_one_of_several(case: str) -> None:
    p, (commonest_tied, rarest_tied) = TIED[case]
    text = re.sub(r"\s+", " ", html.unescape(_page_for(p)))
    if commonest_tied and rarest_tied:
        assert "Under P every animal it allows is equally likely (probability 0.25)" in text
        assert "the uniform guess pays nothing at all, because P is itself uniform" in text
        assert "only the rows Q = P and the uniform Q, which is P itself here, have" in text
    else:
        assert ("one of the commonest animals" in text) == commonest_tied
        assert ("the commonest animal," in text) == (not commonest_tied)
        assert ("one of the rarest animals" in text) == rarest_tied
        assert ("the rarest animal," in text) == (not rarest_tied)
        assert ("one of two animals with that probability" in text) == rarest_tied
