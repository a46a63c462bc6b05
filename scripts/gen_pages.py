"""The MkDocs build step (run by the gen-files plugin): put what `kl` makes into the site.

It is the only place that imports mkdocs_gen_files. Every page in docs/ is rendered as a
template with the lecture's facts (`kl.templating`), every figure file is added, and the
link listings other sites use (objects.inv, links.json) are made from docs/anchors.toml.
Under `mkdocs serve` this script runs again on each change; it first drops `kl` from
sys.modules so edits to the package show up without a restart.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import version
from pathlib import Path

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

for _name in [m for m in sys.modules if m == "kl" or m.startswith(("kl.", "kl_figure_"))]:
    del sys.modules[_name]

from kl.build import Project, build_artifacts  # noqa: E402
from kl.errors import KLError, traceback_wanted  # noqa: E402
from kl.inventory import link_listings, read_anchor_contract  # noqa: E402
from kl.markup import gallery_entries, link_preview, render_page  # noqa: E402
from kl.templating import figures_named  # noqa: E402
from kl.widgets import island  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
log = logging.getLogger("mkdocs.plugins.kl")
# The figure whose PNG illustrates links to the site (docs/overrides/partials/kl-meta.html).
PREVIEW_FIGURE = "hero"


def main() -> None:
    try:
        project = Project(ROOT)
        artifacts = build_artifacts(project, progress=log.info)
        config = mkdocs_gen_files.config
        site_url = config.site_url or ""
        # The gallery lists the figures in the order the lecture shows them.
        gallery = gallery_entries(
            artifacts,
            site_url=site_url,
            site_name=config.site_name,
            order=figures_named((DOCS / "index.md").read_text(encoding="utf-8")),
        )
        pages = {
            page.relative_to(DOCS).as_posix(): render_page(
                page.read_text(encoding="utf-8"),
                page=page.relative_to(DOCS).as_posix(),
                artifacts=artifacts,
                includes=project.includes_dir,
                extra={"gallery": gallery},
            )
            for page in sorted(DOCS.rglob("*.md"))
        }
        # Read by the page template: a theme cannot see the artifacts otherwise.
        config.extra["kl_link_preview"] = link_preview(artifacts, PREVIEW_FIGURE)
        # The interactive figures' inputs, put on the lecture page by kl_widgets_hook.py.
        config.extra["kl_widgets"] = island(artifacts.data, artifacts.values)
        listings = link_listings(
            read_anchor_contract(DOCS / "anchors.toml"),
            project=config.site_name,
            version=version("kl-lecture"),
            site_url=site_url,
            directory_urls=config.use_directory_urls,
        )
    except KLError as exc:
        if traceback_wanted():
            raise  # MkDocs prints the traceback of anything that is not its own error
        raise PluginError(f"kl: {exc}") from None
    for rel, content in artifacts.files.items():
        if rel.startswith("figures/"):
            with mkdocs_gen_files.open(rel, "wb") as f:
                f.write(content)
    for rel, content in listings.items():
        with mkdocs_gen_files.open(rel, "wb") as f:
            f.write(content)
    for rel, text in pages.items():
        with mkdocs_gen_files.open(rel, "w") as f:
            f.write(text)


main()
