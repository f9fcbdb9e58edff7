"""Lesson front matter follows a closed schema, and lessons draw on every seed, faithfully located."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.model import course


def _pages() -> list[tuple[str, dict]]:
    return [(name, course.split_front_matter((course.DOCS / name).read_text(encoding="utf-8"))[0])
            for name in course.nav_files()]


@pytest.mark.parametrize(("name", "meta"), _pages(), ids=[n for n, _ in _pages()])
def test_front_matter_schema(name: str, meta: dict) -> None:
    """Every page's front matter validates against the closed lesson or page schema."""
    course.check_front_matter(meta, name)


def test_schema_is_closed() -> None:
    """An unknown key in a lesson's front matter is rejected, naming the page."""
    meta = {"title": "Titre", "description": "Une description.", "duration": 30,
            "objectives": {"a": "définir", "b": "citer"}, "sources": [{"seed": "000", "passage": "Le partenariat peut"}],
            "durée": 30}
    with pytest.raises(ValueError, match=r"docs/x\.md: front matter: .*durée"):
        course.check_front_matter(meta, "docs/x.md")


def test_schema_rejects_a_missing_objective_list() -> None:
    """A lesson without duration is rejected."""
    meta = {"title": "Titre", "description": "Une description.", "objectives": {"a": "définir", "b": "citer"},
            "sources": [{"seed": "000", "passage": "Le partenariat peut"}]}
    with pytest.raises(ValueError, match="duration"):
        course.check_front_matter(meta, "docs/x.md")


FIXTURES = Path(__file__).parent / "fixtures" / "frontmatter"


@pytest.mark.parametrize(("fixture", "message"), [
    ("unknown-key.md", r"unknown-key\.md:5: front matter: durée: .*'durée' was unexpected.*remove it or rename it"),
    ("html-in-objective.md", r"html-in-objective\.md:6: front matter: objectives/definir: raw HTML '<img src=x "
                             r"onerror=alert\(1\)>' is not allowed"),
    ("missing-passage.md", r"missing-passage\.md:12: front matter: sources/1/passage: not found in seed 001 .*copy the "
                           r"passage verbatim"),
    ("bad-yaml.md", r"bad-yaml\.md:3: front matter is not valid YAML: .*Fix the YAML"),
])
def test_front_matter_errors_name_file_line_and_fix(fixture: str, message: str) -> None:
    """Each front-matter fault is reported with the file, the line of the offending key and what to do."""
    where = str((FIXTURES / fixture).relative_to(course.ROOT))
    with pytest.raises(ValueError, match=message):
        meta = {}
        try:
            meta, _ = course.split_front_matter((FIXTURES / fixture).read_text(encoding="utf-8"))
        except yaml.YAMLError:
            pass  # the YAML fault itself is reported by check_front_matter, with its line
        course.check_front_matter(meta, where)


def test_a_passage_missing_from_its_seed_fails_the_build(tmp_path: Path) -> None:
    """`mkdocs build` stops when a lesson quotes a passage its seed does not contain, naming file:line."""
    project = tmp_path / "project"
    shutil.copytree(course.ROOT, project, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".git", "dist"))
    lesson = project / "docs" / "definitions.md"
    text = lesson.read_text(encoding="utf-8")
    meta, _ = course.split_front_matter(text)
    passage = meta["sources"][0]["passage"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "passage:" in row)
    first_line = passage.split("\n")[0][:20]
    assert first_line in text
    lesson.write_text(text.replace(first_line, "Passage inventé " + first_line, 1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=project, capture_output=True, text=True)
    assert proc.returncode != 0
    assert f"docs/definitions.md:{line}: front matter: sources/0/passage: not found in seed" in proc.stdout + proc.stderr


def _normalise(text: str) -> str:
    """Compare passages modulo whitespace and apostrophe style (the typography fixer curls them)."""
    return re.sub(r"\s+", " ", text).replace("’", "'")


def test_every_source_passage_exists_in_its_seed() -> None:
    """Each `sources` entry names a real seed and a passage found verbatim in it."""
    seeds = {key: _normalise(path.read_text(encoding="utf-8")) for key, path in course.seed_files().items()}
    problems = []
    for lesson in course.load_lessons():
        for source in lesson.sources:
            text = seeds.get(source["seed"])
            if text is None or _normalise(source["passage"]) not in text:
                problems.append(f"{lesson.slug}: seed {source['seed']}: {source['passage']!r}")
    assert not problems


def test_every_seed_is_used() -> None:
    """All five seed documents are named by at least one lesson's `sources`."""
    used = {source["seed"] for lesson in course.load_lessons() for source in lesson.sources}
    assert set(course.seed_files()) == used
    assert len(used) == 5


def test_lesson_durations_are_plausible() -> None:
    """Durations are whole minutes between 15 and 90, and the lessons have 3 to 6 objectives."""
    for lesson in course.load_lessons():
        assert 15 <= lesson.duration <= 90, lesson.slug
        assert 3 <= len(lesson.objectives) <= 6, lesson.slug
