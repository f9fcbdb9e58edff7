"""Shared fixtures: one strict build of the site, a loopback HTTP server, headless Chromium."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Builds of a copy of the project in a temporary folder still find the seed documents beside the real one.
os.environ.setdefault("PARTENARIAT_SEEDS", str(ROOT.parent / "shared" / "seeds"))

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


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every pytest-xdist worker of this run (the run's own temp folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the site once per test run, strictly, into a temporary folder.

    Under pytest-xdist the first worker that needs the site builds it, under a lock, into a folder shared by
    every worker of the run; the others wait for the lock and reuse that build (and its log and return code).
    """
    shared = _shared_dir(tmp_path_factory)
    site, result = shared / "site", shared / "site-build.json"
    with open(shared / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
                                  cwd=ROOT, capture_output=True, text=True, env=env)
            result.write_text(json.dumps({"returncode": proc.returncode, "log": proc.stdout + proc.stderr}), encoding="utf-8")
        outcome = json.loads(result.read_text(encoding="utf-8"))
    return Build(site, outcome["returncode"], outcome["log"])


def built_pages(site: Path) -> list[str]:
    """Every built HTML page, as a path relative to ``site``, in a stable order."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


@pytest.fixture(scope="session")
def site(build: Build) -> Path:
    """The built site folder; fails the dependent test if the build failed."""
    assert build.returncode == 0, build.log
    return build.site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a background thread; yields its base URL, stops on exit."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1; yields its base URL."""
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    """One Playwright driver for the session (one per pytest-xdist worker)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: object) -> Iterator[object]:
    """One headless Chromium for the session (one per pytest-xdist worker), shared by every test's context."""
    browser = playwright_instance.chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture()
def context(browser: object) -> Iterator[object]:
    """A fresh, isolated Chromium profile (its own storage, cookies and cache) for each test."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 412, "height": 915})  # type: ignore[attr-defined]
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


# Files whose module fixtures build a site or bundles or run a checker once for the file, or that cache a
# checker's results per process: under pytest-xdist (--dist loadgroup) each runs whole on one worker, so that
# work is done once; every other test goes to whichever worker is free.
ONE_WORKER = {"test_deploy.py", "test_exports.py", "test_html_valid.py", "test_offline.py", "test_render.py",
              "test_grammar.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the tests of each ONE_WORKER file together on one pytest-xdist worker."""
    for item in items:
        if item.path.name in ONE_WORKER:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


def look_at(tab: Any) -> Any:
    """The learner switches to ``tab``: it comes to the front, the one tab a person sees and uses; returns it.

    As a desktop browser does, headless Chromium hardly draws a tab that is behind another one (its animation
    frames wait), so clicks and waits there took seconds for nothing a learner could do in a hidden tab.
    """
    tab.bring_to_front()
    return tab
