"""kl: the engine behind Lecture 34, "KL Divergence".

It computes entropy, cross-entropy and KL divergence (discrete, Gaussian closed forms,
numeric continuous), and renders the lecture's figures and tables. It knows nothing of
MkDocs: `kl.build.build_artifacts` returns bytes, `kl.build.write_artifacts` writes them.
"""

from kl.continuous import kl_numeric
from kl.errors import DataError, DistributionError, FigureError, KLError, TexError
from kl.gaussian import kl_mvn, kl_normal, kl_to_standard_normal
from kl.measures import cross_entropy, entropy, kl_divergence

__all__ = [
    "DataError",
    "DistributionError",
    "FigureError",
    "KLError",
    "TexError",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "kl_mvn",
    "kl_normal",
    "kl_numeric",
    "kl_to_standard_normal",
]
