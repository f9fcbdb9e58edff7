"""The learner's journey (issue 13) in headless Chromium: next step, lesson markers, review of mistakes, attestation."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from scripts.model import quizbank
from tests import test_scorm_runtime
from tests.conftest import look_at
from tests.test_a11y import audit_both_schemes, use_scheme
from tests.test_browser import answer, bucket

pytestmark = pytest.mark.browser
lms = test_scorm_runtime.lms  # the SCORM package fixture, shared
BANK = quizbank.load_bank()
LESSON = BANK["definitions"].questions
SCORED = sum(not q.written for q in LESSON)  # a written answer is never right or wrong: not in the counts

# Fill the store as if the learner had answered: lesson questions (all right, or `wrong` ones wrong) and the final.
FILL = """([ids, wrong, finalRight]) => {
  const store = window.Partenariat.store, course = window.PARTENARIAT_COURSE;
  for (const id of ids) {
    const ok = !wrong.includes(id);
    store.put('answers', id, {v: ['0'], ok: ok, score: ok ? 1 : 0, first: ok});
  }
  course.final.questions.forEach((id, i) => {
    if (finalRight < 0) return;
    const ok = i < finalRight;
    store.put('answers', id, {v: ['0'], ok: ok, score: ok ? 1 : 0, first: ok});
  });
}"""


def _lesson_ids(page: Any, slug: str | None = None) -> list[str]:
    """Question ids of one lesson (or of every lesson), from the course index."""
    return page.evaluate("slug => window.PARTENARIAT_COURSE.lessons.filter(l => !slug || l.slug === slug)"
                         ".flatMap(l => l.questions)", slug)


def test_fresh_learner_sees_commencer_then_reprendre_at_the_next_question(page: Any, server: str) -> None:
    """A new learner is told « Commencer » (home and « Mon parcours »); after two answers, « Reprendre » at question 3."""
    page.goto(server + "index.html")
    step = page.locator("[data-next-step] a")
    assert step.inner_text().startswith("Commencer")
    assert step.get_attribute("href") == "definitions.html"
    page.goto(server + "definitions.html")
    answer(page, LESSON[0].id, right=True)
    answer(page, LESSON[1].id, right=False)
    for name in ("index.html", "parcours.html"):
        page.goto(server + name)
        step = page.locator("[data-next-step] a")
        assert step.inner_text() == "Reprendre\u00a0: Définitions du partenariat, question 3"
        assert step.get_attribute("href") == f"definitions.html#q-{LESSON[2].id}"
    step.click()
    page.wait_for_url(f"**/definitions.html#q-{LESSON[2].id}")
    assert page.locator(f"#q-{LESSON[2].id}").is_visible()
    assert not page.js_errors


def test_next_step_follows_an_assignment(page: Any, server: str) -> None:
    """With an `assignments` item naming a later lesson, « Reprendre » points to that lesson, not the first one."""
    page.goto(server + "index.html")
    # the payload a trainer's assignment link carries (assign.js validates it)
    item = {"v": 1, "course": "partenariat", "id": "groupeabc1", "group": "Groupe A", "lessons": ["conditions"],
            "final": False, "due": "2099-01-01", "pass": 70}
    saved = page.evaluate("(item) => window.Partenariat.store.put('assignments', item.id, item)", item)
    assert saved["ok"], saved
    assert page.locator("[data-next-step] a").get_attribute("href") == "conditions.html"


def test_menu_and_plan_markers_follow_the_lessons_state(page: Any, server: str) -> None:
    """Nav and home-plan markers go non commencée → en cours → terminée → revue, as text, live on store changes."""
    page.goto(server + "index.html")
    link = page.locator(".md-nav__link[href='definitions.html']").first
    mark = link.locator(".pt-mark")
    plan = page.locator("[data-lesson-state='definitions']")
    assert mark.get_attribute("data-state") == "new"
    assert mark.locator(".visually-hidden").text_content() == " (non commencée)"
    assert plan.inner_text() == "non commencée"
    ids = _lesson_ids(page, "definitions")
    before = page.locator("[data-remaining]").inner_text()
    page.evaluate(FILL, [ids[:3], [], -1])
    assert mark.get_attribute("data-state") == "started" and plan.inner_text() == "en cours"
    assert mark.locator(".visually-hidden").text_content() == " (en cours)"
    page.evaluate(FILL, [ids, [ids[0]], -1])
    assert mark.get_attribute("data-state") == "done" and plan.inner_text() == "terminée"
    assert page.locator("[data-remaining]").inner_text() != before
    page.evaluate("id => window.Partenariat.store.put('reviews', id, {due: '2099-01-01', ivl: 6, ease: 2.5, reps: 1, lapses: 0})",
                  ids[0])
    assert plan.inner_text() == "revue"
    assert mark.locator(".visually-hidden").text_content() == " (revue)"
    # the accessible name of the menu link carries the state
    assert "Définitions (revue)" in " ".join(link.text_content().split())
    assert page.locator(".md-nav__link[href='fondements.html'] .pt-mark").first.get_attribute("data-state") == "new"
    assert not page.js_errors


@pytest.mark.parametrize("where", ["essentiel/definitions.html", "formateurs/guide.html", "parcours.html"])
def test_menu_markers_on_pages_of_every_folder(page: Any, server: str, where: str) -> None:
    """On a page under essentiel/ or formateurs/ as at the root, each lesson's menu link carries its state marker."""
    page.goto(server + "index.html")
    page.evaluate(FILL, [_lesson_ids(page, "definitions")[:2], [], -1])
    page.goto(server + where)
    prefix = "../" if "/" in where else ""
    mark = page.locator(f".md-nav__link[href='{prefix}definitions.html'] .pt-mark").first
    assert mark.get_attribute("data-state") == "started"
    assert page.locator(f".md-nav__link[href='{prefix}fondements.html'] .pt-mark").first.get_attribute("data-state") == "new"
    assert not page.js_errors


def test_scores_read_right_and_buttons_say_valider(page: Any, server: str, site: Any) -> None:
    """« Mon parcours » counts right answers among those given; every quiz button and its instructions say « Valider ».

    Three right answers out of three read « 3 réponses sur N · 3 justes du premier coup sur 3 », not a score over
    the whole lesson (« 20 % », read as failing); a lesson not started shows no score at all.
    """
    page.goto(server + "definitions.html")
    for question in LESSON[:3]:
        answer(page, question.id)
    page.goto(server + "parcours.html")
    stats = page.locator("[data-lesson='definitions'] .parcours-stats").inner_text()
    assert stats.startswith(f"3\u00a0réponses sur {SCORED} · 3\u00a0justes du premier coup sur 3 · "), stats
    assert "%" not in stats and "Score" not in stats
    fresh = page.locator("[data-lesson='fondements'] .parcours-stats").inner_text()
    scored = sum(not q.written for q in BANK["fondements"].questions)
    assert fresh.startswith(f"0\u00a0réponse sur {scored} · 0\u00a0compétence cochée sur "), fresh
    assert "juste" not in fresh and "%" not in fresh
    lesson = (site / "definitions.html").read_text(encoding="utf-8")
    # a written answer is sent, not checked: « Envoyer ma réponse »; every other question « Valider »
    assert set(re.findall(r'class="quiz-button">([^<]*)<', lesson)) == {"Valider", "Envoyer ma réponse"}
    assert "validez" in lesson and "Soumettre" not in lesson and "Submit" not in lesson


def test_review_asks_again_the_three_missed_questions(page: Any, server: str) -> None:
    """Miss three questions (matching, ordering, fill-in): the review page shows 3 due, asks them, shows next dates."""
    page.goto(server + "definitions.html")
    missed = [LESSON[1], LESSON[3], LESSON[4]]
    answer(page, LESSON[0].id, right=True)
    for question in missed:
        answer(page, question.id, right=False)
    page.goto(server + "parcours.html")
    assert page.locator("[data-review-due] a").inner_text() == "Revoir mes erreurs\u00a0: 3\u00a0questions à revoir aujourd’hui"
    page.locator("[data-review-due] a").click()
    page.wait_for_url("**/revoir.html")
    assert page.locator(".pt-review-count").inner_text() == "3\u00a0questions à revoir aujourd’hui."
    shown = page.locator(".pt-review-item:visible").evaluate_all("els => els.map(e => e.dataset.reviewQid)")
    assert shown == [q.id for q in missed]
    for question in missed:
        answer(page, question.id, right=True)
        note = page.locator(f"[data-review-qid='{question.id}'] .pt-review-next").inner_text()
        assert note.startswith("Juste\u00a0: prochaine révision de cette question le ")
    assert "toutes ont été revues" in page.locator(".pt-review-count").inner_text()
    reviews = bucket(page, "reviews")
    assert set(reviews) == {q.id for q in missed}
    assert all(r["reps"] == 1 and r["ivl"] == 1 for r in reviews.values())
    # the lesson answers are untouched: the review has its own bucket
    assert all(bucket(page, "answers")[q.id]["ok"] is False for q in missed)
    page.reload()
    assert page.locator(".pt-review-count").inner_text().startswith("Aucune question à revoir aujourd’hui")
    page.goto(server + "parcours.html")  # nothing due today: the box gives the next date instead of a link
    assert page.locator("[data-review-due] a").count() == 0
    page.goto(server + "revoir.html")
    exported = json.loads(page.evaluate("window.Partenariat.store.exportJSON()"))
    assert set(exported["buckets"]["reviews"]) == {q.id for q in missed}
    assert not page.js_errors


# The learner's tomorrow as « Revoir mes erreurs » writes a day (the browser's calendar, in French).
TOMORROW = """() => { const r = window.Partenariat.review, day = r.addDays(r.today(), 1);
  return new Date(day + 'T12:00:00').toLocaleDateString('fr-FR', {weekday: 'long', day: 'numeric', month: 'long', year: 'numeric'}); }"""


def test_next_review_date_is_given_where_the_review_page_says(page: Any, server: str) -> None:
    """With nothing due today, « Revoir mes erreurs » gives the next review's date, and « Mon parcours » shows it.

    The review page used to send the learner to « the next date shown in Mon parcours », which showed none.
    """
    page.goto(server + "definitions.html")
    for question in LESSON[:2]:
        answer(page, question.id, right=False)
    page.goto(server + "revoir.html")
    for question in LESSON[:2]:
        answer(page, question.id, right=True)
    page.reload()
    expected = f"Prochaine révision\u00a0: le {page.evaluate(TOMORROW)} (2\u00a0questions)."
    count = page.locator(".pt-review-count").inner_text()
    assert count.startswith("Aucune question à revoir aujourd’hui.") and expected in count, count
    assert "«\u00a0Mon parcours\u00a0»" in count
    for where in ("parcours.html", "index.html"):
        page.goto(server + where)
        box = page.locator("[data-review-due]")
        assert box.is_visible() and box.inner_text() == expected.replace("Prochaine révision", "Prochaine révision de vos erreurs")
    assert not page.js_errors


def test_review_shows_choices_in_a_fresh_order(page: Any, server: str) -> None:
    """Over a few visits, a missed single-choice question shows its choices in more than one order."""
    page.goto(server + "definitions.html")
    answer(page, LESSON[0].id, right=False)
    orders = set()
    for _ in range(6):
        page.goto(server + "revoir.html")
        orders.add(tuple(page.locator(f"#q-{LESSON[0].id} fieldset input").evaluate_all("els => els.map(e => e.value)")))
    assert len(orders) > 1


def test_sm2_schedule_rule(page: Any, server: str) -> None:
    """SM-2: right → 1, 6, then ivl×ease days; wrong → 1 day, ease −0.3 (floor 1.3), a lapse; at most a year."""
    page.goto(server + "revoir.html")
    run = "([prev, ok]) => window.Partenariat.review.schedule(prev, ok, '2026-01-10')"
    first = page.evaluate(run, [None, True])
    assert first == {"due": "2026-01-11", "ivl": 1, "ease": 2.5, "reps": 1, "lapses": 0}
    second = page.evaluate(run, [first, True])
    assert (second["ivl"], second["due"], second["reps"]) == (6, "2026-01-16", 2)
    third = page.evaluate(run, [second, True])
    assert (third["ivl"], third["due"]) == (15, "2026-01-25")
    lapse = page.evaluate(run, [third, False])
    assert lapse == {"due": "2026-01-11", "ivl": 1, "ease": 2.2, "reps": 0, "lapses": 1}
    floor = page.evaluate(run, [{"ivl": 1, "ease": 1.4, "reps": 0, "lapses": 3}, False])
    assert floor["ease"] == 1.3
    capped = page.evaluate(run, [{"ivl": 300, "ease": 2.5, "reps": 5, "lapses": 0}, True])
    assert capped["ivl"] == 365
    # every state is a valid `reviews` item of the store
    assert page.evaluate("s => { const r = window.Partenariat.store.put('reviews', 'def-auteurs-definitions', s); "
                         "return r.ok; }", lapse)


def test_attestation_only_when_conditions_hold_and_prints_on_one_page(page: Any, server: str) -> None:
    """No attestation until every lesson question is answered and the final passed; then one printable A4 page."""
    page.goto(server + "parcours.html")
    offer = page.locator("#attestation")
    assert offer.is_hidden()
    ids = _lesson_ids(page)
    total = len(page.evaluate("window.PARTENARIAT_COURSE.final.questions"))
    page.evaluate(FILL, [ids[:-1], [], total])  # one lesson question left: no attestation
    assert offer.is_hidden()
    page.evaluate("window.Partenariat.store.reset()")
    page.evaluate(FILL, [ids, [], 0])  # every lesson question answered, final failed
    assert offer.is_hidden()
    page.evaluate("window.Partenariat.store.reset()")
    page.evaluate(FILL, [ids, [], total])
    assert offer.is_visible()
    page.locator("#pt-name").fill("Camille Martin")
    page.locator("#pt-name").press("Tab")
    assert bucket(page, "profile")["name"]["value"] == "Camille Martin"
    sheet = page.locator(".pt-attestation").inner_text()
    assert "Camille Martin" in sheet and "Définitions du partenariat" in sheet and "40\u00a0min" in sheet
    assert f"{total}\u00a0/\u00a0{total} soit 100\u00a0%" in sheet and "seuil de réussite de 70\u00a0%" in sheet
    assert "n’est pas une certification" in sheet and "propre appareil" in sheet
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("[data-action='print-attestation']").click()
    assert page.evaluate("window.__printed === true")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1
    page.reload()
    assert page.locator("#pt-name").input_value() == "Camille Martin"
    assert not page.js_errors


def test_new_pages_have_no_axe_violation(page: Any, server: str) -> None:
    """Home (next step, markers), « Mon parcours » with the attestation and « Revoir mes erreurs » with due questions.

    Each state is audited in both schemes, switched with the header toggle.
    """
    use_scheme(page, server, "light")
    violations: list[str] = []
    page.goto(server + "definitions.html")
    answer(page, LESSON[1].id, right=False)
    answer(page, LESSON[0].id, right=False)
    page.goto(server + "index.html")
    violations += audit_both_schemes(page, "index.html, resuming")
    page.goto(server + "revoir.html")
    violations += audit_both_schemes(page, "revoir.html, two due")
    answer(page, LESSON[1].id, right=True)
    violations += audit_both_schemes(page, "revoir.html, answered")
    page.goto(server + "parcours.html")
    page.evaluate("window.Partenariat.store.reset()")
    total = len(page.evaluate("window.PARTENARIAT_COURSE.final.questions"))
    page.evaluate(FILL, [_lesson_ids(page), [], total])
    violations += audit_both_schemes(page, "parcours.html, attestation")
    assert not violations, "\n".join(violations)


def test_reviews_merge_across_tabs_and_survive_export_import(context: Any, page: Any, server: str, tmp_path: Any) -> None:
    """A review in one tab reaches the other tab's markers; reviews are exported, and imported (a bad one refused)."""
    other = context.new_page()
    look_at(page).goto(server + "definitions.html")
    answer(page, LESSON[0].id, right=False)
    other.goto(server + "index.html")
    page.goto(server + "revoir.html")
    answer(page, LESSON[0].id, right=True)
    assert set(bucket(other, "reviews")) == {LESSON[0].id}
    look_at(other).wait_for_function("qid => window.Partenariat.store.get('reviews', qid) !== undefined", arg=LESSON[0].id)
    exported = json.loads(look_at(page).evaluate("window.Partenariat.store.exportJSON()"))
    assert exported["buckets"]["reviews"][LESSON[0].id]["reps"] == 1
    page.evaluate("window.Partenariat.store.reset()")
    assert bucket(page, "reviews") == {}
    page.goto(server + "parcours.html")
    result = page.evaluate("text => window.Partenariat.parcours.importText(text)", json.dumps(exported))
    assert result["ok"] and result["added"] >= 2
    assert page.evaluate("qid => window.Partenariat.store.get('reviews', qid).due", LESSON[0].id) == \
        exported["buckets"]["reviews"][LESSON[0].id]["due"]
    exported["buckets"]["reviews"][LESSON[0].id]["due"] = "2026-02-30"
    refused = page.evaluate("text => window.Partenariat.parcours.importText(text)", json.dumps(exported))
    assert not refused["ok"] and "reviews" in refused["message"]
    assert not page.js_errors


SM2_CHAIN = """() => {
  const review = window.Partenariat.review, ids = window.PARTENARIAT_COURSE.lessons.flatMap(l => l.questions);
  const out = {};
  ids.forEach((id, i) => {
    let s, day = '2026-01-10';
    for (let k = 0; k < 3 + (i % 20); k++) {  // long runs of right answers, a lapse every few
      s = review.schedule(s, k % (3 + (i % 5)) !== 2, day);
      day = s.due;
    }
    out[id] = Object.assign({t: Date.now() - 1000}, s);
  });
  return out;
}"""


def test_sm2_states_fit_the_scorm_suspend_data(page: Any, server: str, lms: str) -> None:
    """Review states the SM-2 rule produces, one per lesson question, go through SCORM's suspend_data unchanged."""
    page.goto(server + "revoir.html")
    reviews = page.evaluate(SM2_CHAIN)
    page.goto(lms + "pkg/scorm.html")
    result = page.evaluate("reviews => { const d = window.partenariatScorm.encode({answers: {}, checks: {}, reviews, "
                           "reset: 0}); return {data: d, back: window.partenariatScorm.decode(d)}; }", reviews)
    assert len(result["data"]) <= 4096
    keys = ("due", "ivl", "ease", "reps", "lapses")
    for qid, state in reviews.items():
        assert {k: result["back"]["reviews"][qid][k] for k in keys} == {k: state[k] for k in keys}, qid
