from __future__ import annotations

import pytest

from kl.tables import Table
from kl.templating import TemplateError, expand
from kl.values import Value

VALUES = {"forest.kl_pq_bits": Value(0.0333090), "forest.p.0": Value(0.6, kind="probability")}
TABLES = {"t": Table(headers=["a", "b"], rows=[["1", "2"]])}


def test_values_use_their_default_format_or_the_digits_given() -> None:
    text = "{{ value forest.kl_pq_bits }} / {{ value forest.kl_pq_bits 6 }} / {{value forest.p.0}}"
    assert expand(text, where="x.md", values=VALUES) == "0.0333 / 0.033309 / 0.6"


def test_tables_and_figures_expand() -> None:
    out = expand(
        "{{ table t }}{{ figure f }}",
        where="x.md",
        values=VALUES,
        tables=TABLES,
        figure=lambda fid: f"<fig {fid}>",
        figure_ids=frozenset({"f"}),
    )
    assert "| a | b |" in out and out.endswith("<fig f>")


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            "ok\n{{ value forest.kl_pq_bit }}",
            r"x\.md:2: .*unknown value 'forest\.kl_pq_bit' \(did you mean 'forest\.kl_pq_bits'\?\)",
        ),
        ("{{ value forest.kl_pq_bits six }}", "DIGITS must be a whole number"),
        ("{{ chart hero }}", "starts with one of value, table, figure"),
        ("{{ table t }}", "tables cannot be used here"),
        ("{{ figure f }}", "figures cannot be used here"),
        ("a {{ value forest.p.0", r"x\.md:1: unclosed"),
    ],
)
def test_errors_name_the_page_line_and_problem(text: str, pattern: str) -> None:
    with pytest.raises(TemplateError, match=pattern):
        expand(text, where="x.md", values=VALUES)


def test_braces_inside_code_are_left_alone() -> None:
    assert (
        expand("write `{{ value name }}`", where="x.md", values=VALUES)
        == "write `{{ value name }}`"
    )
