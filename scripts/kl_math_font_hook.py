"""MkDocs hook: the site ships its math font cut down to the glyphs its formulas use.

Once every page is rendered (``on_env``), this hook reads the characters of every page's
MathML (`kl.mathfont.math_characters`) and puts in place of the font file a subset of it
with just those glyphs (`kl.mathfont.cached_subset`, kept in the build cache). A formula
an author adds brings its own glyphs with it; the font a reader downloads is an eighth of
the full one (17 KB of 135 KB for this lecture), which matters most on a slow phone
connection, where it is among the first files every page fetches.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


def on_env(env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
    from kl.build import Project
    from kl.cache import FileCache
    from kl.errors import FontError, traceback_wanted
    from kl.mathfont import MATH_FONT, cached_subset, math_characters

    font = files.get_file_from_path(MATH_FONT)
    if font is None:
        return env
    characters: set[str] = set()
    for file in files.documentation_pages():
        if file.page is not None and file.page.content is not None:
            characters |= math_characters(file.page.content)
    root = Path(config.config_file_path).parent
    cache = FileCache(Project(root).cache_dir)
    try:
        subset = cached_subset(font.content_bytes, characters, cache)
    except FontError as exc:
        if traceback_wanted():
            raise
        where = os.path.relpath(font.abs_src_path, root) if font.abs_src_path else MATH_FONT
        raise PluginError(f"kl: {where}: {exc}") from None
    files.remove(font)
    files.append(File.generated(config, MATH_FONT, content=subset))
    return env
