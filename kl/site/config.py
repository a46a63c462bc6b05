"""The site's configuration (``mkdocs.yml``), read without MkDocs, and the one a docs tree gets.

`read_site_config` reads the YAML with MkDocs' two tags, ``!ENV`` (an environment
variable, or the first of several that is set, else a default) and ``!relative``
(``$config_dir/...``, a path below the config's folder), so `kl` can render the pages
with the site's own Markdown extensions. `tree_config` writes the configuration of an
expanded docs tree (`kl.site.tree`): the same site without the steps only MkDocs runs
(the gen-files step and the ``kl`` plugin), with every ``!ENV`` value as it was read and
every ``!relative`` path relative to the tree's root, which mirrors the project's. Any
engine that reads ``mkdocs.yml`` (MkDocs, Zensical) builds it when run in that folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kl.errors import DataError

CONFIG_DIR = "$config_dir/"
# The steps of the authoring build that a docs tree has already taken.
BUILD_STEPS = ("gen-files", "kl")
AUTHORING_ONLY = ("watch",)  # what `mkdocs serve` rebuilds on


@dataclass(frozen=True)
class RelativePath:
    """A ``!relative $config_dir/PATH`` value: ``path`` below the config's folder."""

    path: str


# libyaml's reader when PyYAML has it: a tenth of the pure-Python reader's time.
_SafeLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML with MkDocs' ``!ENV`` and ``!relative`` tags."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        *names, default = loader.construct_sequence(node)
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV takes a name or a list")
    return next((os.environ[str(n)] for n in names if n in os.environ), default)


def _relative(loader: _Loader, node: yaml.Node) -> RelativePath:
    value = str(loader.construct_scalar(node))
    if not value.startswith(CONFIG_DIR):
        raise yaml.constructor.ConstructorError(
            None, None, f"!relative {value}: only {CONFIG_DIR}... paths are supported"
        )
    return RelativePath(value.removeprefix(CONFIG_DIR))


_Loader.add_constructor("!ENV", _env)
_Loader.add_constructor("!relative", _relative)


@dataclass(frozen=True)
class SiteConfig:
    """The parsed ``mkdocs.yml`` of the project in ``root`` (``!relative`` paths kept as
    `RelativePath`)."""

    root: Path
    raw: Mapping[str, Any]

    @property
    def site_name(self) -> str:
        return str(self.raw.get("site_name") or "")

    @property
    def site_url(self) -> str:
        return str(self.raw.get("site_url") or "")

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.raw.get("use_directory_urls", True))

    @property
    def extra(self) -> Mapping[str, Any]:
        return self.raw.get("extra") or {}

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict[str, Any]]]:
        """The Markdown extensions MkDocs would run, by name, and their options, with each
        ``!relative`` path made absolute (MkDocs always adds toc, tables, fenced_code)."""
        names = ["toc", "tables", "fenced_code"]
        options: dict[str, dict[str, Any]] = {}
        for entry in self.raw.get("markdown_extensions") or []:
            name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
            names += [] if name in names else [name]
            options[name] = {k: self._resolved(v) for k, v in (config or {}).items()}
        return names, options

    def _resolved(self, value: Any) -> Any:
        if isinstance(value, RelativePath):
            return str(self.root / value.path)
        if isinstance(value, list):
            return [self._resolved(v) for v in value]
        return value


def read_site_config(path: Path) -> SiteConfig:
    """Read ``path`` (a ``mkdocs.yml``). Raises DataError naming the file if it cannot be
    read or is not a YAML mapping."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected a mapping of settings")
    return SiteConfig(path.resolve().parent, raw)


def _plain(value: Any) -> Any:
    """``value`` with each `RelativePath` written as a path relative to the tree's root."""
    if isinstance(value, RelativePath):
        return value.path
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _is_build_step(plugin: Any) -> bool:
    name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
    return name in BUILD_STEPS


def tree_config(config: SiteConfig, *, extra: Mapping[str, Any]) -> str:
    """The YAML of the docs tree's ``mkdocs.yml``: ``config`` without the build steps the
    tree has taken, with ``extra`` added to its ``extra`` settings."""
    settings = {k: _plain(v) for k, v in config.raw.items() if k not in AUTHORING_ONLY}
    settings["plugins"] = [p for p in settings.get("plugins", []) if not _is_build_step(p)]
    settings["extra"] = {**settings.get("extra", {}), **extra}
    return yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=100)
