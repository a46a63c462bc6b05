"""A content-addressed cache of rendered files, so an unchanged figure is never redrawn."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

CACHE_FORMAT = "kl-figure-cache-1"


def cache_folder(default: Path) -> Path:
    """Where the cache lives: KL_CACHE_DIR when set, else ``default``."""
    override = os.environ.get("KL_CACHE_DIR")
    return Path(override) if override else default


def source_digest(folder: Path) -> str:
    """SHA-256 over every ``.py`` file below ``folder`` (relative names and contents)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def module_source(module_file: str) -> bytes:
    """The source of a module (pass its ``__file__``), read once per process: for the cache
    keys of what that module makes, so a change to its code makes it anew."""
    return Path(module_file).read_bytes()


def library_versions() -> str:
    """Versions of the libraries whose output ends up in the files."""
    return ";".join(f"{n}={importlib.metadata.version(n)}" for n in ("matplotlib", "numpy"))


def cache_key(parts: Iterable[bytes | str]) -> str:
    """SHA-256 of the parts, each length-prefixed so no two lists of parts collide."""
    h = hashlib.sha256(CACHE_FORMAT.encode())
    for part in parts:
        raw = part.encode() if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "big") + raw)
    return h.hexdigest()


class FileCache:
    """Stores named files under a key in ``folder``; entries are written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, names: Iterable[str]) -> dict[str, bytes] | None:
        """The files stored under ``key``, or None unless every one of ``names`` is there."""
        entry = self._entry(key)
        try:
            return {name: (entry / name).read_bytes() for name in names}
        except OSError:
            return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store ``files`` under ``key``; a concurrent or interrupted write leaves no half entry."""
        entry = self._entry(key)
        if entry.exists():
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        try:
            for name, content in files.items():
                (staging / name).write_bytes(content)
            staging.replace(entry)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not entry.exists():
                raise
