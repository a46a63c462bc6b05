"""MkDocs hook: a problem in the lecture's sources stops the build without a traceback.

MkDocs prints a Python traceback for any exception that is not its own, such as the
`kl.TexError` that the math extension raises for a formula KaTeX cannot typeset. A
`kl.KLError` is a mistake in the sources, not in the code, and MkDocs has already logged
its message with the page ("Error reading page 'index.md': cannot typeset $...$: ..."),
so this hook ends the build with MkDocs' own abort instead. (Errors raised while the
artifacts are made, such as bad data, reach MkDocs as a PluginError from
scripts/gen_pages.py and are reported the same way.) Set KL_TRACEBACK=1 for the traceback.
"""

from __future__ import annotations

from mkdocs.exceptions import Abort


def _is_kl_error(error: BaseException) -> bool:
    # By name: `mkdocs serve` reloads kl, so the class object may not be the one imported here.
    return any(c.__module__ == "kl.errors" and c.__name__ == "KLError" for c in type(error).__mro__)


def on_build_error(error: Exception) -> None:
    from kl.errors import traceback_wanted

    if _is_kl_error(error) and not traceback_wanted():
        raise Abort("Aborted with an error in the sources (KL_TRACEBACK=1 shows a traceback).")
