"""A content-addressed cache of rendered files, so an unchanged figure is never redrawn."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

CACHE_FORMAT = "kl-figure-cache-2"


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


LIBRARIES = ("matplotlib", "numpy", "scipy")


@functools.cache
def versions(names: tuple[str, ...]) -> str:
    """The installed versions of the distributions ``names``, for cache keys (read once
    per process, which keeps the libraries it has loaded: under ``mkdocs serve`` an
    upgrade shows with the next session). Raises PackageNotFoundError for one missing."""
    return ";".join(f"{n}={_version(n)}" for n in names)


_VERSION = re.compile(r"^Version:[ \t]*(\S+)", re.MULTILINE)


def _version(name: str) -> str:
    """``importlib.metadata.version(name)``, read from the metadata's headers alone:
    parsing the whole file, a long description included, took most of a build's reading
    of versions."""
    dist = importlib.metadata.distribution(name)
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    match = _VERSION.search(text.partition("\n\n")[0])
    return match.group(1) if match else dist.version


def library_versions() -> str:
    """Versions of the libraries whose output ends up in the files and values."""
    return versions(LIBRARIES)


def cache_key(parts: Iterable[bytes | str]) -> str:
    """SHA-256 of the parts, each length-prefixed so no two lists of parts collide."""
    h = hashlib.sha256(CACHE_FORMAT.encode())
    for part in parts:
        raw = part.encode() if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "big") + raw)
    return h.hexdigest()


DIGEST_FILE = "sha256sums"
log = logging.getLogger("kl.build.cache")
# Cache folders found unwritable in this process: warned about once, then not written.
_UNWRITABLE: set[Path] = set()


class FileCache:
    """Stores named files under a key in ``folder``, each entry with the SHA-256 of its files.

    An entry is written atomically (a full staging folder renamed into place) and checked
    when read: one whose files do not match their digests (truncated, emptied, missing
    one file) is reported in one warning line, removed and made anew by the caller. A
    cache that cannot be written (read-only, or ``folder`` is a file) gives one warning
    line and the build goes on without storing; a cache deleted mid-build is made again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, names: Iterable[str]) -> dict[str, bytes] | None:
        """The files stored under ``key``, or None unless every one of ``names`` is there
        and matches its digest (a damaged entry is removed, with a warning)."""
        entry = self._entry(key)
        try:
            digests = _read_digests(entry / DIGEST_FILE)
            files = {name: (entry / name).read_bytes() for name in names}
        except OSError as exc:
            if entry.is_dir():  # an entry is there but incomplete or unreadable
                self._discard(entry, f"{Path(exc.filename or entry).name}: {exc.strerror}")
            return None
        except ValueError as exc:  # a malformed digest file
            self._discard(entry, str(exc))
            return None
        for name, content in files.items():
            if digests.get(name) != hashlib.sha256(content).hexdigest():
                self._discard(entry, f"{name} does not match its digest")
                return None
        return files

    def _discard(self, entry: Path, problem: str) -> None:
        log.warning("kl: cache entry %s is damaged (%s): made anew", entry, problem)
        aside = entry.with_name(f".bad-{entry.name}-{os.getpid()}")
        try:
            entry.rename(aside)
        except OSError:
            return  # removed by another build meanwhile, or a read-only cache
        shutil.rmtree(aside, ignore_errors=True)

    def put(self, key: str, files: dict[str, bytes], *, replace: bool = False) -> None:
        """Store ``files`` under ``key`` (in place of what is there, with ``replace``, unless
        that is the same files); a concurrent or interrupted write leaves no half entry.
        Never raises: a cache that cannot be written is reported once and skipped."""
        if self.folder in _UNWRITABLE:
            return
        try:
            self._write(key, files, replace)
        except FileNotFoundError:  # the cache was deleted meanwhile: make it again
            try:
                self._write(key, files, replace)
            except OSError as exc:
                self._give_up(exc)
        except OSError as exc:
            self._give_up(exc)

    def _give_up(self, exc: OSError) -> None:
        _UNWRITABLE.add(self.folder)
        log.warning(
            "kl: cannot write the build cache %s (%s): building without caching",
            self.folder,
            exc.strerror or exc,
        )

    def _write(self, key: str, files: dict[str, bytes], replace: bool) -> None:
        entry = self._entry(key)
        digest = entry / DIGEST_FILE
        if digest.exists() and not replace:
            return  # kept
        sums = "".join(f"{hashlib.sha256(c).hexdigest()}  {n}\n" for n, c in files.items())
        if digest.exists() and _same_text(digest, sums):
            return  # replaced by the same files
        if entry.exists():  # replaced, or a damaged entry that could not be removed when read
            aside = entry.with_name(f".old-{entry.name}-{os.getpid()}")
            with contextlib.suppress(OSError):  # removed meanwhile
                entry.rename(aside)
            shutil.rmtree(aside, ignore_errors=True)
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        try:
            for name, content in files.items():
                (staging / name).write_bytes(content)
            (staging / DIGEST_FILE).write_text(sums, encoding="utf-8")
            staging.replace(entry)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not digest.exists():
                raise


def _same_text(path: Path, text: str) -> bool:
    """Whether the file ``path`` holds ``text`` (False if it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, ValueError):
        return False


def _read_digests(path: Path) -> dict[str, str]:
    """The name -> SHA-256 (hex) lines of an entry's digest file; ValueError if malformed."""
    digests = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{DIGEST_FILE} is malformed")
        digests[name] = digest
    return digests
