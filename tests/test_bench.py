"""The benchmark's own parts (scripts/bench_site.py): a fair baseline, bytes that count the search, a larger course."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import yaml

from scripts import bench_site, bench_theme
from scripts.model import course

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has ``!!python/name`` tags (emoji functions); their names are enough here."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: f"python/{suffix}")


def _config(text: str) -> dict:
    return yaml.load(text, Loader=_Loader)  # noqa: S506  # our own file, tags turned into strings


def test_baseline_is_the_course_config_minus_the_project() -> None:
    """The baseline keeps the course's extensions, theme, nav and Material plugins, minus the project's own parts.

    Dropped: the hooks, the quiz plugin, the templates (custom_dir), the scripts and the stylesheet.
    """
    course_cfg = _config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plain = _config(bench_site.plain_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert plain["markdown_extensions"] == course_cfg["markdown_extensions"]
    assert plain["nav"] == course_cfg["nav"]
    assert plain["theme"] == {k: v for k, v in course_cfg["theme"].items() if k != "custom_dir"}
    assert plain["extra"] == course_cfg["extra"]

    def names(plugins: list) -> list[str]:
        return [next(iter(p)) if isinstance(p, dict) else p for p in plugins]

    assert names(plain["plugins"]) == [n for n in names(course_cfg["plugins"]) if n != "mkdocs_quiz"]
    for gone in ("hooks", "extra_css", "extra_javascript"):
        assert gone in course_cfg and gone not in plain
    assert "custom_dir" in course_cfg["theme"]


def test_page_bytes_count_linked_assets_and_the_search(tmp_path: Path) -> None:
    """A page weighs its gzip HTML, its linked CSS/JS, and the search index and worker if it has a search box.

    A page without a search box does not count them.
    """
    (tmp_path / "assets" / "javascripts" / "workers").mkdir(parents=True)
    (tmp_path / "search").mkdir()
    (tmp_path / "assets" / "style.css").write_text("body { color: #222; }\n" * 40)
    (tmp_path / "assets" / "javascripts" / "workers" / "search.1234.min.js").write_text("var a = 1;\n" * 50)
    (tmp_path / "search" / "search_index.json").write_text('{"docs": []}' * 30)
    with_search = '<link rel="stylesheet" href="assets/style.css"><input name="search"><p>' + "texte " * 80 + "</p>"
    (tmp_path / "a.html").write_text(with_search)
    (tmp_path / "b.html").write_text("<p>sans recherche</p>")

    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))

    weights = bench_site.page_bytes(tmp_path)
    search = gz(tmp_path / "search" / "search_index.json") + gz(tmp_path / "assets/javascripts/workers/search.1234.min.js")
    assert weights["a.html"].search == search > 0
    assert weights["a.html"].assets == gz(tmp_path / "assets" / "style.css")
    assert weights["a.html"].total == gz(tmp_path / "a.html") + weights["a.html"].assets + search
    assert weights["b.html"].search == 0 and weights["b.html"].assets == 0


def test_a_larger_course_adds_whole_lessons_with_their_quizzes(tmp_path: Path) -> None:
    """At 3x, the copied project has two more copies of every lesson, each in nav, with a quiz of its own.

    Each copy is the whole lesson (only its title changes) and its questions have new ids: the larger course is the
    same kind of work, not a lighter one.
    """
    config = bench_site.course_copy(tmp_path / "copy")
    lessons = course.load_lessons()
    assert bench_site.enlarge(config, 3) == 3 * len(lessons)
    nav = config.read_text(encoding="utf-8")
    ids: list[str] = []
    for lesson in lessons:
        for copy in (2, 3):
            slug = f"{lesson.slug}-copie-{copy}"
            page = (tmp_path / "copy" / "docs" / f"{slug}.md").read_text(encoding="utf-8")
            assert f"{slug}.md" in nav and f"(copie {copy})" in page
            meta, body = course.split_front_matter(page)
            original_meta, original_body = course.split_front_matter(lesson.path.read_text(encoding="utf-8"))
            assert {**meta, "title": original_meta["title"]} == original_meta
            assert body.replace(f" (copie {copy})", "", 1) == original_body  # the whole lesson, heading renamed
            quiz = yaml.safe_load((tmp_path / "copy" / "quizzes" / f"{slug}.yml").read_text(encoding="utf-8"))
            assert quiz["lesson"] == slug
            ids += [q["id"] for q in quiz["questions"]]
    assert len(ids) == len(set(ids)) and all(re.search(r"-copie-[23]$", i) for i in ids)


def test_growth_is_the_cost_of_one_more_lesson_page() -> None:
    """Linear growth gives the same cost per page early and late; work that grows with the course shows late."""
    linear = {1: 500 + 7 * 30, 10: 500 + 70 * 30, 20: 500 + 140 * 30}  # fixed cost 500, 30 per lesson page
    assert bench_site.growth(linear, per_copy=7) == (30, 30)
    quadratic = {n: 500 + (7 * n) ** 2 for n in (1, 10, 20)}
    early, late = bench_site.growth(quadratic, per_copy=7)
    assert late / early > 1.5


def test_instruction_count_is_read_from_cachegrind_output() -> None:
    """The total comes from the summary line of a cachegrind file; a file without one is an error, not zero."""
    text = "desc: I1 cache: 32768 B\ncmd: python -m mkdocs build\nevents: Ir\nfl=x.c\n3 12\nsummary: 15956920773\n"
    assert bench_site.cachegrind_total(text) == 15_956_920_773
    with pytest.raises(SystemExit, match="summary"):
        bench_site.cachegrind_total("events: Ir\n")


def test_baseline_beside_a_larger_course_has_the_same_pages(tmp_path: Path) -> None:
    """The baseline of an enlarged copy builds the same Markdown and nav, minus the project (as the 1x baseline)."""
    config = bench_site.course_copy(tmp_path / "copy")
    bench_site.enlarge(config, 2)
    plain = bench_site.plain_project(tmp_path / "copy-plain", config)
    pages = {p.relative_to(tmp_path / "copy" / "docs") for p in (tmp_path / "copy" / "docs").rglob("*.md")}
    assert pages == {p.relative_to(plain.parent / "docs") for p in (plain.parent / "docs").rglob("*.md")}
    assert _config(plain.read_text(encoding="utf-8"))["nav"] == _config(config.read_text(encoding="utf-8"))["nav"]
    assert "hooks" not in _config(plain.read_text(encoding="utf-8"))


def test_benchmark_markdown_holds_the_table_where_and_when() -> None:
    """BENCHMARK.md carries the printed table verbatim in a code block, with the run's date and commit."""
    lines = ["Partenariat site benchmark: mkdocs 1.6.1", "", "Measure  Course", "-------  ------", "Cold build  2.53"]
    text = bench_site.benchmark_markdown(lines, "abc1234-dirty", "2026-12-07 01:00 UTC")
    assert text.startswith("# Benchmark\n")
    assert "2026-12-07 01:00 UTC" in text and "`abc1234-dirty`" in text
    block = re.search(r"```text\n(.*?)\n```", text, flags=re.S)
    assert block and block.group(1).splitlines() == lines


def test_benchmark_md_is_the_written_form() -> None:
    """The committed BENCHMARK.md is what benchmark_markdown writes (a heading, where and when, one table)."""
    text = (ROOT / "BENCHMARK.md").read_text(encoding="utf-8")
    assert text.startswith("# Benchmark\n") and "written by it on" in text
    block = re.search(r"```text\n(.*?)\n```", text, flags=re.S)
    assert block and "Cold build" in block.group(1) and "Lighthouse" in block.group(1)


# ---------- scripts/bench_theme.py: the site without each speed change ----------

# What each marked change leaves in the built site: (built file, regular expression). With the change the pattern is
# there; without it, gone. A newly marked change needs its line here (test_every_marked_change_has_a_signature).
SIGNATURES = {
    "color-scheme-tag": [("definitions.html", r"pt-color-scheme")],
    "search-on-demand": [("definitions.html", r"ptSearchIndex")],
    "palette-mark-held": [("definitions.html", r"body\.setAttribute = function")],
}


def test_every_marked_change_has_a_signature() -> None:
    """Each change marked in the project has its signature below, and each signature names a marked change."""
    assert set(bench_theme.changes()) == set(SIGNATURES)


def test_stripping_keeps_materials_code_and_the_other_changes() -> None:
    """A change's regions go, replaced by their « without: » code if any; other changes and text stay as they were."""
    text = ("{% block a %}{#- change: one -#}{% block libs %}{% endblock %}{#- /change -#}\n"
            "{% block scripts %}\n  {#- change: one -#}\n  {{ super() | upper }}\n  {#- without: {{ super() }} -#}\n"
            "  {#- /change -#}\n  {#- change: two -#}<script>two()</script>{#- /change -#}\n{% endblock %}\n"
            "a {\n  /* change: one */\n  b: c;\n  /* /change */\n}\n  # change: one (why)\n  - hook.py\n  # /change\n")
    stripped = bench_theme.strip_change(text, "one")
    assert stripped == ("{% block a %}\n{% block scripts %}\n{{ super() }}\n  {#- change: two -#}<script>two()</script>"
                        "{#- /change -#}\n{% endblock %}\na {\n}\n")
    assert bench_theme.strip_change(text, "three") == text


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_each_change_stripped_alone_leaves_valid_files(name: str) -> None:
    """Without one change, the templates still parse (Jinja), mkdocs.yml still loads, and only that change is gone."""
    import jinja2

    for rel in bench_theme.MARKED:
        text = (ROOT / rel).read_text(encoding="utf-8")
        stripped = bench_theme.strip_change(text, name)
        if rel.endswith(".html"):
            jinja2.Environment().parse(stripped)
        elif rel.endswith(".yml"):
            _config(stripped)
        assert f"change: {name}" not in stripped
        for other in set(SIGNATURES) - {name}:
            assert stripped.count(f"change: {other}") == text.count(f"change: {other}")


def test_site_without_the_changes_builds_and_lacks_their_code(site: Path, tmp_path: Path) -> None:
    """The project with every speed change stripped builds, and its pages no longer hold any change's code.

    The same patterns are in the course's own build: each signature is that change's code, not something else.
    """
    config = bench_theme.project_without(tmp_path / "project", bench_theme.changes())
    out = tmp_path / "site"
    bench_site.build(config, out)  # raises SystemExit with the build's output if it fails
    for name, signatures in SIGNATURES.items():
        for rel, pattern in signatures:
            assert re.search(pattern, (site / rel).read_text(encoding="utf-8")), f"{name}: {pattern} not in the site"
            assert not re.search(pattern, (out / rel).read_text(encoding="utf-8")), f"{name}: {pattern} still in {rel}"
    assert "<table" in (out / "definitions.html").read_text(encoding="utf-8")
