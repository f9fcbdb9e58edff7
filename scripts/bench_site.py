"""Benchmark the course site against a fair baseline: plain mkdocs-material on the same Markdown.

The baseline is the course's own mkdocs.yml (same Markdown extensions, same theme settings: palette, features,
no web font, search and offline plugins, nav) minus what the project adds: its hooks, the mkdocs-quiz plugin,
its templates (``custom_dir``) and its scripts and stylesheet (``extra_javascript``/``extra_css``).
Measured side by side in one run, printed as one table of ratios with the project's targets:

- cold build time (a fresh ``mkdocs build`` process, clean output), course and baseline interleaved, after one
  untimed build of each (so that neither pays alone for reading files into the OS cache); median of 5;
- bytes per page: the page's HTML, the CSS and JavaScript it links to, and what every page with search loads
  at start-up (the search index and the search worker), gzip level 6 (as deploy/nginx.conf);
- Lighthouse (mobile preset) on the home page, every lesson, « Mon parcours », the final assessment and the
  glossary, served on 127.0.0.1 with gzip and the cache headers of deploy/nginx.conf, alternating course and
  baseline run by run; median of 5 runs; gate: performance >= 0.95 and TBT <= 1.5x the baseline's;
- scaling: a generated course 20 times larger (copies of every lesson and its quiz, in a temporary copy of the
  project) built beside the same copy at 1x and 10x, and the baseline of each; gate: the instructions (valgrind,
  the same on every run) that one more lesson page costs between 10x and 20x are <= 1.2x its cost between 1x and
  10x (linear growth: 1.0x); the baseline's same figure is printed beside. The same in CPU time (the three sizes
  built in turn, 4 times each, median) and the mean time per page are printed too, without a gate.

Usage: .venv/bin/python scripts/bench_site.py [--runs 5] [--lighthouse-runs 5] [--scale 20] [--no-lighthouse]
                                              [--pages index.html,definitions.html] [--no-write]
The table is printed and written to BENCHMARK.md (with the machine, the date and the commit).
"""

from __future__ import annotations

import argparse
import compileall
import concurrent.futures
import functools
import gzip
import http.server
import io
import json
import os
import platform
import re
import resource
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

from scripts.model import course  # noqa: E402
from scripts.outputs import bundle  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-sync"
BENCHMARK_MD = ROOT / "BENCHMARK.md"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"build": 1.5, "bytes": 1.15, "performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0,
           "tbt": 1.5, "scale": 1.2}
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "dist", ".pytest_cache", ".ruff_cache",
                                     "__pycache__", "tests", "deploy")
# What the baseline removes from the course's mkdocs.yml: top-level blocks, the quiz plugin, the templates.
PROJECT_BLOCKS = re.compile(r"^(?:hooks|extra_css|extra_javascript):[^\n]*\n(?:(?:[ \t]+|-)[^\n]*\n|\n)*", flags=re.M)
QUIZ_PLUGIN = re.compile(r"^  - mkdocs_quiz:[^\n]*\n(?:    [^\n]*\n)*", flags=re.M)
CUSTOM_DIR = re.compile(r"^  custom_dir: .*\n", flags=re.M)
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


# ---------- builds ----------


def build(config: Path, out: Path) -> float:
    """Seconds taken by a cold ``mkdocs build`` (new process, clean output folder); fails loudly on error."""
    return timed_build(config, out)[0]


def _run_build(config: Path, out: Path, prefix: list[str] | None = None) -> None:
    """A cold ``mkdocs build`` of ``config`` into ``out`` (clean), optionally under a tool; fails loudly on error."""
    # a copy of the project in a temporary folder has no ../shared/seeds beside it: point it at the project's seeds
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PARTENARIAT_SEEDS": str(course.SEEDS), "PYTHONHASHSEED": "0"}
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--quiet", "-f", str(config), "-d", str(out)]
    proc = subprocess.run([*(prefix or []), *command], cwd=config.parent, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{proc.stdout}{proc.stderr}")


def timed_build(config: Path, out: Path) -> tuple[float, float]:
    """A cold ``mkdocs build``: (seconds elapsed, CPU seconds of the build process, which other jobs disturb less)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    _run_build(config, out)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cachegrind_total(text: str) -> int:
    """The instruction count of a cachegrind output file (its ``summary:`` line)."""
    found = re.search(r"^summary:\s+(\d+)", text, flags=re.M)
    if not found:
        raise SystemExit("bench: no 'summary:' line in valgrind's cachegrind output")
    return int(found.group(1))


def instructions(config: Path, out: Path) -> int:
    """Instructions run by a cold ``mkdocs build`` under valgrind (cachegrind without cache simulation).

    The same figure on every run of the same build (hash seed fixed), whatever else the machine is doing: CPU
    seconds on this shared machine moved by 10-25 % between builds of the same copy in one run.
    """
    if not shutil.which("valgrind"):
        raise SystemExit("bench: valgrind is needed for the scale measure (make bench installs it)")
    stats = out.with_name(out.name + ".cachegrind")
    _run_build(config, out, ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={stats}"])
    return cachegrind_total(stats.read_text(encoding="utf-8"))


def growth(counts: dict[int, float], per_copy: int) -> tuple[float, float]:
    """Cost of one more lesson page (early: 1x to the middle size; late: the middle size to the largest)."""
    small, middle, large = sorted(counts)
    early = (counts[middle] - counts[small]) / (per_copy * (middle - small))
    late = (counts[large] - counts[middle]) / (per_copy * (large - middle))
    return early, late


def plain_config(text: str) -> str:
    """The course's mkdocs.yml without the project's hooks, quiz plugin, templates, scripts and stylesheet."""
    out = CUSTOM_DIR.sub("", QUIZ_PLUGIN.sub("", PROJECT_BLOCKS.sub("", text)))
    out = re.sub(r"^strict: true$", "strict: false", out, flags=re.M)
    for gone in ("hooks:", "mkdocs_quiz", "custom_dir", "extra_css", "extra_javascript"):
        if gone in out:
            raise SystemExit(f"bench: could not remove {gone!r} from mkdocs.yml for the baseline")
    return out


def plain_project(where: Path, config: Path = ROOT / "mkdocs.yml") -> Path:
    """The fair baseline, in ``where``: docs/ and mkdocs.yml of the course (or of a copy) minus the project.

    Returns the baseline's mkdocs.yml.
    """
    shutil.copytree(config.parent / "docs", where / "docs")
    plain = where / "mkdocs.yml"
    plain.write_text(plain_config(config.read_text(encoding="utf-8")), encoding="utf-8")
    return plain


# ---------- bytes ----------

ASSET = re.compile(r"""<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"#?]+)""")


@functools.cache
def gzipped(path: Path) -> int:
    """Size of ``path`` compressed as the web server sends it."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


@dataclass
class PageBytes:
    """A page's weight on the wire (gzip): its HTML, the CSS/JS it links to, the search index and worker."""

    html: int
    assets: int
    search: int

    @property
    def total(self) -> int:
        """Everything the page loads at start-up."""
        return self.html + self.assets + self.search


def search_bytes(site: Path) -> int:
    """What every page with a search box loads at start-up: the search index and the search worker (gzip)."""
    files = [site / "search" / "search_index.json", *sorted((site / "assets" / "javascripts" / "workers").glob("search*.js"))]
    return sum(gzipped(f) for f in files if f.is_file())


def page_bytes(site: Path) -> dict[str, PageBytes]:
    """Every built page's gzip weight, by path relative to the site."""
    found = {}
    search = search_bytes(site)
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assets = {(page.parent / src).resolve() for src in ASSET.findall(text) if "://" not in src and not src.startswith("//")}
        found[page.relative_to(site).as_posix()] = PageBytes(gzipped(page), sum(gzipped(a) for a in assets if a.is_file()),
                                                             search if 'name="search"' in text else 0)
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


@dataclass
class Audit:
    """One Lighthouse run: category scores, metric values (ms; CLS unitless), non-performance audits failed."""

    scores: dict[str, float]
    metrics: dict[str, float]
    failed: set[str]


def lighthouse(url: str, report: Path, categories: list[str] | None = None) -> Audit:
    """One Lighthouse run (mobile preset, the default) on ``url``; ``categories``: all four unless named."""
    categories = categories or CATEGORIES
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(categories)}", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=240,
    )
    if proc.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    failed = {ref["id"] for cat in data["categories"].values() if cat["id"] != "performance"
              for ref in cat["auditRefs"] if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)}
    return Audit({c: data["categories"][c]["score"] or 0.0 for c in categories},
                 {m: audits[m]["numericValue"] for m in METRICS}, failed)


def medians(runs: list[Audit]) -> Audit:
    """The median of each score and metric over ``runs``; the union of the failed audits."""
    return Audit({c: statistics.median(r.scores[c] for r in runs) for c in CATEGORIES},
                 {m: statistics.median(r.metrics[m] for r in runs) for m in METRICS},
                 set().union(*(r.failed for r in runs)))


def lighthouse_pages() -> list[str]:
    """The pages the targets name: home, every lesson, « Mon parcours », the final assessment, the glossary."""
    return ["index.html", *(f"{lesson.slug}.html" for lesson in course.load_lessons()),
            "parcours.html", "evaluation-finale.html", "glossaire.html"]


# ---------- a larger course ----------


def course_copy(where: Path) -> Path:
    """A copy of the project that builds on its own; returns its mkdocs.yml."""
    shutil.copytree(ROOT, where, ignore=COPY_IGNORE)
    byte_compiled(where)
    return where / "mkdocs.yml"


def byte_compiled(project: Path) -> None:
    """The project's own modules compiled, as ``make`` leaves them (scripts/setup.sh) and pip leaves the baseline's.

    Where PYTHONDONTWRITEBYTECODE is set, Python would otherwise compile them again in every timed build.
    """
    if not compileall.compile_dir(str(project / "scripts"), quiet=1):
        raise SystemExit(f"bench: {project / 'scripts'} does not compile")


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
    parser.add_argument("--runs", type=int, default=5, help="cold builds of each site (median; the scale run: one less)")
    # 5, not 3: single runs of one page range over 0.90-0.99 here, so with 3 one loud run decided a page's median
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page and site (median)")
    parser.add_argument("--scale", type=int, default=20, help="size factor of the synthetic course")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse audits")
    parser.add_argument("--no-write", action="store_true", help="print the table only (no BENCHMARK.md)")
    parser.add_argument("--pages", default="", help="comma-separated pages for Lighthouse (default: the targets' pages)")
    args = parser.parse_args()
    began = time.perf_counter()
    load_at_start = f"{os.getloadavg()[0]:.1f}"
    rows: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp_name:
        tmp = Path(tmp_name)
        plain = plain_project(tmp / "plain")
        course_config = ROOT / "mkdocs.yml"
        byte_compiled(ROOT)
        times: dict[str, list[float]] = {"course": [], "plain": []}
        build(course_config, tmp / "site-course")  # not timed: both then start with the files they read in the OS cache
        build(plain, tmp / "site-plain")
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
        search_c = statistics.mean(weights_course[p].search for p in common)
        search_p = statistics.mean(weights_plain[p].search for p in common)
        rows.append(("  of which search index + worker", kib(search_c), kib(search_p),
                     f"{search_c / max(search_p, 1):.2f}x", "", ""))
        html_c = statistics.mean(weights_course[p].html for p in common)
        html_p = statistics.mean(weights_plain[p].html for p in common)
        assets_c = statistics.mean(weights_course[p].assets for p in common)
        assets_p = statistics.mean(weights_plain[p].assets for p in common)
        rows.append(("  of which HTML", kib(html_c), kib(html_p), f"{html_c / html_p:.2f}x", "", ""))
        rows.append(("  of which linked CSS + JS", kib(assets_c), kib(assets_p), f"{assets_c / assets_p:.2f}x", "", ""))
        worst = max(common, key=lambda p: weights_course[p].total / weights_plain[p].total)
        rows.append((f"  heaviest vs baseline: {worst}", kib(weights_course[worst].total), kib(weights_plain[worst].total),
                     f"{weights_course[worst].total / weights_plain[worst].total:.2f}x", "", ""))
        archive = bundle.make_bundle(tmp / "partenariat-hors-ligne.zip")
        rows.append(("Offline bundle (make bundle), KiB zip", kib(archive.stat().st_size), "", "", "", ""))

        if not args.no_lighthouse:
            if not LIGHTHOUSE.exists():
                notes.append("Lighthouse NOT RUN: node_modules/.bin/lighthouse is missing (npm ci); pages not measured.")
            else:
                pages = args.pages.split(",") if args.pages else lighthouse_pages()
                with serve(tmp / "site-course") as base_course, serve(tmp / "site-plain") as base_plain:
                    for name in pages:
                        runs: dict[str, list[Audit]] = {"course": [], "plain": []}
                        for run in range(args.lighthouse_runs):  # alternated: both meet the same machine load
                            runs["course"].append(lighthouse(base_course + name, tmp / f"lh-c-{run}.json"))
                            runs["plain"].append(lighthouse(base_plain + name, tmp / f"lh-p-{run}.json"))
                        mine, theirs = medians(runs["course"]), medians(runs["plain"])
                        tbt_c, tbt_p = mine.metrics["total-blocking-time"], theirs.metrics["total-blocking-time"]
                        tbt_ratio = tbt_c / max(tbt_p, 1.0)
                        ok = (all(mine.scores[c] >= TARGETS[c] for c in CATEGORIES)
                              and (tbt_c <= TARGETS["tbt"] * tbt_p or tbt_c <= 50))
                        rows.append((f"Lighthouse {name} perf/a11y/bp/seo; TBT ms",
                                     " / ".join(f"{mine.scores[c]:.2f}" for c in CATEGORIES) + f"; {tbt_c:.0f}",
                                     f"{theirs.scores['performance']:.2f}; {tbt_p:.0f}", f"TBT {tbt_ratio:.2f}x",
                                     ">= 0.95/1/1/1; TBT <= 1.5x", verdict(ok)))
                        shown = ", ".join(f"{label} {mine.metrics[m]:.2f}" if m == "cumulative-layout-shift"
                                          else f"{label} {mine.metrics[m]:.0f} ms" for m, label in METRICS.items())
                        if mine.failed:
                            shown += "; audits failed: " + ", ".join(sorted(mine.failed))
                        notes.append(f"Lighthouse {name} (course, medians): {shown}")

        small = course_copy(tmp / "course-1x")
        large = course_copy(tmp / f"course-{args.scale}x")
        lessons = enlarge(large, args.scale)
        half = max(2, args.scale // 2)
        middle = course_copy(tmp / f"course-{half}x")
        enlarge(middle, half)
        per_copy = lessons // args.scale
        sizes = ((1, small, tmp / "site-1x"), (half, middle, tmp / f"site-{half}x"),
                 (args.scale, large, tmp / f"site-{args.scale}x"))
        # The gate: instructions of one more lesson page late in the growth against early, for the course and for the
        # baseline built from the same enlarged Markdown. Fixed costs and page mix are left out, so it is 1.0x when
        # the build grows linearly and more when some work done for every page grows with the course's size.
        jobs = [("course", factor, config, out.with_name(f"{out.name}-course")) for factor, config, out in sizes]
        jobs += [("plain", factor, plain_project(config.parent.with_name(f"{config.parent.name}-plain"), config),
                  out.with_name(f"{out.name}-plain")) for factor, config, out in sizes]
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one valgrind per core
            counted = list(pool.map(lambda job: instructions(job[2], job[3]), jobs))
        counts: dict[str, dict[int, float]] = {"course": {}, "plain": {}}
        for (site, factor, _, _), count in zip(jobs, counted, strict=True):
            counts[site][factor] = count
        (early, late), (early_p, late_p) = growth(counts["course"], per_copy), growth(counts["plain"], per_copy)
        rows.append((f"Scale: instructions per lesson page added, {half}x to {args.scale}x vs 1x to {half}x, millions",
                     f"{late / 1e6:.0f} vs {early / 1e6:.0f}", f"{late_p / 1e6:.0f} vs {early_p / 1e6:.0f} ({late_p / early_p:.2f}x)",
                     f"{late / early:.2f}x", f"<= {TARGETS['scale']:.1f}x", verdict(late / early <= TARGETS["scale"])))
        # Not a gate: the cold build's ratio in instructions, which the machine's load does not move (time is the gate)
        rows.insert(1, ("  the same in instructions (valgrind, 1x builds above), millions",
                        f"{counts['course'][1] / 1e6:,.0f}", f"{counts['plain'][1] / 1e6:,.0f}",
                        f"{counts['course'][1] / counts['plain'][1]:.2f}x", "", ""))
        notes.append("Scale, instructions of each build (valgrind), millions: " + "; ".join(
            f"{site} " + ", ".join(f"{factor}x {count / 1e6:,.0f}" for factor, count in sorted(counts[site].items()))
            for site in ("course", "plain")))
        # Not gates: the same in CPU time (median of builds of the three sizes in turn), which this shared machine
        # moves by 10-25 % from build to build, and the mean time per built page, which rises with the page mix (the
        # larger course adds lessons only, the heaviest pages, while most pages of the 1x course are lighter).
        per_page: dict[str, float] = {}
        cpu: dict[int, float] = {}
        runs_scale: dict[int, list[tuple[float, float]]] = {factor: [] for factor, _, _ in sizes}
        for _ in range(max(1, args.runs - 1)):  # the three sizes in turn, so that a drift of the machine meets all three
            for factor, config, out in sizes:
                runs_scale[factor].append(timed_build(config, out))
        for factor, _, out in sizes:
            cpu[factor] = statistics.median(used for _, used in runs_scale[factor])
            per_page[f"{factor}x"] = statistics.median(wall for wall, _ in runs_scale[factor]) / len(list(out.rglob("*.html")))
        early, late = growth(cpu, per_copy)
        rows.append(("  the same in build CPU time (median), ms", f"{late * 1000:.0f} vs {early * 1000:.0f}", "",
                     f"{late / early:.2f}x", "", ""))
        ratio = per_page[f"{args.scale}x"] / per_page["1x"]
        rows.append((f"  mean build time per page, {args.scale}x ({lessons} lessons) vs 1x, ms",
                     f"{per_page[f'{args.scale}x'] * 1000:.0f}", f"{per_page['1x'] * 1000:.0f} (1x)", f"{ratio:.2f}x", "", ""))

    import material
    import mkdocs

    headers = ("Measure", "Course", "Baseline", "Ratio", "Target", "Result")
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [f"Partenariat site benchmark: mkdocs {mkdocs.__version__}, mkdocs-material {material.__version__}, "
             f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); {args.runs} cold builds each, "
             f"{args.lighthouse_runs} Lighthouse runs per page and site, alternated (mobile preset, medians); "
             f"load average at start {load_at_start}, at end {os.getloadavg()[0]:.1f}", ""]
    lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
              for row in [headers, tuple("-" * w for w in widths), *rows]]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    lines += ["", f"Benchmark took {time.perf_counter() - began:.0f} s."]
    print("\n".join(lines))
    if not args.no_write:
        BENCHMARK_MD.write_text(benchmark_markdown(lines, _commit(), time.strftime("%Y-%m-%d %H:%M %Z")), encoding="utf-8")
        print(f"Written to {BENCHMARK_MD.name}.")


def _commit() -> str:
    """The checked-out commit (with « -dirty » when the work tree has changes), or « unknown » outside git."""
    proc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def benchmark_markdown(lines: list[str], commit: str, date: str) -> str:
    """BENCHMARK.md: the last run's table with where and when it ran; each run replaces it (git keeps the rest)."""
    table = "\n".join(lines)
    return (f"# Benchmark\n\nThe last run of `make bench`, written by it on {date} at commit `{commit}` on "
            f"{platform.node() or 'this machine'} ({platform.machine()}). What is measured and why: "
            f"`ARCHITECTURE.md`, section « Benchmark ».\n\n```text\n{table}\n```\n")

if __name__ == "__main__":
    main()
