"""A learner in headless Chromium: quizzes, checklists, « Mon parcours », export/import, keyboard only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from scripts.model import quizbank
from tests.conftest import ROOT, serve_folder

pytestmark = pytest.mark.browser
KEY = "partenariat:progress:v1"
BANK = quizbank.load_bank()


def answer(page: Any, qid: str, right: bool = True) -> None:
    """Answer question `qid` through the UI, rightly or wrongly."""
    quiz = page.locator(f"[data-qid='{qid}']")
    quiz.scroll_into_view_if_needed()
    # [render] matching: one select per item; ordering: « Monter » until each step is in place
    if quiz.get_attribute("data-type") == "associer":
        for select in quiz.locator("select").all():
            wanted = select.get_attribute("data-answer")
            options = [o for o in select.locator("option").all_inner_texts() if o != "Choisir…"]
            select.select_option(wanted if right else next(o for o in options if o != wanted))
    elif quiz.get_attribute("data-type") == "ordonner":
        size = quiz.locator(".quiz-step").count()
        for position in range(size if right else 0):
            current = [int(s) for s in quiz.locator(".quiz-step").evaluate_all("els => els.map(e => e.dataset.step)")]
            for _ in range(current.index(position) - position):
                quiz.locator(f".quiz-step[data-step='{position}'] .step-move[data-move='-1']").click()
        # as first shown, the order is never the right one
    # [/render]
    elif quiz.get_attribute("data-type") == "redaction":  # written: send a text, then rate the first criterion
        quiz.locator("textarea").fill("Une réponse rédigée." if right else "?")
        quiz.locator(".quiz-button").click()
        quiz.locator(".redaction-criterion").first.get_by_role("radio", name="atteint" if right else "pas atteint",
                                                                exact=True).check()
        return
    elif quiz.get_attribute("data-type") == "fill":
        accepted = json.loads(quiz.get_attribute("data-accept"))
        quiz.locator("input.quiz-blank-input").fill(accepted[0] if right else "zzz")
    else:
        inputs = quiz.locator("fieldset input")
        for i in range(inputs.count()):
            box = inputs.nth(i)
            correct = box.get_attribute("data-correct") == "true"
            if (correct if right else not correct):
                quiz.locator(f"label[for='{box.get_attribute('id')}']").click()
                if box.get_attribute("type") == "radio":
                    break
    quiz.locator(".quiz-button").click()
    settle(page)


# The store writes under a lock the tabs share (Web Locks), a moment after the change shows.
SETTLE = "async () => { const s = window.Partenariat && window.Partenariat.store; if (s && s.settled) await s.settled(); }"


def settle(page: Any) -> None:
    """Wait until every change made in `page` has been written to localStorage (or has failed to be)."""
    page.evaluate(SETTLE)


def stored(page: Any) -> dict[str, Any]:
    """The learner's progress record as kept in localStorage, once the page's own writes have landed."""
    settle(page)
    return json.loads(page.evaluate(f"localStorage.getItem('{KEY}')") or "null")


def bucket(page: Any, name: str) -> dict[str, Any]:
    """One bucket of the stored progress (live items and tombstones), {} when absent."""
    record = stored(page) or {}
    return record.get("buckets", {}).get(name, {})


def lesson_stat(page: Any, slug: str, name: str) -> str:
    """A figure shown on « Mon parcours » for one lesson."""
    return page.locator(f"[data-lesson='{slug}'] [data-stat='{name}']").inner_text()


def test_quiz_and_checklist_survive_reload_and_show_on_parcours(page: Any, server: str) -> None:
    """Answer two questions, tick a box, reload: all kept, keyed by question id, and counted on « Mon parcours »."""
    first, second = BANK["definitions"].questions[:2]
    page.goto(server + "definitions.html")
    answer(page, first.id, right=True)
    feedback = page.locator(f"[data-qid='{first.id}'] .quiz-feedback")
    assert feedback.inner_text().startswith("Bonne réponse")
    assert page.locator(f"[data-qid='{first.id}'] section.content").is_visible()
    answer(page, second.id, right=False)
    assert "incorrecte" in page.locator(f"[data-qid='{second.id}'] .quiz-feedback").inner_text()
    page.locator("ul.checklist label").first.click()
    page.reload()
    assert "Déjà répondu" in page.locator(f"[data-qid='{first.id}'] .quiz-feedback").inner_text()
    assert page.locator("ul.checklist input").first.is_checked()
    answers = bucket(page, "answers")
    assert set(answers) == {first.id, second.id}
    assert answers[first.id]["ok"] is True and answers[second.id]["ok"] is False
    assert answers[first.id]["first"] is True and isinstance(answers[first.id]["t"], int)
    assert [k for k in page.evaluate("Object.keys(localStorage)") if "quiz_progress" in k] == []
    page.goto(server + "parcours.html")
    assert lesson_stat(page, "definitions", "answered") == "2"
    assert (lesson_stat(page, "definitions", "correct"), lesson_stat(page, "definitions", "given")) == ("1", "2")
    assert lesson_stat(page, "definitions", "checked") == "1"
    assert page.locator("[data-lesson='definitions'] progress").get_attribute("value") != "0"
    assert int(page.locator("[data-stat='module']").inner_text()) > 0
    assert not page.js_errors


def test_export_reset_import_round_trip(page: Any, server: str, tmp_path: Path) -> None:
    """Export to JSON, reset with confirmation, import the file: the progress is back."""
    qid = BANK["acteurs"].questions[0].id
    page.goto(server + "acteurs.html")
    answer(page, qid)
    page.locator("ul.checklist label").nth(1).click()
    page.goto(server + "parcours.html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter ma progression (JSON)").click()
    saved = tmp_path / "progression.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["schema"] == "partenariat-progress" and exported["course"] == "partenariat"
    assert qid in exported["buckets"]["answers"]
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Tout effacer…").click()
    assert lesson_stat(page, "acteurs", "answered") == "1"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tout effacer…").click()
    assert lesson_stat(page, "acteurs", "answered") == "0"
    assert bucket(page, "answers") == {}
    page.locator("#parcours-import").set_input_files(str(saved))
    page.wait_for_function("document.querySelector('.parcours-message').textContent.includes('importée')")
    assert lesson_stat(page, "acteurs", "answered") == "1"
    assert lesson_stat(page, "acteurs", "checked") == "1"
    page.goto(server + "acteurs.html")
    assert page.locator("ul.checklist input").nth(1).is_checked()
    assert not page.js_errors


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{ ceci n’est pas du JSON", "n’est pas un fichier JSON valide"),
        (json.dumps({"quizzes": {"x": 1}}), "ne vient pas du module"),
        (json.dumps({"schema": "partenariat-progress", "version": 1, "answers": {"q": {"ok": "oui", "v": []}}, "checks": {}}),
         "illisible"),
    ],
)
def test_bad_import_is_refused_and_progress_kept(page: Any, server: str, tmp_path: Path, content: str, reason: str) -> None:
    """A corrupt, foreign or malformed file is refused with a French message; existing progress is untouched."""
    qid = BANK["conditions"].questions[0].id
    page.goto(server + "conditions.html")
    answer(page, qid)
    before = stored(page)
    bad = tmp_path / "mauvais.json"
    bad.write_text(content, encoding="utf-8")
    page.goto(server + "parcours.html")
    page.locator("#parcours-import").set_input_files(str(bad))
    message = page.locator(".parcours-message")
    page.wait_for_function("document.querySelector('.parcours-message').textContent.length > 0")
    assert message.inner_text().startswith("Import refusé")
    assert reason in message.inner_text()
    assert "n’a pas été modifiée" in message.inner_text()
    assert stored(page) == before
    assert lesson_stat(page, "conditions", "answered") == "1"


def test_corrupt_storage_breaks_nothing_and_is_kept(page: Any, server: str) -> None:
    """Unreadable data already in storage: pages work, « Mon parcours » says so, the data is set aside, not lost."""
    page.goto(server + "index.html")
    page.evaluate(f"localStorage.setItem('{KEY}', '{{\"schema\": broken')")
    page.goto(server + "definitions.html")
    qid = BANK["definitions"].questions[0].id
    answer(page, qid)
    assert page.locator(f"[data-qid='{qid}'] .quiz-feedback").inner_text().startswith("Bonne réponse")
    backups = page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))")
    assert len(backups) == 1
    assert page.evaluate(f"localStorage.getItem('{backups[0]}')") == '{"schema": broken'
    page.goto(server + "parcours.html")
    assert lesson_stat(page, "definitions", "answered") == "1"
    assert not page.js_errors


def _fold_variant(text: str) -> str:
    """What a learner typing without accents, in capitals, with a straight apostrophe, might type."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return "  " + bare.replace("’", "'").upper() + " "


def test_fill_in_forgives_accents_case_apostrophes_and_spaces(page: Any, server: str) -> None:
    """A blank accepts every listed answer typed without accents, in capitals, with ' and extra spaces."""
    fills = [(slug, q) for slug, quiz in BANK.items() if slug != "evaluation-finale" for q in quiz.questions if q.type == "fill"]
    slug, question = next((s, q) for s, q in fills if any(not a.isascii() for a in q.answers))
    page.goto(server + f"{slug}.html")
    quiz = page.locator(f"[data-qid='{question.id}']")
    quiz.locator("input.quiz-blank-input").fill(_fold_variant(question.answers[-1]))
    quiz.locator(".quiz-button").click()
    assert quiz.locator(".quiz-feedback").inner_text().startswith("Bonne réponse")
    assert page.evaluate("Partenariat.quiz.fold('  L’ÉTAT ')") == page.evaluate("Partenariat.quiz.fold(\"l'etat\")")


def test_keyboard_only(page: Any, server: str) -> None:
    """Tab, arrows, Space and Enter answer a question without locking it on the first arrow; focus stays visible."""
    question = next(q for q in BANK["fondements"].questions if q.type in ("single", "truefalse"))
    page.goto(server + "fondements.html")
    quiz = page.locator(f"[data-qid='{question.id}']")
    quiz.locator("fieldset input").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back onto the radio group, as a keyboard user arrives
    assert page.evaluate("document.activeElement.name") == "answer"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert quiz.locator(".quiz-feedback").inner_text() == ""  # moving does not submit
    inputs = quiz.locator("fieldset input")
    correct = next(i for i in range(inputs.count()) if inputs.nth(i).get_attribute("data-correct") == "true")
    current = page.evaluate("[...document.activeElement.form.querySelectorAll('input')].indexOf(document.activeElement)")
    for _ in range((correct - current) % inputs.count()):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('quiz-button')")
    page.keyboard.press("Enter")
    assert quiz.locator(".quiz-feedback").inner_text().startswith("Bonne réponse")
    box = page.locator("ul.checklist input").first
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert bucket(page, "checks")
    assert not page.js_errors


def test_final_assessment_scores_against_pass_mark(page: Any, server: str) -> None:
    """Answering the whole final assessment shows the score against the pass mark, also on « Mon parcours »."""
    final = BANK["evaluation-finale"]
    page.goto(server + "evaluation-finale.html")
    assert f"{final.pass_mark}\u00a0%" in page.locator("article").inner_text()
    wrong = {q.id for q in final.questions[:3]}
    for q in final.questions:
        answer(page, q.id, right=q.id not in wrong)
    locked = page.locator(f"[data-qid='{final.questions[0].id}'] .quiz-button")
    assert locked.is_disabled()
    score = round(100 * (len(final.questions) - 3) / len(final.questions))
    result = page.locator(".final-result").inner_text()
    assert f"{score}\u00a0%" in result and ("seuil atteint" if score >= final.pass_mark else "seuil non atteint") in result
    assert "réussie" not in result  # corrected in the browser: declared, never « réussie » (issue 27)
    page.goto(server + "parcours.html")
    assert "terminée" in page.locator("[data-stat='final']").inner_text()
    assert not page.js_errors


def test_pages_request_nothing_outside_the_site(page: Any, server: str) -> None:
    """Home, a lesson with diagrams and quiz, search, « Mon parcours »: every request stays on 127.0.0.1."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for name in ("index.html", "acteurs.html", "parcours.html", "evaluation-finale.html"):
        page.goto(server + name)
        page.wait_for_load_state("networkidle")
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("input.md-search__input").type("partenaire")
    page.wait_for_selector(".md-search-result__item")
    outside = [url for url in requests if not url.startswith((server, "data:", "blob:"))]
    assert not outside


def test_progress_survives_an_update_that_rewords_and_reorders(page: Any, tmp_path: Path) -> None:
    """Answer on version 1; rebuild the site with the quiz reordered and a question reworded: the answers are still there."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".git", "dist", "__pycache__"))
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")  # [render] the seeds the bank checks passages against
    served = tmp_path / "www"

    def build() -> None:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(served)], cwd=project, check=True,
                       capture_output=True)

    build()
    with serve_folder(served) as base:
        first, second = BANK["definitions"].questions[:2]
        page.goto(base + "definitions.html")
        answer(page, first.id, right=True)
        answer(page, second.id, right=False)
        quiz_file = project / "quizzes" / "definitions.yml"
        text = quiz_file.read_text(encoding="utf-8")
        head, _, body = text.partition("questions:\n")
        blocks = ["  - id:" + b for b in re.split(r"(?m)^  - id:", body)[1:]]  # items, not a rubric's criteria
        blocks[0] = blocks[0].replace(first.question.split("\n")[0], "Version reformulée : " + first.question.split("\n")[0], 1)
        quiz_file.write_text(head + "questions:\n" + "".join(reversed(blocks)), encoding="utf-8")
        build()
        page.reload()
        order = page.eval_on_selector_all("[data-qid]", "els => els.map(e => e.dataset.qid)")
        assert order.index(first.id) > order.index(second.id)  # the update really reordered them
        assert "Version reformulée" in page.locator(f"[data-qid='{first.id}']").inner_text()
        # the page restores answers once the store has read them: wait for it rather than read at once
        expect(page.locator(f"[data-qid='{first.id}'] .quiz-feedback")).to_contain_text("juste au premier essai")
        expect(page.locator(f"[data-qid='{second.id}'] .quiz-feedback")).to_contain_text("faux au premier essai")
