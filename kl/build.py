"""Build every artifact of the lecture (figures, tables, values) from the project's sources.

Nothing here knows about MkDocs: `build_artifacts` returns bytes in memory and
`write_artifacts` puts them in any folder.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import pickle
import shutil
import tempfile
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kl.cache import FileCache, cache_key, library_versions, source_digest
from kl.data import LectureData, load_lecture_data
from kl.gallery import FigureSpec, discover_figures
from kl.render import figure_files, render_theme
from kl.style import THEMES, Theme
from kl.tables import Table
from kl.templating import expand
from kl.values import Value

Progress = Callable[[str], None]
PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_FILE = "content.pickle"


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
    def cache_dir(self) -> Path:
        override = os.environ.get("KL_CACHE_DIR")
        return Path(override) if override else self.root / ".cache" / "kl"


@dataclass(frozen=True)
class FigureArtifact:
    """A drawn figure: its declaration, its caption and alt text with values filled in."""

    spec: FigureSpec
    caption: str
    alt: str

    @property
    def id(self) -> str:
        return self.spec.id

    def files(self) -> list[str]:
        return [name for theme in THEMES for name in figure_files(self.id, theme)]


@dataclass
class Artifacts:
    """Everything a build made: ``files`` maps a relative path to its bytes."""

    data: LectureData
    values: dict[str, Value]
    tables: dict[str, Table]
    figures: list[FigureArtifact]
    files: dict[str, bytes] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)


def _render_all(spec: FigureSpec, data: LectureData, themes: list[Theme]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for theme in themes:
        files.update(render_theme(spec, data, theme))
    return files


def _executor(jobs: int) -> Executor:
    # Forked workers inherit the already-imported (and, under `mkdocs serve`, freshly
    # reloaded) modules, so they start fast and never run stale code.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))


def _draw(
    tasks: list[tuple[FigureSpec, list[Theme]]],
    data: LectureData,
    jobs: int,
    progress: Progress,
) -> dict[str, dict[str, bytes]]:
    results: dict[str, dict[str, bytes]] = {}
    if jobs <= 1 or len(tasks) <= 1:
        for i, (spec, themes) in enumerate(tasks, 1):
            results[spec.id] = _render_all(spec, data, themes)
            progress(f"[{i}/{len(tasks)}] drew {spec.id}")
        return results
    import matplotlib  # imported once here so forked workers inherit it

    matplotlib.use("Agg")
    with _executor(min(jobs, len(tasks))) as pool:
        futures = {pool.submit(_render_all, spec, data, themes): spec for spec, themes in tasks}
        for i, future in enumerate(as_completed(futures), 1):
            spec = futures[future]
            results[spec.id] = future.result()
            progress(f"[{i}/{len(tasks)}] drew {spec.id}")
    return results


def _content(
    data: LectureData, cache: FileCache, key: str
) -> tuple[dict[str, Value], dict[str, Table]]:
    """The lecture's values and tables, from the cache when neither `kl` nor the data changed
    (some, such as the reverse-KL thresholds, take a second to compute)."""
    cached = cache.get(key, [CONTENT_FILE])
    if cached is not None:
        content: tuple[dict[str, Value], dict[str, Table]] = pickle.loads(cached[CONTENT_FILE])
        return content
    from kl.content import lecture_tables, lecture_values  # every part's modules: slow to import

    content = (lecture_values(data), lecture_tables(data))
    cache.put(key, {CONTENT_FILE: pickle.dumps(content)})
    return content


def build_artifacts(
    project: Project, *, jobs: int | None = None, progress: Progress | None = None
) -> Artifacts:
    """Compute every value and table and draw (or fetch from the cache) every figure.

    Raises DataError, FigureError or TemplateError (all `kl.KLError`) with a message
    naming the file at fault. ``jobs`` defaults to the machine's core count.
    """
    report = progress or (lambda _message: None)
    data = load_lecture_data(project.data_file)
    specs = discover_figures(project.figures_dir)
    cache = FileCache(project.cache_dir)
    common: list[bytes | str] = [
        source_digest(PACKAGE_DIR),
        project.data_file.read_bytes(),
        library_versions(),
    ]
    values, tables = _content(data, cache, cache_key([*common, "content"]))

    files: dict[str, bytes] = {}
    tasks: list[tuple[FigureSpec, list[Theme]]] = []
    keys: dict[tuple[str, str], str] = {}
    for spec in specs:
        missing = []
        for theme in THEMES:
            key = cache_key([*common, spec.path.read_bytes(), repr(theme)])
            keys[spec.id, theme.name] = key
            cached = cache.get(key, figure_files(spec.id, theme))
            if cached is None:
                missing.append(theme)
            else:
                files.update({f"figures/{n}": b for n, b in cached.items()})
        if missing:
            tasks.append((spec, missing))

    drawn = _draw(tasks, data, jobs or os.cpu_count() or 1, report)
    for spec, themes in tasks:
        for theme in themes:
            names = figure_files(spec.id, theme)
            theme_files = {n: drawn[spec.id][n] for n in names}
            cache.put(keys[spec.id, theme.name], theme_files)
            files.update({f"figures/{n}": b for n, b in theme_files.items()})

    figures = [
        FigureArtifact(
            spec=spec,
            caption=expand(spec.caption, where=f"{spec.path} CAPTION", values=values),
            alt=expand(spec.alt, where=f"{spec.path} ALT", values=values),
        )
        for spec in specs
    ]
    artifacts = Artifacts(data, values, tables, figures, files, [s.id for s, _ in tasks])
    _add_listings(artifacts)
    return artifacts


def _add_listings(artifacts: Artifacts) -> None:
    """Tables as Markdown files, values and the figure list as JSON, alongside the figures."""
    for name, table in artifacts.tables.items():
        artifacts.files[f"tables/{name}.md"] = table.to_markdown().encode()
    values = {
        # JSON has no infinity: an infinite value is null, and its text says "∞".
        name: {"number": v.number if math.isfinite(v.number) else None, "text": v.text()}
        for name, v in artifacts.values.items()
    }
    artifacts.files["values.json"] = _json(values)
    figures = [
        {
            "id": f.id,
            "title": f.spec.title,
            "caption": f.caption,
            "alt": f.alt,
            "files": [f"figures/{n}" for n in f.files()],
        }
        for f in artifacts.figures
    ]
    artifacts.files["figures.json"] = _json(figures)


def _json(obj: object) -> bytes:
    return (
        json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"
    ).encode()


def write_artifacts(artifacts: Artifacts, out_dir: Path) -> None:
    """Write every artifact below ``out_dir``, replacing it only once all files are written."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for rel, content in sorted(artifacts.files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
