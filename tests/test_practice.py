"""« S’entraîner »: a practice set of lesson questions for self-study, scored in the page, never saved."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from scripts.model import quizbank
from tests.test_browser import answer, settle

BANK = quizbank.load_bank()
FINAL = BANK["evaluation-finale"]
LESSON_IDS = {q.id for slug, quiz in BANK.items() if slug != "evaluation-finale" for q in quiz.questions if not q.written}


def _stems(path: Path) -> set[str]:
    """The questions' stems of a built page, as text with spaces normalised."""
    tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    return {" ".join(div.text_content().split()) for div in tree.xpath("//div[contains(@class,'quiz-question')]")}


def test_practice_page_holds_lesson_questions_only(site: Path) -> None:
    """The page holds every lesson question and nothing of the final; it is linked where learners look.

    Nothing of the final: no id, no stem. It says it gives no attestation, and « Mon parcours » and « Ressources » in
    the menu link to it.
    """
    page = (site / "s-entrainer.html").read_text(encoding="utf-8")
    held = set(re.findall(r'data-practice-qid="([^"]+)"', page))
    assert held == LESSON_IDS
    assert not any(q.id in page for q in FINAL.questions)
    final = _stems(site / "evaluation-finale.html")
    assert len(final) == len(FINAL.questions) and not final & _stems(site / "s-entrainer.html")
    assert "ne mène pas à l’attestation" in page
    assert 'href="s-entrainer.html"' in (site / "parcours.html").read_text(encoding="utf-8")
    nav = (site / "glossaire.html").read_text(encoding="utf-8")
    assert re.search(r"Ressources.*?S’entraîner", nav, re.S)


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_practice_set_is_drawn_scored_and_changes_no_progress(page: Any, server: str, width: int) -> None:
    """A mixed set of ten lesson questions is drawn, scored in the page, and changes no progress.

    The set comes from several lessons, none of the final; answering scores them in the page (right and wrong
    counted), and the progress store, « Mon parcours » and the attestation stay exactly as they were; another set
    can be drawn.
    """
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + "s-entrainer.html")
    page.wait_for_function("document.querySelectorAll('.pt-practice-item:not([hidden])').length === 10")
    shown = page.eval_on_selector_all(".pt-practice-item:not([hidden])",
                                      "els => els.map(e => [e.dataset.practiceQid, e.dataset.lesson])")
    ids = [qid for qid, _ in shown]
    assert len(set(ids)) == 10 and set(ids) <= LESSON_IDS
    assert len({lesson for _, lesson in shown}) >= 5  # mixed
    assert page.locator(".pt-practice-item[hidden], .quiz[data-sealed-final]").count() == 0
    assert not {q.id for q in FINAL.questions} & set(page.eval_on_selector_all(".quiz[data-qid]",
                                                                               "els => els.map(e => e.dataset.qid)"))
    before = page.evaluate("localStorage.getItem(window.Partenariat.store.key)")
    for i, qid in enumerate(ids):
        answer(page, qid, right=i % 3 != 0)
        assert page.locator(f"[data-qid='{qid}'] .quiz-feedback").inner_text().strip()
    status = page.locator(".pt-practice-status").inner_text()
    assert "Série terminée" in status and "/ 10" in status and "ne compte ni pour l’évaluation finale" in status
    right = float(status.split("\u00a0: ")[1].split(" /")[0].replace(",", "."))
    assert 6 <= right < 10  # the wrong answers were counted wrong
    settle(page)
    assert page.evaluate("localStorage.getItem(window.Partenariat.store.key)") == before
    assert page.evaluate("window.Partenariat.store.all('answers').length") == 0
    box = page.locator(".md-content").bounding_box()
    assert box is not None and box["width"] <= width
    page.goto(server + "parcours.html")
    page.wait_for_function("!!window.Partenariat.store")
    assert page.locator("#attestation").is_hidden()
    assert page.evaluate("window.Partenariat.store.all('answers').length") == 0
    page.goto(server + "s-entrainer.html")
    page.wait_for_function("document.querySelectorAll('.pt-practice-item:not([hidden])').length === 10")
    assert page.locator(".pt-practice-status").inner_text().startswith("Série de 10")
    assert not errors
