"""Measure what each of the project's speed changes to Material brings, by building the site without it.

A speed change sits between markers in the files it touches (``overrides/`` templates, ``extra.css``, ``mkdocs.yml``):

- templates: ``{#- change: NAME -#}`` … ``{#- /change -#}``; an optional ``{#- without: CODE -#}`` just before the
  closing marker holds what Material would have there (the markers are Jinja comments: the site never shows them);
- stylesheet: ``/* change: NAME */`` … ``/* /change */``;  ``mkdocs.yml``: ``# change: NAME`` … ``# /change``.

For each change, a copy of the project is built with that change stripped (every region of that name), beside
the site with every change and a second copy of that same build (the noise floor: two identical sites measured
the same way). Each site is served on 127.0.0.1 as ``scripts/bench_site.py`` serves it (gzip, nginx's cache
headers), and Lighthouse (mobile preset, performance only) runs on a lesson with a quiz and on the home page,
every site once per round in a rotated order, for ``--runs`` rounds. Printed per change and page: medians of the
performance score, TBT, LCP, CLS and bytes transferred, with and without the change, the difference, and the noise:
the largest of the noise floor's difference, the interquartile ranges of the runs with and without, and the
measure's resolution (RESOLUTION). A change is « beyond noise » when it improves at least one of them by more than
its noise on some page and worsens none by more than its noise (« mixed » when it does both); then a markdown
table to paste into ARCHITECTURE.md.

Usage: .venv/bin/python scripts/bench_theme.py [--runs 5] [--pages definitions.html,index.html] [--changes a,b|none]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_site  # noqa: E402

# The files that may hold change markers, relative to the project.
MARKED = ["mkdocs.yml", "docs/assets/stylesheets/extra.css", *sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "overrides").rglob("*.html"))]
_OPEN = r"(?:\{#-?|/\*|#)[ \t]*"
_CLOSE = r"[^\n]*?(?:-?#\}|\*/|$)"
NAMES = re.compile(_OPEN + r"change:[ \t]*([a-z0-9-]+)", flags=re.M)
WITHOUT = re.compile(r"\{#-?[ \t]*without:(.*?)-?#\}", flags=re.S)
DEFAULT_PAGES = "definitions.html,index.html"  # a lesson with a quiz and tables, and the home page
# (label, Lighthouse audit, unit, better when lower)
MEASURES = [("perf", "", "", False), ("TBT", "total-blocking-time", "ms", True),
            ("LCP", "largest-contentful-paint", "ms", True), ("CLS", "cumulative-layout-shift", "", True),
            ("KiB", "total-byte-weight", "", True)]
# The smallest difference that counts, whatever the runs' spread: Lighthouse's score step, 1 ms, a CLS of 0.001,
# 1 KiB (a change's own few hundred bytes of inline script are not what it is measured for).
RESOLUTION = {"perf": 0.01, "TBT": 1.0, "LCP": 1.0, "CLS": 0.001, "KiB": 1.0}
WITH, AGAIN = "with every change", "with every change (2nd copy)"


def region(name: str) -> re.Pattern[str]:
    """The marked regions of change ``name``, from the opening marker to the closing one (whole lines if alone)."""
    return re.compile(rf"(?:^[ \t]*)?{_OPEN}change:[ \t]*{re.escape(name)}\b{_CLOSE}.*?{_OPEN}/change\b{_CLOSE}\n?",
                      flags=re.M | re.S)


def changes(root: Path = ROOT) -> list[str]:
    """Every change named by a marker in the project's marked files, in order of first appearance."""
    found: dict[str, None] = {}
    for rel in MARKED:
        path = root / rel
        if path.is_file():
            found.update(dict.fromkeys(NAMES.findall(path.read_text(encoding="utf-8"))))
    return list(found)


def strip_change(text: str, name: str) -> str:
    """``text`` without change ``name``: each of its regions replaced by its ``without:`` code, or by nothing."""

    def replace(match: re.Match[str]) -> str:
        alternative = WITHOUT.search(match.group(0))
        whole_lines = match.start() == 0 or text[match.start() - 1] == "\n"
        kept = "\n" if match.group(0).endswith("\n") and not whole_lines else ""  # inline: the line break stays
        return (alternative.group(1).strip() + "\n" if alternative else "") + kept

    return region(name).sub(replace, text)


def project_without(where: Path, names: list[str]) -> Path:
    """A copy of the project in ``where`` with the changes ``names`` stripped; returns its mkdocs.yml."""
    config = bench_site.course_copy(where)
    for rel in MARKED:
        path = where / rel
        text = path.read_text(encoding="utf-8")
        for name in names:
            text = strip_change(text, name)
        path.write_text(text, encoding="utf-8")
    return config


@dataclass
class Runs:
    """Each measure's values over the runs of one site on one page."""

    values: dict[str, list[float]]

    def median(self, label: str) -> float:
        """The median of ``label``."""
        return statistics.median(self.values[label])

    def iqr(self, label: str) -> float:
        """The interquartile range of ``label`` (0 with fewer than 2 runs)."""
        data = self.values[label]
        if len(data) < 2:
            return 0.0
        low, _, high = statistics.quantiles(data, n=4, method="inclusive")
        return high - low


def measure(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run (mobile, performance only): score, TBT, LCP, CLS and KiB transferred."""
    audit = bench_site.lighthouse(url, report, categories=["performance"])
    weight = json.loads(report.read_text(encoding="utf-8"))["audits"]["total-byte-weight"]["numericValue"]
    return {"perf": audit.scores["performance"], "TBT": audit.metrics["total-blocking-time"],
            "LCP": audit.metrics["largest-contentful-paint"], "CLS": audit.metrics["cumulative-layout-shift"],
            "KiB": weight / 1024}


@dataclass
class Compared:
    """One measure of one change on one page."""

    with_: float
    without: float
    noise: float
    lower_is_better: bool

    @property
    def gain(self) -> float:
        """What the change brings (positive: better with it)."""
        return self.without - self.with_ if self.lower_is_better else self.with_ - self.without

    @property
    def verdict(self) -> str:
        """« gain », « loss » or « noise »."""
        if abs(self.gain) <= self.noise:
            return "noise"
        return "gain" if self.gain > 0 else "loss"


def compare(mine: Runs, theirs: Runs, floor_a: Runs, floor_b: Runs) -> dict[str, Compared]:
    """Each measure with (``mine``) and without (``theirs``), its noise from the floor and the spreads."""
    out = {}
    for label, _, _, lower in MEASURES:
        floor = abs(floor_a.median(label) - floor_b.median(label))
        noise = max(RESOLUTION[label], floor, mine.iqr(label), theirs.iqr(label))
        out[label] = Compared(mine.median(label), theirs.median(label), noise, lower)
    return out


def fmt(label: str, value: float) -> str:
    """A value as the table shows it."""
    if label == "perf":
        return f"{value:.2f}"
    if label == "CLS":
        return f"{value:.3f}"
    return f"{value:.0f}"


def cell(label: str, c: Compared) -> str:
    """« with / without (gain ± noise) »."""
    sign = "+" if c.gain >= 0 else "−"
    return f"{fmt(label, c.with_)} / {fmt(label, c.without)} ({sign}{fmt(label, abs(c.gain))} ± {fmt(label, c.noise)})"


def main() -> None:
    """Build the sites, run Lighthouse alternately, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page and site (median)")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help="comma-separated pages to measure")
    parser.add_argument("--changes", default="",
                        help="comma-separated changes to measure (default: every one; « none »: the site alone)")
    args = parser.parse_args()
    if not bench_site.LIGHTHOUSE.exists():
        raise SystemExit("bench_theme: node_modules/.bin/lighthouse is missing (npm ci)")
    names = [] if args.changes == "none" else args.changes.split(",") if args.changes else changes()
    unknown = set(names) - set(changes())
    if unknown:
        raise SystemExit(f"bench_theme: no change named {', '.join(sorted(unknown))} (known: {', '.join(changes())})")
    pages = args.pages.split(",")
    began, load_at_start = time.perf_counter(), os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bench-theme-") as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        sites: dict[str, Path] = {WITH: tmp / "site-with"}
        bench_site.build(ROOT / "mkdocs.yml", sites[WITH])
        sites[AGAIN] = tmp / "site-again"
        shutil.copytree(sites[WITH], sites[AGAIN])
        build_s: dict[str, float] = {}
        for name in names:
            sites[name] = tmp / f"site-without-{name}"
            build_s[name] = bench_site.build(project_without(tmp / f"project-without-{name}", [name]), sites[name])
            print(f"built without {name} ({build_s[name]:.0f} s)", flush=True)
        bases = {key: stack.enter_context(bench_site.serve(site)) for key, site in sites.items()}
        order = list(sites)
        results = {(key, page): Runs({label: [] for label, *_ in MEASURES}) for key in order for page in pages}
        for run in range(args.runs):
            for page in pages:
                shift = (run * len(pages) + pages.index(page)) % len(order)
                for key in order[shift:] + order[:shift]:  # every site once per round, each in turn first
                    values = measure(bases[key] + page, tmp / "lh.json")
                    for label, value in values.items():
                        results[key, page].values[label].append(value)
            print(f"round {run + 1}/{args.runs} done ({time.perf_counter() - began:.0f} s)", flush=True)

    text_rows: list[list[str]] = []
    md_rows: list[str] = []
    for name in names:
        verdicts = []
        for page in pages:
            compared = compare(results[WITH, page], results[name, page], results[WITH, page], results[AGAIN, page])
            verdicts += [c.verdict for c in compared.values()]
            text_rows.append([name, page, *(cell(label, compared[label]) for label, *_ in MEASURES)])
            md_rows.append(f"| {name} | {page} | " + " | ".join(cell(label, compared[label]) for label, *_ in MEASURES)
                           + f" | {', '.join(f'{label} {compared[label].verdict}' for label, *_ in MEASURES)} |")
        gain, loss = "gain" in verdicts, "loss" in verdicts
        overall = "mixed" if gain and loss else "beyond noise" if gain else "worse" if loss else "within noise"
        text_rows.append([name, "=> " + overall, *([""] * len(MEASURES))])
    for page in pages:
        floor = {label: (results[WITH, page].median(label), results[AGAIN, page].median(label)) for label, *_ in MEASURES}
        text_rows.append(["(noise floor)", page, *(f"{fmt(label, a)} / {fmt(label, b)}" for label, (a, b) in floor.items())])

    headers = ["change", "page", *(f"{label}{' ' + unit if unit else ''}: with / without (gain ± noise)"
                                   for label, _, unit, _ in MEASURES)]
    widths = [max(len(row[i]) for row in [headers, *text_rows]) for i in range(len(headers))]
    print(f"\nTheme changes, Lighthouse mobile (performance), {args.runs} runs per page and site, alternated, medians; "
          f"load average {load_at_start:.1f} at start, {os.getloadavg()[0]:.1f} at end; "
          f"{time.perf_counter() - began:.0f} s\n")
    for row in [headers, ["-" * w for w in widths], *text_rows]:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    print("\nMarkdown:\n")
    print("| change | page | " + " | ".join(headers[2:]) + " | verdict |")
    print("|---|---|" + "---|" * len(MEASURES) + "---|")
    print("\n".join(md_rows))


if __name__ == "__main__":
    main()
