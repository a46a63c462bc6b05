"""Render pages, captions and alt texts, written as Jinja2 templates, with the lecture's facts.

A page quotes what `kl` computed and says, in its own words, what it means:

    {{ forest_example.kl_pq_bits | decimals(6) }}  a number with 6 decimals (default: as computed)
    {{ table("forest-worked", animal="Animal") }}  a computed table, with the page's words
                                              for its headers and labels (by their keys)
    {{ figure("hero") }}                      a figure with its caption and downloads
    {% if forest_example.q_is_p %}...{% else %}...{% endif %}    wording that depends on the data

The delimiters are Jinja's, except comments, which are ``{## ... ##}`` so that Markdown
attribute lists such as ``{#eq-entropy}`` keep their meaning. The macros in
``docs/includes/words.jinja`` (lists of names, counts in words, plurals) are available to
every template under the name ``words``, and so is every other ``*.jinja`` file there, by
its name (``checks.jinja``, the exercises' answer checkers, as ``checks``).

Every value that is not markup made by `kl` (a table, a figure, a formatted number) is
shown as text: an animal called ``<b>*x*</b> | $y$`` prints those characters, and is never
read as HTML, Markdown, a table cell border or a formula (`as_text`).

A mistake in a template (an unknown name, a bad expression, an unclosed block) raises
`TemplateError` naming the page, the line and, where one is close, the name that was meant.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import math
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from numbers import Real
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from kl.build.cache import versions
from kl.errors import KLError
from kl.lecture.answer_checks import checked
from kl.lecture.formatting import format_small
from kl.lecture.tables import Table, WordsError, as_text
from kl.lecture.values import Number, shown

MACRO_FILES = "*.jinja"


class TemplateError(KLError, ValueError):
    """A page, caption or alt text cannot be rendered: the message names where and why."""


class UnknownNameError(TemplateError):
    """A template asked for a name the facts do not have."""

    def __init__(self, name: str, known: Iterable[str] | None) -> None:
        super().__init__(name)
        self.name, self.known = name, known

    def __str__(self) -> str:
        return _unknown("name", self.name, list(self.known or ()))


class _Undefined(jinja2.StrictUndefined):
    """Strict: an unknown name raises `UnknownNameError`, with the names it could have been."""

    def _fail_with_undefined_error(self, *args: object, **kwargs: object) -> Any:
        owner = self._undefined_obj
        known = [str(k) for k in owner] if isinstance(owner, Mapping) else None
        raise UnknownNameError(str(self._undefined_name), known)

    __str__ = __html__ = _fail_with_undefined_error
    __iter__ = __len__ = __bool__ = _fail_with_undefined_error


def _finalize(value: object) -> object:
    """What ``{{ ... }}`` prints: markup as it is, numbers formatted, anything else as text.

    ``{{ "x" if condition }}`` with no else prints nothing when the condition is false
    (Jinja gives its plain `jinja2.Undefined` there); any other unknown name is an error.
    """
    if type(value) is jinja2.Undefined:
        return Markup("")
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises UnknownNameError
    if isinstance(value, bool) or value is None:
        raise TemplateError(f"{value!r} cannot be shown on a page (use it in an {{% if %}})")
    if hasattr(value, "__html__"):
        return value
    if isinstance(value, Real):
        return Markup(shown(float(value)) if not isinstance(value, int) else f"{value:,}")
    if isinstance(value, str):
        return as_text(value)
    raise TemplateError(f"a {type(value).__name__} cannot be shown on a page (loop over it)")


def _decimals(value: float, digits: int) -> Markup:
    """``{{ x | decimals(6) }}``: a number with that many decimals (a percentage stays one)."""
    if isinstance(value, Number):
        return Markup(value.text(digits))
    return Markup(shown(float(value), digits))


def _written(value: float) -> Markup:
    """``{{ x | written }}``: a number as a person writes it, 0.6 rather than 0.6000."""
    return Markup(Number(value, kind="written").text())


def _small(value: float, digits: int = 4) -> Markup:
    """``{{ x | small }}``: ``digits`` decimals, or 1.5 × 10⁻⁹ where they would read 0.0000."""
    return Markup(format_small(float(value), digits))


def _percent(value: float, digits: int = 0) -> Markup:
    """``{{ x | percent(1) }}``: a fraction as a percentage, 0.0312 -> 3.1%."""
    return Markup(Number(value, kind="percent").text(digits))


def _is_infinite(value: float) -> bool:
    return math.isinf(float(value))


def environment(includes: Path | None = None, compiled: Path | None = None) -> jinja2.Environment:
    """The Jinja environment pages are rendered in; ``includes`` holds the macro files
    (``words.jinja``, ...), each a global named after its file. One environment serves
    every page and caption while the macro files stay as they are. With ``compiled`` (a
    folder), each template's compiled code is kept there by Jinja's bytecode cache, keyed
    by the template's text, so a build compiles only the templates that changed (a folder
    that cannot be written is left alone)."""
    macros = sorted(includes.glob(MACRO_FILES)) if includes is not None else []
    sources = tuple((m, m.read_text(encoding="utf-8")) for m in macros)
    return _environment(includes, sources, compiled)


@functools.lru_cache(maxsize=4)
def _environment(
    includes: Path | None, macro_files: tuple[tuple[Path, str], ...], compiled: Path | None
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(includes)) if includes else None,
        comment_start_string="{##",
        comment_end_string="##}",
        autoescape=True,
        finalize=_finalize,
        undefined=_Undefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.loopcontrols"],
        bytecode_cache=bytecode_cache(compiled),
    )
    env.filters.update(
        decimals=_decimals, written=_written, percent=_percent, small=_small, checked=checked
    )
    env.tests["infinite"] = _is_infinite
    for path, text in macro_files:
        env.globals[path.stem] = _macro_module(env, path, text)
    return env


def _macro_module(env: jinja2.Environment, path: Path, text: str) -> Any:
    """The macros of the template file ``path`` (holding ``text``), as a module
    (``words.list``, ...)."""
    where = str(path)
    template = _compile(env, text, where=where)
    return _render(lambda: template.module, where=where)


# The settings of an environment that shape the code it compiles a template to.
_SHAPING = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
    "autoescape",
    "finalize",
    "newstyle_gettext",  # the i18n extension's
)


def compiled_by(env: jinja2.Environment) -> str:
    """A digest of what shapes the code ``env`` compiles templates to: Jinja's version;
    the environment's syntax, whitespace and escaping settings; its extensions; and the
    names of its filters and tests, with what each is passed (a function counts by its
    name)."""

    def described(value: object) -> str:
        return getattr(value, "__qualname__", "?") if callable(value) else repr(value)

    shaping = [versions(("jinja2",)), *sorted(env.extensions)]
    shaping += [f"{name}={described(getattr(env, name, None))}" for name in _SHAPING]
    for kind, functions in (("filter", env.filters), ("test", env.tests)):
        passed = ((name, getattr(f, "jinja_pass_arg", None)) for name, f in functions.items())
        shaping += [f"{kind} {name} {arg}" for name, arg in sorted(passed, key=str)]
    return hashlib.sha256("\n".join(shaping).encode()).hexdigest()[:16]


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, each kept by its name and file and
    checked against its source, as Jinja keeps them, and also by what shapes the code of
    the environment that asks (`compiled_by`): an environment with other settings,
    extensions or filters never gets another's code."""

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        shaped = f"{compiled_by(environment)}:{name}"
        return super().get_bucket(environment, shaped, filename, source)


def bytecode_cache(folder: Path | None) -> CompiledTemplates | None:
    """`CompiledTemplates` in ``folder``; None without a folder that can be written."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder))


def _compile(
    env: jinja2.Environment, text: str, *, where: str, part: str | None = None
) -> jinja2.Template:
    """``text`` compiled (or its code from the bytecode cache); ``part`` names a part of
    the template ``where`` (its code is kept apart from the other parts')."""
    cache = env.bytecode_cache
    name = where if part is None else f"{where}#{part}"
    bucket = cache.get_bucket(env, name, where, text) if cache is not None else None
    code = bucket.code if bucket is not None else None
    if code is None:
        try:
            code = env.compile(text, name=where, filename=where)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{where}:{exc.lineno}: {exc.message}") from None
        if cache is not None and bucket is not None:
            bucket.code = code
            with contextlib.suppress(OSError):  # a cache that cannot be written
                cache.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def compile_named(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile the templates ``names`` of ``env``'s loader, and each template they name as
    a constant (``include``, ``import``, ``extends``), into its bytecode cache. One that
    cannot be loaded or compiled is skipped: rendering it will say why."""
    loader, todo, seen = env.loader, list(names), set()
    while todo and loader is not None:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)  # compiles it into the cache
            source = loader.get_source(env, name)[0]
            named = jinja2.meta.find_referenced_templates(env.parse(source))
            todo += [n for n in named if n is not None]


def _line_of(exc: BaseException, where: str) -> str:
    """``where:LINE`` of the template line that raised ``exc`` (Jinja maps its frames)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == where]
    return f"{where}:{lines[-1]}" if lines else where


def _render(make: Callable[[], Any], *, where: str) -> Any:
    try:
        return make()
    except TemplateError as exc:
        raise TemplateError(f"{_line_of(exc, where)}: {exc}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_line_of(exc, where)}: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateError(f"{_line_of(exc, where)}: {type(exc).__name__}: {exc}") from None


def render(
    env: jinja2.Environment,
    text: str,
    *,
    where: str,
    facts: Mapping[str, object],
    tables: Mapping[str, Table] | None = None,
    figure: Callable[[str], str] | None = None,
    figure_ids: Iterable[str] = (),
) -> str:
    """Render one template; ``where`` names it in error messages.

    ``facts`` are the lecture's namespaces (``forest``, ``coding``, ...). ``table(name)``
    and ``figure(id)`` are available only when ``tables`` and ``figure`` are given
    (captions and alt texts quote facts only).
    """
    context: dict[str, object] = dict(facts)
    known_figures = sorted(figure_ids)
    if tables is not None:

        def table(name: str, /, **words: object) -> Markup:
            if name not in tables:
                raise TemplateError(_unknown("table", name, list(tables)))
            return Markup("\n" + _worded(name, tables[name], words).to_markdown() + "\n")

        context["table"] = table
    if figure is not None:
        draw = figure

        def figure_markup(fig_id: str) -> Markup:
            if fig_id not in known_figures:
                raise TemplateError(_unknown("figure", fig_id, known_figures))
            return Markup(draw(fig_id))

        context["figure"] = figure_markup
    sections = _sections(text)
    if len(sections) > 1:
        with contextlib.suppress(Exception):  # any mistake is reported as the whole page's
            return _render_sections(env, sections, where=where, context=context)
    template = _compile(env, text, where=where)

    def rendered() -> str:
        try:
            return template.render(context)
        except UnknownNameError as exc:
            if exc.known is None:
                exc.known = [*context, *env.globals]
            raise

    return str(_render(rendered, where=where))


# A Markdown heading that follows a blank line: where a page may be cut into sections.
HEADING = re.compile(r"(?<=\n\n)#{1,6} ")
# A comment, or a statement with its name and arguments.
STATEMENT = re.compile(r"\{##.*?##\}|\{%-?\s*(\w+)(.*?)-?%\}", re.S)
OPENING = {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans"}
# Statements whose meaning depends on the whole template: a page with one is not cut.
WHOLE = {"raw", "import", "from", "include", "extends"}
STRIPPING = ("-%}", "-}}", "-##}")  # an end that strips the whitespace after it


def _sections(text: str) -> list[str]:
    """``text`` cut before each heading that follows a blank line outside every block
    (``{% if %}``, ``{% macro %}``, ...), where no whitespace control reaches across:
    sections that render, one after the other, as the whole does, each compiled on its
    own, so that a prose edit compiles the section edited only."""
    cuts, depth = [0], 0
    statements = STATEMENT.finditer(text)
    statement = next(statements, None)
    for heading in HEADING.finditer(text):
        at = heading.start()
        while statement is not None and statement.end() <= at:
            name, arguments = statement.group(1), statement.group(2) or ""
            if name in WHOLE:
                return [text]
            if name in OPENING or (name == "set" and "=" not in arguments):
                depth += 1
            elif name is not None and name.startswith("end"):
                depth -= 1
            statement = next(statements, None)
        inside = statement is not None and statement.start() < at
        if depth == 0 and not inside and not text[:at].rstrip().endswith(STRIPPING):
            cuts.append(at)
    if any(m.group(1) in WHOLE for m in STATEMENT.finditer(text, cuts[-1])):
        return [text]
    return [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


def _render_sections(
    env: jinja2.Environment, sections: list[str], *, where: str, context: Mapping[str, object]
) -> str:
    """The sections of one template rendered in turn, each seeing the names the ones
    before it set or defined at their top level (``{% set %}``, ``{% macro %}``)."""
    names = dict(context)
    rendered = []
    for section in sections:
        module = _compile(env, section, where=where, part=_part(section)).make_module(names)
        rendered.append(str(module))
        names.update({k: v for k, v in vars(module).items() if k not in MODULE_ATTRIBUTES})
    return "".join(rendered)


def _part(section: str) -> str:
    """The name a section's code is kept under, beside its template's name."""
    return hashlib.sha256(section.encode()).hexdigest()[:16]


def compile_template(env: jinja2.Environment, text: str, *, where: str) -> None:
    """Compile ``text`` as `render` compiles it (a section at a time where it can be cut)
    into ``env``'s bytecode cache, so that rendering it compiles nothing. A template with
    a mistake is left for `render` to report."""
    sections = _sections(text)
    with contextlib.suppress(TemplateError):
        if len(sections) > 1:
            for section in sections:
                _compile(env, section, where=where, part=_part(section))
            return
    with contextlib.suppress(TemplateError):
        _compile(env, text, where=where)  # what `render` falls back to


MODULE_ATTRIBUTES = {"_body_stream", "__name__"}  # a template module's own, not the page's


def _worded(name: str, table: Table, words: Mapping[str, object]) -> Table:
    """``table`` (called ``name``) with the page's ``words`` for its labels (`Table.worded`):
    raises TemplateError naming the table and the key for a label without words, words for
    no label, or words that do not fit their label."""
    keys = table.label_keys()
    unknown = [key for key in words if key not in keys]
    if unknown:
        raise TemplateError(f"table {name!r}: " + _unknown("label", unknown[0], keys))
    missing = [key for key in keys if key not in words]
    if missing:
        raise TemplateError(f"table {name!r} has no words for {', '.join(map(repr, missing))}")
    try:
        return table.worded(words)
    except WordsError as exc:
        raise TemplateError(f"table {name!r}: {exc}") from None


def _unknown(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {name!r}{hint}"


FIGURE_CALL = re.compile(r"""\{\{\s*figure\(\s*["']([\w-]+)["']\s*\)\s*\}\}""")


def figures_named(text: str) -> list[str]:
    """The figure ids a page shows, in order (``{{ figure("id") }}``)."""
    return FIGURE_CALL.findall(text)
