"""Where a lecture project keeps its sources and its build cache (importing nothing heavy,
so that a build served from the cache need not load the machinery that makes things)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kl.build.cache import cache_folder


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

    @property
    def templates_dir(self) -> Path:
        """Where the compiled page, caption and alt text templates are kept."""
        return self.cache_dir / "templates"
