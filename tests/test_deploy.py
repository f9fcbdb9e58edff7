"""Publishing: deploy/nginx.conf (root, headers, caching, dotfiles, 404) and the site working under its CSP."""

from __future__ import annotations

import base64
import contextlib
import gzip
import http.server
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.checks import csp
from scripts.model import course, quizbank
from tests.conftest import serve_folder
from tests.test_browser import answer

CONF = course.ROOT / "deploy" / "nginx.conf"
TRAINER = ("formatrice", "mot-de-passe-de-test")  # the test's password file (nginx's {PLAIN} scheme)
SECURITY = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
# Recorded in every page before its own scripts run: any Content-Security-Policy violation.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def test_csp_allows_exactly_the_inline_scripts_of_the_build(site: Path) -> None:
    """The policy in deploy/nginx.conf lists the hash of every inline script of the built site, and nothing more."""
    configured = csp.configured_policy()
    expected = csp.policy(site)
    assert configured == expected, ("deploy/nginx.conf is out of step with the inline scripts of the site: run "
                                    "`.venv/bin/python -m scripts.checks.csp SITE --write` on a fresh build")
    assert "'unsafe-inline'" not in configured and "'unsafe-eval'" not in configured
    assert len(csp.inline_script_hashes(site)) >= 3  # Material's start-up scripts at least


def test_csp_check_sees_a_changed_inline_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page whose inline script is not in the policy makes `python -m scripts.checks.csp` fail with what to run."""
    (tmp_path / "index.html").write_text('<!doctype html><html><head><script>alert("é")</script>'
                                         '<script type="application/json">{"a": 1}</script>'
                                         '<script src="x.js"></script></head><body><p style="color: red">x</p></body></html>',
                                         encoding="utf-8")
    # the browser's hash of the UTF-8 text of the one executable inline script (JSON data blocks are not run)
    assert csp.inline_script_hashes(tmp_path) == ["'sha256-DF7YL+qdGcU+UwWWmo11n8Pg8R/DfH3a4vWAcEohD1g='"]
    assert "style-src-attr 'unsafe-hashes' 'sha256-" in csp.policy(tmp_path)  # a style attribute: allowed by its hash only
    assert csp.main([str(tmp_path)]) == 1
    assert "scripts.checks.csp" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Debian's nginx on 127.0.0.1 with deploy/nginx.conf over a copy of the built site holding two dotfiles."""
    with run_nginx(site, tmp_path_factory.mktemp("nginx"), CONF.read_text(encoding="utf-8")) as base:
        yield base


@contextlib.contextmanager
def run_nginx(site: Path, prefix: Path, conf: str, port: int = 0) -> Iterator[str]:
    """Runs nginx with the server block `conf` (deploy/nginx.conf's form) over a copy of `site`; yields its address."""
    root = prefix / "www"
    shutil.copytree(site, root)
    (root / ".env").write_text("SECRET=1\n", encoding="utf-8")
    (root / "assets" / ".git").mkdir()
    (root / "assets" / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    shutil.copytree(site, root / "espace-formateurs")  # the trainers' edition, where the publisher copies it
    (prefix / "formateurs.htpasswd").write_text(f"{TRAINER[0]}:{{PLAIN}}{TRAINER[1]}\n", encoding="utf-8")
    port = port or _free_port()
    server_block = conf
    server_block = server_block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server_block = re.sub(r"root [^;]+;", f"root {root};", server_block)
    server_block = re.sub(r"auth_basic_user_file [^;]+;", f"auth_basic_user_file {prefix / 'formateurs.htpasswd'};",
                          server_block)
    (prefix / "site.conf").write_text(server_block, encoding="utf-8")
    (prefix / "nginx.conf").write_text(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid nginx.pid;\nerror_log error.log;\n"
        "events { worker_connections 64; }\n"
        "http { include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;\n"
        "client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;\n"
        "include site.conf; }\n", encoding="utf-8")
    (prefix / "tmp").mkdir()
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/index.html", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stdout.read().decode() if proc.stdout else ''}")
            time.sleep(0.1)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(url: str, gzip_ok: bool = False, auth: tuple[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(("path", "status", "cache"), [
    ("/", 200, "no-cache"),
    ("/definitions.html", 200, "no-cache"),
    ("/formateurs/guide.html", 200, "no-cache"),
    ("/assets/javascripts/course-index.js", 200, "no-cache"),
    ("/assets/stylesheets/extra.css", 200, "no-cache"),
    ("/search/search_index.json", 200, "no-cache"),
    ("/assets/images/favicon.svg", 200, "public, max-age=3600"),
    ("/.env", 404, "no-cache"),
    ("/assets/.git/config", 404, "no-cache"),
    ("/cette-page-n-existe-pas.html", 404, "no-cache"),
    ("/a/b/c.html", 404, "no-cache"),
    ("/formateurs/", 404, "no-cache"),
    ("/assets/", 404, "no-cache"),
])
def test_nginx_status_and_headers(nginx: str, site: Path, path: str, status: int, cache: str) -> None:
    """Each address answers as it should, and every answer (404s included) has the security and cache headers."""
    code, headers, body = _get(nginx + path)
    assert code == status, path
    for name, value in SECURITY.items():
        assert headers.get(name) == value, (path, name)
    assert headers.get("Content-Security-Policy") == csp.configured_policy()
    assert headers.get("Cache-Control") == cache
    assert headers.get("Server") == "nginx"  # server_tokens off: no version
    assert b"SECRET" not in body and b"[core]" not in body and b"Index of" not in body
    if status == 404:
        assert body == (site / "404.html").read_bytes()  # the site's own page, not nginx's


def test_nginx_serves_the_root_lessons_and_fingerprinted_assets(nginx: str, site: Path) -> None:
    """`/` is the home page; a lesson is gzipped; Material's fingerprinted bundle is cached for a year."""
    code, _, body = _get(nginx + "/")
    assert code == 200 and body == (site / "index.html").read_bytes()
    code, headers, body = _get(nginx + "/definitions.html", gzip_ok=True)
    assert code == 200 and headers.get("Content-Encoding") == "gzip"
    assert "Définitions" in gzip.decompress(body).decode("utf-8")
    asset = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    code, headers, _ = _get(f"{nginx}/assets/javascripts/{asset}")
    assert code == 200 and headers.get("Cache-Control") == "public, max-age=31536000, immutable"
    assert headers.get("Content-Security-Policy") == csp.configured_policy()


def test_nginx_revalidates_every_script_and_stylesheet_of_ours(nginx: str, site: Path) -> None:
    """Every script and stylesheet without a content hash in its name is revalidated on each use (no stale script)."""
    ours = [p for p in (site / "assets").rglob("*") if p.suffix in (".js", ".css") and not re.search(r"\.[0-9a-f]{8}\.min\.", p.name)]
    assert any(p.name == "course-index.js" for p in ours) and any(p.name == "extra.css" for p in ours)
    for path in ours:
        code, headers, _ = _get(f"{nginx}/{path.relative_to(site).as_posix()}")
        assert code == 200 and headers.get("Cache-Control") == "no-cache", path.name


def _violations(page: Any) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def _styled(page: Any) -> bool:
    """Material's and our stylesheets applied: the header is sticky and the content column is laid out."""
    return page.evaluate("""() => {
      const header = document.querySelector('.md-header');
      const sheets = Array.from(document.styleSheets).filter(s => s.href && s.cssRules.length > 0);
      return !!header && getComputedStyle(header).position === 'sticky' && sheets.length >= 3;
    }""")


@pytest.mark.browser
def test_site_works_under_its_csp(nginx: str, context: Any) -> None:
    """Under nginx and its CSP: search, theme toggle, a quiz answer and « Mon parcours » work, with no violation."""
    context.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(nginx + "/")
    assert _styled(page)
    page.locator("label.md-search__icon, label.md-header__button[for='__search']").first.click()
    # ux: Material reads the query on keyup, which fill() does not send; typed keys work whenever the index is ready.
    page.locator("input.md-search__input").press_sequentially("cooperation")
    # locators, not wait_for_function: the latter evaluates a string, which the policy rightly forbids
    page.locator(".md-search-result__meta", has_text="trouvé").wait_for(timeout=90_000)  # index loaded on first use
    assert page.locator(".md-search-result__item").count() > 0
    page.keyboard.press("Escape")
    assert _violations(page) == []
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    other = "slate" if scheme == "default" else "default"
    page.locator(f"body[data-md-color-scheme='{other}']").wait_for(state="attached")
    assert _violations(page) == []
    page.goto(nginx + "/definitions.html")
    qid = quizbank.load_bank()["definitions"].questions[0].id
    answer(page, qid)
    feedback = page.locator(f"[data-qid='{qid}'] .quiz-feedback")
    feedback.wait_for()
    assert feedback.inner_text().strip()
    assert _violations(page) == []
    page.goto(nginx + "/parcours.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-lesson='definitions'] [data-stat='answered']").inner_text() == "1"
    assert _violations(page) == []
    assert not [text for text in console if "Content Security Policy" in text], console
    assert not errors


@pytest.mark.browser
def test_deep_missing_page_is_styled_under_nginx(nginx: str, context: Any) -> None:
    """`/a/b/c.html` answers the site's 404 page, styled, with a working link home and no CSP violation."""
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    response = page.goto(nginx + "/a/b/c.html")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert _styled(page)
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert page.locator("article a", has_text="accueil du module").evaluate("a => a.href") == nginx + "/index.html"
    assert _violations(page) == []


class _SubfolderHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under /cours/ and answers its 404 page for any missing address, as a static host does."""

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/cours"))

    def send_head(self) -> Any:
        target = Path(self.translate_path(self.path.split("?")[0]))
        if not self.path.startswith("/cours/") or not target.is_file():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["/cours/x.html", "/cours/a/b/c.html", "/cours/formateurs/nulle-part/x.html"])
def test_missing_page_is_styled_when_the_site_is_in_a_subfolder(site: Path, context: Any, missing: str) -> None:
    """With `site_url` unset and the site under /cours/, the 404 page finds its stylesheets and home from any depth."""
    with serve_folder(site, _SubfolderHandler) as url:
        base = url.rstrip("/")
        page = context.new_page()
        response = page.goto(base + missing)
        assert response is not None and response.status == 404
        page.wait_for_load_state("networkidle")
        assert _styled(page)
        home = page.locator("article a", has_text="accueil du module").evaluate("a => a.href")
        assert home == base + "/cours/index.html"
        assert page.locator("img.md-logo, .md-logo img").first.evaluate("img => img.naturalWidth") > 0


@pytest.mark.parametrize("path", ["/espace-formateurs/", "/espace-formateurs/formateurs/corrige.html",
                                  "/espace-formateurs/formateurs/groupe.html", "/espace-formateurs/search/search_index.json"])
def test_trainers_edition_needs_the_password(nginx: str, path: str) -> None:
    """Under nginx the trainers' edition answers 401 without credentials or with a wrong password, 200 with them."""
    code, headers, body = _get(nginx + path)
    assert code == 401 and headers.get("WWW-Authenticate", "").startswith("Basic")
    assert b"corrige" not in body.lower() and b"Corrig" not in body
    assert _get(nginx + path, auth=(TRAINER[0], "pas-le-bon"))[0] == 401
    code, _, body = _get(nginx + path, auth=TRAINER)
    assert code == 200 and body
