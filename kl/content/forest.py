"""The forest example (SPEC sections 1, 3, 5-7): P, Q and their measures.

Where the data make a divergence infinite (a zero in Q where P is positive, or the other
way round), the ``*_why`` values say why, naming the outcomes, for the page to put next
to the ∞ it shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from kl.coding import ruled_out
from kl.data import LectureData
from kl.formatting import format_number, format_probability
from kl.measures import cross_entropy, entropy, kl_divergence, kl_terms
from kl.tables import Table, bold
from kl.values import Fact, Value, text_value


def join_names(names: Sequence[str]) -> str:
    """Names as a reader writes them: "A", "A and B", "A, B and C"; "" for none."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def zero_reason(
    truth: Mapping[str, float],
    model: Mapping[str, float],
    names: tuple[str, str] = ("P", "Q"),
    shown: Callable[[float], str] = format_probability,
) -> str:
    """Why KL(truth||model) is infinite, e.g. "Q gives the Deer probability 0, but P gives
    it 0.1"; "" when it is finite. ``names`` are what the page calls truth and model,
    ``shown`` formats truth's probabilities."""
    zeros = ruled_out(truth, model)
    if not zeros:
        return ""
    them = "it" if len(zeros) == 1 else "them"
    return (
        f"{names[1]} gives {join_names([f'the {x}' for x in zeros])} probability 0, "
        f"but {names[0]} gives {them} "
        f"{join_names([shown(truth[x]) for x in zeros])}"
    )


def why_infinite(
    truth: Mapping[str, float], model: Mapping[str, float], names: tuple[str, str] = ("P", "Q")
) -> str:
    """`zero_reason` as a parenthesis to put after the ∞ on the page, e.g.
    " (infinite: Q gives the Deer probability 0, but P gives it 0.1)"; "" when finite."""
    reason = zero_reason(truth, model, names)
    return f" (infinite: {reason})" if reason else ""


def worked_note(p: Mapping[str, float], q: Mapping[str, float]) -> str:
    """What the worked table's ∞ and its rows with p = 0 mean, as Markdown; "" if neither."""
    notes = []
    reason = zero_reason(p, q)
    if reason:
        notes.append(
            f"**Why ∞?** {reason}. In that row the ratio $p/q$ divides by zero, and the term "
            r"$p \log_2 (p/0)$ is infinite: Q would be infinitely surprised by every such "
            "sighting. One infinite term makes the whole sum infinite, whatever the other rows "
            "add."
        )
    never = [x for x in p if p[x] == 0]
    if never:
        rows = join_names([f"the {x}" for x in never])
        notes.append(
            f"The row of {rows} adds nothing: P never produces it, and a term with "
            r"$p = 0$ counts 0 ($0 \cdot \log \frac{0}{q} = 0$), whatever Q expects."
        )
    return " ".join(notes)


def values(data: LectureData) -> dict[str, Fact]:
    p, q = data.forest.p, data.forest.q
    out: dict[str, Fact] = {
        "forest.outcomes": text_value(", ".join(data.forest.outcomes)),
        "forest.count_words": text_value(count_words(len(data.forest.outcomes))),
        "forest.ruled_out": text_value(join_names(ruled_out(p, q))),
        "forest.kl_pq_why": text_value(why_infinite(p, q)),
        "forest.kl_qp_why": text_value(why_infinite(q, p, ("Q", "P"))),
        "forest.worked_note": text_value(worked_note(p, q)),
        "forest.pq_alt_listing": text_value(
            " ".join(
                f"{x}: P {format_probability(p[x])}, Q {format_probability(q[x])}."
                for x in data.forest.outcomes
            )
        ),
        "forest.pq_listing": text_value(
            ", ".join(
                f"{x} {format_probability(p[x])} against {format_probability(q[x])}"
                for x in data.forest.outcomes
            )
        ),
        "forest.kl_pq_bits": Value(kl_divergence(p, q, base=2)),
        "forest.kl_pq_nats": Value(kl_divergence(p, q)),
        "forest.kl_qp_bits": Value(kl_divergence(q, p, base=2)),
        "forest.kl_qp_nats": Value(kl_divergence(q, p)),
        "forest.h_p_bits": Value(entropy(p, base=2)),
        "forest.h_q_bits": Value(entropy(q, base=2)),
        "forest.h_pq_bits": Value(cross_entropy(p, q, base=2)),
        "forest.h_qp_bits": Value(cross_entropy(q, p, base=2)),
        "forest.h_p_nats": Value(entropy(p)),
        "forest.h_pq_nats": Value(cross_entropy(p, q)),
    }
    for i, outcome in enumerate(data.forest.outcomes):
        out[f"forest.name.{i}"] = text_value(outcome)
        out[f"forest.p.{i}"] = Value(p[outcome], kind="probability")
        out[f"forest.q.{i}"] = Value(q[outcome], kind="probability")
        out[f"forest.p_percent.{i}"] = Value(p[outcome], kind="percent")
    return out


def count_words(n: int) -> str:
    """A small count as a word ("three"); larger ones as digits."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def worked_table(data: LectureData) -> Table:
    """One row per outcome: p, q, p/q, log2(p/q), p·log2(p/q); then the total in bits and nats."""
    p, q = data.forest.p, data.forest.q
    terms = kl_terms(p, q, base=2)
    rows = []
    for outcome, term in zip(data.forest.outcomes, terms, strict=True):
        px, qx = p[outcome], q[outcome]
        ratio = px / qx if qx > 0 else math.inf
        log_ratio = math.log2(ratio) if px > 0 else -math.inf
        rows.append(
            [
                outcome,
                format_probability(px),
                format_probability(qx),
                format_number(ratio, 4) if px > 0 else "0",
                format_number(log_ratio, 4) if px > 0 else "—",
                format_number(float(term), 4),
            ]
        )
    total_bits = kl_divergence(p, q, base=2)
    total_nats = kl_divergence(p, q)
    rows.append([bold("Total (bits)"), "", "", "", "", bold(format_number(total_bits, 6))])
    rows.append([bold("Total (nats)"), "", "", "", "", bold(format_number(total_nats, 6))])
    return Table(
        headers=["Animal", "p(x)", "q(x)", "p/q", "log₂(p/q)", "p · log₂(p/q)"],
        rows=rows,
    )


def tables(data: LectureData) -> dict[str, Table]:
    return {"forest-worked": worked_table(data)}
