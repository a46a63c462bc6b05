"""The lecture's computed content: named values and tables, derived from the data file.

Each module in this package covers one part of the lecture and exposes
``values(data) -> dict[str, Fact]`` and ``tables(data) -> dict[str, Table]``; every
module here is picked up, so adding a part means adding a file. Names are namespaced
by the module (``forest_example.kl_pq_bits``) and must be unique across modules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TypeVar

from kl.lecture.data import LectureData
from kl.lecture.tables import Table
from kl.lecture.values import Fact


def _sections() -> tuple[ModuleType, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


SECTIONS = _sections()

T = TypeVar("T")


def _collect(getter: Callable[[ModuleType], Mapping[str, T]]) -> dict[str, T]:
    merged: dict[str, T] = {}
    for module in SECTIONS:
        for name, item in getter(module).items():
            if name in merged:
                raise ValueError(f"{module.__name__} redefines {name!r}")
            merged[name] = item
    return merged


def lecture_values(data: LectureData) -> dict[str, Fact]:
    """Every named value the pages may quote."""
    return _collect(lambda m: m.values(data))


def lecture_tables(data: LectureData) -> dict[str, Table]:
    """Every named table the pages may include."""
    return _collect(lambda m: m.tables(data))
