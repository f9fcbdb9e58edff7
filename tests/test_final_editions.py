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
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

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


def _answer_form(page: Any, real: dict[str, str], right: bool | Callable[[int], bool], backwards: bool = False) -> list[str]:
    """Answers every question of the form shown through the page: right (from the bank's key) or a wrong choice.

    `right` holds for every question, or says it for the question at each place of the form; `backwards`: from the
    last question to the first.
    """
    order = page.evaluate("Partenariat.finalAttempt.current().a.questions")
    by_id = {q.id: q for q in FINAL.questions}
    rule = right
    for i, oid in reversed(list(enumerate(order))) if backwards else enumerate(order):
        right = rule if isinstance(rule, bool) else rule(i)
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


# ---------------------------------------------------------------- the same, through a Learning Record Store


@pytest.fixture(scope="module")
def lrs_editions(editions: tuple[Path, Path, seal.Keys],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, str]]:
    """Both editions served over http, and a real Ralph (tests/test_xapi.py) that lets their pages in."""
    from tests.test_xapi import Ralph, _ralph_or_skip

    _ralph_or_skip()
    learners, trainers, _ = editions
    with serve_folder(learners) as learner_base, serve_folder(trainers) as trainer_base:
        ralph = Ralph(tmp_path_factory.mktemp("ralph"), [learner_base.rstrip("/"), trainer_base.rstrip("/")])
        ralph.start()
        try:
            yield ralph, learner_base, trainer_base
        finally:
            ralph.stop()


def _learner_sends_a_form(page: Any, base: str, link: str, real: dict[str, str],
                          right: bool | Callable[[int], bool], lesson_answers: int = 0, backwards: bool = False) -> list[str]:
    """A learner on the learners' edition sends a whole form of the final to the LRS; returns its opaque ids.

    The learner opens the assignment's link, accepts sending, answers `lesson_answers` lesson questions (wrong),
    then a whole form (from its last question to its first if `backwards`), and the page waits until the LRS has
    everything.
    """
    from tests.test_xapi import ANSWER, LESSON, PENDING, QUESTIONS

    page.goto(base + LESSON + ".html" + link)
    ask = page.locator("#pt-xapi-ask")
    ask.wait_for()
    assert "identifiant d’apprenant de l’évaluation finale" in ask.inner_text()
    page.get_by_role("button", name="Accepter l’envoi").click()
    page.wait_for_function("() => !document.getElementById('pt-xapi-ask')")
    for qid in QUESTIONS[:lesson_answers]:
        page.evaluate(ANSWER, [qid, False])
    page.goto(base + "evaluation-finale.html")
    page.get_by_role("button", name="Commencer l’évaluation").click()
    order = _answer_form(page, real, right, backwards)
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    return order


def _load_from_lrs(group: Any, ralph: Any, link: str) -> None:
    """The trainer pastes the assignment's link and the read credential in « Suivi du groupe » and loads."""
    from tests.test_xapi import READER, READER_KEY

    group.locator("#groupe-lrs-link").fill(ralph.url + link)
    group.locator("#groupe-lrs-link").dispatch_event("change")  # the LRS's address is taken from the link
    assert group.locator("#groupe-lrs-url").input_value() == ralph.url
    group.locator("#groupe-lrs-user").fill(READER)
    group.locator("#groupe-lrs-key").fill(READER_KEY)
    group.get_by_role("button", name="Charger depuis le LRS").click()
    group.wait_for_function("() => document.getElementById('groupe-lrs').dataset.statements")
    group.wait_for_selector("#groupe-final-host[data-signed='true']")


@pytest.mark.parametrize("width", [360, 1280])
def test_final_through_the_lrs_is_scored_coded_and_accepted(browser: Any, editions: tuple[Path, Path, seal.Keys],
                                                          lrs_editions: tuple[Any, str, str], width: int) -> None:
    """A form sent to the LRS is scored and coded on the trainers' group page; the learner's page takes the code.

    The group page shows the learner's final score, the detail per question under the items' own ids in the
    form's order, and their statistics, and counts the handed-in form as a unit done; the learner's page accepts
    the code, shows that score, and puts each question in the same right or wrong box as the trainer's detail
    (some right, some wrong).
    """
    from tests.test_xapi import LESSON, _assignment

    ralph, learner_base, trainer_base = lrs_editions
    real = sealed.real_ids(editions[2], FINAL)
    a, link = _assignment(ralph, [LESSON], final=True)
    learner = browser.new_context(viewport={"width": width, "height": 900})
    trainer = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = learner.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # answered from the last question to the first: the code lists the items in the form's order all the same
        order = _learner_sends_a_form(page, learner_base, link, real, lambda i: i % 3 != 0, backwards=True)
        learner_id = page.evaluate("Partenariat.finalAttempt.learnerId()")

        group = trainer.new_page()
        group.on("pageerror", lambda exc: errors.append(str(exc)))
        group.goto(trainer_base + "formateurs/groupe.html")
        _load_from_lrs(group, ralph, link)
        row = group.locator(f"#groupe-final tbody tr[data-learner='{learner_id}']")
        expect(row).to_have_count(1)
        score_text = row.locator("[data-col='score']").text_content() or ""
        result = row.locator("[data-col='result']").text_content()
        score = int(re.search(r"soit (\d+)" + NB + "%", score_text).group(1))  # type: ignore[union-attr]
        detail = row.locator(".pt-final-detail li")
        ids = [detail.nth(i).get_attribute("data-qid") for i in range(detail.count())]
        assert ids == [real[oid] for oid in order]  # the items' own ids, in the learner's form's order
        marks = {ids[i]: "is-right" in (detail.nth(i).get_attribute("class") or "") for i in range(len(ids))}
        assert any(marks.values()) and not all(marks.values())
        stats = group.locator("#groupe-stats tbody tr[data-qid]")
        assert sorted(stats.nth(i).get_attribute("data-qid") or "" for i in range(stats.count())) == sorted(ids)
        final_text = group.evaluate("Partenariat.groupe.rows()[0].finalText")
        assert final_text.startswith(f"{score}{NB}% — {result} (corrigée ici")
        # the handed-in form is one unit done (« Terminé »), the lesson left untouched is not
        assert group.evaluate("[Partenariat.groupe.rows()[0].done, Partenariat.groupe.rows()[0].units]") == [1, 2]
        code = row.locator("input.pt-final-code").input_value()

        form = page.locator(".pt-final-end form.pt-code")
        form.locator("textarea").fill(code)
        form.get_by_role("button", name="Valider le code").click()
        page.wait_for_function("document.querySelector('.pt-final-end .pt-code-message').textContent"
                               ".startsWith('Code accepté')")
        assert f"({score}{NB}%, {result})" in (form.locator(".pt-code-message").text_content() or "")
        assert page.evaluate("Partenariat.finalAttempt.summary().s.score") == score
        boxes = page.locator(".pt-final-results").first.locator("li[data-result]")
        expect(boxes).to_have_count(len(order))
        shown = {real[(boxes.nth(i).locator("a").first.get_attribute("href") or "").split("#q-")[1]]:
                 (boxes.nth(i).get_attribute("data-result") or "").startswith("right-") for i in range(len(order))}
        assert shown == marks
        assert not errors, errors
    finally:
        learner.close()
        trainer.close()


def test_lrs_final_is_no_lesson_answer_and_without_learner_id_gets_no_code(
        browser: Any, editions: tuple[Path, Path, seal.Keys], lrs_editions: tuple[Any, str, str]) -> None:
    """Sealed final answers from the LRS are no lesson answers; without a learner id, a message instead of a code.

    A learner without a learner id (statements as older pages sent them) gets a French message saying that no
    correction code can be made, rather than a code the learner's page would refuse. The second learner's
    statements are the first one's as the pages before the learner id sent them (the same statements without
    `apprenant` and `rang`, under another pseudonym).
    """
    from tests.test_xapi import LESSON, QUESTIONS, WRITER, WRITER_KEY, _assignment, _registration

    ralph, learner_base, trainer_base = lrs_editions
    real = sealed.real_ids(editions[2], FINAL)
    a, link = _assignment(ralph, [LESSON], final=True)
    learner = browser.new_context()
    trainer = browser.new_context()
    try:
        page = learner.new_page()
        order = _learner_sends_a_form(page, learner_base, link, real, True, lesson_answers=2)
        learner_id = page.evaluate("Partenariat.finalAttempt.learnerId()")
        attempt = page.evaluate("Partenariat.finalAttempt.current().id")
        ext = "https://partenariat.invalid/xapi/extensions/"
        older, other = [], uuid.uuid4().hex
        for s in ralph.statements(_registration(a)):
            s = {k: v for k, v in s.items() if k not in ("stored", "authority", "version")}
            s["id"] = str(uuid.uuid4())
            s["actor"] = {"objectType": "Agent", "account": {"homePage": "https://partenariat.invalid/", "name": other}}
            for name in ("apprenant", "rang"):
                s.get("context", {}).get("extensions", {}).pop(ext + name, None)
            older.append(s)
        status, body = ralph.request("statements", WRITER, WRITER_KEY, older)
        assert status == 200, body

        group = trainer.new_page()
        errors: list[str] = []
        group.on("pageerror", lambda exc: errors.append(str(exc)))
        group.goto(trainer_base + "formateurs/groupe.html")
        _load_from_lrs(group, ralph, link)
        rebuilt = group.evaluate("([s, a]) => Partenariat.lrsGroupe.reports(s, a)", [ralph.statements(_registration(a)), a])
        buckets = {json.loads(text)["buckets"]["profile"]["name"]["value"]: json.loads(text)["buckets"] for _, text in rebuilt}
        pseudo = page.evaluate("Partenariat.store.get('profile', 'pseudo').value")
        mine, theirs = buckets["Pseudonyme " + pseudo[:8]], buckets["Pseudonyme " + other[:8]]
        for b in (mine, theirs):
            assert sorted(b["answers"]) == sorted(QUESTIONS[:2])  # the lesson's answers only
            assert list(b["final"]) == [attempt] and b["final"][attempt]["handedIn"]
            assert sorted(b["final"][attempt]["questions"]) == sorted(order)
        assert mine["final"][attempt]["questions"] == order and mine["profile"]["learner"]["value"] == learner_id
        assert "learner" not in theirs["profile"]

        items = group.locator("#groupe-items tbody tr[data-qid]")
        per_item = {items.nth(i).get_attribute("data-qid"): items.nth(i).locator("[data-col='n']").text_content()
                    for i in range(items.count())}
        assert not set(order) & set(per_item) and per_item[QUESTIONS[0]] == "2"
        assert all(per_item[real[oid]] == "0" for oid in order)  # the final is scored below, not as lesson answers
        expect(group.locator("#groupe-final tbody tr")).to_have_count(1)
        assert group.locator("#groupe-final tbody tr").get_attribute("data-learner") == learner_id
        refused = group.locator("#groupe-final-host .pt-group-rejected li")
        expect(refused).to_have_count(1)
        assert refused.inner_text().startswith(f"Pseudonyme {other[:8]}{NB}: relevé sans identifiant d’apprenant")
        assert f"aucun code de correction ne peut être établi pour cet apprenant{NB}; demandez-lui" in refused.inner_text()
        stats = group.locator("#groupe-stats tbody tr[data-qid]")
        assert sorted(stats.nth(i).get_attribute("data-qid") or "" for i in range(stats.count())) == sorted(
            real[oid] for oid in order)
        assert all(stats.nth(i).locator("[data-col='n']").text_content() == "1" for i in range(stats.count()))
        states = dict(group.evaluate("Partenariat.groupe.rows().map(r => [r.name, r.finalText])"))
        assert "aucun code de correction" in states["Pseudonyme " + other[:8]]
        assert "(corrigée ici" in states["Pseudonyme " + pseudo[:8]]
        assert not errors, errors
    finally:
        learner.close()
        trainer.close()
