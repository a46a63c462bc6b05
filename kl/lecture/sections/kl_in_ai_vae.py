"""The VAE's KL term (SPEC section 10): KL(q(z|x) || p(z)) with the prior p(z) = N(0, I).

The encoder's distribution q(z|x) = N(mu, diag(sigma^2)) comes first, the prior second.
As worked examples, the infographic's two approximations (the "good" and "poor" curves
of the data file) stand in for what an encoder might output for one input, one latent
dimension each; together they make a two-dimensional q(z|x).
"""

from __future__ import annotations

from kl.lecture.data import LectureData, Normal
from kl.lecture.formatting import format_number
from kl.lecture.sections.continuous import as_written
from kl.lecture.tables import Cell, Label, Table, bold
from kl.lecture.values import Fact, Value
from kl.measures.gaussian import kl_to_standard_normal

EXAMPLES = ("good", "poor")


def examples(data: LectureData) -> list[tuple[str, Normal]]:
    """The example encoder outputs: (curve name, N(mu, sigma^2)) for each latent dimension."""
    return [(name, getattr(data.curves, name)) for name in EXAMPLES]


def term_nats(normal: Normal) -> float:
    """One dimension's KL term, KL(N(mu, sigma^2) || N(0, 1)), in nats."""
    return kl_to_standard_normal(normal.mean, normal.sd)


def total_nats(data: LectureData) -> float:
    """The KL term of the two-dimensional example: the sum over its dimensions, in nats."""
    pairs = examples(data)
    return kl_to_standard_normal([n.mean for _, n in pairs], [n.sd for _, n in pairs])


def values(data: LectureData) -> dict[str, Fact]:
    out: dict[str, Fact] = {
        f"kl_in_ai_vae.{name}_kl_nats": Value(term_nats(n), digits=3) for name, n in examples(data)
    }
    out["kl_in_ai_vae.two_dim_kl_nats"] = Value(total_nats(data), digits=3)
    return out


def vae_table(data: LectureData) -> Table:
    """Each example dimension's mu, sigma and KL term, then the total over both."""
    rows: list[list[Cell]] = [
        [
            Label("dimension", {"index": i, "curve": name}),
            as_written(n.mean),
            as_written(n.sd),
            format_number(term_nats(n), 4),
        ]
        for i, (name, n) in enumerate(examples(data), 1)
    ]
    total = bold(format_number(total_nats(data), 4))
    rows.append([Label("total", bold=True), "", "", total])
    return Table(headers=[Label("latent"), "μ", "σ", Label("kl_nats")], rows=rows)


def tables(data: LectureData) -> dict[str, Table]:
    return {"vae": vae_table(data)}
