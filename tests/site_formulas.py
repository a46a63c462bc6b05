"""Every formula of the site, with its page, exactly as a real build typesets it.

The TeX of a formula is not in the pages' sources alone (values are filled into formulas,
content modules write some), so a real `mkdocs build` is run, in a process of its own
(the build reloads `kl`), with each page's math extension watched: every formula it
typesets is recorded with its page, its mode and the MathML the page got. The build has a
build cache of its own, empty: from a warm cache it would convert no page, and typeset
nothing to record.

    python -m tests.site_formulas MKDOCS_YML SITE_DIR OUT_JSON
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Formula:
    page: str  # the page's source, e.g. "index.md"
    tex: str
    display: bool
    mathml: str


def site_formulas(config: Path, site_dir: Path) -> list[Formula]:
    """Build the site of ``config`` into ``site_dir`` and return its formulas, in page order.

    The build has an empty cache of its own (beside ``site_dir``): from a cache that holds
    the pages converted (the project's ``.cache/kl`` after any build), it would take them
    from there and typeset, so record, no formula."""
    out = site_dir.with_name(site_dir.name + "-formulas.json")
    cache = site_dir.with_name(site_dir.name + "-cache")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "KL_CACHE_DIR": str(cache),
    }
    command = [sys.executable, "-m", "tests.site_formulas", str(config), str(site_dir), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise AssertionError(f"the build failed:\n{result.stdout}\n{result.stderr}")
    return [Formula(**item) for item in json.loads(out.read_text())]


def distinct(formulas: list[Formula]) -> list[Formula]:
    """The first occurrence of each (TeX, mode)."""
    seen: dict[tuple[str, bool], Formula] = {}
    for formula in formulas:
        seen.setdefault((formula.tex, formula.display), formula)
    return list(seen.values())


def _record(config: str, site_dir: str) -> list[dict[str, Any]]:
    import markdown
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    recorded: list[dict[str, Any]] = []
    page_now = [""]
    render, convert = Page.render, markdown.Markdown.convert

    def render_watched(self: Page, *args: Any, **kwargs: Any) -> Any:
        page_now[0] = self.file.src_uri
        return render(self, *args, **kwargs)

    def convert_watched(self: markdown.Markdown, source: str) -> str:
        if "kl-math" in self.inlinePatterns:
            processors = [self.inlinePatterns["kl-math"]]
            processors.append(self.parser.blockprocessors["kl-display-math"])
            for processor in processors:
                typeset = processor.typeset  # type: ignore[attr-defined]

                def watched(tex: str, *, display: bool = False, typeset: Any = typeset) -> str:
                    mathml = typeset(tex, display=display)
                    item = {"page": page_now[0], "tex": tex, "display": display, "mathml": mathml}
                    recorded.append(item)
                    return str(mathml)

                processor.typeset = watched  # type: ignore[attr-defined]
        return str(convert(self, source))

    Page.render = render_watched  # type: ignore[method-assign]
    markdown.Markdown.convert = convert_watched  # type: ignore[method-assign]
    loaded = load_config(config, site_dir=site_dir, strict=True)
    loaded.plugins.on_startup(command="build", dirty=False)
    try:
        build(loaded)
    finally:
        loaded.plugins.on_shutdown()
    return recorded


if __name__ == "__main__":
    config_file, site, out_json = sys.argv[1:4]
    Path(out_json).write_text(json.dumps(_record(config_file, site), ensure_ascii=False))
