"""The prose of "Continuous distributions", "Forward vs reverse KL" and "KL in AI", and the
captions and alt texts of their figures and of the hero, as the built page states them,
checked on every data set of the matrix against numpy and scipy (never `kl`)."""

from __future__ import annotations

import html
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

from tests.datasets import (
    VARIANTS,
    built_lecture,
    lecture_text,
    page_html,
    section_html,
    variant_raw,
)
from tests.sitebuild import ROOT

pytestmark = pytest.mark.site  # builds the site with MkDocs

NUMBER = r"−?\d[\d,]*(?:\.\d+)?(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|−?∞"
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def number(text: str) -> float:
    """A number as the page writes it: 1,001, −0.45, ∞, 1.0 × 10⁻⁹, 75%."""
    text = text.strip().rstrip("%").replace("−", "-").replace(",", "")
    if text.endswith("∞"):
        return -math.inf if text.startswith("-") else math.inf
    if "×" in text:
        mantissa, power = text.split(" × 10")
        return float(mantissa) * 10.0 ** int(power.translate(_SUPERSCRIPT))
    return float(text)


def found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in: {text}"
    return match


def shown(x: float, digits: int) -> float:
    """x as the page rounds it (half away from zero, as a reader does)."""
    return float(f"{x:.{digits}f}")


def near(text: str, x: float, digits: int) -> bool:
    """The page's ``text`` is ``x`` shown with ``digits`` decimals (one unit of slack)."""
    return abs(number(text) - x) <= 1.01 * 10.0**-digits


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = built_lecture(request.param, tmp_path_factory)
    return request.param, site, variant_raw(request.param)


def _texts(site: Path) -> dict[str, str]:
    return {a: lecture_text(site, a) for a in ("continuous", "forward-vs-reverse", "kl-in-ai")}


def _figure(site: Path, fig_id: str) -> tuple[str, str]:
    """The visible caption and the alt text of figure ``fig_id`` on the lecture page."""
    text = page_html(site)
    start = text.index(f'id="fig-{fig_id}"')
    block = text[start : text.index("</figure>", start)]
    alt = html.unescape(found(r'alt="([^"]*)"', block).group(1))
    caption = found(r"<figcaption>(.*?)<span", block.replace("\n", " ")).group(1)
    caption = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", caption))).strip()
    return caption, alt


# --- independent computations -----------------------------------------------------------


@cache
def integrand_facts(p: tuple[float, float], q: tuple[float, float]) -> dict[str, float]:
    """For P = N(p) and Q = N(q): KL, the integrand's positive and negative areas, where it
    peaks, p/q there, and the integral of |p - q|, on a fine grid (numpy and scipy)."""
    lo = min(p[0] - 15 * p[1], q[0] - 15 * q[1])
    hi = max(p[0] + 15 * p[1], q[0] + 15 * q[1])
    x = np.linspace(lo, hi, 400_001)
    log_p, log_q = scipy.stats.norm.logpdf(x, *p), scipy.stats.norm.logpdf(x, *q)
    f = np.exp(log_p) * (log_p - log_q)
    i = int(np.argmax(f))
    return {
        "kl": float(np.trapezoid(f, x)),
        "above": float(np.trapezoid(np.maximum(f, 0), x)),
        "below": float(-np.trapezoid(np.minimum(f, 0), x)),
        "peak_x": float(x[i]),
        "peak_ratio": float(math.exp(log_p[i] - log_q[i])),
        "gap": float(np.trapezoid(np.abs(np.exp(log_p) - np.exp(log_q)), x)),
    }


def curve(raw: dict[str, Any], name: str) -> tuple[float, float]:
    c = raw["curves"][name]
    return float(c["mean"]), float(c["sd"])


def _log_mixture(x: np.ndarray, d: float) -> np.ndarray:
    a = scipy.stats.norm.logpdf(x, -d / 2, 1) + math.log(0.5)
    b = scipy.stats.norm.logpdf(x, d / 2, 1) + math.log(0.5)
    return np.logaddexp(a, b)


def reverse_kl(d: float, m: float, s: float) -> float:
    z = np.linspace(-12, 12, 6001)
    x = m + s * z
    log_q = scipy.stats.norm.logpdf(x, m, s)
    return float(np.trapezoid(np.exp(log_q) * (log_q - _log_mixture(x, d)), x))


def forward_kl(d: float, m: float, s: float) -> float:
    x = np.linspace(-d / 2 - 14, d / 2 + 14, 40_001)
    log_p = _log_mixture(x, d)
    return float(np.trapezoid(np.exp(log_p) * (log_p - scipy.stats.norm.logpdf(x, m, s)), x))


@cache
def reverse_minima(d: float) -> dict[str, tuple[float, float, float]]:
    """Local minima of KL(Q||P) over normals Q (scipy's Nelder-Mead from a peak and from
    the centre): {"peak": (m, s, kl), "centred": (m, s, kl)}, a peak entry only if the
    fit started on a peak stays off centre."""
    out = {}
    for name, start in (("peak", (d / 2, 1.0)), ("centred", (0.0, math.sqrt(1 + d * d / 4)))):
        res = scipy.optimize.minimize(
            lambda v: reverse_kl(d, v[0], math.exp(v[1])),
            [start[0], math.log(start[1])],
            method="Nelder-Mead",
            options={"xatol": 1e-7, "fatol": 1e-12, "maxiter": 4000},
        )
        m, s = float(res.x[0]), math.exp(res.x[1])
        if name == "centred" or abs(m) > 0.05:
            out[name] = (m, s, float(res.fun))
    return out


def learning_run(raw: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent on the logits of a uniform softmax towards P: (p, q per step,
    KL(P||Q) in nats per step)."""
    p = np.array(list(raw["forest"]["p"].values()), dtype=float)
    rate, steps = raw["learning"]["learning_rate"], raw["learning"]["steps"]
    z = np.log(np.full(p.size, 1 / p.size))
    qs = []
    for _ in range(steps + 1):
        q = np.exp(z - z.max())
        q /= q.sum()
        qs.append(q)
        z = z - rate * (q - p)
    q_all = np.array(qs)
    pos = p > 0
    kl = (p[pos] * np.log(p[pos] / q_all[:, pos])).sum(axis=1)
    return p, q_all, kl


# --- continuous -------------------------------------------------------------------------


def test_continuous_areas_peak_and_reason_are_stated_correctly(variant: Any) -> None:
    _, site, raw = variant
    text = _texts(site)["continuous"]
    p = curve(raw, "p")
    for fit in ("good", "poor"):
        facts = integrand_facts(p, curve(raw, fit))
        m = found(
            rf"For the {fit} fit the positive area is ({NUMBER}) nats and the negative area "
            rf"({NUMBER}) nats, which leaves ({NUMBER})\.",
            text,
        )
        assert near(m[1], facts["above"], 3) and near(m[2], facts["below"], 3)
        assert near(m[3], facts["kl"], 3)
    facts = integrand_facts(p, curve(raw, "poor"))
    m = found(rf"largest at = ({NUMBER}), where P has plenty of mass", text)
    assert abs(number(m[1]) - facts["peak_x"]) < 0.015
    shown = found(rf"P's density there is ({NUMBER}) times the poor fit's", text)[1]
    ratio = number(shown)
    assert ratio == pytest.approx(facts["peak_ratio"], rel=0.02)
    assert ("." in shown) == (ratio < 100)  # no decimal on a ratio of hundreds or more
    assert ratio > 1  # the integrand peaks where p > q: the region that adds to KL


def test_continuous_gives_the_right_reason_for_each_property(variant: Any) -> None:
    """Ratio-only gives invariance, Gibbs gives non-negativity."""
    _, site, _ = variant
    text = _texts(site)["continuous"]
    assert "so the divergence is still never negative" not in text
    assert "Only the ratio enters. Rescale or bend the axis" in text
    assert re.search(
        r"It is never negative, and zero only when the two curves coincide\. "
        r"That is Gibbs' inequality",
        text,
    )


def test_integrand_alt_describes_the_poor_fit_as_drawn(variant: Any) -> None:
    """A poor fit narrower than P is not "shifted right and wider"."""
    _, site, raw = variant
    alt = html.unescape(found(r'alt="(Four panels[^"]*)"', section_html(site, "continuous"))[1])
    (m0, s0), (m, s) = curve(raw, "p"), curve(raw, "poor")
    side = "right" if m > m0 else "left"
    width = "wider" if s > s0 else "narrower"
    assert f"P with the poor fit, shifted {side} and {width}. Beneath each" in alt
    facts = integrand_facts((m0, s0), (m, s))
    at = found(rf"rises highest at x = ({NUMBER})", alt)[1]
    assert abs(number(at) - facts["peak_x"]) < 0.015


# --- the hero ---------------------------------------------------------------------------


def test_hero_caption_says_what_the_shading_and_the_arrow_show(variant: Any) -> None:
    """The shaded area is the integral of |p - q|, not the divergence;
    the arrow points where p ln(p/q) is largest, where P is above the poor fit."""
    _, site, raw = variant
    caption, alt = _figure(site, "hero")
    (m0, s0), (m, s) = curve(raw, "p"), curve(raw, "poor")
    facts = integrand_facts((m0, s0), (m, s))
    assert "the shaded area where it parts from P costs" not in caption
    gap = found(rf"its area, ({NUMBER}), is not the divergence", caption)[1]
    assert near(gap, facts["gap"], 2)
    assert not near(gap, facts["kl"], 2)
    x = found(
        rf"for the poor fit at x = ({NUMBER}), where P's density is ({NUMBER}) times", caption
    )
    assert abs(number(x[1]) - facts["peak_x"]) < 0.015
    assert number(x[2]) == pytest.approx(facts["peak_ratio"], rel=0.02)
    off = found(rf"takes ({NUMBER}) nats off the total", caption)[1]
    assert near(off, facts["below"], 3)
    side = "to the right" if m > m0 else "to the left"
    width = "wider" if s > s0 else "narrower"
    assert f"peaks {side} of P and is {width}" in caption
    assert "shifted right and wider" not in alt or (m > m0 and s > s0)
    assert f"its peak {side} of P's, {'wider' if s > s0 else 'narrower and taller'} than P" in alt
    assert (
        abs(number(found(rf"an arrow into that gap at x = ({NUMBER})", alt)[1]) - facts["peak_x"])
        < 0.015
    )


# --- forward vs reverse -----------------------------------------------------------------


def test_reverse_kl_argument_and_verdict_follow_the_fits(variant: Any) -> None:
    """Ignoring a peak costs reverse KL about ln 2 (not nothing), and
    the verdict names the fit scipy finds lowest."""
    _, site, raw = variant
    text = _texts(site)["forward-vs-reverse"]
    d = float(raw["fitting"]["separation"])
    assert "pays nothing for the parts of P it ignores" not in text
    assert "Leaving out part of P costs something too, but a bounded amount" in text
    if d > 2:  # two unit-width bell curves show two peaks only when more than 2 apart
        assert "each draw costs about = 0.693 nats (one bit)" in text
    minima = reverse_minima(d)
    centred = minima["centred"][2]
    assert near(found(rf"The centred fit pays ({NUMBER}) nats", text)[1], centred, 3)
    # the table is the lecture's data, whatever the interactive panel above it shows
    assert f"Every fit for the lecture's peaks, {d:g} apart:" in text
    # the lead-in says what reverse KL does here: seek a mode only where a peak wins
    on_a_peak = "peak" in minima and minima["peak"][2] < centred
    assert ("Reverse KL seeks a mode." in text) == on_a_peak
    assert ("Reverse KL avoids what P lacks." in text) == (not on_a_peak)
    if "peak" in minima:
        m, s, kl = minima["peak"]
        got = found(rf"the best one-peak fit pays ({NUMBER}) nats, a little under", text)[1]
        assert near(got, kl, 3) and kl < math.log(2)
        charged = found(rf"would charge the same fit ({NUMBER}) nats", text)[1]
        assert number(charged) == pytest.approx(forward_kl(d, m, s), abs=0.011)
        if kl < centred:
            assert "So reverse KL locks onto one peak" in text
        else:
            assert "So reverse KL prefers the wide centred fit here" in text
    else:
        assert "reverse KL has only the wide centred fit" in text
    for a, b in re.findall(rf"({NUMBER}) nats, against ({NUMBER})", text):
        assert number(a) < number(b)  # "the lowest ..., X nats, against Y"


def test_forward_reverse_alt_counts_the_dotted_curves_drawn(variant: Any) -> None:
    """The alt text counts the other local minima as drawn."""
    _, site, raw = variant
    alt = html.unescape(
        found(r'alt="(A (?:two|single)-humped[^"]*)"', section_html(site, "forward-vs-reverse"))[1]
    )
    assert "counting the best one" not in alt
    d = float(raw["fitting"]["separation"])
    minima = reverse_minima(d)
    # Drawn dotted: every reverse minimum but the best one. A one-peak minimum comes with
    # its mirror image, and the centred minimum is always there.
    others = 2 if "peak" in minima else 0
    if others == 0:
        assert "dotted" not in alt
    else:
        words = ["zero", "one", "two", "three"]
        m = found(
            r"Fainter dotted curves? centred at (.*?) show the reverse KL's (\w+) other local",
            alt,
        )
        assert m[2] == words[others]
        assert len(re.findall(NUMBER, m[1])) == others
    svg = (site / "figures" / "forward-reverse.svg").read_text(encoding="utf-8")
    dotted = re.findall(r"stroke-dasharray: ([\d.]+),([\d.]+)[^\"]*stroke-opacity: 0\.6", svg)
    assert len(dotted) == others


def _dash_styles(svg: str) -> list[tuple[tuple[float, ...], float]]:
    """(dash pattern, line width) of every dashed path in a matplotlib SVG."""
    out = []
    for style in re.findall(r'style="([^"]*stroke-dasharray[^"]*)"', svg):
        dashes = tuple(float(v) for v in found(r"stroke-dasharray: ([\d.,]+)", style)[1].split(","))
        out.append((dashes, float(found(r"stroke-width: ([\d.]+)", style)[1])))
    return out


def test_hero_draws_both_fits_dashed_in_two_patterns(variant: Any) -> None:
    """The poor fit is dashed (dashes longer than the line is wide,
    not dots), in another pattern than the good fit's."""
    _, site, _ = variant
    styles = _dash_styles((site / "figures" / "hero.svg").read_text(encoding="utf-8"))
    assert len(styles) == 2
    assert styles[0][0] != styles[1][0]
    for dashes, width in styles:
        assert min(dashes[0::2]) >= 2 * width  # a dash, not a dot


# --- KL in AI -----------------------------------------------------------------------------


def test_maximum_likelihood_is_stated_for_discrete_and_density_models(variant: Any) -> None:
    """The empirical distribution has no density; for a density model
    the KL form holds in the limit, against the true distribution."""
    _, site, raw = variant
    text = _texts(site)["kl-in-ai"]
    assert "from the humble bell curve" not in text
    assert "When the model has finitely many outcomes" in text
    assert "has no density, so its divergence from any continuous is infinite" in text
    assert "maximum likelihood minimises the divergence from the true distribution" in text
    p = np.array(list(raw["forest"]["p"].values()))
    q = np.array(list(raw["forest"]["q"].values()))
    with np.errstate(divide="ignore"):
        cross = float(-(p[p > 0] * np.log2(q[p > 0])).sum())
    m = found(
        rf"average log-likelihood of ({NUMBER}) bits per sighting: minus the entropy, "
        rf"({NUMBER}), minus the divergence, ({NUMBER})\.",
        text,
    )
    if math.isinf(cross):
        assert number(m[1]) == -math.inf and number(m[3]) == math.inf
        assert "never picks a model that rules out something the data contain" in text
    else:
        assert near(m[1], -cross, 4)
        assert near(m[2], float(scipy.stats.entropy(p, base=2)), 4)
        assert near(m[3], float(scipy.stats.entropy(p, q, base=2)), 4)
    assert ("Q is P, so the divergence is 0" in text) == bool(np.array_equal(p, q))


def test_learning_is_reported_in_the_unit_of_its_gradient(variant: Any) -> None:
    """The gradient q - p is for nats, and so is every number."""
    _, site, raw = variant
    text = _texts(site)["kl-in-ai"]
    assert "With the divergence in nats (natural logarithms), the gradient" in text
    assert "In bits both sides are divided by" in text
    _, _, kl = learning_run(raw)
    m = found(rf"The divergence starts at ({NUMBER}) nats,", text)
    assert near(m[1], kl[0], 4)
    for value, step in re.findall(rf"(?:falls to|to) ({NUMBER}) after (\d+) steps?", text):
        assert near(value, kl[int(step)], 4) or number(value) == pytest.approx(
            kl[int(step)], rel=0.06
        )
    end = found(rf"and ends at ({NUMBER}) nats after (\d+)\.", text)
    assert int(end[2]) == raw["learning"]["steps"]
    assert number(end[1]) == pytest.approx(kl[-1], rel=0.06, abs=5e-5)
    assert "bits after" not in text.split("Learning is pushing")[1].split("A VAE")[0]


def test_learning_decay_is_described_as_it_runs(variant: Any) -> None:
    """With a zero in P the decay is about 1/t, not a fixed fraction per step;
    the alt text says Q's bars match P's only when they do."""
    _, site, raw = variant
    text = _texts(site)["kl-in-ai"]
    caption_and_text = text
    p, q, kl = learning_run(raw)
    steps = raw["learning"]["steps"]
    alt = html.unescape(
        found(r'alt="(Top panel: a falling curve[^"]*)"', section_html(site, "kl-in-ai"))[1]
    )
    if (p == 0).any():
        assert "removes the same fraction" not in caption_and_text
        assert "the same fraction every time" not in text
        assert "straight stretch" not in caption_and_text
        m = found(
            rf"from step (\d+) to step (\d+), twice as many steps, it falls only to ({NUMBER})% of",
            text,
        )
        half, end = int(m[1]), int(m[2])
        assert (half, end) == (steps // 2, steps)
        assert near(m[3], 100 * kl[end] / kl[half], 0)
        assert 0.35 < kl[end] / kl[half] < 0.65  # about 1/t: doubling t halves it
        assert "Q's bars match P's" not in alt
        assert "Q is not P yet, and never will be" in text
    else:
        ratios = kl[steps // 2 + 1 :] / kl[steps // 2 : -1]
        m = found(rf"each step leaves about ({NUMBER})% of the divergence that was left", text)
        assert near(m[1], 100 * float(np.median(ratios)), 0)
        assert ratios.max() - ratios.min() < 0.02  # "the same fraction every time"
        gap = float(np.abs(q[-1] - p).max())
        assert ("Q's bars match P's" in alt) == (round(gap, 4) == 0)
        assert ("Q is P to every digit the table shows" in text) == (round(gap, 4) == 0)


def test_learning_csv_holds_plain_numbers_at_full_precision(variant: Any) -> None:
    """No 4-decimal rounding, no "7.7 × 10⁻⁶" strings in the CSV."""
    _, site, raw = variant
    rows = (site / "figures" / "learning.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].endswith("KL(P‖Q),nats") or rows[0].endswith('"KL(P‖Q), nats"')
    _, q, kl = learning_run(raw)
    for i, row in enumerate(rows[1:]):
        cells = [float(c) for c in row.split(",")]  # plain numbers only
        assert cells[0] == i
        assert cells[1:-1] == pytest.approx(list(q[i]), rel=1e-9, abs=1e-15)
        assert cells[-1] == pytest.approx(kl[i], rel=1e-6, abs=1e-15)
    assert len(rows) == raw["learning"]["steps"] + 2


def test_vae_total_is_the_sum_of_the_closed_form_terms(variant: Any) -> None:
    _, site, raw = variant
    text = _texts(site)["kl-in-ai"]
    total = sum(
        0.5 * (m * m + s * s - 1 - math.log(s * s))
        for m, s in (curve(raw, "good"), curve(raw, "poor"))
    )
    got = found(
        rf"The KL term for this input is the sum over its dimensions, ({NUMBER}) nats", text
    )
    assert near(got[1], total, 4)


def test_no_two_numbers_joined_by_but_or_instead_of_are_equal(variant: Any) -> None:
    _, site, _ = variant
    for text in _texts(site).values():
        for a, b in re.findall(
            rf"({NUMBER})[^.\d]{{0,40}}?\b(?:but|instead of|against)\b[^.\d]{{0,40}}?({NUMBER})",
            text,
        ):
            assert a != b, text


def test_my_sections_type_no_number_by_hand() -> None:
    """Every number in these sections comes from the facts; digits only inside TeX, and
    the constants 0 and 1 (a divergence of 0, probability 0, unit width) as words."""
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    start = page.index("## Continuous distributions { #continuous }")
    text = page[start : page.index("## Summary { #summary }")]
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.DOTALL)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", "", text, flags=re.DOTALL)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\b[01]\b(?![.,]\d)", "", text)
    assert re.findall(r".{0,20}\d.{0,20}", text) == []
