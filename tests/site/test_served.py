"""The local server that the benchmark measures the lecture page through (and the PDF
handout prints it from) sends the site as a static host would: text gzip-compressed when
the client asks, so Lighthouse weighs the page as a reader's phone receives it."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from scripts.handout import served


def _get(url: str, accept_gzip: bool) -> tuple[str | None, bytes]:
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers.get("Content-Encoding"), response.read()


def test_the_served_site_sends_text_gzipped_to_a_client_that_asks(tmp_path: Path) -> None:
    page = "<!doctype html><title>Lecture</title>" + "<p>KL divergence</p>" * 200
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "hero.png").write_bytes(b"\x89PNG not text")
    with served(tmp_path) as url:
        encoding, body = _get(url, accept_gzip=True)
        assert encoding == "gzip"
        assert gzip.decompress(body).decode() == page
        assert len(body) < len(page) / 10
        assert _get(url, accept_gzip=False) == (None, page.encode())
        assert _get(url + "hero.png", accept_gzip=True) == (None, b"\x89PNG not text")
