"""Tests for kl.site.config: mkdocs.yml read with MkDocs' !ENV and !relative tags, without
MkDocs, and the configuration a docs tree gets (the build steps it has taken left out)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kl.errors import DataError
from kl.site.config import read_site_config, tree_config
from tests.sitebuild import ROOT

CONFIG = """\
site_name: !ENV [KL_TEST_NAME, KL_TEST_OTHER, "A lecture"]
site_url: !ENV KL_TEST_URL
watch: [kl]
plugins:
  - search
  - gen-files:
      scripts: [scripts/gen_pages.py]
  - kl
markdown_extensions:
  - tables
  - kl.site.markdown_math:
      font: !relative $config_dir/docs/font.woff2
      paths: [!relative $config_dir/a, plain]
extra:
  lecture: {number: 34}
"""


def _config(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_env_takes_the_first_variable_set_else_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KL_TEST_NAME", "KL_TEST_OTHER", "KL_TEST_URL"):
        monkeypatch.delenv(name, raising=False)
    config = read_site_config(_config(tmp_path))
    assert (config.site_name, config.site_url) == ("A lecture", "")
    monkeypatch.setenv("KL_TEST_OTHER", "Other")
    monkeypatch.setenv("KL_TEST_URL", "https://example.org/")
    config = read_site_config(_config(tmp_path))
    assert (config.site_name, config.site_url) == ("Other", "https://example.org/")
    assert config.use_directory_urls is True and config.extra == {"lecture": {"number": 34}}


def test_markdown_extensions_come_after_mkdocs_own_with_relative_paths_made_absolute(
    tmp_path: Path,
) -> None:
    names, options = read_site_config(_config(tmp_path)).markdown_extensions()
    assert names == ["toc", "tables", "fenced_code", "kl.site.markdown_math"]
    root = tmp_path.resolve()
    assert options["kl.site.markdown_math"] == {
        "font": str(root / "docs" / "font.woff2"),
        "paths": [str(root / "a"), "plain"],
    }


def test_the_trees_config_drops_the_build_steps_and_keeps_paths_relative(tmp_path: Path) -> None:
    tree = yaml.safe_load(tree_config(read_site_config(_config(tmp_path)), extra={"x": 1}))
    assert tree["plugins"] == ["search"] and "watch" not in tree
    assert tree["extra"] == {"lecture": {"number": 34}, "x": 1}
    assert tree["markdown_extensions"][1]["kl.site.markdown_math"] == {
        "font": "docs/font.woff2",
        "paths": ["a", "plain"],
    }


def test_the_projects_own_config_is_read() -> None:
    config = read_site_config(ROOT / "mkdocs.yml")
    assert config.site_name and "kl.site.markdown_math" in config.markdown_extensions()[0]
    assert "gen-files" not in tree_config(config, extra={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", r"mkdocs\.yml: expected a mapping of settings"),
        ("site_name: [unclosed\n", r"mkdocs\.yml: not valid YAML: "),
        ("docs_dir: !relative docs\n", r"!relative docs: only \$config_dir/\.\.\. paths"),
        ("site_name: !ENV {a: 1}\n", r"!ENV takes a name or a list"),
    ],
)
def test_a_config_that_cannot_be_used_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_site_config(_config(tmp_path, text))


def test_a_missing_config_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"mkdocs\.yml: cannot read \(No such file"):
        read_site_config(tmp_path / "mkdocs.yml")
