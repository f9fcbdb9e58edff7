"""The offline bundle from file://, accent-forgiving search, the print edition and the nginx set-up."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from scripts import bundle, course, quizbank
from tests.test_browser import answer

BANK = quizbank.load_bank()
ALLOWED = ("file://", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle, built by the documented command's code."""
    return bundle.make_bundle(tmp_path_factory.mktemp("dist") / "partenariat-hors-ligne.zip")


def test_bundle_content(bundle_zip: Path) -> None:
    """The zip holds the whole site under one folder, with no source map, and says its version and date."""
    with zipfile.ZipFile(bundle_zip) as archive:
        names = archive.namelist()
        home = archive.read("partenariat/index.html").decode("utf-8")
    assert all(name.startswith("partenariat/") for name in names)
    assert not [n for n in names if n.endswith(".map")]
    for lesson in course.load_lessons():
        assert f"partenariat/{lesson.slug}.html" in names
    assert "partenariat/search/search_index.js" in names
    assert re.search(r"Version du module\s*: [\w.+-]+, construite le \d{4}-\d{2}-\d{2}", home)


def _search(page: Any, query: str) -> list[str]:
    toggle = page.locator("label.md-header__button[for='__search']")
    if toggle.is_visible():
        toggle.click()
    field = page.locator("input.md-search__input")
    field.fill("")
    field.type(query)
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('trouvé')")
    return page.locator(".md-search-result__item").all_inner_texts()


@pytest.mark.browser
def test_bundle_works_from_disk_and_progress_follows_the_folder(bundle_zip: Path, tmp_path: Path, context: Any) -> None:
    """Unzipped twice: from file:// navigate, search without accents, answer, tick; the second folder sees it all; no request leaves."""
    first, second = tmp_path / "copie-1", tmp_path / "ailleurs" / "copie-renommee"
    for folder in (first, second):
        with zipfile.ZipFile(bundle_zip) as archive:
            archive.extractall(folder)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((first / "partenariat" / "index.html").as_uri())
    page.locator("nav.md-nav--primary a[href='definitions.html']").first.dispatch_event("click")
    page.wait_for_url("**/definitions.html")
    results = _search(page, "cooperation")
    assert results and any("coopération" in r for r in results)
    page.keyboard.press("Escape")
    qid = BANK["definitions"].questions[0].id
    page.goto((first / "partenariat" / "definitions.html").as_uri())
    answer(page, qid)
    page.locator("ul.checklist label").first.click()
    page.goto((second / "partenariat" / "definitions.html").as_uri())
    assert "Déjà répondu" in page.locator(f"[data-qid='{qid}'] .quiz-feedback").inner_text()
    assert page.locator("ul.checklist input").first.is_checked()
    page.goto((second / "partenariat" / "parcours.html").as_uri())
    assert page.locator("[data-lesson='definitions'] [data-stat='answered']").inner_text() == "1"
    page.goto((second / "partenariat" / "acteurs.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("img.schema").first.evaluate("img => img.naturalWidth") > 0
    assert not [url for url in requests if not url.startswith(ALLOWED)]
    assert not errors


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), [("cooperation", "coopération"), ("reseau", "réseau"),
                                                  ("l'etat", "État"), ("partenaires", "partenaire")])
def test_search_forgives_missing_accents(page: Any, server: str, query: str, expected: str) -> None:
    """Queries typed without accents or with ' find the accented text, shown with its accents; stemming still works."""
    page.goto(server + "index.html")
    results = _search(page, query)
    assert results
    assert any(expected in r for r in results)


def test_search_index_leaves_out_quiz_and_progress_widgets(site: Path) -> None:
    """Quiz questions, checklists and « Mon parcours » widgets are not indexed as page content."""
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Testez vos connaissances" not in index
    assert "Questions répondues" not in index
    assert BANK["definitions"].questions[0].explanation[:40] not in index


def test_print_edition_has_every_lesson_and_no_answer(site: Path) -> None:
    """The print page holds every lesson, checklist and question, and none of the answers or explanations."""
    html = (site / "imprimer.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(html)
    ids = {h.get("id") for h in doc.xpath("//article//h2")}
    for lesson in course.load_lessons():
        assert lesson.slug in ids and f"{lesson.slug}-capable" in {h.get("id") for h in doc.xpath("//article//h3")}
    text = doc.xpath("//article")[0].text_content()
    for quiz in BANK.values():
        for question in quiz.questions:
            first_line = quizbank.BLANK.join(question.question.split(quizbank.BLANK)[:1]).split("\n")[0]
            plain = re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", first_line)[:30]
            assert plain.strip() in text, question.id
            explanation = " ".join(re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", question.explanation).split())
            assert explanation not in " ".join(text.split()), question.id
    assert "data-correct" not in html and "quiz-blank-input" not in html
    assert not doc.xpath("//article//details")  # nothing folded away on paper
