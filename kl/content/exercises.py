"""The exercises' parameters and answers (SPEC section 11), computed from the data file.

Each exercise builds its question from the example data (a second model Q made in code,
the infographic's curves, a message drawn from P) and its answer with the `kl` measures,
so the answers follow the data like every other number on the page.
"""

from __future__ import annotations

import math

from kl.content.continuous import as_written
from kl.content.extremes import rarest_outcome, without_outcome
from kl.content.forest import join_names, zero_reason
from kl.content.recap import listing
from kl.data import LectureData
from kl.formatting import format_number, format_probability
from kl.gaussian import kl_normal, kl_to_standard_normal
from kl.measures import cross_entropy, entropy, kl_divergence
from kl.tables import Table
from kl.values import Fact, Value, text_value


def closer_model(p: dict[str, float], q: dict[str, float], factor: float) -> dict[str, float]:
    """Q moved towards P until its gap to P is 1/``factor`` of what it was, outcome by
    outcome: P + (Q − P)/factor. ``factor`` must be at least 1 (the result is then a
    distribution)."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor!r}")
    return {x: p[x] + (q[x] - p[x]) / factor for x in p}


def _rounded(probability: float) -> str:
    """A derived probability, shortened for reading: 0.35, 0.556, 0."""
    return format_probability(round(probability, 3))


def comparison(a: float, b: float) -> str:
    """How ``a`` compares with ``b``, as words that read before ``b``."""
    return "larger than" if a > b else "smaller than" if a < b else "equal to"


def _reverse_direction(data: LectureData) -> dict[str, Fact]:
    p, q = data.forest.p, data.forest.q
    forward, reverse = kl_divergence(p, q, base=2), kl_divergence(q, p, base=2)
    return {"exercises.reverse_vs_forward": text_value(comparison(reverse, forward))}


def _message(data: LectureData) -> dict[str, Fact]:
    p, q, n = data.forest.p, data.forest.q, data.exercises.message_length
    return {
        "exercises.message_length": Value(n, kind="integer"),
        "exercises.message_bits_p": Value(n * entropy(p, base=2), digits=1),
        "exercises.message_bits_q": Value(n * cross_entropy(p, q, base=2), digits=1),
        "exercises.message_extra_bits": Value(n * kl_divergence(p, q, base=2), digits=1),
    }


def closer_answer(p: dict[str, float], q: dict[str, float], factor: float) -> str:
    """The "ten times closer" answer after "KL(P||Q') = ... bits" (Markdown): how many
    times smaller than KL(P||Q) that is, and why; or why no factor describes it."""
    kl_q, kl_closer = (
        kl_divergence(p, q, base=2),
        kl_divergence(p, closer_model(p, q, factor), base=2),
    )
    if kl_q == 0:
        return ". Q is P already, so Q′ is P too and both divergences are 0."
    if math.isinf(kl_q):
        return (
            f". The original divergence was infinite, because {zero_reason(p, q)}; Q′ gives "
            "every animal P allows some probability, and that alone makes the divergence "
            "finite. No finite factor describes the gain."
        )
    shrink = kl_q / kl_closer
    unseen = [x for x in p if p[x] == 0 < q[x]]
    if unseen:
        why = (
            "and as Q nears P, the real factor falls towards exactly that, because Q puts "
            f"probability on {join_names([f'the {x}' for x in unseen])}, which P never "
            "produces: near P, that costs in proportion to the gap, not to its square"
        )
    else:
        why = (
            f"the real factor is far larger, and nears {factor * factor:g} as Q nears P, "
            "because near P the divergence grows with the square of the gap"
        )
    return (
        f", about {format_number(shrink, 1)} times smaller than the original "
        f"{format_number(kl_q, 6)} bits. Convexity alone promises a factor of at least "
        f"{factor:g}; {why}."
    )


def _closer(data: LectureData) -> dict[str, Fact]:
    p, q, k = data.forest.p, data.forest.q, data.exercises.closer_factor
    closer = closer_model(p, q, k)
    kl_closer, kl_q = kl_divergence(p, closer, base=2), kl_divergence(p, q, base=2)
    return {
        "exercises.closer_factor": Value(k, kind="written"),
        "exercises.closer_factor_squared": Value(k * k, kind="written"),
        "exercises.closer_listing": text_value(listing(closer, _rounded)),
        "exercises.closer_kl_bits": Value(kl_closer),
        "exercises.closer_shrink": Value(kl_q / kl_closer if kl_closer > 0 else math.inf, digits=1),
        "exercises.closer_answer": text_value(closer_answer(p, q, k)),
    }


def zero_reverse(p: dict[str, float], q0: dict[str, float], rarest: str) -> str:
    """The zero-probability exercise's answer about KL(Q0||P) (Markdown)."""
    reverse = kl_divergence(q0, p, base=2)
    term = (
        f"data drawn from $Q^0$ never contain a {rarest}, so its term is "
        r"$0 \cdot \log \frac{0}{p} = 0$"
    )
    if math.isinf(reverse):
        return (
            r"The other direction, $D_{\mathrm{KL}}(Q^0 \,\|\, P)$, is infinite too, but "
            f"not because of the {rarest}: {zero_reason(q0, p, ('Q⁰', 'P'), _rounded)}. The "
            f"{rarest} "
            f"costs nothing this way round: {term}."
        )
    return (
        r"The other direction is finite, $D_{\mathrm{KL}}(Q^0 \,\|\, P)$ = "
        f"{format_number(reverse, 6)} bits: {term}."
    )


def _zero(data: LectureData) -> dict[str, Fact]:
    p, q = data.forest.p, data.forest.q
    rarest = rarest_outcome(p)
    q0 = without_outcome(q, rarest)
    out = {
        "exercises.zero_name": text_value(rarest),
        "exercises.zero_listing": text_value(listing(q0, _rounded)),
        "exercises.zero_kl_pq_bits": Value(kl_divergence(p, q0, base=2)),
        "exercises.zero_kl_qp_bits": Value(kl_divergence(q0, p, base=2)),
        "exercises.zero_reverse": text_value(zero_reverse(p, q0, rarest)),
    }
    return out


def _gaussians(data: LectureData) -> dict[str, Fact]:
    c = data.curves
    out = {
        f"exercises.{name}_{field}": text_value(as_written(getattr(getattr(c, name), field)))
        for name in ("p", "poor", "good")
        for field in ("mean", "sd")
    }
    forward = kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)
    reverse = kl_normal(c.poor.mean, c.poor.sd, c.p.mean, c.p.sd)
    out |= {
        "exercises.kl_p_poor_nats": Value(forward),
        "exercises.kl_poor_p_nats": Value(reverse),
        "exercises.kl_p_poor_bits": Value(forward / math.log(2)),
        "exercises.poor_reverse_vs_forward": text_value(comparison(reverse, forward)),
    }
    return out


def _vae(data: LectureData) -> dict[str, Fact]:
    mu, sigma = data.curves.good.mean, data.curves.good.sd
    return {
        "exercises.vae_kl_nats": Value(kl_to_standard_normal(mu, sigma)),
        "exercises.vae_mean_part": Value(kl_to_standard_normal(mu, 1.0)),
        "exercises.vae_spread_part": Value(kl_to_standard_normal(0.0, sigma)),
    }


def values(data: LectureData) -> dict[str, Fact]:
    return (
        _reverse_direction(data)
        | _message(data)
        | _closer(data)
        | _zero(data)
        | _gaussians(data)
        | _vae(data)
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {}
