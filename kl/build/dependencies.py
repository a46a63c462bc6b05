"""What one artifact (a figure, a part's values and tables) depends on, for its cache key.

Two things, found without running anything twice:

- the parts of the lecture's data it read: `Recorder` hands out the data (and, for what
  reads the computed values, the values) through wrappers that note each part read, by
  its dotted path (``data:forest.q``, ``value:forward_vs_reverse.peaks_win``); `read_digest` hashes
  the current content of such paths;
- the project's modules it imports: `ModuleIndex` follows the ``import kl...`` and
  ``from kl... import`` statements of the source files (at any depth, in functions too),
  so a change to a maths module reaches everything that imports it. Imports made by name
  at run time (``importlib.import_module``) are not seen: a module listed by
  ``kl.lecture.sections`` is a root of its own, never reached through the package.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from kl.lecture.data import LectureData
from kl.lecture.values import Fact

DATA = "data"
VALUE = "value"
# An `import kl.x` or `from kl.x import a, b` statement, names in parentheses over lines.
IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t]+(kl(?:\.\w+)*)|from[ \t]+(kl(?:\.\w+)*)[ \t]+import[ \t]+"
    r"(\([^)]*\)|[^\n#]*))",
    re.M,
)


class _Section:
    """One table of the data (``data.forest``) seen through a recorder: reading a field
    notes ``data:forest.<field>``; properties run on the wrapper, so what they read is
    noted; hashing or comparing it (a function cache keyed by it) notes every field."""

    def __init__(self, real: object, path: str, reads: set[str]) -> None:
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_reads", reads)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance() sees the real table's class
        return type(object.__getattribute__(self, "_real"))

    def __getattr__(self, name: str) -> Any:
        real = object.__getattribute__(self, "_real")
        path = object.__getattribute__(self, "_path")
        reads = object.__getattribute__(self, "_reads")
        attribute = getattr(type(real), name, None)
        if isinstance(attribute, property) and attribute.fget is not None:
            return attribute.fget(self)
        if name in {f.name for f in dataclasses.fields(cast(Any, real))}:
            reads.add(f"{path}.{name}")
        else:
            reads.add(path)
        return getattr(real, name)

    def _whole(self) -> object:
        object.__getattribute__(self, "_reads").add(object.__getattribute__(self, "_path"))
        return object.__getattribute__(self, "_real")

    def __hash__(self) -> int:
        return hash(self._whole())

    def __eq__(self, other: object) -> bool:
        other_real = other._whole() if isinstance(other, _Section) else other
        return self._whole() == other_real

    def __repr__(self) -> str:
        return repr(self._whole())


class _Data(_Section):
    """The whole `LectureData` seen through a recorder: each table is a `_Section`."""

    def __getattr__(self, name: str) -> Any:
        real = object.__getattribute__(self, "_real")
        reads = object.__getattribute__(self, "_reads")
        value = getattr(real, name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return _Section(value, f"{DATA}:{name}", reads)
        reads.add(f"{DATA}:{name}")
        return value


class _Values(Mapping[str, Fact]):
    """The computed values seen through a recorder: reading one notes ``value:<name>``."""

    def __init__(self, real: Mapping[str, Fact], reads: set[str]) -> None:
        self._real, self._reads = real, reads

    def __getitem__(self, name: str) -> Fact:
        self._reads.add(f"{VALUE}:{name}")
        return self._real[name]

    def __iter__(self) -> Iterator[str]:
        self._reads.update(f"{VALUE}:{name}" for name in self._real)
        return iter(self._real)

    def __len__(self) -> int:
        return len(self._real)


class Recorder:
    """Notes what a computation reads of ``data`` (and of ``values``, when given)."""

    def __init__(self, data: LectureData, values: Mapping[str, Fact] | None = None) -> None:
        self.reads: set[str] = set()
        self.data = cast(LectureData, _Data(data, DATA, self.reads))
        self.values: Mapping[str, Fact] = _Values(values or {}, self.reads)


def _lookup(path: str, data: LectureData, values: Mapping[str, Fact]) -> object:
    kind, _, dotted = path.partition(":")
    if kind == VALUE:
        return values.get(dotted)
    found: object = data
    for name in dotted.split(".") if dotted != DATA else []:
        found = getattr(found, name)
    return found


def read_digest(
    paths: Iterable[str], data: LectureData, values: Mapping[str, Fact] | None = None
) -> str:
    """SHA-256 over the current content of each path a `Recorder` noted (a value that is no
    longer computed counts as absent)."""
    h = hashlib.sha256()
    for path in sorted(paths):
        content = pickle.dumps(_lookup(path, data, values or {}), protocol=5)
        h.update(path.encode() + b"\0" + len(content).to_bytes(8, "big") + content)
    return h.hexdigest()


class ModuleIndex:
    """The modules of the package in ``package_dir`` (named ``kl``...), each read once."""

    def __init__(self, package_dir: Path) -> None:
        self.package_dir = package_dir
        self._sources: dict[Path, bytes] = {}
        self._imports: dict[Path, set[Path]] = {}
        self._files: dict[str, Path | None] = {}
        self._digests: dict[Path, str] = {}
        self._names: dict[Path, str] = {}

    def file_of(self, module: str) -> Path | None:
        """The file of a ``kl...`` module (its ``__init__.py`` for a package), or None."""
        if module not in self._files:
            base = self.package_dir.joinpath(*module.split(".")[1:])
            candidates = (base / "__init__.py", base.parent / f"{base.name}.py")
            self._files[module] = next((c for c in candidates if c.is_file()), None)
        return self._files[module]

    def source(self, path: Path) -> bytes:
        if path not in self._sources:
            self._sources[path] = path.read_bytes()
        return self._sources[path]

    def imports(self, path: Path) -> set[Path]:
        """The package's files that ``path`` imports directly (with their packages)."""
        if path not in self._imports:
            found: set[Path] = set()
            for plain, module, names in IMPORT.findall(self.source(path).decode("utf-8")):
                targets = [plain] if plain else [module]
                if module:
                    for name in names.strip("()").split(","):
                        if name.split():
                            targets.append(f"{module}.{name.split()[0]}")
                for target in targets:
                    for prefix in _prefixes(target):
                        file = self.file_of(prefix)
                        if file is not None:
                            found.add(file)
            self._imports[path] = found
        return self._imports[path]

    def closure(self, roots: Iterable[Path]) -> list[Path]:
        """``roots`` and every package file they import, directly or not, sorted."""
        seen: set[Path] = set()
        todo = list(roots)
        while todo:
            path = todo.pop()
            if path not in seen:
                seen.add(path)
                todo.extend(self.imports(path))
        return sorted(seen)

    def digest(self, roots: Iterable[Path]) -> str:
        """SHA-256 over the names and sources of `closure` of ``roots``, in the order of
        their names: the same wherever the project and the package are."""
        h = hashlib.sha256()
        for path in sorted(self.closure(roots), key=self._name):
            h.update(self._file_digest(path).encode())
        return h.hexdigest()

    def _name(self, path: Path) -> str:
        """A file's name below the package, or its own name for a file outside it."""
        if path not in self._names:
            inside = self.package_dir in path.parents
            self._names[path] = (
                path.relative_to(self.package_dir).as_posix() if inside else path.name
            )
        return self._names[path]

    def _file_digest(self, path: Path) -> str:
        """SHA-256 of a file's name (`_name`) and source, once."""
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(
                self._name(path).encode() + b"\0" + self.source(path)
            ).hexdigest()
        return self._digests[path]


def _prefixes(module: str) -> list[str]:
    """``kl.a.b`` -> ``kl``, ``kl.a``, ``kl.a.b``: importing a module runs its packages."""
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
