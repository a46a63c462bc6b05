"""Benchmark the site build and the author's loop, and weigh the lecture page, in one run.

    python scripts/bench.py [--runs N]

Times, N times each (medians reported), each kind interleaved with the bare build:

- ``mkdocs build``: a cold build (empty cache), a warm one (nothing changed) and a bare
  Material build of the same pages with the gen step switched off;
- the author's loop, in ``mkdocs serve`` sessions of a copy of the project (the rebuild
  time MkDocs reports): a rebuild after a prose edit, after an edit to one figure module
  (the hero), after a data edit that a few figures read (``[forest.q]``) and after one
  that every figure reads (every table of the data file), against the bare site's rebuild
  after a prose edit (the budgets), and, with no budget, against the bare build.

The project's sources (``kl``, ``figures``, ``scripts``, and those of each copy) are
compiled to bytecode once before anything is timed, as pip compiled MkDocs and Material
when it installed them: with PYTHONDONTWRITEBYTECODE set, an editable ``kl`` would
otherwise be compiled from source by every build.

Prints the medians and their ratios to the bare build, then the weight of the lecture page
with everything it loads (HTML, CSS, scripts, light-theme images, the search index), raw
and gzipped, and five Lighthouse performance runs on the lecture page with its phone
settings, each and their medians, with the benchmark index of the machine it ran on
(reported, no budget: it moves with the machine's load), served as a static host serves
it (text gzipped). Exits 1
naming each budget (`BUDGETS`, `PAGE_BUDGET_KB`) that failed. Lighthouse comes from npm
(`scripts/install-test-tools`).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import unquote, urljoin, urlsplit

from handout import CHROMIUM_ARGS, served  # the flags and server the PDF handout prints with
from lighthouse import LIGHTHOUSE, lighthouse_report

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Issue 13 (warm <= 1.20, cold <= 6) and issue 17 (the stricter of each, and the loop's).
BUDGETS = {
    "warm/bare": 1.10,
    "cold/bare": 5.8,
    "prose/bare": 1.10,
    "figure/bare": 1.40,
    "forest.q/bare": 2.5,
}
SERVE_TIMEOUT = 300  # seconds a serve session may take to start or rebuild
# A rebuild is timed from the line that starts it to the one that follows it. MkDocs's own
# "Documentation built in N seconds" cannot be used: its build log drops any message it
# has printed before, so a rebuild that takes as long as an earlier one prints nothing.
BUILDING = re.compile(r"Building documentation")
RELOADED = re.compile(r"Reloading browsers")
SERVING = re.compile(r"Serving on ")
PAGE_BUDGET_KB = 550  # the lecture page with all it loads, gzipped
LIGHTHOUSE_RUNS = 5
# The metrics behind the performance score, reported with it so that a low score says why.
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


def _build(config: Path, site: Path, cache: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        check=True,
        env={**ENV, "KL_CACHE_DIR": str(cache)},
        cwd=ROOT,
    )
    return time.perf_counter() - start


def _bare_config(work: Path, root: Path = ROOT) -> Path:
    """mkdocs.yml without the gen-files step and the lecture's plugin (and so without the
    math extension, as the directives it would meet stay unexpanded), next to the original
    so paths still resolve.

    The plugins' blocks are cut from the text (rather than re-dumped as YAML) so tags such
    as !ENV keep working.
    """
    lines = (root / "mkdocs.yml").read_text().splitlines(keepends=True)
    kept: list[str] = []
    skip_deeper_than: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_deeper_than is not None and (not line.strip() or indent > skip_deeper_than):
            continue
        skip_deeper_than = None
        # Without the gen step pages still hold {{ ... }} inside their math, so the math
        # extension goes too, and the lecture's plugin, which cuts the math font to them.
        entry = line.strip()
        if entry == "- kl" or entry.startswith(("- gen-files", "- kl.site.markdown_math")):
            skip_deeper_than = indent
            continue
        kept.append(line)
    path = root / f".bench-bare-{work.name}.yml"
    path.write_text("".join(kept))
    return path


ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#]+)(?:#[^"']*)?["']""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')#?]+)""")


def _page_assets(site: Path, page: Path) -> set[Path]:
    """Files the page loads in the light theme: its stylesheets, scripts, images, fonts."""
    html = page.read_text()
    found = {page}
    for tag in re.findall(r"<(?:link|script|img)\b[^>]*>", html, re.I):
        if "only-dark" in tag or (tag.lower().startswith("<link") and "stylesheet" not in tag):
            continue
        for ref in ASSET.findall(tag):
            if urlsplit(ref).scheme:
                continue
            target = (page.parent / unquote(urlsplit(ref).path)).resolve()
            if target.is_file():
                found.add(target)
    for css in [f for f in found if f.suffix == ".css"]:
        for ref in CSS_URL.findall(css.read_text()):
            target = Path(urljoin(css.as_posix(), ref))
            if target.is_file():
                found.add(target)
    index = site / "search" / "search_index.json"
    if index.is_file():
        found.add(index)
    return found


def _lighthouse_run(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse performance run: the score, the metrics in ms and the machine's
    benchmark index (Lighthouse's measure of the CPU it ran on; higher is faster, a loaded
    machine scores low and so does the page)."""
    result = lighthouse_report(url, report, ["performance"], CHROMIUM_ARGS)
    return {
        "score": result["categories"]["performance"]["score"],
        **{name: result["audits"][name]["numericValue"] for name in METRICS},
        "benchmark-index": result["environment"]["benchmarkIndex"],
    }


def _lighthouse(site: Path, work: Path) -> list[dict[str, float]]:
    """LIGHTHOUSE_RUNS Lighthouse runs on the lecture page, served from ``site`` on a
    local port."""
    with served(site) as url:
        return [_lighthouse_run(url, work / f"lighthouse-{i}.json") for i in range(LIGHTHOUSE_RUNS)]


def _lighthouse_summary(run: dict[str, float]) -> str:
    """One line of Lighthouse figures: the score, the metrics and the benchmark index."""
    metrics = ", ".join(f"{name} {run[name]:.0f} ms" for name in METRICS if "shift" not in name)
    return (
        f"{run['score']:.2f}; {metrics}, "
        f"cumulative-layout-shift {run['cumulative-layout-shift']:.3f}, "
        f"benchmark index {run['benchmark-index']:.0f}"
    )


PROJECT_FILES = ("docs", "figures", "kl", "mkdocs.yml", "scripts")  # the installed kl builds
PROSE_PAGE = "docs/formulas.md"
FIGURE_MODULE = "figures/hero.py"
DATA_FILE = "docs/data/lecture.toml"


def _copy_project(dest: Path) -> Path:
    """The lecture's sources copied to ``dest``, for a serve session to edit."""
    for name in PROJECT_FILES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "site")
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, dest / name)
    return dest


COMPILED = ("kl", "figures", "scripts")  # the sources a build imports


def _compile(root: Path) -> None:
    """Compile ``root``'s `COMPILED` sources into their ``__pycache__`` folders."""
    folders = [str(root / name) for name in COMPILED if (root / name).is_dir()]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True, env=ENV)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Session:
    """``mkdocs serve`` of ``config``: `rebuild` makes an edit and returns how long the
    rebuild that follows it took (seconds, from the session's log as it is printed)."""

    def __init__(self, config: Path, cache: Path) -> None:
        address = f"127.0.0.1:{_free_port()}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", address],
            env={**ENV, "KL_CACHE_DIR": str(cache)},
            cwd=config.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: Queue[tuple[float, str]] = Queue()  # (when it was read, the line)
        self.seen: list[str] = []  # what the session printed, for an error message
        threading.Thread(target=self._read, daemon=True).start()
        self._next(SERVING)  # built once; edits from now on are seen

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put((time.monotonic(), line))

    def _built(self) -> float:
        """Seconds from the next rebuild's start to its end."""
        started = self._next(BUILDING)
        return self._next(RELOADED) - started

    def _next(self, pattern: re.Pattern[str]) -> float:
        """When the session printed its next line that matches ``pattern``."""
        deadline = time.monotonic() + SERVE_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                when, line = self.lines.get(timeout=left)
            except Empty:
                break
            self.seen.append(line)
            if pattern.search(line):
                return when
            if line.lstrip().startswith("ERROR") or "Aborted" in line:
                raise RuntimeError(f"bench: mkdocs serve failed: {line.strip()}")
        last = "".join(self.seen[-10:])
        raise RuntimeError(f"bench: no {pattern.pattern!r} within {SERVE_TIMEOUT} s:\n{last}")

    def rebuild(self, edit: Callable[[], None]) -> float:
        edit()
        took = self._built()
        self._settle()
        return took

    def _settle(self, quiet: float = 2.0) -> None:
        """Wait until the session has printed nothing for ``quiet`` seconds, letting any
        further rebuild finish, so the next edit's rebuild is the one timed."""
        while True:
            try:
                _, line = self.lines.get(timeout=quiet)
            except Empty:
                return
            self.seen.append(line)
            if BUILDING.search(line):
                self._next(RELOADED)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _set(text: str, section: str, key: str, value: str) -> str:
    """``text`` (TOML) with ``key = ...`` of ``[section]`` set to ``value``."""
    start = text.index(f"[{section}]\n")
    end = text.find("\n[", start)
    end = len(text) if end < 0 else end
    block, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text[start:end])
    if count != 1:
        raise RuntimeError(f"bench: {DATA_FILE} has no {key} in [{section}]")
    return text[:start] + block + text[end:]


def _q_edit(text: str, n: int) -> str:
    """Two of Q's probabilities moved by n thousandths (a new Q for each n)."""
    text = _set(text, "forest.q", "Squirrel", f"{0.5 - n / 1000:.3f}")
    return _set(text, "forest.q", "Rabbit", f"{0.4 + n / 1000:.3f}")


def _all_data_edit(text: str, n: int) -> str:
    """Every table of the data file changed a little (new numbers for each n)."""
    text = _q_edit(text, n)
    for section, key, value in (
        ("forest.p", "Squirrel", f"{0.6 - n / 1000:.3f}"),
        ("forest.p", "Rabbit", f"{0.3 + n / 1000:.3f}"),
        ("curves.p", "sd", f"{1.0 + n / 1000:.3f}"),
        ("curves.good", "sd", f"{1.1 + n / 1000:.3f}"),
        ("curves.poor", "sd", f"{1.4 + n / 1000:.3f}"),
        ("coding", "seed", str(34 + n)),
        ("extremes", "path_steps", f"[0.5, 0.9, {0.99 - n / 10000:.4f}]"),
        ("asymmetry", "sharpening", f"{10 + n / 10:.1f}"),
        ("fitting", "separation", f"{6.0 + n / 100:.2f}"),
        ("learning", "steps", str(60 + n)),
        ("exercises", "message_length", str(1000 + n)),
    ):
        text = _set(text, section, key, value)
    return text


class _Edits:
    """Edits of a project copy, each new (the n-th edit of a kind never repeats one)."""

    def __init__(self, root: Path) -> None:
        self.root, self.n = root, 0
        self.original = {p: (root / p).read_text() for p in (PROSE_PAGE, FIGURE_MODULE, DATA_FILE)}

    def _write(self, rel: str, change: Callable[[str, int], str]) -> Callable[[], None]:
        def edit() -> None:  # written whole, then moved in place: one change to see
            self.n += 1
            staging = self.root.parent / f"{Path(rel).name}.new"  # outside what is watched
            staging.write_text(change(self.original[rel], self.n))
            staging.replace(self.root / rel)

        return edit

    def prose(self) -> Callable[[], None]:
        return self._write(PROSE_PAGE, lambda text, n: f"{text}\nAn edit ({n}).\n")

    def figure(self) -> Callable[[], None]:
        return self._write(FIGURE_MODULE, lambda text, n: f"{text}\n# an edit ({n})\n")

    def q(self) -> Callable[[], None]:
        return self._write(DATA_FILE, _q_edit)

    def all_data(self) -> Callable[[], None]:
        return self._write(DATA_FILE, _all_data_edit)


def _author_loop(work: Path, runs: int, cache: Path) -> dict[str, list[float]]:
    """Rebuild times of serve sessions of a lecture copy and a bare copy, interleaved."""
    lecture_root = _copy_project(work / "lecture")
    bare_root = _copy_project(work / "bare-copy")
    bare_config = _bare_config(work, bare_root)
    _compile(lecture_root)
    _compile(bare_root)
    times: dict[str, list[float]] = {"bare serve": [], "prose": [], "figure": [], "forest.q": []}
    times["all data"] = []
    lecture, bare = _Session(lecture_root / "mkdocs.yml", cache), _Session(bare_config, cache)
    try:
        edits, bare_edits = _Edits(lecture_root), _Edits(bare_root)
        kinds = {"prose": edits.prose, "figure": edits.figure, "forest.q": edits.q}
        kinds["all data"] = edits.all_data
        for _ in range(runs):
            for kind, edit in kinds.items():
                times["bare serve"].append(bare.rebuild(bare_edits.prose()))
                times[kind].append(lecture.rebuild(edit()))
    finally:
        lecture.close()
        bare.close()
    return times


def _report(
    times: dict[str, list[float]], ratios: dict[str, tuple[str, str]], failed: list[str]
) -> None:
    """Print each kind's median and runs, then each ratio of medians against its budget
    (`BUDGETS`), adding to ``failed`` each one over it."""
    medians = {k: statistics.median(v) for k, v in times.items()}
    for kind, values in times.items():
        runs = ", ".join(f"{t:.2f}" for t in values)
        print(f"{kind:>10}: median {medians[kind]:.2f} s  ({runs}; {len(values)} runs)")
    for ratio, (num, den) in ratios.items():
        value = medians[num] / medians[den]
        budget = BUDGETS.get(ratio)
        if budget is not None and value > budget:
            failed.append(f"{ratio} is {value:.2f}, over its budget of {budget}")
        print(f"{ratio:>14}: {value:.2f}  ({f'budget {budget}' if budget else 'no budget'})")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind (default 3)")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print(f"bench: {LIGHTHOUSE} is missing: run scripts/install-test-tools", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="kl-bench-"))
    bare_config = _bare_config(work)
    _compile(ROOT)
    try:
        times: dict[str, list[float]] = {"cold": [], "warm": [], "bare": []}
        warm_cache = work / "warm-cache"
        _build(ROOT / "mkdocs.yml", work / "site", warm_cache)  # fills the warm cache
        for i in range(args.runs):
            times["bare"].append(_build(bare_config, work / "bare", work / "unused"))
            times["cold"].append(_build(ROOT / "mkdocs.yml", work / "site", work / f"cold-{i}"))
            times["warm"].append(_build(ROOT / "mkdocs.yml", work / "site", warm_cache))
        failed: list[str] = []
        _report(times, {f"{k}/bare": (k, "bare") for k in ("warm", "cold")}, failed)
        try:
            loop = _author_loop(work, args.runs, warm_cache)
        except RuntimeError as exc:  # a serve session that never rebuilt: say so, go on
            failed.append(f"the author's loop could not be timed: {exc}")
        else:
            ratios = {f"{k}/bare": (k, "bare serve") for k in ("prose", "figure", "forest.q")}
            _report(loop, ratios | {"all data/bare": ("all data", "bare serve")}, failed)
            bare_build = statistics.median(times["bare"])
            for kind in ("prose", "figure", "forest.q", "all data"):
                ratio = statistics.median(loop[kind]) / bare_build
                print(
                    f"{kind + '/bare build':>20}: {ratio:.2f}  (no budget: against the bare build)"
                )
        assets = _page_assets(work / "site", work / "site" / "index.html")
        raw = sum(f.stat().st_size for f in assets)
        zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in assets)
        if zipped / 1000 > PAGE_BUDGET_KB:
            failed.append(
                f"the lecture page is {zipped / 1000:.0f} KB gzipped, "
                f"over its budget of {PAGE_BUDGET_KB} KB"
            )
        print(
            f"lecture page: {len(assets)} files, {raw / 1000:.0f} KB raw, "
            f"{zipped / 1000:.0f} KB gzipped (budget {PAGE_BUDGET_KB} KB gzipped)"
        )
        runs = _lighthouse(work / "site", work)
        for i, run in enumerate(runs, 1):
            print(f"Lighthouse run {i}: {_lighthouse_summary(run)}")
        median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
        print(
            f"Lighthouse performance (phone, median of {LIGHTHOUSE_RUNS}): "
            f"{_lighthouse_summary(median)}"
        )
        for failure in failed:
            print(f"bench: budget failed: {failure}", file=sys.stderr)
        return 1 if failed else 0
    finally:
        bare_config.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
