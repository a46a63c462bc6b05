"""The exercises' parameters and answers (SPEC section 11), computed from the data file.

Each exercise builds its question from the example data (a second model Q made in code,
the infographic's curves, a message drawn from P) and its answer with the `kl` measures,
so the answers follow the data like every other number on the page.
"""

from __future__ import annotations

import math

from kl.lecture.data import LectureData
from kl.lecture.sections.continuous import as_written
from kl.lecture.sections.zero_to_infinity import rarest_outcome, without_outcome
from kl.lecture.tables import Table
from kl.lecture.values import Fact, Value
from kl.measures.discrete import cross_entropy, entropy, kl_divergence
from kl.measures.gaussian import kl_normal, kl_to_standard_normal


def closer_model(p: dict[str, float], q: dict[str, float], factor: float) -> dict[str, float]:
    """Q moved towards P until its gap to P is 1/``factor`` of what it was, outcome by
    outcome: P + (Q − P)/factor. ``factor`` must be at least 1 (the result is then a
    distribution)."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor!r}")
    return {x: p[x] + (q[x] - p[x]) / factor for x in p}


def _shown_rounded(distribution: dict[str, float]) -> tuple[list[dict[str, Fact]], bool]:
    """A derived distribution, each probability rounded to 3 decimals for reading
    (0.35, 0.556, 0), and whether any of them had to be rounded."""
    shown: list[dict[str, Fact]] = [
        {"name": x, "q": Value(round(px, 3), kind="probability")} for x, px in distribution.items()
    ]
    rounded = any(not math.isclose(round(px, 3), px, abs_tol=1e-12) for px in distribution.values())
    return shown, rounded


def order(a: float, b: float) -> int:
    """How ``a`` compares with ``b``: 1 if larger, -1 if smaller, 0 if equal (to 12
    significant digits, or both infinite)."""
    if a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15):
        return 0
    return 1 if a > b else -1


def _names_where(first: dict[str, float], second: dict[str, float]) -> list[str]:
    """The outcomes ``second`` rules out and ``first`` allows: what makes
    KL(first||second) infinite."""
    return [x for x in first if first[x] > 0 and second[x] == 0]


def _reverse_direction(data: LectureData) -> dict[str, Fact]:
    p, q = data.forest.p, data.forest.q
    forward, reverse = kl_divergence(p, q, base=2), kl_divergence(q, p, base=2)
    return {
        "exercises.q_is_p": p == q,
        "exercises.kl_pq_bits": Value(forward),
        "exercises.kl_qp_bits": Value(reverse),
        "exercises.reverse_vs_forward": order(reverse, forward),
        "exercises.ruled_out": _names_where(p, q),
        "exercises.reverse_ruled_out": _names_where(q, p),
    }


def _message(data: LectureData) -> dict[str, Fact]:
    p, q, n = data.forest.p, data.forest.q, data.exercises.message_length
    return {
        "exercises.message_length": Value(n, kind="integer"),
        "exercises.message_bits_p": Value(n * entropy(p, base=2), digits=1),
        "exercises.message_bits_q": Value(n * cross_entropy(p, q, base=2), digits=1),
        "exercises.message_extra_bits": Value(n * kl_divergence(p, q, base=2), digits=1),
    }


def _closer(data: LectureData) -> dict[str, Fact]:
    p, q, k = data.forest.p, data.forest.q, data.exercises.closer_factor
    closer = closer_model(p, q, k)
    kl_closer, kl_q = kl_divergence(p, closer, base=2), kl_divergence(p, q, base=2)
    shown, rounded = _shown_rounded(closer)
    return {
        "exercises.closer_factor": Value(k, kind="written"),
        "exercises.closer_factor_squared": Value(k * k, kind="written"),
        "exercises.closer_model": shown,
        "exercises.closer_rounded": rounded,
        "exercises.closer_kl_bits": Value(kl_closer),
        "exercises.closer_shrink": Value(kl_q / kl_closer if kl_closer > 0 else math.inf, digits=1),
        "exercises.closer_unseen": [x for x in p if p[x] == 0 < q[x]],
    }


def _zero(data: LectureData) -> dict[str, Fact]:
    p, q = data.forest.p, data.forest.q
    rarest = rarest_outcome(p)
    q0 = without_outcome(q, rarest)
    shown, rounded = _shown_rounded(q0)
    return {
        "exercises.zero_name": rarest,
        "exercises.zero_rarest_p": Value(p[rarest], kind="probability"),
        "exercises.zero_is_q": q[rarest] == 0,
        "exercises.zero_model": shown,
        "exercises.zero_rounded": rounded,
        "exercises.zero_kl_pq_bits": Value(kl_divergence(p, q0, base=2)),
        "exercises.zero_kl_qp_bits": Value(kl_divergence(q0, p, base=2)),
        "exercises.zero_reverse_ruled_out": [
            {"name": x, "q": Value(round(q0[x], 3), kind="probability")}
            for x in _names_where(q0, p)
        ],
    }


def _gaussians(data: LectureData) -> dict[str, Fact]:
    c = data.curves
    out: dict[str, Fact] = {
        f"exercises.{name}_{field}": as_written(getattr(getattr(c, name), field))
        for name in ("p", "poor", "good")
        for field in ("mean", "sd")
    }
    forward = kl_normal(c.p.mean, c.p.sd, c.poor.mean, c.poor.sd)
    reverse = kl_normal(c.poor.mean, c.poor.sd, c.p.mean, c.p.sd)
    out |= {
        "exercises.kl_p_poor_nats": Value(forward),
        "exercises.kl_poor_p_nats": Value(reverse),
        "exercises.kl_p_poor_bits": Value(forward / math.log(2)),
        "exercises.poor_reverse_vs_forward": order(reverse, forward),
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
