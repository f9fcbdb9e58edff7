"""The offline editions (learners, trainers) from file://, accent-forgiving search and the print edition."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from scripts.model import course, quizbank
from scripts.outputs import bundle, export_lms
from tests.test_browser import answer

BANK = quizbank.load_bank()
ALLOWED = ("file://", "data:", "blob:", "about:")
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both offline editions, built by the code of `make bundle`, with a fixed SOURCE_DATE_EPOCH."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return bundle.make_bundles(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def bundle_zip(bundles: dict[str, Path]) -> Path:
    """The learners' edition (the one handed out most)."""
    return bundles["apprenant"]


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("edition", bundle.EDITIONS)
def test_bundle_content(bundles: dict[str, Path], edition: str) -> None:
    """At the top of each zip: the start page, the French read-me and the site folder; every lesson, no source map."""
    entries = _entries(bundles[edition])
    assert {name.split("/")[0] for name in entries} == {"OUVRIR-LE-COURS.html", "LISEZMOI.txt", "cours"}
    assert not [n for n in entries if n.endswith(".map")]
    for lesson in course.load_lessons():
        assert f"cours/{lesson.slug}.html" in entries
    assert "cours/search/search_index.js" in entries
    home = entries["cours/index.html"].decode("utf-8")
    assert re.search(r"Version du module\s*: [\w.+-]+, construite le 2023-11-14", home)  # the date of SOURCE_DATE_EPOCH
    start = lxml.html.fromstring(entries["OUVRIR-LE-COURS.html"].decode("utf-8"))
    assert start.get("lang") == "fr"
    assert start.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=cours/index.html"]
    assert start.xpath("//a/@href") == ["cours/index.html"]
    readme = entries["LISEZMOI.txt"].decode("utf-8")
    assert "OUVRIR-LE-COURS.html" in readme and f"Édition {edition}" in readme and "construite le 2023-11-14" in readme
    assert "\u00a0:" in readme and " :" not in readme  # French typography: no-break space before the colon


def _linked_files(entries: dict[str, bytes]) -> set[tuple[str, str]]:
    """(page, target file) for every relative href/src of every page of the site in ``entries``."""
    links = set()
    for name, data in entries.items():
        if not name.endswith(".html"):
            continue
        doc = lxml.html.fromstring(data.decode("utf-8"))
        for url in doc.xpath("//@href | //@src"):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            links.add((name, posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))))
    return links


def test_learner_bundle_has_no_trainer_page_no_answer_key_and_no_dead_link(bundles: dict[str, Path]) -> None:
    """The learners' edition: no formateurs/ page, no answer key anywhere, no link to either, every link resolves.

    The trainers' edition has them all (so each check here can fail).
    """
    learner, trainer = _entries(bundles["apprenant"]), _entries(bundles["formateur"])
    assert "cours/formateurs/corrige.html" in trainer and "cours/formateurs/guide.html" in trainer
    assert not [name for name in learner if name.startswith("cours/formateurs/")]
    key = lxml.html.fromstring(trainer["cours/formateurs/corrige.html"].decode("utf-8"))
    key_headings = [h.text_content().strip() for h in key.xpath("//article//h2")]
    assert key_headings
    for name, data in learner.items():
        text = data.decode("utf-8", errors="replace")
        assert "formateurs/" not in text, name  # no link, nav entry or search entry leads to the trainers' section
        assert 'id="corrige-' not in text and "Corrigés des quiz</a>" not in text, name
    print_page = lxml.html.fromstring(learner["cours/imprimer.html"].decode("utf-8"))
    assert "data-correct" not in learner["cours/imprimer.html"].decode("utf-8")
    assert not [h for h in print_page.xpath("//h2") if h.get("id", "").startswith("corrige")]
    dead = [(page, target) for page, target in _linked_files(learner) if target not in learner]
    assert not dead
    assert [(p, t) for p, t in _linked_files(trainer) if t.startswith("cours/formateurs/")]  # the check sees such links


@pytest.mark.slow
def test_bundles_are_reproducible(bundles: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the same SOURCE_DATE_EPOCH, building both editions again gives byte-identical zips (fixed dates and order)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = bundle.make_bundles(tmp_path)
    for edition, first in bundles.items():
        assert again[edition].read_bytes() == first.read_bytes(), edition
    with zipfile.ZipFile(again["apprenant"]) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.slow
def test_exports_are_reproducible(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the same SOURCE_DATE_EPOCH, every LMS export (Moodle, GIFT, QTI 1.2/2.1, SCORM) comes out byte-identical twice."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = export_lms.export(tmp_path / "1", site=site)
    second = export_lms.export(tmp_path / "2", site=site)
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 5
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    with zipfile.ZipFile(first[2]) as archive:  # QTI: mkdocs-quiz's random ids renumbered, entries dated and sorted
        names = archive.namelist()
        assert names == sorted(names) and {i.date_time[:3] for i in archive.infolist()} == {(2023, 11, 14)}
        assert not re.search(r"_(?![0]{4})[0-9a-f]{8}\b", " ".join(names))


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
    page.goto((first / "OUVRIR-LE-COURS.html").as_uri())
    page.wait_for_url("**/cours/index.html")
    assert page.locator("nav.md-nav--primary").inner_text().count("Formateurs") == 0
    page.locator("nav.md-nav--primary a[href='definitions.html']").first.dispatch_event("click")
    page.wait_for_url("**/definitions.html")
    results = _search(page, "cooperation")
    assert results and any("coopération" in r for r in results)
    page.keyboard.press("Escape")
    qid = BANK["definitions"].questions[0].id
    page.goto((first / "cours" / "definitions.html").as_uri())
    answer(page, qid)
    page.locator("ul.checklist label").first.click()
    page.goto((second / "cours" / "definitions.html").as_uri())
    assert "Déjà répondu" in page.locator(f"[data-qid='{qid}'] .quiz-feedback").inner_text()
    assert page.locator("ul.checklist input").first.is_checked()
    page.goto((second / "cours" / "parcours.html").as_uri())
    assert page.locator("[data-lesson='definitions'] [data-stat='answered']").inner_text() == "1"
    page.goto((second / "cours" / "acteurs.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.schema-svg").first.evaluate("svg => svg.getBoundingClientRect().width") > 0  # ux: inline
    assert not [url for url in requests if not url.startswith(ALLOWED)]
    assert not errors


@pytest.mark.browser
def test_trainer_bundle_opens_from_its_start_file(bundles: dict[str, Path], tmp_path: Path, context: Any) -> None:
    """The trainers' edition, unzipped: OUVRIR-LE-COURS.html opens the styled home page, whose nav leads to the answer key."""
    with zipfile.ZipFile(bundles["formateur"]) as archive:
        archive.extractall(tmp_path)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto((tmp_path / "OUVRIR-LE-COURS.html").as_uri())
    page.wait_for_url("**/cours/index.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    link = page.locator("nav.md-nav--primary a[href='formateurs/corrige.html']").first
    assert link.count() == 1
    page.goto((tmp_path / "cours" / "formateurs" / "corrige.html").as_uri())
    assert page.locator("h1").first.inner_text().startswith("Corrigés")
    assert not [url for url in requests if not url.startswith(ALLOWED)]


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
    """The print page holds every lesson, checklist and lesson question, the final's two print forms, and no answer.

    Of the final pool, only the items of its two print forms are printed (sealed.print_forms); no explanation at all.
    """
    from scripts.build import sealed
    printed_final = {qid for _, ids in sealed.print_forms(BANK["evaluation-finale"]) for qid in ids}
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
            if quiz.lesson != "evaluation-finale" or question.id in printed_final:
                assert plain.strip() in text, question.id
            explanation = " ".join(re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", question.explanation).split())
            assert explanation not in " ".join(text.split()), question.id
    assert "data-correct" not in html and "quiz-blank-input" not in html
    assert not doc.xpath("//article//details")  # nothing folded away on paper
