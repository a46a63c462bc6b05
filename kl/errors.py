"""The errors `kl` raises on bad input: each message says what is wrong and where."""

import os


def traceback_wanted() -> bool:
    """Whether KL_TRACEBACK asks for Python's traceback with an error in the sources (any
    value but empty or "0"); without it, the build reports the error's message alone."""
    return os.environ.get("KL_TRACEBACK", "") not in ("", "0")


class KLError(Exception):
    """Base class of every error `kl` raises on purpose."""


class DistributionError(KLError, ValueError):
    """A probability distribution (or a parameter of a measure) is not valid."""


class DataError(KLError, ValueError):
    """The lecture's data file is malformed: the message names the file, the key and the problem."""


class FigureError(KLError):
    """A figure module is broken: the message names the file (and line, where known)."""


class TexError(KLError, ValueError):
    """A formula's TeX could not be typeset: the message quotes the formula."""


class FontError(KLError, ValueError):
    """The math font could not be read as a font."""
