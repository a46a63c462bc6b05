"""The exercises' answers, taken out of a rendered page for an appendix at its end.

A page's exercises sit in the section whose ``<h2>`` has the id ``exercises``: each one
an ``<h3>`` whose id starts with ``exercise-``, its answer the first ``<details>`` of class
``success`` after it (what ``??? success "Answer"`` renders to) before the next heading.
`collect_answers` finds them in the page's HTML and returns a copy of each answer's body,
so the build can print them together as an appendix while the page keeps them folded
under each exercise. It reads HTML as Python-Markdown writes it and never fails: a page
without that section has no answers, and an exercise without an answer block is left out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

EXERCISES_SECTION = "exercises"
EXERCISE_PREFIX = "exercise-"
ANSWER_CLASS = "success"
# Added to each answer block copied into the appendix, so print styles can leave it out.
COPIED_CLASS = "kl-answer"

_HEADING = re.compile(r"h[1-6]")
_TAG = re.compile(r"<[^>]*>")
_SECTION_START = re.compile(rf'<h2\b[^>]*\bid="{EXERCISES_SECTION}"')
_SECTION_END = re.compile(r"<h[12][\s>]")
# A formula is dozens of tags that need no reading: each is set aside while the section
# is scanned, as a placeholder (NUL, its number, NUL), and put back after.
_FORMULA = re.compile(r"<math\b.*?</math>", re.DOTALL)
_PLACEHOLDER = re.compile("\0([0-9]+)\0")


@dataclass(frozen=True)
class Answer:
    """One exercise's answer: the exercise's anchor id, its title as plain text, and the
    answer's body as HTML (without its "Answer" summary, and without ``id`` attributes,
    which the page already uses)."""

    exercise_id: str
    title: str
    body_html: str


@dataclass(frozen=True)
class _Tag:
    kind: str  # "start", "empty" (self-closing) or "end"
    name: str
    attrs: tuple[tuple[str, str | None], ...]
    start: int  # offsets of the tag's own text in the page
    end: int

    def attr(self, name: str) -> str:
        return next((value or "" for key, value in self.attrs if key == name), "")


class _TagScanner(HTMLParser):
    """Every tag of a document, with where its text starts and ends."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=False)
        self._document = document
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", document))]
        self.tags: list[_Tag] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add(self, kind: str, name: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        end = self._document.index(">", start) + 1
        self.tags.append(_Tag(kind, name, tuple(attrs), start, end))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("empty", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag, [])


def _scan(document: str) -> list[_Tag]:
    scanner = _TagScanner(document)
    scanner.feed(document)
    scanner.close()
    return scanner.tags


def _classes(tag: _Tag) -> list[str]:
    return tag.attr("class").split()


def _rebuilt(tag: _Tag, attrs: list[tuple[str, str | None]]) -> str:
    """The start tag ``tag`` written anew with ``attrs``."""
    written = "".join(
        f" {key}" if value is None else f' {key}="{html.escape(value, quote=True)}"'
        for key, value in attrs
    )
    return f"<{tag.name}{written}{' /' if tag.kind == 'empty' else ''}>"


def _splice(document: str, start: int, end: int, edits: list[tuple[_Tag, str]]) -> str:
    """``document[start:end]`` with each tag's text replaced as ``edits`` say."""
    pieces, at = [], start
    for tag, text in edits:
        pieces += [document[at : tag.start], text]
        at = tag.end
    pieces.append(document[at:end])
    return "".join(pieces)


def _without_ids(document: str, tags: list[_Tag], start: int, end: int) -> str:
    """``document[start:end]`` with the ``id`` attribute dropped from every tag in it."""
    edits = [
        (tag, _rebuilt(tag, [(k, v) for k, v in tag.attrs if k != "id"]))
        for tag in tags
        if start <= tag.start < end and tag.kind != "end" and tag.attr("id")
    ]
    return _splice(document, start, end, edits)


def _plain_title(document: str, tags: list[_Tag], heading: int) -> str:
    """The text of the heading that starts at ``tags[heading]``, without its permalink."""
    closing = _closing(tags, heading)
    text = document[tags[heading].end : tags[closing].start]
    for index in range(heading + 1, closing):
        if tags[index].kind == "start" and "headerlink" in _classes(tags[index]):
            link = document[tags[index].start : tags[_closing(tags, index)].end]
            text = text.replace(link, "")
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _closing(tags: list[_Tag], opening: int) -> int:
    """The index of the end tag that closes ``tags[opening]``."""
    depth = 0
    for index in range(opening, len(tags)):
        tag = tags[index]
        if tag.name == tags[opening].name and tag.kind != "empty":
            depth += 1 if tag.kind == "start" else -1
            if depth == 0:
                return index
    return len(tags) - 1


def collect_answers(document: str) -> tuple[str, list[Answer]]:
    """The answers of the exercises in ``document`` (a page's HTML), in page order, and the
    page with class `COPIED_CLASS` added to each answer block they were copied from."""
    found = _SECTION_START.search(document)
    if found is None:
        return document, []
    end = _SECTION_END.search(document, found.end())
    start, stop = found.start(), end.start() if end else len(document)
    formulas: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        formulas.append(match.group(0))
        return f"\0{len(formulas) - 1}\0"

    def put_back(text: str) -> str:
        return _PLACEHOLDER.sub(lambda match: formulas[int(match.group(1))], text)

    marked, answers = _section_answers(_FORMULA.sub(set_aside, document[start:stop]))
    answers = [replace(answer, body_html=put_back(answer.body_html)) for answer in answers]
    return document[:start] + put_back(marked) + document[stop:], answers


def _section_answers(section: str) -> tuple[str, list[Answer]]:
    """`collect_answers` on the exercises section alone (from its ``<h2>`` to the next)."""
    tags = _scan(section)
    answers: list[Answer] = []
    marks: list[tuple[_Tag, str]] = []
    exercise, title = "", ""
    index = 0
    while index < len(tags):
        tag = tags[index]
        if tag.kind == "start" and _HEADING.fullmatch(tag.name):
            exercise = tag.attr("id") if tag.attr("id").startswith(EXERCISE_PREFIX) else ""
            title = _plain_title(section, tags, index) if exercise else ""
        elif exercise and tag.kind == "start" and tag.name == "details":
            closing = _closing(tags, index)
            if ANSWER_CLASS in _classes(tag):
                summary = next(
                    (i for i in range(index + 1, closing) if tags[i].name == "summary"), None
                )
                body_start = tags[_closing(tags, summary)].end if summary is not None else tag.end
                body = _without_ids(section, tags, body_start, tags[closing].start)
                answers.append(Answer(exercise, title, body.strip()))
                marks.append((tag, _marked(tag)))
                exercise = ""
            index = closing
        index += 1
    return _splice(section, 0, len(section), marks), answers


def _marked(tag: _Tag) -> str:
    classes = " ".join([*_classes(tag), COPIED_CLASS])
    others = [(k, v) for k, v in tag.attrs if k != "class"]
    return _rebuilt(tag, [("class", classes), *others])
