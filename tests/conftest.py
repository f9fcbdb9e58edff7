"""Shared fixtures: one strict build of the site, a loopback HTTP server, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class Build:
    """The result of ``mkdocs build --strict``."""

    def __init__(self, site: Path, returncode: int, log: str) -> None:
        self.site = site
        self.returncode = returncode
        self.log = log

    def html(self, name: str) -> str:
        """The built page ``name`` (e.g. ``definitions.html``)."""
        return (self.site / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the site once, strictly, into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    return Build(site, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def site(build: Build) -> Path:
    """The built site folder; fails the dependent test if the build failed."""
    assert build.returncode == 0, build.log
    return build.site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    """One Playwright driver for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture()
def context(playwright_instance: object, tmp_path: Path) -> Iterator[object]:
    """A fresh Chromium profile (own --user-data-dir) for each test."""
    context = playwright_instance.chromium.launch_persistent_context(  # type: ignore[attr-defined]
        user_data_dir=str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
        headless=True, accept_downloads=True, viewport={"width": 412, "height": 915},
    )
    yield context
    context.close()


@pytest.fixture()
def page(context: object) -> object:
    """A page that fails the test on any JavaScript error."""
    page = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page
