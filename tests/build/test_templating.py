"""Pages as Jinja templates: numbers formatted, names kept as text, errors that say where."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import markdown
import pytest

import kl.build.templating
from kl.build.templating import (
    TemplateError,
    compile_template,
    compiled_by,
    environment,
    figures_named,
    render,
)
from kl.lecture.tables import Label, Table
from kl.lecture.values import Number
from tests.sitebuild import ROOT

INCLUDES = ROOT / "docs" / "includes"
FACTS = {
    "forest": {
        "kl_pq_bits": Number(0.0333090, digits=4),
        "p_first": Number(0.6, kind="written"),
        "rarest": "Deer",
        "names": ["Squirrel", "Rabbit", "Deer"],
        "q_is_p": False,
        "infinite": Number(math.inf),
    }
}


def page(text: str, **facts: object) -> str:
    return render(environment(INCLUDES), text, where="x.md", facts={**FACTS, **facts})


def test_numbers_show_their_default_format_or_the_decimals_asked_for() -> None:
    text = "{{ forest.kl_pq_bits }} / {{ forest.kl_pq_bits | decimals(6) }} / {{ forest.p_first }}"
    assert page(text) == "0.0333 / 0.033309 / 0.6"
    assert page("{{ forest.infinite }} {{ n }} {{ 0.5 | percent }}", n=1234) == "∞ 1,234 50%"


def test_wording_follows_the_facts() -> None:
    text = "{% if forest.q_is_p %}same{% else %}differs{% endif %}{{ ' here' if forest.q_is_p }}"
    assert page(text) == "differs"
    assert page("{{ words.the(forest.names) }}") == "the Squirrel, the Rabbit and the Deer"
    assert page("{{ words.list(forest.names[:2], 'or') }}") == "Squirrel or Rabbit"
    assert page("{{ words.count(3) }} {{ words.count(12) }}") == "three 12"
    assert page(
        "{{ words.plural(1, 'step', 'steps') }} {{ words.plural(2, 'step', 'steps') }}"
    ) == ("step steps")


HOSTILE = "<script>alert(1)</script> R&D <b>x</b> *y* _z_ [l](u) | $x^2$ {{ w }} `c` \\"


def test_a_name_is_text_in_html_markdown_tables_and_math() -> None:
    out = page("A {{ name }} here.", name=HOSTILE)
    rendered = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html"]).convert(out)
    assert "<script" not in rendered and "<b>" not in rendered and "<em>" not in rendered
    assert "<a " not in rendered and "<code>" not in rendered
    assert html.unescape(rendered) == f"<p>A {HOSTILE} here.</p>"
    table = Table(headers=["Animal"], rows=[[HOSTILE]]).to_markdown()
    cells = markdown.Markdown(extensions=["tables"]).convert(table)
    assert cells.count("<td") == 1 and html.unescape(cells).count(HOSTILE) == 1


@pytest.mark.parametrize("name", ["- Fox", "12. Owl", "1) Bat", "# Elk", "+ Cat", "> Ant"])
def test_a_name_that_starts_a_line_starts_no_list_heading_or_quote(name: str) -> None:
    out = page("Seen:\n{{ name }} twice.", name=name)
    assert html.unescape(markdown.markdown(out)) == f"<p>Seen:\n{name} twice.</p>"


@pytest.mark.parametrize("text", ["0", "1.5", "−2", "10 × 10⁻⁶"])
def test_a_number_written_as_text_is_left_as_it_is(text: str) -> None:
    assert page("{{ x }}", x=text) == text


def test_comments_and_attribute_lists_do_not_collide() -> None:
    assert page("$$x$$ {#eq-x}{## an author's note ##}") == "$$x$$ {#eq-x}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a\n{{ forest.kl_pq_bitz }}",
            "x.md:2: unknown name 'kl_pq_bitz' (did you mean 'kl_pq_bits'?)",
        ),
        ("a\nb\n{{ forrest.rarest }}", "x.md:3: unknown name 'forrest' (did you mean 'forest'?)"),
        ("{% if forest.q_is_p %}", "x.md:1: Unexpected end of template"),
        ("{{ forest.q_is_p }}", "x.md:1: False cannot be shown"),
        ("\n{{ forest.names }}", "x.md:2: a list cannot be shown"),
        (
            "{{ table('forest-workd') }}",
            "unknown table 'forest-workd' (did you mean 'forest-worked'?)",
        ),
    ],
)
def test_mistakes_name_the_page_and_line(text: str, message: str) -> None:
    tables = {"forest-worked": Table(headers=["a"], rows=[["1"]])}
    with pytest.raises(TemplateError) as caught:
        render(environment(INCLUDES), text, where="x.md", facts=FACTS, tables=tables)
    assert message in str(caught.value)


# A table as a section makes it: its headers and labels are keys, the page gives the words.
WORDED = Table(
    headers=[Label("animal"), "p(x)"],
    rows=[
        ["Deer", "0.1"],
        [Label("ruled_out", {"animal": "R&D <b>"}), "0"],
        [Label("total", bold=True), "1"],
    ],
    optional=["between"],
)
RULED_OUT = "{% macro ruled_out(animal) %}Q rules\n out {{ animal }}{% endmacro -%}\n"
WORDS = 'animal="Animal", ruled_out=ruled_out, total="Total (bits)", between="in between"'


def worded_page(call: str) -> str:
    return render(
        environment(INCLUDES), call, where="x.md", facts=FACTS, tables={"forest-worked": WORDED}
    )


def test_a_tables_words_come_from_the_page_that_places_it() -> None:
    out = worded_page(RULED_OUT + "{{ table('forest-worked', " + WORDS + ") }}")
    cells = markdown.Markdown(extensions=["tables"]).convert(out)
    text = html.unescape(re.sub(r' style="[^"]*"', "", cells))
    assert "<th>Animal</th>" in text and "<strong>Total (bits)</strong>" in text
    assert text.count("<td>Q rules out R&D <b></td>") == 1
    assert "<b>" not in cells  # the name from the data stays text
    csv_text = WORDED.worded(
        {"animal": "Animal", "ruled_out": lambda animal: f"Q rules out {animal}", "total": "T"}
    ).to_csv()
    assert csv_text.splitlines() == ["Animal,p(x)", "Deer,0.1", "Q rules out R&D <b>,0", "**T**,1"]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            'animal="Animal", ruled_out=ruled_out, between="in between"',
            "x.md:3: table 'forest-worked' has no words for 'total'",
        ),
        (
            'animal="Animal", ruled_out=ruled_out, total="T"',
            "x.md:3: table 'forest-worked' has no words for 'between'",
        ),
        (
            WORDS + ', totl="T"',
            "x.md:3: table 'forest-worked': unknown label 'totl' (did you mean 'total'?)",
        ),
        (
            'animal="Animal", ruled_out="Q rules out", total="T", between="b"',
            "x.md:3: table 'forest-worked': the words for 'ruled_out' say something of animal: "
            "give a macro taking animal",
        ),
        (
            'animal=1, ruled_out=ruled_out, total="T", between="b"',
            "x.md:3: table 'forest-worked': the words for 'animal' must be text, not 1",
        ),
        (
            'animal="A", ruled_out=words.plural, total="T", between="b"',
            "x.md:3: table 'forest-worked': the words for 'ruled_out': macro 'plural' takes no "
            "keyword argument 'animal'",
        ),
    ],
)
def test_a_tables_missing_unknown_or_unfitting_word_is_one_line_naming_page_table_and_key(
    words: str, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        worded_page(RULED_OUT + "{{ table('forest-worked', " + words + ") }}")
    assert str(caught.value) == message


def test_tables_and_figures_render_only_where_given() -> None:
    env = environment(INCLUDES)
    tables = {"t": Table(headers=["a"], rows=[["1"]])}
    out = render(
        env,
        '{{ table("t") }}{{ figure("f") }}',
        where="x.md",
        facts=FACTS,
        tables=tables,
        figure=lambda fid: f"<figure id={fid}>",
        figure_ids=["f"],
    )
    assert "| a |" in out and "<figure id=f>" in out
    with pytest.raises(TemplateError, match="unknown name 'figure'"):
        render(env, '{{ figure("f") }}', where="caption", facts=FACTS)
    assert figures_named('{{ figure("hero") }} x {{ figure( "simplex" ) }}') == ["hero", "simplex"]


def test_the_readmes_example_of_data_dependent_wording_renders() -> None:
    """The README shows authors how to write a sentence that follows the data: it works."""
    from kl.lecture.data import load_lecture_data
    from kl.lecture.sections import lecture_values
    from kl.lecture.values import nest

    readme = (INCLUDES.parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("the page says each case", 1)[1].split("```text\n", 1)[1]
    example = example.split("```", 1)[0]
    data = load_lecture_data(INCLUDES.parent.parent / "tests" / "data" / "frozen.toml")
    out = render(environment(INCLUDES), example, where="README", facts=nest(lecture_values(data)))
    assert out.startswith("For the forest, D(P‖Q) = 0.033309 bits.")


# A page whose sections share names: a macro and a variable set in the first, used later;
# an {% if %} spanning a heading, and whitespace control reaching across another.
SECTIONED = """{% macro twice(x) -%}{{ x }}{{ x }}{%- endmacro %}
{% set rarest = forest.rarest -%}
# A page

Intro {{ twice("a") }}.

## One

{% if forest.q_is_p %}
Same.

## Hidden
{% else %}
Different: {{ rarest }}.

## Shown
{% endif %}

## Two {{ twice(forest.rarest) }}

{% set rarest = "Owl" -%}
Now {{ rarest }}.
{%- if true -%}

## Three (glued)
{%- endif %}

## Four

{{ rarest }} {{ forest.p_first }}
"""


def test_a_page_is_cut_at_its_headings_outside_blocks() -> None:
    sections = kl.build.templating._sections(SECTIONED)
    assert "".join(sections) == SECTIONED
    firsts = [s.splitlines()[0] for s in sections]
    assert firsts == [firsts[0], "## One", "## Two {{ twice(forest.rarest) }}", "## Four"]


def test_a_page_cut_into_sections_renders_as_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    sections = kl.build.templating._sections(SECTIONED)
    cut = kl.build.templating._render_sections(  # as `render` does, without its fallback
        environment(INCLUDES), sections, where="x.md", context=FACTS
    )
    assert page(SECTIONED) == cut
    assert "Different: Deer." in cut and "## Two DeerDeer" in cut and "Owl 0.6" in cut
    monkeypatch.setattr(kl.build.templating, "_sections", lambda text: [text])
    assert page(SECTIONED) == cut


def test_a_mistake_in_a_later_section_names_its_line_in_the_page() -> None:
    text = "# A page\n\nIntro.\n\n## One\n\nText.\n\n## Two\n\n{{ forest.rarets }}\n"
    with pytest.raises(TemplateError) as caught:
        page(text)
    assert "x.md:11: unknown name 'rarets' (did you mean 'rarest'?)" in str(caught.value)


@pytest.mark.parametrize("statement", ["{% raw %}x{% endraw %}", '{% import "w.jinja" as w %}'])
def test_a_page_with_a_statement_of_the_whole_template_is_not_cut(statement: str) -> None:
    text = f"# A\n\n{statement}\n\n## B\n\nText.\n"
    assert kl.build.templating._sections(text) == [text]


@pytest.mark.parametrize(
    "text", [SECTIONED, "One template: {{ forest.rarest }}.", "{% raw %}{{ x }}{% endraw %}"]
)
def test_a_template_compiled_beforehand_renders_without_compiling(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_template(environment(INCLUDES, tmp_path), text, where="x.md")
    expected = page(text)

    def must_not_run(*_: object, **__: object) -> None:
        raise AssertionError("compiled again")

    env = environment(INCLUDES, tmp_path)
    monkeypatch.setattr(env, "compile", must_not_run)
    assert render(env, text, where="x.md", facts=FACTS) == expected


def test_a_mistake_compiled_beforehand_is_left_for_the_render_to_report(tmp_path: Path) -> None:
    text = "# A page\n\nIntro.\n\n## One\n\n{% if x %}never closed\n"
    env = environment(INCLUDES, tmp_path)
    compile_template(env, text, where="x.md")  # says nothing
    with pytest.raises(TemplateError, match=r"x\.md:7: Unexpected end of template"):
        render(env, text, where="x.md", facts=FACTS)


def test_environments_that_compile_alike_share_a_digest_and_others_do_not() -> None:
    import jinja2

    plain = compiled_by(jinja2.Environment())
    assert compiled_by(jinja2.Environment()) == plain
    assert compiled_by(jinja2.Environment(loader=jinja2.DictLoader({}))) == plain
    others = [
        jinja2.Environment(extensions=["jinja2.ext.i18n"]),
        jinja2.Environment(autoescape=True),
        jinja2.Environment(trim_blocks=True),
        jinja2.Environment(comment_start_string="{##", comment_end_string="##}"),
        jinja2.Environment(finalize=str),
    ]
    for passed in (lambda x: x, jinja2.pass_context(lambda context, x: x)):
        others.append(jinja2.Environment())
        others[-1].filters["shown"] = passed  # a filter's call is compiled by what it is passed
    digests = {compiled_by(env) for env in others}
    assert len(digests) == len(others) and plain not in digests


def test_templates_compiled_by_name_bring_those_they_name(
    tmp_path: Path, compiled_templates: list[str | None]
) -> None:
    import jinja2

    from kl.build.templating import bytecode_cache, compile_named

    templates = {
        "page.html": '{% extends "base.html" %}{% block body %}{% include name %}{% endblock %}',
        "base.html": '{% import "macros.html" as m %}{% block body %}{% endblock %}'
        '{% include "gone.html" ignore missing %}',
        "macros.html": "{% macro shout(x) %}{{ x | upper }}{% endmacro %}",
        "broken.html": "{% if %}",
        "other.html": "never named",
    }

    def made() -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.DictLoader(templates))
        env.bytecode_cache = bytecode_cache(tmp_path)
        return env

    compile_named(made(), ["page.html", "broken.html"])  # a broken one is skipped
    compiled_templates.clear()
    env = made()
    for name in ("page.html", "base.html", "macros.html"):
        env.get_template(name)
    assert compiled_templates == []
    env.get_template("other.html")
    assert compiled_templates == ["other.html"]
