"""Benchmark the site build and weigh the lecture page, in one run.

    python scripts/bench.py [--runs N]

Times, N times each (medians reported): a cold build (empty figure cache), a warm rebuild
(nothing changed) and a bare Material build of the same pages with the gen step switched
off. Prints the medians and the ratios cold/bare and warm/bare, then the weight of the
lecture page with everything it loads (HTML, CSS, scripts, light-theme images, the search
index), raw and gzipped, and five Lighthouse performance runs on the lecture page with its
phone settings, each and their medians, with the benchmark index of the machine it ran on
(reported, no budget: it moves with the machine's load).
Budgets: warm/bare <= 1.25, cold/bare <= 3, page <= 800 KB gzipped; exits 1 naming each
budget that failed. Lighthouse comes from npm (`scripts/install-test-tools`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from handout import CHROMIUM_ARGS, served  # the flags and server the PDF handout prints with

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
BUDGETS = {"warm/bare": 1.25, "cold/bare": 3.0}
PAGE_BUDGET_KB = 800
LIGHTHOUSE = ROOT / ".ci" / "node_modules" / "lighthouse" / "cli" / "index.js"
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


def _bare_config(work: Path) -> Path:
    """mkdocs.yml without the gen-files step and the lecture's plugin (and so without the
    math extension, as the directives it would meet stay unexpanded), next to the original
    so paths still resolve.

    The plugins' blocks are cut from the text (rather than re-dumped as YAML) so tags such
    as !ENV keep working.
    """
    lines = (ROOT / "mkdocs.yml").read_text().splitlines(keepends=True)
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
        if entry == "- kl" or entry.startswith(("- gen-files", "- kl.markdown_math")):
            skip_deeper_than = indent
            continue
        kept.append(line)
    path = ROOT / f".bench-bare-{work.name}.yml"
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
    """One Lighthouse performance run with its phone settings (its defaults: a phone's
    screen, simulated slow 4G and a 4x slower CPU): the score, the metrics in ms and the
    machine's benchmark index (Lighthouse's measure of the CPU it ran on; higher is faster,
    a loaded machine scores low and so does the page)."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            f"--chrome-flags={flags}",
            "--form-factor=mobile",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
        check=True,
        timeout=240,
    )
    result = json.loads(report.read_text())
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind (default 3)")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print(f"bench: {LIGHTHOUSE} is missing: run scripts/install-test-tools", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="kl-bench-"))
    bare_config = _bare_config(work)
    try:
        times: dict[str, list[float]] = {"cold": [], "warm": [], "bare": []}
        warm_cache = work / "warm-cache"
        _build(ROOT / "mkdocs.yml", work / "site", warm_cache)  # fills the warm cache
        for i in range(args.runs):
            times["bare"].append(_build(bare_config, work / "bare", work / "unused"))
            times["cold"].append(_build(ROOT / "mkdocs.yml", work / "site", work / f"cold-{i}"))
            times["warm"].append(_build(ROOT / "mkdocs.yml", work / "site", warm_cache))
        medians = {k: statistics.median(v) for k, v in times.items()}
        print(f"runs of each: {args.runs}")
        for kind, values in times.items():
            runs = ", ".join(f"{t:.2f}" for t in values)
            print(f"{kind:>5}: median {medians[kind]:.2f} s  ({runs})")
        failed: list[str] = []
        for ratio, budget in BUDGETS.items():
            num, den = ratio.split("/")
            value = medians[num] / medians[den]
            if value > budget:
                failed.append(f"{ratio} is {value:.2f}, over its budget of {budget}")
            print(f"{ratio:>9}: {value:.2f}  (budget {budget})")
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
