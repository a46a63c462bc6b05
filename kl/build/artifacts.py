"""Build every artifact of the lecture (figures, tables, values) from the project's sources.

Nothing here knows about MkDocs: `build_artifacts` returns bytes in memory and
`write_artifacts` puts them in any folder.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import pickle
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from kl.build.cache import FileCache, cache_key, library_versions
from kl.build.dependencies import ModuleIndex, Recorder, read_digest
from kl.build.gallery import FigureSpec, discover_figures
from kl.build.project import Project
from kl.build.render import all_figure_files, check_names, render_figure
from kl.build.style import LAYOUTS, Layout
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
    """Everything a build made: ``files`` maps a relative path to its bytes, ``widgets``
    holds the interactive figures' inputs (`kl.build.widgets.widget_data`); ``drawn`` lists the
    figures and ``computed`` the parts' values ("values of forest") made anew, not taken
    from the cache; ``figure_entries`` says where the figures' files are kept in the cache
    (an entry's key -> the names of its files)."""

    data: LectureData
    values: dict[str, Fact]
    tables: dict[str, Table]
    figures: list[FigureArtifact]
    files: dict[str, bytes] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)
    widgets: dict[str, Any] = field(default_factory=dict)
    computed: list[str] = field(default_factory=list)
    figure_entries: dict[str, tuple[str, ...]] = field(default_factory=dict)


Content = tuple[dict[str, Fact], dict[str, Table]]
Reads = set[str]
PARTS = "lecture/sections"  # the package of the lecture's parts, below PACKAGE_DIR
READS_FILE = "reads.json"
WIDGETS_FILE = "widgets.pickle"
WIDGETS = "widgets"


def lecture_parts() -> list[str]:
    """The names of the modules of `kl.lecture.sections` (one part of the lecture each), sorted as
    `kl.lecture.sections` loads them, found without importing them."""
    parts = (PACKAGE_DIR / PARTS).glob("*.py")
    return sorted(p.stem for p in parts if not p.name.startswith("_"))


def _compute_part(name: str, data: LectureData) -> tuple[bytes, Reads]:
    """One part's values and tables (pickled), and the parts of ``data`` they read."""
    import importlib

    module = importlib.import_module(f"kl.lecture.sections.{name}")
    recorder = Recorder(data)
    made: Content = (module.values(recorder.data), module.tables(recorder.data))
    return pickle.dumps(made), recorder.reads


def _compute_widgets(data: LectureData, values: dict[str, Fact]) -> tuple[bytes, Reads]:
    """The interactive figures' inputs (`kl.build.widgets.widget_data`, pickled), and what of the
    data and the values they read."""
    from kl.build.widgets import widget_data

    recorder = Recorder(data, values)
    return pickle.dumps(widget_data(recorder.data, recorder.values)), recorder.reads


def _draw(
    spec: FigureSpec, data: LectureData, layouts: tuple[Layout, ...]
) -> tuple[dict[str, bytes], Reads]:
    """Every file of one figure in ``layouts``, and the parts of ``data`` its drawing read."""
    check_names(data)
    recorder = Recorder(data)
    files = render_figure(spec, recorder.data, check_layout=LAYOUT_CHECKED, layouts=layouts)
    return files, recorder.reads


def _timed(function: Callable[..., T], *args: Any) -> tuple[T, float]:
    """``function(*args)`` and the CPU seconds of this process it took."""
    start = time.process_time()
    return function(*args), time.process_time() - start


@dataclass(frozen=True)
class _Unit:
    """One artifact the cache keeps: ``name`` says what (``figure hero``), ``code`` is the
    digest of the modules it runs and the libraries' versions, ``files`` what it stores.
    Besides what it read, the cache notes the CPU seconds its making took, for the next
    build to start the longest first."""

    name: str
    code: str
    files: tuple[str, ...]

    @property
    def reads_key(self) -> str:
        return cache_key(["reads and seconds", self.name, self.code])

    def key(self, reads: Iterable[str], data: LectureData, values: Values | None) -> str:
        listed = sorted(reads)
        return cache_key([self.reads_key, json.dumps(listed), read_digest(listed, data, values)])

    def get(
        self, cache: FileCache, data: LectureData, values: Values | None = None
    ) -> tuple[str, dict[str, bytes]] | None:
        """The key and the stored files, if what the unit read last time is as it was then."""
        stored = cache.get(self.reads_key, [READS_FILE])
        if stored is None:
            return None
        key = self.key(json.loads(stored[READS_FILE])["reads"], data, values)
        files = cache.get(key, self.files)
        return None if files is None else (key, files)

    def seconds(self, cache: FileCache) -> float:
        """The CPU seconds this unit took when last made; infinite if unknown."""
        stored = cache.get(self.reads_key, [READS_FILE])
        return math.inf if stored is None else float(json.loads(stored[READS_FILE])["seconds"])

    def put(
        self,
        cache: FileCache,
        files: dict[str, bytes],
        reads: Reads,
        data: LectureData,
        values: Values | None = None,
        seconds: float = 0.0,
    ) -> str:
        """Store ``files``, made from ``reads`` in ``seconds`` of CPU time, and note both for
        the next lookup; return the key the files are stored under."""
        key = self.key(reads, data, values)
        cache.put(key, files)
        noted = {
            "reads": sorted(reads),
            "seconds": round(seconds, 3),
        }
        cache.put(self.reads_key, {READS_FILE: json.dumps(noted).encode()}, replace=True)
        return key


Values = Mapping[str, Fact]


class Workers:
    """The processes a build computes values and draws figures on, for one build: one pool
    of ``jobs`` processes, forked once this process has imported what the jobs need
    (`_load_libraries`), so that they start warm and, under ``mkdocs serve``, never run
    stale code; shut down when the build ends."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Executor | None = None

    def pool(self, *, drawing: bool = True) -> Executor:
        """The pool, started at the first call, after importing every part's maths and, if
        it is for ``drawing`` too, matplotlib's backends (a pool started without them still
        draws, each worker importing them itself)."""
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _load_libraries(drawing=drawing)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                context = multiprocessing.get_context("fork")
                self._pool = ProcessPoolExecutor(
                    self.jobs, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
                )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _end_with(parent: int) -> None:
    """Make this worker end when the process ``parent`` does (a ``mkdocs serve`` stopped by
    a signal shuts no pool down): a thread checks once a second."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class WarmWorkers(Workers):
    """`Workers` kept from one build to the next (``mkdocs serve``): matplotlib, numpy and
    scipy are imported once, so a rebuild costs the drawing, not the workers' start.
    ``source`` is the digest of the package they were forked with: one made from other
    code must not be used (`kl.site.mkdocs_plugin` makes a new one); `close` ends them."""

    def __init__(self, jobs: int, source: str) -> None:
        super().__init__(jobs)
        self.source = source

    def warm_up(self) -> None:
        """Start the workers now, so that the first edit of a session finds them ready."""
        for _ in range(self.jobs):
            self.pool().submit(_load_libraries)


def _load_libraries(*, drawing: bool = True) -> None:
    """Import what the jobs need: every part's maths and, for ``drawing``, matplotlib's
    backends and the figure machinery."""
    import importlib

    if drawing:
        import matplotlib

        matplotlib.use("Agg")
        for module in ("matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg"):
            importlib.import_module(module)
    for part in lecture_parts():
        importlib.import_module(f"kl.lecture.sections.{part}")


T = TypeVar("T")
Job = Future[T] | Callable[[], T]  # a job on a worker, or one to run here when its result is due
Drawn = tuple[tuple[dict[str, bytes], Reads], float]  # files and reads, CPU seconds


def _start(pool: Executor | None, function: Callable[..., T], *args: Any) -> Job[T]:
    """``function(*args)`` submitted to ``pool``, or, without one, kept to run here."""
    return functools.partial(function, *args) if pool is None else pool.submit(function, *args)


def _results(
    jobs: Mapping[str, Job[T]], progress: Progress, verb: str, done: int, total: int
) -> dict[str, T]:
    """The result of each of ``jobs`` (the ones run here in order first, then those of the
    workers as they finish), each reported to ``progress`` as ``[n/total] verb name``
    (``done`` jobs were reported before). Raises what a job raised."""
    results: dict[str, T] = {}
    pending = {job: name for name, job in jobs.items() if isinstance(job, Future)}
    for name, job in jobs.items():
        if not isinstance(job, Future):
            results[name] = job()
            done += 1
            progress(f"[{done}/{total}] {verb} {name}")
    for future in as_completed(pending):
        results[pending[future]] = future.result()
        done += 1
        progress(f"[{done}/{total}] {verb} {pending[future]}")
    return results


class Drawing:
    """The figures a build draws while the rest is made (`start_artifacts`): `finish`
    waits for them and puts them into the artifacts; `cancel` stops them."""

    def __init__(
        self,
        units: list[_Unit],
        jobs: dict[str, tuple[str, Job[Drawn]]],
        data: LectureData,
        cache: FileCache,
        own: Workers | None,
        progress: Progress,
        done: int,
    ) -> None:
        self._units, self._jobs, self._data, self._cache = units, jobs, data, cache
        self._own, self._progress, self._done = own, progress, done

    @property
    def names(self) -> list[str]:
        """The paths of the files still to be drawn (``figures/...``)."""
        return [f"figures/{n}" for unit in self._units for n in unit.files]

    def finish(self, artifacts: Artifacts) -> Artifacts:
        """Wait for every figure, keep it in the cache, add its files and its cache entry
        to ``artifacts`` and return them. Raises what drawing a figure raised
        (`kl.errors.FigureError` naming the module, ...)."""
        total = self._done + len(self._jobs)
        jobs = {name: job for name, (_, job) in self._jobs.items()}
        try:
            drawn = _results(jobs, self._progress, "drew", self._done, total)
        finally:
            self.cancel()
        for unit in self._units:
            made: dict[str, bytes] = {}
            reads: Reads = set()
            seconds = 0.0
            for name, (figure, _) in self._jobs.items():
                if figure == unit.name:  # one job, or one for each layout
                    (job_files, job_reads), took = drawn[name]
                    made.update(job_files)
                    reads |= job_reads
                    seconds += took
            figure_files = {n: made[n] for n in unit.files}
            entry = unit.put(self._cache, figure_files, reads, self._data, seconds=seconds)
            artifacts.figure_entries[entry] = unit.files
            artifacts.files.update({f"figures/{n}": b for n, b in figure_files.items()})
        self._units, self._jobs = [], {}
        return artifacts

    def cancel(self) -> None:
        """Stop the drawing: figures not started are not drawn; the build's own workers end."""
        for _, job in self._jobs.values():
            if isinstance(job, Future):
                job.cancel()
        if self._own is not None:
            self._own.close()
            self._own = None


@contextlib.contextmanager
def cancelled_on_error(drawing: Drawing | None) -> Iterator[None]:
    """Run the block; if it raises (an interrupt too), cancel ``drawing`` (if there is one)
    and raise the same."""
    try:
        yield
    except BaseException:
        if drawing is not None:
            drawing.cancel()
        raise


def _part_name(unit: _Unit) -> str:
    return unit.name.removeprefix("values of ")


def _figure_jobs(units: list[_Unit], split: bool) -> list[tuple[_Unit, str, tuple[Layout, ...]]]:
    """The jobs that draw ``units``: each figure, its name and its layouts, or with
    ``split`` each of its layouts apart (``hero, narrow layout``)."""
    if not split:
        return [(unit, unit.name, LAYOUTS) for unit in units]
    return [(u, f"{u.name}, {layout.name} layout", (layout,)) for u in units for layout in LAYOUTS]


def build_artifacts(
    project: Project,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    workers: Workers | None = None,
    listings: bool = True,
) -> Artifacts:
    """Compute every value and table and draw every figure, or fetch them from the cache.

    Each figure, each part's values and tables (`kl.lecture.sections`) and the interactive figures'
    inputs are made anew only when something they read changed: the parts of the data
    file they read, the project's modules they import (`kl.build.dependencies`), the libraries'
    versions. Work runs on ``workers`` (kept warm by ``mkdocs serve``), else on workers
    started for this build, ``jobs`` of them (default: the machine's core count; 1 runs
    everything in this process).

    With ``listings`` the files hold the tables as Markdown and the values and the figure
    list as JSON (``tables/``, ``values.json``, ``figures.json``) besides the figures'.

    Raises DataError, FigureError or TemplateError (all `kl.KLError`) with a message
    naming the file at fault.
    """
    artifacts, drawing = start_artifacts(
        project, jobs=jobs, progress=progress, workers=workers, listings=listings
    )
    return drawing.finish(artifacts)


def start_artifacts(
    project: Project,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    workers: Workers | None = None,
    listings: bool = True,
) -> tuple[Artifacts, Drawing]:
    """`build_artifacts`, but for the figures not in the cache, still being drawn on the
    workers when this returns (their files are missing from the artifacts' files and
    entries): `Drawing.finish` adds them. The values are computed first, the figures
    drawn meanwhile and after. The same errors, but a figure's, which `Drawing.finish`
    raises."""
    report = progress or (lambda _message: None)
    data = load_lecture_data(project.data_file)
    cache = FileCache(project.cache_dir)
    specs = discover_figures(project.figures_dir)
    modules = ModuleIndex(PACKAGE_DIR)
    libraries = library_versions()
    machinery = PACKAGE_DIR / "build" / "render.py"
    figure_units = [
        _Unit(spec.id, f"{modules.digest([spec.path, machinery])};{libraries}", _files(spec))
        for spec in specs
    ]
    part_units = [
        _Unit(
            f"values of {name}",
            f"{modules.digest([PACKAGE_DIR / PARTS / f'{name}.py'])};{libraries}",
            (CONTENT_FILE,),
        )
        for name in lecture_parts()
    ]
    files: dict[str, bytes] = {}
    entries: dict[str, tuple[str, ...]] = {}
    missing_figures, missing_parts = [], []
    for unit in figure_units:
        cached = unit.get(cache, data)
        if cached is None:
            missing_figures.append(unit)
        else:
            key, stored = cached
            entries[key] = unit.files
            files.update({f"figures/{n}": b for n, b in stored.items()})
    contents: dict[str, bytes] = {}
    for unit in part_units:
        cached = unit.get(cache, data)
        if cached is None:
            missing_parts.append(unit)
        else:
            contents[unit.name] = cached[1][CONTENT_FILE]

    jobs = jobs or os.cpu_count() or 1
    missing = len(missing_figures) + len(missing_parts)
    own = Workers(jobs) if workers is None and jobs > 1 and missing > 1 else None
    working = workers or own
    pool = working.pool(drawing=bool(missing_figures)) if working and missing else None
    by_id = {s.id: s for s in specs}

    # Longest first (by what each took last time; one never made before first of all), so
    # that the workers finish together: the parts, which the pages wait for, then the
    # figures; fewer figures than workers are drawn a layout a job, so none waits idle
    # (more are not: a layout job repeats the work a figure's layouts share).
    def longest_first(units: list[_Unit]) -> list[_Unit]:
        return sorted(units, key=lambda u: -u.seconds(cache))

    split = pool is not None and working is not None and len(missing_figures) < working.jobs
    part_jobs = {
        u.name: _start(pool, _timed, _compute_part, _part_name(u), data)
        for u in longest_first(missing_parts)
    }
    figure_jobs = {
        name: (u.name, _start(pool, _timed, _draw, by_id[u.name], data, layouts))
        for u, name, layouts in _figure_jobs(longest_first(missing_figures), split)
    }
    job_count = len(part_jobs) + len(figure_jobs)
    drawing = Drawing(missing_figures, figure_jobs, data, cache, own, report, len(missing_parts))
    with cancelled_on_error(drawing):
        computed = _results(part_jobs, report, "computed", 0, job_count)
        if not missing_figures:
            drawing.cancel()  # the build's own workers have nothing left to do
        for unit in missing_parts:
            (made, reads), took = computed[unit.name]
            unit.put(cache, {CONTENT_FILE: made}, reads, data, seconds=took)
            contents[unit.name] = made
        values, tables = _merge([pickle.loads(contents[u.name]) for u in part_units], part_units)
        widgets = _widget_inputs(data, values, cache, modules, libraries)

        env, facts = environment(project.includes_dir, project.templates_dir), nest(values)
        figures = [
            FigureArtifact(
                spec=spec,
                caption=render(env, spec.caption, where=spec.caption_where, facts=facts),
                alt=render(env, spec.alt, where=spec.alt_where, facts=facts),
            )
            for spec in specs
        ]
    drawn_ids, computed_ids = [u.name for u in missing_figures], [u.name for u in missing_parts]
    artifacts = Artifacts(
        data, values, tables, figures, files, drawn_ids, widgets, computed_ids, entries
    )
    if listings:
        _add_listings(artifacts)
    return artifacts, drawing


def _files(spec: FigureSpec) -> tuple[str, ...]:
    return tuple(all_figure_files(spec.id))


def _merge(contents: list[Content], units: list[_Unit]) -> Content:
    """The values and tables of every part, in one namespace each (a name given by two
    parts is a mistake in `kl.lecture.sections`)."""
    values: dict[str, Fact] = {}
    tables: dict[str, Table] = {}
    for (part_values, part_tables), unit in zip(contents, units, strict=True):
        for merged, part in ((values, part_values), (tables, part_tables)):
            for name, item in part.items():
                if name in merged:
                    raise ValueError(f"kl.lecture.sections.{_part_name(unit)} redefines {name!r}")
                merged[name] = item  # type: ignore[assignment]
    return values, tables


def _widget_inputs(
    data: LectureData,
    values: dict[str, Fact],
    cache: FileCache,
    modules: ModuleIndex,
    libraries: str,
) -> dict[str, Any]:
    """`kl.build.widgets.widget_data`, from the cache unless what it read changed."""
    unit = _Unit(
        WIDGETS,
        f"{modules.digest([PACKAGE_DIR / 'build' / 'widgets.py'])};{libraries}",
        (WIDGETS_FILE,),
    )
    cached = unit.get(cache, data, values)
    if cached is not None:
        return cast(dict[str, Any], pickle.loads(cached[1][WIDGETS_FILE]))
    made, reads = _compute_widgets(data, values)
    unit.put(cache, {WIDGETS_FILE: made}, reads, data, values)
    return cast(dict[str, Any], pickle.loads(made))


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
