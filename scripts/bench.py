"""Benchmark the site build and weigh the lecture page, in one run.

    python scripts/bench.py [--runs N]

Times, N times each (medians reported): a cold build (empty figure cache), a warm rebuild
(nothing changed) and a bare Material build of the same pages with the gen step switched
off. Prints the medians and the ratios cold/bare and warm/bare, then the weight of the
lecture page with everything it loads (HTML, CSS, scripts, light-theme images, the search
index), raw and gzipped. Budgets: warm/bare <= 1.25, cold/bare <= 3, page <= 800 KB gzipped.
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
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
BUDGETS = {"warm/bare": 1.25, "cold/bare": 3.0}
PAGE_BUDGET_KB = 800


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
    """mkdocs.yml without the gen-files plugin (and so without the math extension, as the
    directives it would meet stay unexpanded), next to the original so paths still resolve.

    The plugin's block is cut from the text (rather than re-dumped as YAML) so tags such
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
        # extension goes too, and with it the hook that cuts the math font to the formulas
        # and the one that puts the gen step's widget data on the lecture page.
        if line.lstrip().startswith(
            (
                "- gen-files",
                "- kl.markdown_math",
                "- scripts/kl_math_font_hook.py",
                "- scripts/kl_widgets_hook.py",
            )
        ):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind (default 3)")
    args = parser.parse_args()
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
        ok = True
        for ratio, budget in BUDGETS.items():
            num, den = ratio.split("/")
            value = medians[num] / medians[den]
            ok &= value <= budget
            print(f"{ratio:>9}: {value:.2f}  (budget {budget})")
        assets = _page_assets(work / "site", work / "site" / "index.html")
        raw = sum(f.stat().st_size for f in assets)
        zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in assets)
        ok &= zipped / 1000 <= PAGE_BUDGET_KB
        print(
            f"lecture page: {len(assets)} files, {raw / 1000:.0f} KB raw, "
            f"{zipped / 1000:.0f} KB gzipped (budget {PAGE_BUDGET_KB} KB gzipped)"
        )
        return 0 if ok else 1
    finally:
        bare_config.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
