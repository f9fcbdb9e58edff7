"""Benchmark the course site against a plain mkdocs-material site built from the same Markdown.

Measured side by side in one run, printed as one table with the project's targets:

- cold build time (a fresh ``mkdocs build`` process, clean output) of the course and of a plain
  mkdocs-material site: the same docs/ copied, a generated mkdocs.yml with the Material theme only;
- bytes per page: the page's HTML plus the CSS and JavaScript it links to, gzip level 6 (as deploy/nginx.conf);
- Lighthouse (mobile preset) on index.html, definitions.html and parcours.html, served on 127.0.0.1 with gzip
  and the cache headers of deploy/nginx.conf;
- scaling: build time of a generated course 20 times larger (copies of every lesson and its quiz, in a
  temporary copy of the project) against the same copy at 1x.

Usage: .venv/bin/python scripts/bench_site.py [--runs 3] [--lighthouse-runs 3] [--scale 20] [--no-lighthouse]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bundle, course  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-sync"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE_PAGES = ["index.html", "definitions.html", "parcours.html"]
TARGETS = {"build": 1.5, "bytes": 1.15, "performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "dist", ".pytest_cache", ".ruff_cache",
                                     "__pycache__", "tests", "deploy")
PLAIN_CONFIG = """\
site_name: Partenariat
use_directory_urls: false
theme:
  name: material
  language: fr
exclude_docs: |
  includes/
"""
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# ---------- builds ----------


def build(config: Path, out: Path) -> float:
    """Seconds taken by a cold ``mkdocs build`` (new process, clean output folder); fails loudly on error."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "--quiet", "-f", str(config), "-d", str(out)],
                          cwd=config.parent, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def plain_project(where: Path) -> Path:
    """A plain mkdocs-material project with a copy of docs/; returns its mkdocs.yml."""
    shutil.copytree(course.DOCS, where / "docs")
    config = where / "mkdocs.yml"
    config.write_text(PLAIN_CONFIG, encoding="utf-8")
    return config


# ---------- bytes ----------

ASSET = re.compile(r"""<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"#?]+)""")


@functools.cache
def gzipped(path: Path) -> int:
    """Size of ``path`` compressed as the web server sends it."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


@dataclass
class PageBytes:
    """A page's weight on the wire (gzip): its HTML and the CSS/JS it links to."""

    html: int
    assets: int

    @property
    def total(self) -> int:
        """HTML plus assets."""
        return self.html + self.assets


def page_bytes(site: Path) -> dict[str, PageBytes]:
    """Every built page's gzip weight, by path relative to the site."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assets = {(page.parent / src).resolve() for src in ASSET.findall(text) if "://" not in src and not src.startswith("//")}
        found[page.relative_to(site).as_posix()] = PageBytes(gzipped(page), sum(gzipped(a) for a in assets if a.is_file()))
    return found


# ---------- serving and Lighthouse ----------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip and the cache headers of deploy/nginx.conf, HTTP/1.1 keep-alive."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self) -> io.BytesIO | None:  # type: ignore[override]
        """Answer GET and HEAD with a complete, possibly compressed body."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        data = path.read_bytes()
        kind = self.guess_type(str(path))
        self.send_response(status)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(data) >= 256 and kind.startswith(GZIP_TYPES):
            data = gzip.compress(data, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", path.name):
            cache = "public, max-age=31536000, immutable"
        elif self.path.startswith(("/assets/", "/search/")):
            cache = "public, max-age=3600, must-revalidate"
        else:
            cache = "no-cache"
        self.send_header("Cache-Control", cache)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port); yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}


def lighthouse(url: str, runs: int, workdir: Path) -> tuple[dict[str, float], str]:
    """Median Lighthouse scores (mobile preset) over ``runs`` runs, and the median metrics with what cost points."""
    scores: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    metrics: dict[str, list[float]] = {m: [] for m in METRICS}
    lost: set[str] = set()
    for run in range(runs):
        report = workdir / f"lighthouse-{run}.json"
        proc = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=180,
        )
        if proc.returncode != 0 or not report.is_file():
            raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
        audits = data["audits"]
        for category in CATEGORIES:
            scores[category].append(data["categories"][category]["score"] or 0.0)
        for metric in METRICS:
            metrics[metric].append(audits[metric]["numericValue"])
        lost.update(ref["id"] for cat in data["categories"].values() if cat["id"] != "performance"
                    for ref in cat["auditRefs"] if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1))
    shown = ", ".join(f"{label} {statistics.median(metrics[m]):.2f}" if m == "cumulative-layout-shift"
                      else f"{label} {statistics.median(metrics[m]):.0f} ms" for m, label in METRICS.items())
    if lost:
        shown += "; audits failed: " + ", ".join(sorted(lost))
    return {c: statistics.median(v) for c, v in scores.items()}, shown


# ---------- a larger course ----------


def course_copy(where: Path) -> Path:
    """A copy of the project that builds on its own; returns its mkdocs.yml."""
    shutil.copytree(ROOT, where, ignore=COPY_IGNORE)
    return where / "mkdocs.yml"


def enlarge(config: Path, factor: int) -> int:
    """Add ``factor - 1`` copies of every lesson and its quiz to the copied course; returns the lesson count."""
    project = config.parent
    lessons = course.load_lessons()
    extra_nav: list[str] = []
    for copy in range(2, factor + 1):
        for lesson in lessons:
            slug = f"{lesson.slug}-copie-{copy}"
            meta, body = course.split_front_matter(lesson.path.read_text(encoding="utf-8"))
            meta["title"] = f"{meta['title']} (copie {copy})"
            body = re.sub(r"^# (.*)$", rf"# \1 (copie {copy})", body, count=1, flags=re.M)
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            (project / "docs" / f"{slug}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
            quiz = ROOT / "quizzes" / f"{lesson.slug}.yml"
            if quiz.is_file():
                data = quiz.read_text(encoding="utf-8")
                data = re.sub(r"^lesson: .*$", f"lesson: {slug}", data, count=1, flags=re.M)
                data = re.sub(r"^(\s*-?\s*id: )([a-z0-9-]+)\s*$", rf"\1\2-copie-{copy}", data, flags=re.M)
                (project / "quizzes" / f"{slug}.yml").write_text(data, encoding="utf-8")
            extra_nav.append(f"{json.dumps(f'{lesson.title} ({copy})', ensure_ascii=False)}: {slug}.md")
    text = config.read_text(encoding="utf-8")
    last = re.search(rf"^(\s*)- [^\n:]+: {re.escape(lessons[-1].slug)}\.md[ \t]*$", text, flags=re.M)
    if not last:
        raise SystemExit(f"cannot find the nav entry of {lessons[-1].slug}.md in mkdocs.yml")
    insert = "".join(f"\n{last.group(1)}- {entry}" for entry in extra_nav)
    config.write_text(text[: last.end()] + insert + text[last.end():], encoding="utf-8")
    return len(lessons) * factor


# ---------- report ----------


def verdict(ok: bool) -> str:
    """The result column."""
    return "ok" if ok else "MISSED"


def kib(value: float) -> str:
    """Bytes as KiB with one decimal."""
    return f"{value / 1024:.1f}"


def main() -> None:
    """Measure everything, then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each site (median)")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--scale", type=int, default=20, help="size factor of the synthetic course")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse audits")
    args = parser.parse_args()
    began = time.perf_counter()
    rows: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp_name:
        tmp = Path(tmp_name)
        plain = plain_project(tmp / "plain")
        course_config = ROOT / "mkdocs.yml"
        times: dict[str, list[float]] = {"course": [], "plain": []}
        for _ in range(args.runs):  # interleaved, so that both meet the same machine load
            times["course"].append(build(course_config, tmp / "site-course"))
            times["plain"].append(build(plain, tmp / "site-plain"))
        t_course, t_plain = statistics.median(times["course"]), statistics.median(times["plain"])
        ratio = t_course / t_plain
        rows.append(("Cold build, s (median)", f"{t_course:.2f}", f"{t_plain:.2f}", f"{ratio:.2f}x",
                     f"<= {TARGETS['build']:.2f}x", verdict(ratio <= TARGETS["build"])))

        weights_course, weights_plain = page_bytes(tmp / "site-course"), page_bytes(tmp / "site-plain")
        common = sorted(set(weights_course) & set(weights_plain))
        mean_course = statistics.mean(weights_course[p].total for p in common)
        mean_plain = statistics.mean(weights_plain[p].total for p in common)
        ratio = mean_course / mean_plain
        rows.append((f"Bytes per page, KiB gzip (mean of {len(common)})", kib(mean_course), kib(mean_plain), f"{ratio:.2f}x",
                     f"<= {TARGETS['bytes']:.2f}x", verdict(ratio <= TARGETS["bytes"])))
        html_c = statistics.mean(weights_course[p].html for p in common)
        html_p = statistics.mean(weights_plain[p].html for p in common)
        assets_c = statistics.mean(weights_course[p].assets for p in common)
        assets_p = statistics.mean(weights_plain[p].assets for p in common)
        rows.append(("  of which HTML", kib(html_c), kib(html_p), f"{html_c / html_p:.2f}x", "", ""))
        rows.append(("  of which linked CSS + JS", kib(assets_c), kib(assets_p), f"{assets_c / assets_p:.2f}x", "", ""))
        worst = max(common, key=lambda p: weights_course[p].total / weights_plain[p].total)
        rows.append((f"  heaviest vs plain: {worst}", kib(weights_course[worst].total), kib(weights_plain[worst].total),
                     f"{weights_course[worst].total / weights_plain[worst].total:.2f}x", "", ""))
        archive = bundle.make_bundle(tmp / "partenariat-hors-ligne.zip")
        rows.append(("Offline bundle (make bundle), KiB zip", kib(archive.stat().st_size), "", "", "", ""))

        if not args.no_lighthouse:
            if not LIGHTHOUSE.exists():
                notes.append("Lighthouse skipped: node_modules/.bin/lighthouse is missing (npm ci).")
            else:
                with serve(tmp / "site-course") as base:
                    for name in LIGHTHOUSE_PAGES:
                        scores, detail = lighthouse(base + name, args.lighthouse_runs, tmp)
                        shown = " / ".join(f"{scores[c]:.2f}" for c in CATEGORIES)
                        ok = all(scores[c] >= TARGETS[c] for c in CATEGORIES)
                        rows.append((f"Lighthouse {name} (perf/a11y/bp/seo)", shown, "", "", ">= 0.95/1/1/1", verdict(ok)))
                        notes.append(f"Lighthouse {name} (medians): {detail}")

        small = course_copy(tmp / "course-1x")
        large = course_copy(tmp / f"course-{args.scale}x")
        lessons = enlarge(large, args.scale)
        t_small = statistics.median(build(small, tmp / "site-1x") for _ in range(max(1, args.runs - 1)))
        t_large = statistics.median(build(large, tmp / f"site-{args.scale}x") for _ in range(max(1, args.runs - 1)))
        ratio = t_large / t_small
        rows.append((f"Scale: build {args.scale}x ({lessons} lessons) vs 1x, s", f"{t_large:.2f}", f"{t_small:.2f} (1x)",
                     f"{ratio:.1f}x", f"<= ~{args.scale}x (linear)", verdict(ratio <= args.scale * 1.05)))

    import material
    import mkdocs

    headers = ("Measure", "Course", "Plain material", "Ratio", "Target", "Result")
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    print(f"Partenariat site benchmark: mkdocs {mkdocs.__version__}, mkdocs-material {material.__version__}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); {args.runs} cold builds each, "
          f"{args.lighthouse_runs} Lighthouse runs per page (mobile preset, medians)")
    print()
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    print(f"\nBenchmark took {time.perf_counter() - began:.0f} s.")


if __name__ == "__main__":
    main()
