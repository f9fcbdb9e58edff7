"""The site builds strictly, its navigation is complete, and no page reaches outside the site."""

from __future__ import annotations

import re
from pathlib import Path

from scripts.model import course
from tests.conftest import Build


def test_strict_build_passes(build: Build) -> None:
    """`mkdocs build --strict` (links and anchors validated) exits 0 with no warning."""
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log, build.log


def test_every_nav_page_exists() -> None:
    """Each page named in `nav` is a file in docs/."""
    missing = [name for name in course.nav_files() if not (course.DOCS / name).is_file()]
    assert not missing


def test_every_page_and_lesson_is_in_nav() -> None:
    """Every Markdown page (lessons first of all) appears in `nav`; none is orphaned."""
    pages = {p.relative_to(course.DOCS).as_posix() for p in course.DOCS.rglob("*.md")
             if "includes" not in p.relative_to(course.DOCS).parts}
    assert pages - set(course.nav_files()) == set()


def test_lessons_follow_the_course_plan() -> None:
    """The seven lessons are in nav in the planned order, ASCII kebab-case, no number prefix."""
    slugs = [lesson.slug for lesson in course.load_lessons()]
    assert slugs == ["definitions", "fondements", "acteurs", "conditions", "forces-et-faiblesses",
                     "construire-un-partenariat", "notions-voisines"]
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs)


def test_html_is_french(site: Path) -> None:
    """Every page declares lang="fr" and has no "Made with Material" generator notice."""
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="fr"' in text, page.name
        assert "Made with" not in text, page.name


def test_no_request_can_leave_the_site(site: Path) -> None:
    """No page, script or stylesheet loads anything from another host (fonts, CDN, unpkg)."""
    pattern = re.compile(r"""(?:src|href)=["'](?:https?:)?//""", re.I)
    css_js = re.compile(r"""(?:url\(|import\s*\(|importScripts\(|["'])https?://(?:fonts\.|unpkg|cdn)""", re.I)
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            text = re.sub(r'<a [^>]*href="https?://[^"]*"', "", text)  # outgoing links are not requests
            if pattern.search(text):
                offenders.append(path.name)
        elif (path.suffix in {".css", ".js"} and "lunr" not in path.parts and not path.name.startswith("bundle.")
              and css_js.search(path.read_text(encoding="utf-8"))):  # Material's bundle: see the browser test
            offenders.append(str(path.relative_to(site)))
    assert not offenders


def test_quiz_assets_are_not_inlined(site: Path) -> None:
    """mkdocs-quiz's ~67 KB of inlined CSS/JS and its path-keyed storage appear on no page."""
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "mkdocsQuizConfig" not in text and "quiz_progress_" not in text, page.name
