"""One Lighthouse run on a page, with Debian's chromium: the benchmark measures the
lecture page's performance with it, the audit tests its accessibility, best practices and
SEO. Lighthouse comes from npm (`.ci/`, installed by scripts/install-test-tools)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LIGHTHOUSE = Path(__file__).resolve().parent.parent / ".ci/node_modules/lighthouse/cli/index.js"


def lighthouse_report(
    url: str, report: Path, categories: Sequence[str], chromium_args: Sequence[str]
) -> dict[str, Any]:
    """Lighthouse's JSON report of ``url`` for ``categories`` (its ids, e.g. "seo"), at its
    phone settings (its defaults: a phone's screen, simulated slow 4G and a 4x slower CPU),
    with headless Chromium started with ``chromium_args``; written to ``report`` and
    returned. Raises ``CalledProcessError`` if Lighthouse fails, ``TimeoutExpired`` after
    4 minutes."""
    flags = " ".join(["--headless=new", *chromium_args])
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            f"--chrome-flags={flags}",
            "--form-factor=mobile",
            f"--only-categories={','.join(categories)}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
        check=True,
        timeout=240,
    )
    result: dict[str, Any] = json.loads(report.read_text())
    return result
