"""Every built page is valid HTML, by the Nu HTML Checker (vnu.jar from npm, run with Java).

The checker (`npm ci --prefix .ci/vnu`) and a Java runtime are installed on first use if
the machine has none (tests/tools.py). One run of the checker covers the whole site and a
deliberately invalid page, so a checker that silently accepts everything fails the test too.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sitebuild import ROOT, shared_site
from tests.tools import require_command, require_npm_packages

pytestmark = pytest.mark.site  # builds the site with MkDocs

VNU_JAR = ROOT / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INVALID_PAGE = """<!doctype html>
<html lang="en"><head><title>canary</title></head>
<body><img src="figure.svg"><span id="x"></span><span id="x"></span></body></html>
"""


@dataclass(frozen=True)
class Message:
    url: str
    line: int
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{self.url}:{self.line}: {self.text}\n    {self.extract.strip()}"


def is_known_material_markup(message: Message) -> bool:
    """Markup that Material for MkDocs writes in every page and that we cannot change.

    Material's base template marks its two hidden checkbox toggles (the navigation drawer
    and the search, `<input class="md-toggle" type="checkbox" ... autocomplete="off">`)
    with autocomplete="off" so that Firefox does not restore their state on back
    navigation; the HTML standard allows autocomplete only on text-like inputs. This
    matches that message on those inputs only.
    """
    return (
        message.text.startswith("Attribute “autocomplete” is only allowed when the input type is")
        and 'class="md-toggle"' in message.extract
        and 'type="checkbox"' in message.extract
    )


def validate(*paths: Path) -> list[Message]:
    require_npm_packages(VNU_JAR.parents[4])
    java = require_command("java")
    vnu = [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json"]
    result = subprocess.run(
        [*vnu, "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    return [
        Message(
            url=m.get("url", ""),
            line=m.get("lastLine", 0),
            text=m["message"],
            extract=m.get("extract", ""),
        )
        for m in report["messages"]
    ]


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """The checker's errors for the site and for the canary page, from one run."""
    site = shared_site(tmp_path_factory)
    canary = tmp_path_factory.mktemp("canary") / "invalid.html"
    canary.write_text(INVALID_PAGE)
    found = validate(site, canary)
    return {
        "site": [m for m in found if "invalid.html" not in m.url],
        "canary": [m for m in found if "invalid.html" in m.url],
    }


def test_the_checker_rejects_invalid_html(messages: dict[str, list[Message]]) -> None:
    texts = " ".join(m.text for m in messages["canary"])
    assert "Duplicate ID “x”" in texts
    assert "An “img” element must have an “alt” attribute" in texts


def test_every_built_page_is_valid_html(messages: dict[str, list[Message]]) -> None:
    errors = [m for m in messages["site"] if not is_known_material_markup(m)]
    assert not errors, "\n".join(map(str, errors))


def test_the_material_filter_is_narrow(messages: dict[str, list[Message]]) -> None:
    complaint = "Attribute “autocomplete” is only allowed when the input type is “color”, ..."
    toggle = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" autocomplete="off">'
    assert is_known_material_markup(Message("x", 1, complaint, toggle))
    assert not is_known_material_markup(
        Message("x", 1, complaint, '<input type="checkbox" autocomplete="off">')
    )
    assert not is_known_material_markup(Message("x", 1, "Duplicate ID “__drawer”.", toggle))
    filtered = [m for m in messages["site"] if is_known_material_markup(m)]
    assert len(filtered) <= 2 * len({m.url for m in filtered})  # the two toggles of a page
