"""A Python-Markdown extension: the exercises' answers, gathered after the page's content.

On screen each answer stays folded under its exercise. For print, this copies every
answer of the rendered page (`kl.build.exercise_answers.collect_answers`) into an appendix after
the page's content, written by the template given as option ``template`` (a Jinja file,
``docs/includes/answers.html``, that receives ``answers``); print shows the appendix and
leaves out the folded originals, which it marks. Being an extension, it runs in whatever
engine renders the pages' Markdown (MkDocs, Zensical, `kl.site.tree`'s own pass).

A template that cannot be read or rendered raises `kl.TemplateError` naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from kl.build.exercise_answers import collect_answers
from kl.build.templating import TemplateError

# After the raw HTML (formulas, figures) is back in the page (priority 30).
PRIORITY = 5


class AnswersPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, template: Path) -> None:
        super().__init__(md)
        self.template = template
        self._compiled: jinja2.Template | None = None

    def _appendix(self) -> jinja2.Template:
        if self._compiled is None:
            try:
                text = self.template.read_text(encoding="utf-8")
                env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
                self._compiled = env.from_string(text)
            except OSError as exc:
                raise TemplateError(f"{self.template}: cannot read ({exc.strerror})") from None
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"{self.template}:{exc.lineno}: {exc.message}") from None
        return self._compiled

    def run(self, text: str) -> str:
        marked, answers = collect_answers(text)
        if not answers:
            return text
        try:
            appendix = self._appendix().render(answers=answers)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.template}: {exc}") from None
        return f"{marked}\n{appendix.strip()}"


class AnswersExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"template": ["", "The Jinja file that writes the answers appendix"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        template = Path(str(self.getConfig("template")))
        md.postprocessors.register(AnswersPostprocessor(md, template), "kl-answers", PRIORITY)


def makeExtension(**kwargs: Any) -> AnswersExtension:  # noqa: N802
    return AnswersExtension(**kwargs)
