"""kl: the engine behind Lecture 34, "KL Divergence".

It computes entropy, cross-entropy and KL divergence (discrete, Gaussian closed forms,
numeric continuous), and renders the lecture's figures and tables. Only `kl.mkdocs_plugin`
knows MkDocs: `kl.build.build_artifacts` returns bytes, `kl.build.write_artifacts` writes
them, and `kl.site_tree` writes the whole docs tree any site generator can publish.

The measures are imported on first use (PEP 562), so a build that finds every figure in
its cache, or a Markdown extension such as `kl.markdown_math`, never loads numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kl.errors import DataError, DistributionError, FigureError, FontError, KLError, TexError

if TYPE_CHECKING:
    from kl.continuous import kl_numeric, kl_numeric_log
    from kl.gaussian import kl_mvn, kl_normal, kl_to_standard_normal
    from kl.measures import cross_entropy, entropy, kl_divergence

_LAZY = {
    "kl_numeric": "kl.continuous",
    "kl_numeric_log": "kl.continuous",
    "kl_mvn": "kl.gaussian",
    "kl_normal": "kl.gaussian",
    "kl_to_standard_normal": "kl.gaussian",
    "cross_entropy": "kl.measures",
    "entropy": "kl.measures",
    "kl_divergence": "kl.measures",
}

__all__ = [
    "DataError",
    "DistributionError",
    "FigureError",
    "FontError",
    "KLError",
    "TexError",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "kl_mvn",
    "kl_normal",
    "kl_numeric",
    "kl_numeric_log",
    "kl_to_standard_normal",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
