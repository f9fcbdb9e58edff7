"""The progress store in headless Chromium: tabs, full storage, unreadable data, hostile imports, print page."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from scripts.model import quizbank
from tests.conftest import look_at
from tests.test_browser import KEY, answer, bucket, lesson_stat, stored

pytestmark = pytest.mark.browser
BANK = quizbank.load_bank()
FINAL = BANK["evaluation-finale"]

FILL_STORAGE = """() => {
  let size = 1 << 20, i = 0;
  while (size >= 1) {
    try { localStorage.setItem('filler-' + i, 'x'.repeat(size)); i++; } catch (e) { size = Math.floor(size / 2); }
  }
  return i;
}"""
FREE_STORAGE = "() => Object.keys(localStorage).filter(k => k.startsWith('filler-')).forEach(k => localStorage.removeItem(k))"


def _now_ms(page: Any) -> int:
    """The browser's clock, in ms."""
    return int(page.evaluate("Date.now()"))


def test_two_tabs_answering_alternately_keep_every_answer(context: Any, page: Any, server: str) -> None:
    """Tabs A and B on one lesson answer questions in turn: every answer is stored and both tabs show all of them."""
    other = context.new_page()
    questions = BANK["definitions"].questions[:4]
    page.goto(server + "definitions.html")
    other.goto(server + "definitions.html")
    for i, question in enumerate(questions):
        answer(look_at(page if i % 2 == 0 else other), question.id, right=i != 1)
    assert set(bucket(page, "answers")) == {q.id for q in questions}
    for tab in (page, other):  # each tab refreshed what the other answered
        look_at(tab)
        for question in questions:
            tab.wait_for_function(
                "qid => document.querySelector(`[data-qid='${qid}'] .quiz-feedback`).textContent.length > 0", arg=questions[0].id)
            assert tab.locator(f"[data-qid='{question.id}'] .quiz-feedback").inner_text() != ""
    look_at(page).locator("ul.checklist label").first.click()
    look_at(other).wait_for_function("document.querySelector('ul.checklist input').checked")
    other.locator("ul.checklist label").nth(1).click()
    other.wait_for_function("document.querySelectorAll('ul.checklist input')[1].checked")
    # read from the tab that wrote last: another tab's copy of localStorage is updated a moment later
    assert {k for k, v in bucket(other, "checks").items() if v.get("on")} == {
        f"definitions/{k}" for k in list(_objectives(page, "definitions"))[:2]}
    assert not page.js_errors


def _objectives(page: Any, slug: str) -> list[str]:
    """The objective keys of a lesson's checklist, from the course index."""
    checks = page.evaluate(f"window.PARTENARIAT_COURSE.lessons.find(l => l.slug === '{slug}').checks")
    return [c.split("/", 1)[1] for c in checks]


def test_reset_in_one_tab_stays_a_reset(context: Any, page: Any, server: str) -> None:
    """A reset on « Mon parcours » in tab B is not undone by tab A's next answer; tab A clears what it showed."""
    first, second, third = BANK["acteurs"].questions[:3]
    page.goto(server + "acteurs.html")
    answer(page, first.id)
    answer(page, second.id, right=False)
    page.locator("ul.checklist label").first.click()
    other = context.new_page()
    other.goto(server + "parcours.html")
    other.once("dialog", lambda dialog: dialog.accept())
    other.get_by_role("button", name="Tout effacer…").click()
    look_at(page).wait_for_function(f"document.querySelector(\"[data-qid='{first.id}'] .quiz-feedback\").textContent === ''")
    assert not page.locator("ul.checklist input").first.is_checked()
    answer(page, third.id)
    assert set(bucket(page, "answers")) == {third.id}
    assert bucket(page, "checks") == {}
    look_at(other).wait_for_function("document.querySelector(\"[data-lesson='acteurs'] [data-stat='answered']\").textContent === '1'")
    look_at(page).reload()
    assert page.locator(f"[data-qid='{first.id}'] .quiz-feedback").inner_text() == ""
    assert not page.js_errors


def test_import_in_one_tab_is_not_undone_by_the_other(context: Any, page: Any, server: str, tmp_path: Path) -> None:
    """Tab A is open on a lesson; tab B imports a file; tab A's next answer keeps the imported answers."""
    lesson = BANK["conditions"].questions
    page.goto(server + "conditions.html")
    other = context.new_page()
    other.goto(server + "parcours.html")
    t = _now_ms(other) - 1000
    items = {q.id: {"v": [], "ok": True, "score": 1, "first": True, "t": t} for q in lesson[1:3]}
    file = tmp_path / "import.json"
    file.write_text(json.dumps({"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0,
                                "buckets": {"answers": items}}), encoding="utf-8")
    other.locator("#parcours-import").set_input_files(str(file))
    other.wait_for_function("document.querySelector('.parcours-message').textContent.includes('importée')")
    assert "2\u00a0éléments ajoutés" in other.locator(".parcours-message").inner_text()
    answer(look_at(page), lesson[0].id)
    assert set(bucket(page, "answers")) == {q.id for q in lesson[:3]}
    page.wait_for_function(f"document.querySelector(\"[data-qid='{lesson[1].id}'] .quiz-feedback\").textContent.length > 0")
    assert not page.js_errors


def test_full_storage_is_reported_where_the_learner_looks(page: Any, server: str) -> None:
    """Storage filled to quota: the failure is shown on the lesson and nothing claims the answer was saved.

    The answer shows its result but says it was not saved, a banner says what to do (with an export button whose
    file holds the unsaved answer), every page then warns, and after reload the unsaved answer is honestly absent.
    """
    first, second = BANK["fondements"].questions[:2]
    page.goto(server + "fondements.html")
    answer(page, first.id)
    assert page.locator(".pt-store-banner:visible").count() == 0
    assert page.evaluate(FILL_STORAGE) > 0
    answer(page, second.id)
    quiz = page.locator(f"[data-qid='{second.id}']")
    assert quiz.locator(".quiz-feedback").inner_text().startswith("Bonne réponse")
    note = quiz.locator(".pt-save-status")
    assert note.inner_text().startswith("Non enregistré") and "Exportez" in note.inner_text()
    banner = page.locator(".pt-store-banner")
    assert banner.is_visible() and "libérez de l’espace" in banner.inner_text()
    assert banner.get_by_role("button", name="Exporter ma progression (JSON)").is_visible()
    page.locator("ul.checklist label").first.click()
    # said once the write (under the tabs' lock) has failed
    page.wait_for_function("document.querySelector('.checklist-status').textContent.includes('non enregistré')")
    status = page.locator(".checklist-status").inner_text()
    assert "non enregistré" in status and ", enregistré" not in status
    with page.expect_download() as download:  # the banner's export holds the unsaved answer
        banner.get_by_role("button", name="Exporter ma progression (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert second.id in exported["buckets"]["answers"]
    for name in ("index.html", "parcours.html"):  # every page warns before the next answer
        page.goto(server + name)
        assert "plein" in page.locator(".pt-store-banner").inner_text()
    page.evaluate(FREE_STORAGE)
    assert set(bucket(page, "answers")) == {first.id}
    page.goto(server + "fondements.html")
    assert page.locator(".pt-store-banner:visible").count() == 0
    assert page.locator(f"[data-qid='{second.id}'] .quiz-feedback").inner_text() == ""
    assert not page.js_errors


def test_unreadable_data_too_big_to_copy_is_never_overwritten(page: Any, server: str) -> None:
    """Unreadable data that cannot be copied stays in place and nothing is written over it.

    No page claims it is kept elsewhere; « Mon parcours » offers to export it (the file holds it) or erase it,
    after which saving works.
    """
    page.goto(server + "index.html")
    junk = "{illisible" + "x" * 300_000
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, junk])
    page.evaluate(FILL_STORAGE)
    qid = BANK["definitions"].questions[0].id
    page.goto(server + "definitions.html")
    assert "n’ont pas pu être copiées" in page.locator(".pt-store-banner").inner_text()
    answer(page, qid)
    assert page.locator(f"[data-qid='{qid}'] .pt-save-status").inner_text().startswith("Non enregistré")
    assert page.evaluate(f"localStorage.getItem('{KEY}')") == junk
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))") == []
    page.goto(server + "parcours.html")  # still full: the data is still unreadable and uncopied
    alert = page.locator(".parcours-alert")
    assert alert.is_visible() and "clé «" not in alert.inner_text()
    with page.expect_download() as download:
        alert.get_by_role("button", name="Exporter les données illisibles").click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == junk
    assert page.evaluate(f"localStorage.getItem('{KEY}')") == junk
    page.once("dialog", lambda dialog: dialog.accept())
    alert.get_by_role("button", name="Effacer les données illisibles…").click()
    # the erase is said once its write has landed (the store writes under a lock the tabs share)
    page.wait_for_function("() => document.querySelector('.parcours-message').innerText.includes('effacées')")
    page.evaluate(FREE_STORAGE)
    page.goto(server + "definitions.html")
    answer(page, qid)
    assert page.locator(f"[data-qid='{qid}'] .pt-save-status").count() == 0
    assert set(bucket(page, "answers")) == {qid}
    assert not page.js_errors


def test_unreadable_data_is_set_aside_only_when_the_copy_succeeded(page: Any, server: str) -> None:
    """Small unreadable data is copied, read back, announced with its real key on « Mon parcours », and erasable."""
    page.goto(server + "index.html")
    page.evaluate("k => localStorage.setItem(k, '{broken')", KEY)
    page.goto(server + "definitions.html")  # the page that finds it says where it is kept
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))")
    assert len(keys) == 1 and page.evaluate("k => localStorage.getItem(k)", keys[0]) == "{broken"
    banner = page.locator(".pt-store-banner")
    assert keys[0] in banner.inner_text() and banner.get_attribute("role") == "status"
    page.goto(server + "parcours.html")
    assert keys[0] in page.locator(".parcours-alert").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".parcours-alert").get_by_role("button", name="Effacer…").click()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))") == []
    assert not page.js_errors


# ---------------------------------------------------------------- hostile imports


def _import(page: Any, tmp_path: Path, payload: Any) -> str:
    """Import `payload` (JSON-encoded unless a string) through « Mon parcours »'s file field; returns the message."""
    file = tmp_path / "fichier.json"
    file.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    page.evaluate("document.querySelector('.parcours-message').textContent = ''")
    page.locator("#parcours-import").set_input_files(str(file))
    page.wait_for_function("document.querySelector('.parcours-message').textContent.length > 0")
    return page.locator(".parcours-message").inner_text()


def _v2(answers: dict[str, Any] | None = None, **buckets: Any) -> dict[str, Any]:
    """A progress file of this course, format 2, with these buckets."""
    data = {"answers": answers or {}, **buckets}
    return {"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0, "buckets": data}


@pytest.fixture(scope="module")
def learner_storage(browser: Any, server: str) -> str:
    """The site's storage (localStorage as JSON) of a learner, made through the pages once for this file.

    They answered one lesson question rightly and the first final-assessment question wrongly (locked).
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "definitions.html")
    answer(page, BANK["definitions"].questions[0].id)
    page.goto(server + "evaluation-finale.html")
    answer(page, FINAL.questions[0].id, right=False)
    page.goto(server + "parcours.html")
    saved = str(page.evaluate("JSON.stringify(Object.assign({}, localStorage))"))
    context.close()
    return saved


@pytest.fixture()
def learner(page: Any, server: str, learner_storage: str) -> dict[str, Any]:
    """That learner's storage in this test's fresh profile, shown on « Mon parcours »; their progress record."""
    page.goto(server + "parcours.html")
    page.evaluate("saved => Object.entries(JSON.parse(saved)).forEach(([k, v]) => localStorage.setItem(k, v))",
                  learner_storage)
    page.reload()
    record = stored(page)
    assert record and record["buckets"]["answers"], "the learner's answers were not restored"
    return record


def _item(t: int, ok: bool = True, **extra: Any) -> dict[str, Any]:
    """An answer record set at `t`."""
    return {"v": ["0"], "ok": ok, "score": 1 if ok else 0, "first": ok, "t": t, **extra}


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("autre module", lambda t: {**_v2({BANK["definitions"].questions[1].id: _item(t)}), "course": "autre-cours"},
         "autre module"),
        ("compte négatif", lambda t: _v2({BANK["definitions"].questions[1].id: _item(t, n=-2)}), "illisible"),
        ("compte non numérique", lambda t: _v2({BANK["definitions"].questions[1].id: _item(t, n="3")}), "illisible"),
        ("score hors bornes", lambda t: _v2({BANK["definitions"].questions[1].id: {**_item(t), "score": 7}}), "illisible"),
        ("date invalide", lambda t: _v2({BANK["definitions"].questions[1].id: {**_item(t), "t": "hier"}}), "illisible"),
        ("révision : jour inexistant", lambda t: _v2(reviews={BANK["definitions"].questions[1].id: {
            "due": "2026-02-30", "ivl": 3, "ease": 2.5, "reps": 1, "lapses": 0, "t": t}}), "illisible"),
        ("révision : répétitions négatives", lambda t: _v2(reviews={BANK["definitions"].questions[1].id: {
            "due": "2026-03-01", "ivl": 3, "ease": 2.5, "reps": -1, "lapses": 0, "t": t}}), "illisible"),
        ("sans module", lambda t: {k: v for k, v in _v2().items() if k != "course"}, "quel module"),
        ("ancien format, compte négatif", lambda t: {"schema": "partenariat-progress", "version": 1,
                                                     "answers": {"x": {"ok": True, "v": [], "n": -1}}, "checks": {}},
         "illisible"),
    ],
)
def test_hostile_import_is_refused_and_progress_intact(page: Any, learner: dict[str, Any], tmp_path: Path,
                                                       name: str, make: Any, reason: str) -> None:
    """A file of another course, or with a bad count, score or date, is refused as a whole; progress is unchanged.

    Counts must be non-negative integers and dates valid (dates in the future are a clock matter, tested apart). The
    French message is styled as an error, and the stored progress is byte for byte what it was.
    """
    message = _import(page, tmp_path, make(_now_ms(page)))
    assert message.startswith("Import refusé") and reason in message, (name, message)
    assert "n’a pas été modifiée" in message
    assert "is-error" in page.locator(".parcours-message").get_attribute("class")
    assert stored(page) == learner
    assert not page.js_errors


def test_import_of_prototype_keys_changes_nothing(page: Any, learner: dict[str, Any], tmp_path: Path) -> None:
    """`__proto__` and `constructor` as ids or bucket names are ignored and counted; no prototype is reached.

    The final assessment does not become « réussie » and the stored progress is unchanged.
    """
    t = _now_ms(page) - 1000
    every_final = {q.id: _item(t) for q in FINAL.questions}
    payload = ('{"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0, "buckets": {'
               f'"__proto__": {json.dumps(every_final)}, '
               f'"answers": {{"__proto__": {json.dumps(_item(t))}, "constructor": {json.dumps(_item(t))}}}}}}}')
    message = _import(page, tmp_path, payload)
    ignored = len(FINAL.questions) + 2
    assert message.startswith("Progression importée") and f"{ignored}\u00a0ignorés" in message, message
    assert "0\u00a0élément ajouté" in message and f"{ignored}\u00a0éléments inconnus de ce module" in message
    assert stored(page) == learner
    assert "réussie" not in page.locator("[data-stat='final']").inner_text()
    assert page.evaluate("({}).ok === undefined && ({}).v === undefined && Object.keys(Object.prototype).length === 0")
    assert not page.js_errors


def test_import_keeps_known_ids_merges_newer_and_never_changes_a_locked_final_answer(
        page: Any, learner: dict[str, Any], tmp_path: Path) -> None:
    """Import keeps known ids only, merges newer-wins, and never changes a locked final-assessment answer.

    Unknown ids are ignored and counted; an older copy is ignored, a newer one updates (the first-attempt result
    stays); a new id is added; the locked final answer is not changed even by a newer, right copy; the message
    gives the exact counts.
    """
    lesson = BANK["definitions"].questions
    mine = learner["buckets"]["answers"]
    t_mine = mine[lesson[0].id]["t"]
    now = _now_ms(page)
    final_id = FINAL.questions[0].id
    checks = page.evaluate("window.PARTENARIAT_COURSE.lessons[0].checks")
    payload = _v2(
        {
            lesson[0].id: _item(t_mine - 5000, ok=False),  # older than mine: ignored
            lesson[1].id: _item(now - 1000),  # new: added
            final_id: _item(now - 10),  # newer, but the final answer is locked: ignored
            "question-inconnue": _item(now - 10), "autre-inconnue": _item(now - 10),  # unknown: ignored
        },
        checks={checks[0]: {"on": True, "t": now - 10}, "imprimer/t0": {"on": True, "t": now - 10}},
    )
    message = _import(page, tmp_path, payload)
    assert message == ("Progression importée\u00a0: 2\u00a0éléments ajoutés, 0\u00a0mis à jour, 5\u00a0ignorés "
                       "(3\u00a0éléments inconnus de ce module, 1\u00a0déjà à jour ou plus récent ici, "
                       "1\u00a0réponse verrouillée de l’évaluation finale, non modifiée)."), message
    assert "is-success" in page.locator(".parcours-message").get_attribute("class")
    answers = bucket(page, "answers")
    assert answers[lesson[0].id] == mine[lesson[0].id]
    assert answers[final_id] == mine[final_id]
    assert lesson[1].id in answers and "question-inconnue" not in answers
    assert set(bucket(page, "checks")) == {checks[0]}
    newer = _v2({lesson[0].id: _item(_now_ms(page) - 10, ok=False)})
    message = _import(page, tmp_path, newer)
    assert "0\u00a0élément ajouté, 1\u00a0mis à jour, 0\u00a0ignoré" in message, message
    updated = bucket(page, "answers")[lesson[0].id]
    assert updated["ok"] is False and updated["first"] is True  # the first attempt stays what it was
    assert lesson_stat(page, "definitions", "answered") == "2"
    page.goto(page.url.replace("parcours.html", "evaluation-finale.html"))
    assert page.locator(f"[data-qid='{final_id}'] .quiz-button").is_disabled()
    assert "faux au premier essai" in page.locator(f"[data-qid='{final_id}'] .quiz-feedback").inner_text()
    assert not page.js_errors


def test_print_page_boxes_are_not_progress(page: Any, server: str) -> None:
    """Ticking boxes on the print page stores nothing (they are for paper); the lessons' boxes still are stored."""
    page.goto(server + "imprimer.html")
    boxes = page.locator("li.task-list-item input[type='checkbox']")
    assert boxes.count() > 10
    for i in range(5):
        boxes.nth(i).check()
    time.sleep(0.2)
    assert bucket(page, "checks") == {}
    assert not page.js_errors


def test_saving_and_import_messages_have_no_accessibility_violation(page: Any, server: str, tmp_path: Path) -> None:
    """No axe violation in the failed-save banner and note, the set-aside alert, an import success message.

    Each state is audited in both schemes, switched with the header toggle.
    """
    from tests.test_a11y import audit_both_schemes, use_scheme

    use_scheme(page, server, "light")
    question = BANK["fondements"].questions[0]
    page.goto(server + "fondements.html")
    page.evaluate(FILL_STORAGE)
    answer(page, question.id)
    assert page.locator(".pt-store-banner").is_visible()
    assert page.locator(f"[data-qid='{question.id}'] .pt-save-status").is_visible()
    violations = audit_both_schemes(page, "fondements.html, save failed")
    page.evaluate(FREE_STORAGE)
    page.evaluate("k => localStorage.setItem(k, '{broken')", KEY)
    page.goto(server + "parcours.html")
    message = _import(page, tmp_path, _v2({question.id: _item(_now_ms(page) - 1000)}))
    assert message.startswith("Progression importée")
    assert page.locator(".parcours-alert").is_visible()
    violations += audit_both_schemes(page, "parcours.html, set-aside data and import success")
    assert not violations, "\n".join(violations)


def test_progress_of_the_first_format_is_migrated(page: Any, server: str) -> None:
    """A record of the first format is read, shown, and rewritten in the bucket format on the next save.

    In that format `ok` was the first attempt and `last` the last one, and ticks were booleans: nothing is lost.
    """
    first, second, third = BANK["definitions"].questions[:3]
    page.goto(server + "index.html")
    check = page.evaluate("window.PARTENARIAT_COURSE.lessons[0].checks[0]")
    old = {"schema": "partenariat-progress", "version": 1, "course": "partenariat", "updated": "2026-01-05T10:00:00Z",
           "answers": {first.id: {"ok": False, "last": True, "v": ["0"], "n": 2},
                       second.id: {"ok": True, "v": ["1"]}},
           "checks": {check: True}}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(old)])
    page.goto(server + "definitions.html")
    assert "faux au premier essai" in page.locator(f"[data-qid='{first.id}'] .quiz-feedback").inner_text()
    assert "juste au premier essai" in page.locator(f"[data-qid='{second.id}'] .quiz-feedback").inner_text()
    assert page.locator("ul.checklist input").first.is_checked()
    answer(page, third.id)
    record = stored(page)
    assert record["version"] == 2
    answers = record["buckets"]["answers"]
    assert set(answers) == {first.id, second.id, third.id}
    assert (answers[first.id]["first"], answers[first.id]["ok"], answers[first.id]["n"]) == (False, True, 2)
    assert answers[first.id]["t"] == 1767607200000
    assert record["buckets"]["checks"][check]["on"] is True
    assert not page.js_errors


# ---------------------------------------------------------------- unreadable items, clocks, dates on import


def test_one_unreadable_stored_answer_is_set_aside_alone(page: Any, server: str) -> None:
    """A stored answer without `v` is set aside alone and named; every other question of the page still works.

    The item is copied under a key of its own and named in a French notice (banner and « Mon parcours »); the other
    stored answer is still shown; each other question of the lesson (and that one, anew) can be answered, with no
    script error and no reload of the page with its form in the address.
    """
    lesson = BANK["definitions"].questions
    broken = next(q for q in lesson if q.type == "fill")  # restoring a fill-in read v[0]: a TypeError stopped the page
    kept = lesson[0]
    page.goto(server + "index.html")
    t = _now_ms(page) - 1000
    record = _v2({broken.id: {"ok": True, "score": 1, "first": True, "t": t}, kept.id: _item(t)})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(record)])
    page.goto(server + "definitions.html")
    notice = page.locator(".pt-store-banner").inner_text()
    assert f"«\u00a0{broken.id}\u00a0»" in notice and "mise de côté" in notice and kept.id not in notice, notice
    assert "Le reste de votre progression est intact" in notice
    assert page.locator(f"[data-qid='{kept.id}'] .quiz-feedback").inner_text().startswith("Déjà répondu")
    for question in lesson[1:]:
        answer(page, question.id, right=question.id != broken.id)
        assert page.locator(f"[data-qid='{question.id}'] .quiz-feedback").inner_text(), question.id
    assert page.url == server + "definitions.html"
    answers = bucket(page, "answers")
    assert set(answers) == {q.id for q in lesson} and answers[broken.id]["v"] == ["zzz"]
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))")
    assert len(keys) == 1 and keys[0] in notice
    aside = json.loads(page.evaluate("k => localStorage.getItem(k)", keys[0]))
    assert aside["buckets"] == {"answers": {broken.id: record["buckets"]["answers"][broken.id]}}
    page.goto(server + "parcours.html")
    assert keys[0] in page.locator(".parcours-alert").inner_text()
    assert not page.js_errors


# Moves this page's clock by `shift` ms (every Date, as a device whose clock is set wrong).
SHIFT_CLOCK = """shift => { const Real = Date;
  class Shifted extends Real {
    constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
    static now() { return Real.now() + shift; }
  }
  window.Date = Shifted; }"""
DAY_MS = 86_400_000


@pytest.mark.parametrize(("shift", "here"), [(3 * DAY_MS, 0), (-365 * DAY_MS, 0), (0, -365 * DAY_MS)],
                         ids=["export-3-jours-d-avance", "export-un-an-de-retard", "import-un-an-de-retard"])
def test_own_export_from_a_device_with_a_wrong_clock_imports(browser: Any, page: Any, server: str, tmp_path: Path,
                                                             shift: int, here: int) -> None:
    """Progress exported where the clock was wrong (or imported where it is) is accepted.

    Dates in the future of the importing browser (a clock ahead there, or behind here) are said plainly, with the
    clock named; nothing is imported until the learner chooses « Importer quand même », which brings those dates
    back to now. Dates in the past import at once, each keeping its own date.
    """
    if here:
        page.context.add_init_script(f"({SHIFT_CLOCK})({here})")
    skewed = browser.new_context(accept_downloads=True)
    skewed.add_init_script(f"({SHIFT_CLOCK})({shift})")
    there = skewed.new_page()
    questions = BANK["definitions"].questions[:2]
    there.goto(server + "definitions.html")
    answer(there, questions[0].id)
    answer(there, questions[1].id, right=False)
    there.goto(server + "parcours.html")
    with there.expect_download() as download:
        there.get_by_role("button", name="Exporter ma progression (JSON)").click()
    file = tmp_path / "progression.json"
    download.value.save_as(file)
    skewed.close()
    exported = json.loads(file.read_text(encoding="utf-8"))["buckets"]["answers"]
    page.goto(server + "parcours.html")
    page.locator("#parcours-import").set_input_files(str(file))
    page.wait_for_function("document.querySelector('.parcours-message').textContent.length > 0")
    message = page.locator(".parcours-message").inner_text()
    if shift > here:
        assert "2\u00a0éléments de ce fichier sont datés dans le futur" in message and "horloge" in message, message
        assert "n’a pas été modifiée" in message and stored(page) is None
        page.get_by_role("button", name="Importer quand même (dates ramenées à maintenant)").click()
        page.wait_for_function("document.querySelector('.parcours-message').textContent.startsWith('Progression importée')")
        message = page.locator(".parcours-message").inner_text()
        assert "2\u00a0dates futures ramenées à maintenant" in message, message
    assert message.startswith("Progression importée\u00a0: 2\u00a0éléments ajoutés"), message
    assert lesson_stat(page, "definitions", "answered") == "2"
    answers = bucket(page, "answers")
    for question in questions:
        if shift > here:
            assert answers[question.id]["t"] <= _now_ms(page)
        else:
            assert answers[question.id]["t"] == exported[question.id]["t"]
    assert page.locator(".parcours-offer").count() == 0
    assert not page.js_errors


def test_import_keeps_each_items_date_and_brings_back_what_a_reset_erased(page: Any, server: str,
                                                                         tmp_path: Path) -> None:
    """Export, reset, import: everything is back, each item with its own date (not the moment of the import).

    The reset stays a date; what the import brought back is marked with when it was (`r`, later than the reset), so
    a reload or another answer keeps it.
    """
    questions = BANK["acteurs"].questions
    page.goto(server + "acteurs.html")
    answer(page, questions[0].id)
    answer(page, questions[1].id, right=False)
    page.locator("ul.checklist label").first.click()
    # a trainer's assignment too (assign.js's rule for it accepts no field it does not know)
    assignment = {"v": 1, "course": "partenariat", "id": "groupeabc1", "group": "Groupe A", "lessons": ["acteurs"],
                  "final": False, "due": "2099-01-01", "pass": 70}
    assert page.evaluate("a => window.Partenariat.store.put('assignments', a.id, a).ok", assignment)
    page.goto(server + "parcours.html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter ma progression (JSON)").click()
    file = tmp_path / "progression.json"
    download.value.save_as(file)
    exported = json.loads(file.read_text(encoding="utf-8"))["buckets"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tout effacer…").click()
    assert bucket(page, "answers") == {}
    page.locator("#parcours-import").set_input_files(str(file))
    page.wait_for_function("document.querySelector('.parcours-message').textContent.includes('importée')")
    assert "4\u00a0éléments ajoutés" in page.locator(".parcours-message").inner_text()
    record = stored(page)
    for name, items in exported.items():
        for key, item in items.items():
            assert record["buckets"][name][key]["t"] == item["t"], (name, key)
            assert record["buckets"][name][key]["r"] > record["reset"], (name, key)
    page.goto(server + "acteurs.html")
    answer(page, questions[2].id)
    assert set(bucket(page, "answers")) == {q.id for q in questions[:3]}
    assert "faux au premier essai" in page.locator(f"[data-qid='{questions[1].id}'] .quiz-feedback").inner_text()
    assert page.locator("ul.checklist input").first.is_checked()
    assert set(bucket(page, "assignments")) == {"groupeabc1"}  # still readable: nothing set aside
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':illisible:'))") == []
    assert not page.js_errors
