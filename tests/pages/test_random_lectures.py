"""A property test: the whole lecture, built for real from random valid data files.

Each example is a data file drawn anywhere inside the documented ranges (tests/strategies.py:
3 to 12 outcomes named with markup characters, zeros and tiny probabilities, every knob),
built with `mkdocs build --strict` within a time limit. Every page must be valid HTML (Nu
HTML Checker) and every outcome name must read as written, never as markup. The examples
are fixed (derandomized) so that CI runs the same ones each time; a failure prints the data.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, Phase, assume, given, settings

from kl.errors import DataError
from kl.lecture.data import parse_lecture_data
from tests.datasets import DATA, visible, without_embedded
from tests.pages.test_html_valid import is_known_material_markup, validate
from tests.sitebuild import copy_project, mkdocs_run, session_cache
from tests.strategies import lecture_data

pytestmark = pytest.mark.site  # builds the site with MkDocs

BUILD_SECONDS = 600  # one build of the lecture, figures included, on a loaded machine
PAGES = ("index.html", "formulas/index.html", "explorer/index.html", "gallery/index.html")


def test_a_name_is_looked_for_outside_formulas_and_scripts() -> None:
    """A name such as "/<" is no markup where a formula's "<mi>/</mi>" holds it."""
    source = "<p>a &lt; b</p><math><mi>/</mi></math><script>x = '/<b>'</script>"
    assert "/<" not in without_embedded(source) and "/<" in without_embedded("<p>/<b></p>")


def _valid(raw: dict[str, object]) -> bool:
    try:
        parse_lecture_data(tomli_w.dumps(raw), Path("lecture.toml"))
    except DataError:
        return False
    return True


@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking would rebuild the site many times
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(raw=lecture_data())
def test_any_valid_data_builds_a_valid_lecture_with_names_as_text(
    raw: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assume(_valid(raw))
    names = list(raw["forest"]["p"])  # type: ignore[index]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = copy_project(work / "project")
        (root / DATA).write_text(tomli_w.dumps(raw), encoding="utf-8")
        try:
            cache = session_cache(tmp_path_factory)
            result = mkdocs_run(root, work / "site", KL_CACHE_DIR=cache, timeout=BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the build took over {BUILD_SECONDS} s") from None
        assert result.returncode == 0, result.stderr[-3000:]
        sources = {page: (work / "site" / page).read_text(encoding="utf-8") for page in PAGES}
        errors = [m for m in validate(*(work / "site" / p for p in PAGES))]
        errors = [m for m in errors if not is_known_material_markup(m)]
        assert not errors, "\n".join(map(str, errors))
    lecture = visible(sources["index.html"])
    for name in names:
        assert " ".join(name.split()) in lecture, f"{name!r} does not read as written"
        if "<" in name:  # written raw, it would open a tag (escaped, it reads &lt;)
            for page, source in sources.items():
                assert name not in without_embedded(source), f"{name!r} is markup on {page}"
