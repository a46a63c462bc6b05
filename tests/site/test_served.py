"""The local server that the benchmark measures the lecture page through (and the PDF
handout prints it from) sends the site as a static host would: text gzip-compressed when
the client asks, so Lighthouse weighs the page as a reader's phone receives it."""

from __future__ import annotations

import gzip
import os
import socket
import struct
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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


def test_a_client_that_hangs_up_mid_response_leaves_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Browsers drop requests they no longer need; the benchmark's Lighthouse runs did, and
    each printed a BrokenPipeError traceback into its report."""
    (tmp_path / "large.png").write_bytes(os.urandom(32 * 2**20))
    with served(tmp_path) as url:
        before = threading.active_count()
        address = urlsplit(url)
        with socket.create_connection((address.hostname, address.port)) as client:
            client.sendall(b"GET /large.png HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.0 200")
            # Close at once with a reset, as a browser cancelling a request does.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        deadline = time.monotonic() + 30
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert threading.active_count() == before, "the request's thread never ended"
        assert (
            _get(url + "large.png", accept_gzip=False)[1][:8]
            == (tmp_path / "large.png").read_bytes()[:8]
        )
    assert capfd.readouterr().err == ""
