"""Tests for kl.site.mkdocs_plugin, without building a site: a mistake in the sources ends the
build as one line, and each build imports kl afresh only when its code changed."""

from __future__ import annotations

import sys
import types

import pytest
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import Files

from kl.errors import DataError
from kl.site import mkdocs_plugin
from kl.site.mkdocs_plugin import TRACEBACK_HINT, LecturePlugin

NO_SEARCH = types.SimpleNamespace(plugins={})  # a config with no search index to wrap


def test_a_mistake_in_the_sources_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KL_TRACEBACK", raising=False)
    with pytest.raises(PluginError) as caught, mkdocs_plugin._one_line_errors():
        raise DataError("lecture.toml: [forest.q] probabilities sum to 1.05, not 1")
    assert str(caught.value) == (
        f"kl: lecture.toml: [forest.q] probabilities sum to 1.05, not 1 ({TRACEBACK_HINT})"
    )
    assert caught.value.__suppress_context__  # no traceback of the DataError


def test_kl_traceback_and_other_errors_keep_their_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(KeyError), mkdocs_plugin._one_line_errors():
        raise KeyError("a bug")
    monkeypatch.setenv("KL_TRACEBACK", "1")
    with pytest.raises(DataError), mkdocs_plugin._one_line_errors():
        raise DataError("shown with its traceback")


def test_a_build_error_from_the_sources_aborts_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KL_TRACEBACK", raising=False)
    plugin = LecturePlugin()
    with pytest.raises(Abort, match="Aborted with an error in the sources"):
        plugin.on_build_error(error=DataError("x"))
    plugin.on_build_error(error=KeyError("a bug"))  # MkDocs reports it as it is


def test_kl_is_imported_afresh_only_when_its_code_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sys.modules
    hero = types.ModuleType("kl_figure_hero")
    modules = {**real, "kl_figure_hero": hero, "klx": types.ModuleType("klx")}
    monkeypatch.setattr(sys, "modules", modules)  # the plugin drops modules from a copy
    plugin = LecturePlugin()
    plugin.on_pre_build(config=NO_SEARCH)  # type: ignore[arg-type]
    dropped = set(real) - set(modules)
    assert {"kl", "kl.site.mkdocs_plugin"} <= dropped and "kl_figure_hero" not in modules
    assert all(name == "kl" or name.startswith("kl.") for name in dropped)
    assert "klx" in modules
    modules.update({name: real[name] for name in dropped} | {"kl_figure_hero": hero})
    plugin.on_pre_build(config=NO_SEARCH)  # type: ignore[arg-type]
    assert modules["kl_figure_hero"] is hero  # the same code: nothing to import afresh


def test_the_first_build_keeps_the_kl_modules_mkdocs_started_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    modules = dict(sys.modules)
    monkeypatch.setattr(sys, "modules", modules)  # the plugin would drop modules from a copy
    plugin = LecturePlugin()
    plugin.on_startup(command="build", dirty=False)
    plugin.on_pre_build(config=NO_SEARCH)  # type: ignore[arg-type]
    assert modules["kl.site.mkdocs_plugin"] is mkdocs_plugin


def test_workers_are_kept_only_under_serve() -> None:
    plugin = LecturePlugin()
    plugin.on_startup(command="build", dirty=False)
    assert plugin.warm_workers() is None


def test_a_site_without_the_math_font_is_left_as_it_is() -> None:
    env = object()
    assert LecturePlugin().on_env(env, config=None, files=Files([])) is env  # type: ignore[arg-type]


EXIT_CHECK = """
import atexit, gc
atexit.register(lambda: print(gc.get_freeze_count()))  # registered first: runs last
from kl.site.mkdocs_plugin import LecturePlugin
LecturePlugin().on_startup(command="build", dirty=False)
"""


def test_a_commands_process_exits_without_walking_what_is_left() -> None:
    """What a ``mkdocs build`` or ``serve`` leaves is frozen at exit, so Python's
    collections at exit skip it: the process frees it."""
    import subprocess

    run = subprocess.run([sys.executable, "-c", EXIT_CHECK], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) > 10_000  # kl's, MkDocs' and Python's own objects
