"""The sealed final across editions, end to end (issue 27): learners' site → report → trainers' page → code.

Both editions are built as ``scripts/outputs/publish.py`` builds them, with the same publisher's keys
(``PARTENARIAT_KEYS``). A learner answers a whole form in the learners' edition, downloads the hand-in report from
« Mon parcours »; the trainer opens it on the trainers' group page and copies the learner's code; the learner
pastes it. Nothing here signs a code or scores an answer: the pages do.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.build import seal, sealed
from scripts.model import quizbank
from tests.conftest import serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FINAL = quizbank.load_bank()["evaluation-finale"]
NB = "\u00a0"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, seal.Keys]]:
    """The learners' site and the trainers' edition, built like publish.py does with one set of keys."""
    from scripts.outputs import publish

    keys_dir = tmp_path_factory.mktemp("keys")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTENARIAT_KEYS", str(keys_dir))
        learners = tmp_path_factory.mktemp("published") / "site"
        trainers = learners.parent / "site-formateurs"
        publish.learners_site(learners)
        publish.trainers_site(trainers)
        yield learners, trainers, seal.load_or_create(keys_dir)


def _base(folder: Path, mode: str, stack: contextlib.ExitStack) -> str:
    """The folder's address: served over http for the test's duration, or from disk."""
    return folder.resolve().as_uri() + "/" if mode == "file" else stack.enter_context(serve_folder(folder))


def _answer_form(page: Any, real: dict[str, str], right: bool) -> list[str]:
    """Answers every question of the form shown through the page: right (from the bank's key) or a wrong choice."""
    order = page.evaluate("Partenariat.finalAttempt.current().a.questions")
    by_id = {q.id: q for q in FINAL.questions}
    for i, oid in enumerate(order):
        q = by_id[real[oid]]
        quiz = page.locator(f"#q-{oid}")
        if q.type in ("single", "multiple", "truefalse"):
            shown = q.display_choices()
            places = [str(k) for k, c in enumerate(shown) if c.correct == right] or ["0"]
            for place in places if right else places[:1]:
                quiz.locator(f"fieldset input[name='answer'][value='{place}']").check()
        elif q.type == "fill":
            quiz.locator("input.quiz-blank-input").fill(q.answers[0] if right else "autre chose")
        elif q.type == "associer":
            for select, pair in zip(quiz.locator(".quiz-pair select").all(), q.pairs, strict=True):
                select.select_option(label=pair.right) if right else select.select_option(index=1)
        elif q.type == "ordonner":
            shown_order = list(q.step_order())  # data-step = place as first shown; right order = YAML order
            wanted = [str(shown_order.index(k)) for k in range(len(q.steps))] if right else None
            if wanted:  # the learner moves the steps; here the list is put in that order directly
                quiz.evaluate("""(el, wanted) => { const list = el.querySelector('.quiz-steps');
                    wanted.forEach(v => list.appendChild(el.querySelector(`.quiz-step[data-step='${v}']`))); }""", wanted)
        quiz.locator(f".pt-confidence input[value='{'sur' if i % 2 else 'pas-sur'}']").check()
        quiz.locator(".quiz-button").click()
        page.wait_for_function(f"!!Partenariat.finalAttempt.current().a.answers[{json.dumps(oid)}]")
    return order


@pytest.mark.parametrize(("width", "mode"), [(360, "http"), (1280, "file")])
def test_learner_trainer_learner_round_trip(browser: Any, editions: tuple[Path, Path, seal.Keys],
                                            tmp_path: Path, width: int, mode: str) -> None:
    """A whole form answered in the learners' edition, scored on the trainers' page, its code pasted back.

    The learner sees the score and result the trainer's page gave, the attestation says « réussie » only when
    that page did, the explanations are decrypted; the same code is refused by a second learner.
    """
    learners, trainers, keys = editions
    real = sealed.real_ids(keys, FINAL)
    with contextlib.ExitStack() as stack:
        learner_base, trainer_base = _base(learners, mode, stack), _base(trainers, mode, stack)
        learner = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        page = learner.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # every lesson question answered, so that the attestation depends on the final alone
        page.goto(learner_base + "parcours.html")
        page.wait_for_function("!!(window.Partenariat && Partenariat.finalAttempt)")
        page.evaluate("""() => PARTENARIAT_COURSE.lessons.forEach(l => l.questions.forEach(id =>
            Partenariat.store.put('answers', id, {v: ['0'], ok: true, score: 1, first: true})))""")
        page.goto(learner_base + "evaluation-finale.html")
        page.get_by_role("button", name="Commencer l’évaluation").click()
        order = _answer_form(page, real, right=width == 360)  # one run passes, the other fails
        page.goto(learner_base + "parcours.html")
        page.fill("#pt-report-name", "Yasmine Idrissi")
        page.click("#pt-report-save")
        with page.expect_download() as info:
            page.click("#pt-report-file")
        report = tmp_path / "releve.json"
        Path(info.value.path()).replace(report)
        assert json.loads(report.read_text(encoding="utf-8"))["report"]["final"]["questions"] == order

        trainer = browser.new_context(viewport={"width": width, "height": 900})
        group = trainer.new_page()
        group.goto(trainer_base + "formateurs/groupe.html")
        group.set_input_files("#groupe-files", [str(report)])
        group.wait_for_selector("#groupe-final-host[data-signed='true']")
        row = group.locator("#groupe-final tbody tr").first
        score_text = row.locator("[data-col='score']").text_content() or ""
        result = row.locator("[data-col='result']").text_content()
        mark = (row.locator("[data-col='pass']").text_content() or "").split(NB)[0]
        code = row.locator("input.pt-final-code").input_value()
        score = int(re.search(r"soit (\d+)" + NB + "%", score_text).group(1))  # type: ignore[union-attr]
        assert (score == 100) == (width == 360) and result == ("réussie" if width == 360 else "non réussie")

        box = page.locator(".pt-final-parcours form.pt-code")
        box.locator("textarea").fill(code)
        box.get_by_role("button", name="Valider le code").click()
        message = box.locator(".pt-code-message")
        page.wait_for_function("document.querySelector('.pt-final-parcours .pt-code-message').textContent"
                               ".startsWith('Code accepté')")
        assert f"({score}{NB}%, {result})" in (message.text_content() or "")
        summary = page.evaluate("Partenariat.finalAttempt.summary()")
        assert summary["s"]["score"] == score and summary["passMark"] == int(mark) and summary["via"] == "code"
        attestation = page.locator("#attestation")
        if result == "réussie":
            page.wait_for_function("!document.getElementById('attestation').hidden")
            assert "réussie, corrigée par le formateur" in (attestation.text_content() or "")
        else:
            assert attestation.is_hidden()
        page.goto(learner_base + "evaluation-finale.html")
        first = page.locator(f"#q-{order[0]} section[data-sealed]")
        page.wait_for_function(f"document.querySelector('#q-{order[0]} section[data-sealed]').textContent.trim() !== ''")
        assert first.is_visible()
        assert re.search(rf"Résultat\s?: {score}{NB}% — {result} ", page.locator(".pt-final-results").first.inner_text())

        other = browser.new_context(viewport={"width": width, "height": 900})
        second = other.new_page()
        second.goto(learner_base + "evaluation-finale.html")
        second.get_by_role("button", name="Commencer l’évaluation").click()
        second.wait_for_function("!!Partenariat.finalAttempt.current()")
        before = second.evaluate("JSON.stringify(Partenariat.store.all('final'))")
        form = second.locator(".pt-final-end form.pt-code")
        form.locator("textarea").fill(code)
        form.get_by_role("button", name="Valider le code").click()
        second.wait_for_function("document.querySelector('.pt-final-end .pt-code-message').textContent"
                                 ".startsWith('Code refusé')")
        assert "un autre apprenant" in (form.locator(".pt-code-message").text_content() or "")
        assert second.evaluate("JSON.stringify(Partenariat.store.all('final'))") == before
        assert not errors, errors
        for context in (learner, trainer, other):
            context.close()
