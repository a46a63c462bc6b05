"""Build every artifact of the lecture (figures, tables, values) from the project's sources.

Nothing here knows about MkDocs: `build_artifacts` returns bytes in memory and
`write_artifacts` puts them in any folder.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import shutil
import tempfile
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from kl.build.cache import FileCache, cache_folder, cache_key, library_versions, source_digest
from kl.build.gallery import FigureSpec, discover_figures
from kl.build.render import all_figure_files, render_figure
from kl.build.style import THEMES
from kl.build.templating import environment, render
from kl.lecture.data import LectureData, load_lecture_data
from kl.lecture.tables import Table, plain
from kl.lecture.values import Fact, Number, nest

Progress = Callable[[str], None]
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole kl package
CONTENT_FILE = "content.pickle"
# The text-layout check (no two texts overlapping, none cut) runs in the figure tests, on
# the shipped data, the data variants and 12 animals of 40-character names. A build does
# not stop on it: random valid data still finds layouts that crowd a label, and a lecture
# with a crowded label is better than no lecture.
LAYOUT_CHECKED = False


@dataclass(frozen=True)
class Project:
    """Where a lecture project keeps its sources, and where the figure cache lives.

    The cache defaults to ``.cache/kl`` under the root; KL_CACHE_DIR overrides it.
    """

    root: Path

    @property
    def data_file(self) -> Path:
        return self.root / "docs" / "data" / "lecture.toml"

    @property
    def figures_dir(self) -> Path:
        return self.root / "figures"

    @property
    def includes_dir(self) -> Path:
        """Snippets and the template macros (``words.jinja``) the pages share."""
        return self.root / "docs" / "includes"

    @property
    def cache_dir(self) -> Path:
        return cache_folder(self.root / ".cache" / "kl")


@dataclass(frozen=True)
class FigureArtifact:
    """A drawn figure: its declaration, and its caption and alt text rendered with the
    lecture's facts (Markdown in which every quoted name is text: `plain` for plain text)."""

    spec: FigureSpec
    caption: str
    alt: str

    @property
    def id(self) -> str:
        return self.spec.id

    def files(self) -> list[str]:
        return all_figure_files(self.id)


@dataclass
class Artifacts:
    """Everything a build made: ``files`` maps a relative path to its bytes."""

    data: LectureData
    values: dict[str, Fact]
    tables: dict[str, Table]
    figures: list[FigureArtifact]
    files: dict[str, bytes] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)


Content = tuple[dict[str, Fact], dict[str, Table]]


def _compute_content(data: LectureData) -> Content:
    """The lecture's values and tables (some, such as the reverse-KL thresholds, take a
    second to compute)."""
    from kl.lecture.sections import (  # every part's modules: slow to import
        lecture_tables,
        lecture_values,
    )

    return lecture_values(data), lecture_tables(data)


def _executor(jobs: int) -> Executor:
    # Forked workers inherit the already-imported (and, under `mkdocs serve`, freshly
    # reloaded) modules, so they start fast and never run stale code.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))


def _make(
    specs: list[FigureSpec], data: LectureData, *, content: bool, jobs: int, progress: Progress
) -> tuple[Content | None, dict[str, dict[str, bytes]]]:
    """Draw ``specs`` and, if ``content``, compute the values and tables, in parallel on
    forked workers: ``jobs`` for the figures, and one more for the content, started first
    (it is the longest job and needs no matplotlib, so it runs while matplotlib loads)."""
    jobs_total = len(specs) + content
    made: Content | None = None
    drawn: dict[str, dict[str, bytes]] = {}

    def report(done: int, what: str) -> None:
        progress(f"[{done}/{jobs_total}] {what}")

    if jobs <= 1 or jobs_total <= 1:
        if content:
            made = _compute_content(data)
            report(1, "computed the values and tables")
        for i, spec in enumerate(specs, 1 + content):
            drawn[spec.id] = render_figure(spec, data, check_layout=LAYOUT_CHECKED)
            report(i, f"drew {spec.id}")
        return made, drawn
    with ExitStack() as pools:
        futures: dict[Future[object], str | None] = {}
        if content:
            content_pool = pools.enter_context(_executor(1))
            futures[content_pool.submit(_compute_content, data)] = None
        if specs:
            import matplotlib  # imported once here so forked figure workers inherit it

            matplotlib.use("Agg")
            figure_pool = pools.enter_context(_executor(min(jobs, len(specs))))
            futures.update(
                {
                    figure_pool.submit(render_figure, s, data, check_layout=LAYOUT_CHECKED): s.id
                    for s in specs
                }
            )
        for i, future in enumerate(as_completed(futures), 1):
            fig_id = futures[future]
            if fig_id is None:
                made = cast(Content, future.result())
                report(i, "computed the values and tables")
            else:
                drawn[fig_id] = cast(dict[str, bytes], future.result())
                report(i, f"drew {fig_id}")
    return made, drawn


def build_artifacts(
    project: Project, *, jobs: int | None = None, progress: Progress | None = None
) -> Artifacts:
    """Compute every value and table and draw every figure, or fetch them from the cache.

    Raises DataError, FigureError or TemplateError (all `kl.errors.KLError`) with a message
    naming the file at fault. ``jobs`` defaults to the machine's core count.
    """
    report = progress or (lambda _message: None)
    data = load_lecture_data(project.data_file)
    cache = FileCache(project.cache_dir)
    specs = discover_figures(project.figures_dir)
    common: list[bytes | str] = [
        source_digest(PACKAGE_DIR),
        project.data_file.read_bytes(),
        library_versions(),
    ]
    content_key = cache_key([*common, "content"])
    cached_content = cache.get(content_key, [CONTENT_FILE])
    content: Content | None = (
        pickle.loads(cached_content[CONTENT_FILE]) if cached_content is not None else None
    )

    files: dict[str, bytes] = {}
    missing: list[FigureSpec] = []
    keys: dict[str, str] = {}
    for spec in specs:
        keys[spec.id] = cache_key([*common, spec.path.read_bytes(), repr(THEMES)])
        cached = cache.get(keys[spec.id], all_figure_files(spec.id))
        if cached is None:
            missing.append(spec)
        else:
            files.update({f"figures/{n}": b for n, b in cached.items()})

    made, drawn = _make(
        missing, data, content=content is None, jobs=jobs or os.cpu_count() or 1, progress=report
    )
    if made is not None:
        content = made
        cache.put(content_key, {CONTENT_FILE: pickle.dumps(made)})
    assert content is not None
    values, tables = content
    for spec in missing:
        cache.put(keys[spec.id], drawn[spec.id])
        files.update({f"figures/{n}": b for n, b in drawn[spec.id].items()})

    env, facts = environment(project.includes_dir), nest(values)
    figures = [
        FigureArtifact(
            spec=spec,
            caption=render(env, spec.caption, where=f"{spec.path} CAPTION", facts=facts),
            alt=render(env, spec.alt, where=f"{spec.path} ALT", facts=facts),
        )
        for spec in specs
    ]
    artifacts = Artifacts(data, values, tables, figures, files, [s.id for s in missing])
    _add_listings(artifacts)
    return artifacts


def _add_listings(artifacts: Artifacts) -> None:
    """Tables as Markdown files, values and the figure list as JSON, alongside the figures."""
    for name, table in artifacts.tables.items():
        artifacts.files[f"tables/{name}.md"] = table.to_markdown().encode()
    values = {name: _json_value(v) for name, v in artifacts.values.items()}
    artifacts.files["values.json"] = _json(values)
    figures = [
        {
            "id": f.id,
            "title": f.spec.title,
            "caption": plain(f.caption),
            "alt": plain(f.alt),
            "files": [f"figures/{n}" for n in f.files()],
        }
        for f in artifacts.figures
    ]
    artifacts.files["figures.json"] = _json(figures)


def _json_value(value: object) -> object:
    """A value as values.json lists it: a number with its text (JSON has no infinity: an
    infinite number is null, and its text says "∞"), a name or yes/no fact as it is, and
    a list or namespace of values item by item."""
    if isinstance(value, Number):
        return {"number": value if math.isfinite(value) else None, "text": value.text()}
    return {"text": value} if isinstance(value, str) else {"value": _json_nested(value)}


def _json_nested(value: object) -> object:
    """A list or namespace of facts with every number in it as `_json_value` lists it."""
    if isinstance(value, Number):
        return _json_value(value)
    if isinstance(value, Mapping):
        return {str(k): _json_nested(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_nested(v) for v in value]
    return value


def _json(obj: object) -> bytes:
    return (
        json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"
    ).encode()


def write_artifacts(artifacts: Artifacts, out_dir: Path) -> None:
    """Write every artifact below ``out_dir``, replacing it only once all files are written."""
    write_folder(artifacts.files, out_dir)


def write_folder(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Write ``files`` (relative path -> bytes) as the folder ``out_dir``, replacing it only
    once every file is written: a failure leaves the previous folder as it was."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for rel, content in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
