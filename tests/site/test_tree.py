"""The docs tree `kl tree` writes without MkDocs, and MkDocs and Zensical publishing it alike."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

import kl.build.templating
from kl.build.mathfont import MATH_FONT
from kl.build.project import Project
from kl.build.widgets import ISLAND_ID
from kl.site.config import read_site_config
from kl.site.tree import compile_templates, make_pages
from tests.engine_sites import ROOT, compare_sites, publish, run
from tests.sitebuild import session_cache

CODE_FOLDERS = ("kl", "scripts", "figures")


def _imports_mkdocs(module: Path) -> bool:
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level == 0
            else []
        )
        if any(name == "mkdocs" or name.startswith("mkdocs.") for name in names):
            return True
    return False


def test_exactly_one_module_of_the_project_imports_mkdocs() -> None:
    modules = [p for folder in CODE_FOLDERS for p in sorted((ROOT / folder).rglob("*.py"))]
    assert len(modules) > 40
    importing = [p.relative_to(ROOT).as_posix() for p in modules if _imports_mkdocs(p)]
    assert importing == ["kl/site/mkdocs_plugin.py"]


WRITE_TREE_WITHOUT_MKDOCS = """
import sys
from kl.site.cli import main
code = main(["--root", sys.argv[1], "tree", sys.argv[2]])
loaded = sorted(m for m in sys.modules if m == "mkdocs" or m.startswith("mkdocs."))
assert not loaded, f"MkDocs was imported: {loaded}"
sys.exit(code)
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture's docs tree, written by a process that never imports MkDocs."""
    out = tmp_path_factory.mktemp("tree") / "tree"
    command = [sys.executable, "-c", WRITE_TREE_WITHOUT_MKDOCS, str(ROOT), str(out)]
    run(command, cwd=ROOT, KL_CACHE_DIR=session_cache(tmp_path_factory))
    return out


@pytest.mark.site  # writes the tree (figures drawn)
def test_every_page_renders_cut_into_sections_as_it_does_whole(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("KL_CACHE_DIR", session_cache(tmp_path_factory))  # every figure is there
    config = read_site_config(ROOT / "mkdocs.yml")
    cut, failed = [], []
    render_sections = kl.build.templating._render_sections

    def noted(env: Any, sections: list[str], **kwargs: Any) -> str:
        try:
            rendered = render_sections(env, sections, **kwargs)
        except Exception as exc:
            failed.append(f"{kwargs['where']}: {exc}")
            raise
        cut.append(kwargs["where"])
        return rendered

    monkeypatch.setattr(kl.build.templating, "_render_sections", noted)
    sectioned = make_pages(Project(ROOT), config)
    assert failed == [] and "docs/index.md" in cut
    monkeypatch.setattr(kl.build.templating, "_sections", lambda text: [text])
    whole = make_pages(Project(ROOT), config)
    pages = sorted(rel for rel in whole.files if rel.endswith(".md"))
    for rel in pages:
        assert sectioned.files[rel] == whole.files[rel], rel
        assert (tree / "docs" / rel).read_bytes() == whole.files[rel], rel


@pytest.mark.site  # writes the tree (figures drawn) and builds it
def test_the_tree_holds_the_expanded_pages_and_what_they_show(tree: Path) -> None:
    docs = tree / "docs"
    lecture = (docs / "index.md").read_text(encoding="utf-8")
    assert "{{" not in lecture and "{%" not in lecture
    assert lecture.rstrip().endswith("</script>") and f'id="{ISLAND_ID}"' in lecture
    for listing in ("objects.inv", "links.json", "figures/hero.svg", "figures/hero.dark.svg"):
        assert (docs / listing).is_file(), listing
    assert (docs / MATH_FONT).stat().st_size < (ROOT / "docs" / MATH_FONT).stat().st_size / 4
    config = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    assert "gen-files" not in config and "!relative" not in config and "!ENV" not in config


@pytest.mark.site  # writes the tree (figures drawn) and builds it
def test_mkdocs_and_zensical_publish_the_same_lecture(tree: Path) -> None:
    mkdocs_site, zensical_site = publish(tree, "mkdocs"), publish(tree, "zensical")
    lecture = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert 'class="kl-answers"' in lecture and f'id="{ISLAND_ID}"' in lecture
    assert compare_sites(mkdocs_site, zensical_site) == []


def _site(folder: Path, article: str, title: str = "T") -> Path:
    page = folder / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f'<title>{title}</title><article class="md-content__inner md-typeset">{article}</article>'
    )
    return folder


@pytest.mark.site  # reads the figures and values the tree's build drew and computed
def test_the_templates_compiled_beforehand_are_all_a_build_compiles(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: Any
) -> None:
    monkeypatch.setenv("KL_CACHE_DIR", session_cache(tmp_path_factory))  # every figure is there
    compiled = property(lambda _: tmp_path / "templates")  # and no compiled template
    monkeypatch.setattr(Project, "templates_dir", compiled)
    compile_templates(Project(ROOT))

    def must_not_run(*_: object, **__: object) -> None:
        raise AssertionError("the build compiled a template")

    monkeypatch.setattr(jinja2.Environment, "compile", must_not_run)
    built = make_pages(Project(ROOT), read_site_config(ROOT / "mkdocs.yml"))
    pages = sorted(rel for rel in built.files if rel.endswith(".md"))
    assert "index.md" in pages
    for rel in pages:
        assert built.files[rel] == (tree / "docs" / rel).read_bytes(), rel


def test_the_comparison_names_a_changed_text_title_and_lost_anchor(tmp_path: Path) -> None:
    ids = "".join(f'<h2 id="{a}">x</h2>' for a in ("recap", "fig-hero"))
    same = _site(tmp_path / "a", f'{ids}<p>One <img alt="a bar chart"></p>')
    problems = [str(d) for d in compare_sites(same, _site(tmp_path / "b", f"{ids}<p>One</p>"))]
    assert any("index.html: article text" in p and "a bar chart" in p for p in problems)
    assert any("no page has the anchor" in p and "definition" in p for p in problems)
    other = _site(tmp_path / "c", f'{ids}<p>One <img alt="a bar chart"></p>', title="U")
    problems = [str(d) for d in compare_sites(same, other)]
    assert "index.html: titles 'T' and 'U'" in problems
    assert "search: sections differ: (none indexed)" in problems
