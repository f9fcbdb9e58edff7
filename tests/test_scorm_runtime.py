"""The SCORM 1.2 runtime under scorm-again: platform failures, shared browsers, unreadable records, the data budget."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.model import quizbank
from tests.conftest import ROOT, serve_folder
from tests.test_browser import SETTLE, answer

pytestmark = pytest.mark.browser
BANK = quizbank.load_bank()
SCORM12_JS = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
FINAL = BANK["evaluation-finale"]

# A platform whose faults the test switches on and off through window.INJECT (set before the page loads).
HARNESS = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Plateforme de test</title>
<script src="scorm12.js"></script>
<script>
  window.INJECT = window.INJECT || {};
  window.lmsEvents = [];
  var real = new Scorm12API({ autocommit: false, logLevel: 5 });
  if (window.PRELOAD) real.loadFromJSON(window.PRELOAD);
  window.real = real;
  var error = null;
  window.API = {
    LMSInitialize: function (a) {
      window.lmsEvents.push("LMSInitialize");
      if (INJECT.initThrows) throw new Error("panne");
      return real.LMSInitialize(a);
    },
    LMSFinish: function (a) { window.lmsEvents.push("LMSFinish"); return real.LMSFinish(a); },
    LMSGetValue: function (k) {
      if (INJECT.read && k === "cmi.suspend_data") { error = "101"; return ""; }
      error = null;
      return real.LMSGetValue(k);
    },
    LMSSetValue: function (k, v) {
      if (INJECT.write) { error = "351"; return "false"; }
      error = null;
      return real.LMSSetValue(k, v);
    },
    LMSCommit: function (a) {
      window.lmsEvents.push("LMSCommit");
      if (INJECT.commitThrows) throw new Error("panne");
      return real.LMSCommit(a);
    },
    LMSGetLastError: function () { return error !== null ? error : real.LMSGetLastError(); },
    LMSGetErrorString: function (c) { return real.LMSGetErrorString(c); },
    LMSGetDiagnostic: function (c) { return real.LMSGetDiagnostic(c); }
  };
</script></head>
<body><iframe id="sco" src="pkg/scorm.html" title="Module" style="width:100%;height:880px;border:0"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def lms(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The launcher, its runtime and the built site laid out as in the package, scorm-again and the harness."""
    with _platform(site, tmp_path_factory.mktemp("lms")) as url:
        yield url


@contextlib.contextmanager
def _platform(site: Path, root: Path) -> Iterator[str]:
    """Serves ``site`` under pkg/cours/ of ``root`` as in the package, with the launcher, scorm-again and the harness."""
    if not SCORM12_JS.is_file():
        pytest.skip("node_modules/scorm-again is not installed (npm ci)")
    pkg = root / "pkg"
    (pkg / "scorm").mkdir(parents=True)
    sources = ROOT / "scripts" / "outputs" / "scorm"
    (pkg / "scorm.html").write_text((sources / "launcher.html").read_text(encoding="utf-8").replace("{{VERSION}}", "test"),
                                    encoding="utf-8")
    (pkg / "scorm" / "runtime.js").write_bytes((sources / "runtime.js").read_bytes())
    (pkg / "cours").symlink_to(site, target_is_directory=True)
    (root / "scorm12.js").write_bytes(SCORM12_JS.read_bytes())
    (root / "harness.html").write_text(HARNESS, encoding="utf-8")
    with serve_folder(root) as url:
        yield url


def frames(page: Any) -> tuple[Any, Any]:
    """The launcher's frame and the course's frame inside it, once the harness has initialised the SCORM API."""
    page.wait_for_function("window.lmsEvents && window.lmsEvents.includes('LMSInitialize')")
    sco = page.locator("#sco").element_handle().content_frame()
    sco.wait_for_function("document.getElementById('course').src.length > 0")
    course_frame = sco.locator("#course").element_handle().content_frame()
    course_frame.wait_for_load_state()
    return sco, course_frame


def _status(sco: Any) -> str:
    return str(sco.evaluate("document.querySelector('.scorm-status').textContent"))


def _local_answers(frame: Any) -> set[str]:
    record = json.loads(frame.evaluate("localStorage.getItem(window.Partenariat.store.key)") or "{}")
    return set(record.get("buckets", {}).get("answers", {}))


def _platform_answers(page: Any, sco: Any) -> set[str]:
    data = page.evaluate("window.real.LMSGetValue('cmi.suspend_data')")
    decoded = sco.evaluate("d => window.partenariatScorm.decode(d)", data) if data else None
    return set(decoded["answers"]) if decoded else set()


def launch(context: Any, lms: str, preload: dict[str, Any] | None = None,
           inject: dict[str, bool] | None = None) -> tuple[Any, Any, Any]:
    """A new tab of this browser profile opening the platform with this record (and these faults).

    Returns the page (with `js_errors`), the launcher's frame and the course's frame.
    """
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.add_init_script(f"window.INJECT = {json.dumps(inject or {})}; window.PRELOAD = {json.dumps(preload)};")
    page.goto(lms + "harness.html")
    sco, course_frame = frames(page)  # the launcher names the course's page once its first synchronisation is done
    return page, sco, course_frame


def close(page: Any) -> dict[str, Any]:
    """Closes the SCO (the platform's LMSFinish) and returns what the platform keeps for the next launch."""
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("window.lmsEvents.includes('LMSFinish')")
    cmi = page.evaluate("""() => { const c = window.real.cmi; return {id: c.core.student_id, status: c.core.lesson_status,
        raw: c.core.score.raw, data: c.suspend_data}; }""")  # after LMSFinish, LMSGetValue answers nothing
    record = {"core": {"student_id": cmi["id"], "entry": "resume", "lesson_status": cmi["status"],
                       "score": {"raw": cmi["raw"], "min": "0", "max": "100"}},
              "suspend_data": cmi["data"]}
    page.close()
    return record


def test_read_error_keeps_local_progress_and_overwrites_nothing(context: Any, lms: str) -> None:
    """A failing LMSGetValue('cmi.suspend_data') is an error, not empty data.

    The learner is told, their local progress stays, the platform's copy is not overwritten; once the platform
    answers, both are merged, written back, and shown in the open lesson.
    """
    q0, q1, q2 = (q.id for q in BANK["definitions"].questions[:3])
    # an earlier session of this learner whose writes never reached the platform: q0 is in this browser only
    page, sco, course_frame = launch(context, lms, {"core": {"student_id": "A"}}, {"write": True, "commitThrows": True})
    course_frame.goto(lms + "pkg/cours/definitions.html")
    answer(course_frame, q0)
    assert _local_answers(course_frame) == {q0}
    platform = sco.evaluate("""qid => window.partenariatScorm.encode({answers: {[qid]: {v: [], ok: true, first: false,
        score: 1, t: Date.now() - 60000}}, checks: {}, reviews: {}, reset: 0})""", q1)
    assert not page.js_errors
    page.close()
    preload = {"core": {"student_id": "A", "entry": "resume", "lesson_status": "incomplete"}, "suspend_data": platform}
    page, sco, course_frame = launch(context, lms, preload, {"read": True})
    assert course_frame.url.endswith("/pkg/cours/index.html")  # the course loads
    assert "n’a pas pu transmettre votre progression" in _status(sco)
    assert _local_answers(course_frame) == {q0}
    course_frame.goto(lms + "pkg/cours/definitions.html")
    answer(course_frame, q2)
    page.wait_for_timeout(1500)
    assert page.evaluate("window.real.LMSGetValue('cmi.suspend_data')") == platform  # not overwritten
    assert _local_answers(course_frame) == {q0, q2}
    page.evaluate("window.INJECT.read = false")  # the platform recovers: the runtime retries by itself
    page.wait_for_function(
        "ids => { const d = window.real.LMSGetValue('cmi.suspend_data'); return ids.every(id => d !== '' &&"
        " document.getElementById('sco').contentWindow.partenariatScorm.decode(d).answers[id]); }", arg=[q0, q1, q2],
        timeout=15000)
    sco.evaluate(SETTLE)  # the launcher's store writes what it merged under the tabs' lock, a moment later
    assert _local_answers(course_frame) == {q0, q1, q2}
    assert "n’a pas pu transmettre" not in _status(sco)
    course_frame.wait_for_function(  # the open lesson shows what came from the platform, without reloading
        f"document.querySelector(\"[data-qid='{q1}'] .quiz-feedback\").textContent.includes('faux au premier essai')")
    assert not page.js_errors


def test_write_errors_and_a_throwing_commit_are_retried_and_shown(page: Any, lms: str) -> None:
    """LMSSetValue fails and LMSCommit throws: the course still loads and the learner is told.

    Answers stay in this browser, and when the platform recovers they reach it without any action.
    """
    q0 = BANK["acteurs"].questions[0].id
    page.add_init_script("window.INJECT = window.INJECT || {write: true, commitThrows: true};")
    page.goto(lms + "harness.html")
    sco, course_frame = frames(page)
    assert course_frame.url.endswith("/pkg/cours/index.html")
    assert course_frame.locator("h1").count() == 1
    course_frame.goto(lms + "pkg/cours/acteurs.html")
    answer(course_frame, q0)
    assert _local_answers(course_frame) == {q0}
    sco.wait_for_function("document.querySelector('.scorm-status').textContent.includes('n’a pas enregistré')")
    assert "nouvel essai" in _status(sco)
    assert _platform_answers(page, sco) == set()
    page.evaluate("window.INJECT.write = false; window.INJECT.commitThrows = false")
    sco.wait_for_function("!document.querySelector('.scorm-status').textContent.includes('n’a pas enregistré')",
                          timeout=15000)
    assert _platform_answers(page, sco) == {q0}
    assert not page.js_errors


def test_a_throwing_initialize_still_shows_the_course(page: Any, lms: str) -> None:
    """LMSInitialize throws: the learner is told progress stays in this browser, and the course frame loads."""
    page.add_init_script("window.INJECT = {initThrows: true};")
    page.goto(lms + "harness.html")
    page.wait_for_function("window.lmsEvents.includes('LMSInitialize')")
    sco = page.locator("#sco").element_handle().content_frame()
    sco.wait_for_function("document.getElementById('course').src.length > 0")
    course_frame = sco.locator("#course").element_handle().content_frame()
    course_frame.wait_for_load_state()
    assert course_frame.url.endswith("/pkg/cours/index.html")
    assert "reste enregistrée dans ce navigateur" in _status(sco)
    assert not page.js_errors


def _record(page: Any, sco: Any) -> dict[str, Any]:
    """What the platform holds for the learner of this tab: status, score and the answers in cmi.suspend_data."""
    get = lambda element: page.evaluate(f"window.real.LMSGetValue('{element}')")  # noqa: E731
    return {"status": get("cmi.core.lesson_status"), "score": get("cmi.core.score.raw"),
            "answers": _platform_answers(page, sco)}


def _await_platform_answers(page: Any, sco: Any, expected: set[str], seconds: float = 30) -> None:
    """Poll until the platform holds ``expected``: an answer reaches it once the store's write has landed and synced."""
    deadline = time.monotonic() + seconds
    while _platform_answers(page, sco) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def _store_answers(frame: Any) -> dict[str, Any]:
    """The answers the course's store of this frame shows, by question id."""
    return dict(frame.evaluate("window.Partenariat.store.all('answers')"))


def test_learners_sharing_a_browser_each_get_their_own_record(context: Any, lms: str) -> None:
    """One browser profile, two learners: nothing of learner A reaches learner B's record, and A keeps A's progress.

    A (cmi.core.student_id "A") answers a lesson's quiz; B ("B") then launches with an empty record: B's record has
    none of A's answers, and B's course shows none of them. B answers another question; A launches again with A's
    record: A's own answers (with the choices ticked, which only this browser keeps), none of B's.
    """
    a_ids = {q.id for q in BANK["fondements"].questions if q.type in ("single", "truefalse")}
    page, sco, course_frame = launch(context, lms, {"core": {"student_id": "A", "student_name": "A, Apprenant"}})
    course_frame.goto(lms + "pkg/cours/fondements.html")
    for qid in a_ids:
        answer(course_frame, qid)
    _await_platform_answers(page, sco, a_ids)
    assert _record(page, sco) == {"status": "incomplete", "score": "", "answers": a_ids}
    assert not page.js_errors
    record_a = close(page)

    page, sco, course_frame = launch(context, lms, {"core": {"student_id": "B", "student_name": "B, Apprenante"}})
    assert _record(page, sco) == {"status": "incomplete", "score": "", "answers": set()}
    assert _store_answers(course_frame) == {}
    course_frame.goto(lms + "pkg/cours/fondements.html")
    first = next(iter(a_ids))
    assert not course_frame.locator(f"[data-qid='{first}'] .quiz-button").is_disabled()  # not « Déjà répondu »
    b_question = BANK["definitions"].questions[0].id
    course_frame.goto(lms + "pkg/cours/definitions.html")
    answer(course_frame, b_question, right=False)
    _await_platform_answers(page, sco, {b_question})
    assert _record(page, sco) == {"status": "incomplete", "score": "", "answers": {b_question}}
    assert not page.js_errors
    close(page)

    page, sco, course_frame = launch(context, lms, record_a)
    assert _record(page, sco) == {"status": "incomplete", "score": "", "answers": a_ids}
    mine = _store_answers(course_frame)
    assert set(mine) == a_ids
    assert all(item["v"] for item in mine.values())  # this browser's copy of A, not only what the platform keeps
    assert not page.js_errors


def test_a_learner_the_platform_does_not_name_starts_from_their_record_only(context: Any, lms: str) -> None:
    """A platform that gives no cmi.core.student_id: one launch's progress never reaches the next launch's record.

    The first nameless learner answers a question, which reaches the platform; a second one, with an empty record,
    finds nothing of it, neither on the platform nor in the course, and the first launch's copy has left the browser.
    """
    q0 = BANK["acteurs"].questions[0].id
    page, sco, course_frame = launch(context, lms)
    course_frame.goto(lms + "pkg/cours/acteurs.html")
    answer(course_frame, q0)
    _await_platform_answers(page, sco, {q0})
    assert _record(page, sco)["answers"] == {q0}
    assert not page.js_errors
    close(page)

    page, sco, course_frame = launch(context, lms)
    assert _record(page, sco) == {"status": "incomplete", "score": "", "answers": set()}
    assert _store_answers(course_frame) == {}
    keys = course_frame.evaluate("Object.keys(localStorage).filter(k => k.startsWith('partenariat:progress:'))")
    assert set(keys) <= {course_frame.evaluate("window.Partenariat.store.key")}  # this launch's at most
    assert not page.js_errors


NEWER = "P3|m0abcd|0|1x2y3z:1a3a4a2a;9q8r7s:0110|a:definitions/t1=1a|zz:nouveau"
DAMAGED = "P2|m0abcd|0|2flhkv:1a1a"  # a P2 record cut short (four fields)


@pytest.mark.parametrize(("saved", "told"), [
    (NEWER, "Cette version du module ne sait pas lire la progression enregistrée sur la plateforme par une version plus "
            "récente"),
    (DAMAGED, "La progression enregistrée sur la plateforme est dans un format que ce module ne sait pas lire"),
], ids=["newer", "damaged"])
def test_a_record_in_an_unknown_format_is_left_untouched(context: Any, lms: str, saved: str, told: str) -> None:
    """A cmi.suspend_data written by a newer package (or damaged) is neither overwritten nor added to by this one.

    The learner is told in French that this version cannot read that progress and leaves it untouched; after
    answers in this session and the end of the session, cmi.suspend_data, status and score are exactly as they
    were, and the answers stay in this browser.
    """
    preload = {"core": {"student_id": "A", "entry": "resume", "lesson_status": "incomplete"}, "suspend_data": saved}
    page, sco, course_frame = launch(context, lms, preload)
    ids = [q.id for q in BANK["definitions"].questions[:2]]
    course_frame.goto(lms + "pkg/cours/definitions.html")
    for qid in ids:
        answer(course_frame, qid)
    # the launcher's store has seen the answers: its listener (the runtime's synchronisation) has run
    sco.wait_for_function("ids => ids.every(id => window.Partenariat.store.get('answers', id))", arg=ids)
    assert _local_answers(course_frame) == set(ids)
    assert page.evaluate("window.real.LMSGetValue('cmi.suspend_data')") == saved
    message = _status(sco)
    assert told in message, message
    assert "laissée intacte" in message and "rien de cette séance n’y sera enregistré" in message
    assert sco.locator(".scorm-status").is_visible()
    assert not page.js_errors
    record = close(page)
    assert record["suspend_data"] == saved
    assert (record["core"]["lesson_status"], record["core"]["score"]["raw"]) == ("incomplete", "")


BUDGET = """() => {
  const course = window.PARTENARIAT_COURSE;
  for (let i = 0; i < 10; i++) {  // room for ~10 more questions (matching, ordering) with long ids
    course.lessons[i % course.lessons.length].questions.push('nouvelle-question-associer-ou-ordonner-' + i);
  }
  const ids = course.lessons.flatMap(l => l.questions).concat(course.final.questions);
  const checkIds = course.lessons.flatMap(l => l.checks);
  const t = Date.now() - 1000;
  const answers = {}, reviews = {}, checks = {};
  ids.forEach((id, i) => {
    const score = [0, 0.3, 0.5, 1][i % 4];
    answers[id] = {v: ['0', '1', '2'], ok: score === 1, first: i % 2 === 0, score: score, n: 3, t: t};
    reviews[id] = {due: '2031-12-' + String(10 + (i % 20)), ivl: 300 + i, ease: 1.3 + (i % 30) / 10,
                   reps: 30, lapses: i % 7, t: t};
  });
  checkIds.forEach(id => { checks[id] = {on: true, t: t}; });
  const data = window.partenariatScorm.encode({answers: answers, checks: checks, reviews: reviews, reset: t - 5000});
  return {data: data, answers: answers, reviews: reviews, checks: checkIds, reset: t - 5000,
          back: window.partenariatScorm.decode(data)};
}"""


def test_suspend_data_budget_with_everything_answered_ticked_and_reviewed(page: Any, lms: str) -> None:
    """cmi.suspend_data stays ASCII within SCORM 1.2's 4,096 characters in the worst case and decodes back.

    Every question answered (with partial scores), every box ticked, every question under review, plus ten more
    questions with long ids (matching, ordering).
    """
    page.goto(lms + "pkg/scorm.html")
    result = page.evaluate(BUDGET)
    data = result["data"]
    assert data.isascii() and len(data) <= 4096, len(data)
    back = result["back"]
    assert back["unknownGroups"] == 0 and back["reset"] == result["reset"]
    assert set(back["answers"]) == set(result["answers"])
    for qid, item in result["answers"].items():
        got = back["answers"][qid]
        assert (got["first"], got["ok"], got["score"]) == (item["first"], item["ok"], item["score"]), qid
    for qid, item in result["reviews"].items():
        got = back["reviews"][qid]
        assert {k: got[k] for k in ("due", "ivl", "reps", "lapses")} == {k: item[k] for k in ("due", "ivl", "reps", "lapses")}
        assert abs(got["ease"] - item["ease"]) < 0.051, qid
    assert {k for k, v in back["checks"].items() if v["on"]} == set(result["checks"])
    assert not page.js_errors


# ---------------------------------------------------------------- the sealed final's attempts in cmi.suspend_data

# The runtime shipped before the final's attempts travelled (format P2 without "f:"/"l:" entries): packages of
# that version are on platforms, and must still read what this one writes.
RUNTIME_BEFORE_FINAL = Path(__file__).parent / "fixtures" / "scorm" / "runtime-p2-before-final.js"


@pytest.fixture(scope="module")
def sealed_lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The learners' edition (sealed final, as in the SCORM package) under the harness, with its own keys."""
    from scripts.outputs import export_lms

    keys = tmp_path_factory.mktemp("keys")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTENARIAT_KEYS", str(keys))
        site = tmp_path_factory.mktemp("sealed") / "site"
        export_lms.build_site(site)
        with _platform(site, tmp_path_factory.mktemp("sealed-lms")) as url:
            yield url


def _kept(text: str) -> str:
    """What the platform keeps of a free-text answer: its longest start that escapes to at most 40 characters."""
    size, out = 0, ""
    for char in text:
        size += 1 if (char.isascii() and char.isalnum()) or char in "-_ " else 3 * len(char.encode("utf-8"))
        if size > 40:
            break
        out += char
    return out


def _answer_some(frame: Any, count: int) -> dict[str, Any]:
    """Answers ``count`` questions of the form shown through the page, alternating « sûr » and « pas sûr ».

    A fill-in blank first when the form has one, typed with accents and longer than the platform keeps.
    """
    order = frame.evaluate("Partenariat.finalAttempt.current().a.questions")
    kinds = {qid: frame.locator(f"#q-{qid}").get_attribute("data-type") for qid in order}
    chosen = sorted(order, key=lambda q: (kinds[q] != "fill", kinds[q] != "associer", order.index(q)))[:count]
    for i, qid in enumerate(chosen):
        quiz = frame.locator(f"#q-{qid}")
        if kinds[qid] == "fill":
            quiz.locator("input.quiz-blank-input").fill("l’État catalyseur, « développement » endogène " * 3)
        elif kinds[qid] == "associer":
            for k, select in enumerate(quiz.locator("select").all()):
                select.select_option(index=k + 1)
        elif kinds[qid] in ("single", "multiple", "truefalse"):
            quiz.locator("fieldset input[name='answer']").last.check()
        quiz.locator(f".pt-confidence input[value='{'sur' if i % 2 else 'pas-sur'}']").check()
        quiz.locator(".quiz-button").click()
        frame.wait_for_function(f"!!Partenariat.finalAttempt.current().a.answers[{json.dumps(qid)}]")
    return dict(frame.evaluate("Partenariat.finalAttempt.current()"))


def test_final_attempt_follows_the_learner_to_another_browser(browser: Any, sealed_lms: str) -> None:
    """A learner answers part of a form inside the platform; an empty browser with the saved record resumes it.

    Same learner id, attempt, form, answers with their confidence (a long free text cut to the kept length),
    answered questions still locked, the others open; the form id is in cmi.core.lesson_location.
    """
    context = browser.new_context()
    page, sco, course_frame = launch(context, sealed_lms, {"core": {"student_id": "A"}})
    course_frame.goto(sealed_lms + "pkg/cours/evaluation-finale.html")
    course_frame.locator("[data-final='start']").click()
    before = _answer_some(course_frame, 4)
    learner = course_frame.evaluate("Partenariat.finalAttempt.learnerId()")
    page.wait_for_function(  # the platform holds the four answers
        "n => { const d = window.real.LMSGetValue('cmi.suspend_data'); if (!d) return false;"
        " const f = document.getElementById('sco').contentWindow.partenariatScorm.decode(d).final;"
        " return Object.values(f).some(a => Object.keys(a.answers).length === n); }", arg=4, timeout=15000)
    assert page.evaluate("window.real.LMSGetValue('cmi.core.lesson_location')") == before["a"]["form"]
    assert not page.js_errors
    record = close(page)
    context.close()

    context = browser.new_context()  # another device: nothing in this browser
    page, sco, course_frame = launch(context, sealed_lms, record)
    course_frame.goto(sealed_lms + "pkg/cours/evaluation-finale.html")
    course_frame.wait_for_function(
        "id => { const c = Partenariat.finalAttempt.current(); return c && c.id === id; }", arg=before["id"])
    after = course_frame.evaluate("Partenariat.finalAttempt.current()")
    assert course_frame.evaluate("Partenariat.finalAttempt.learnerId()") == learner
    assert (after["a"]["n"], after["a"]["form"], after["a"]["questions"]) == (1, before["a"]["form"],
                                                                             before["a"]["questions"])
    assert set(after["a"]["answers"]) == set(before["a"]["answers"])
    for qid, given in before["a"]["answers"].items():
        got = after["a"]["answers"][qid]
        assert got["confidence"] == given["confidence"], qid
        if course_frame.locator(f"#q-{qid}").get_attribute("data-type") == "fill":
            kept = _kept(given["response"][0])
            assert got["response"] == [kept] and 0 < len(kept) < len(given["response"][0])
        else:
            assert got["response"] == given["response"], qid
        assert abs(got["t"] - given["t"]) <= 1000, qid
    course_frame.wait_for_function("qs => qs.every(q => document.querySelector('#q-' + q + ' .quiz-button').disabled)",
                                   arg=list(before["a"]["answers"]))
    open_ = [q for q in after["a"]["questions"] if q not in before["a"]["answers"]][0]
    assert not course_frame.locator(f"#q-{open_} .quiz-button").is_disabled()
    assert page.evaluate("window.real.LMSGetValue('cmi.core.lesson_location')") == before["a"]["form"]
    assert "a changé" not in _status(sco)
    assert not page.js_errors
    context.close()


# Every lesson question answered and reviewed, every box ticked, ten more questions, then two attempts of the sealed
# final answered in full (four values each, options, free text longer than kept) with codes. (In a learners' edition
# the final's questions are never right or wrong nor reviewed in the lessons' buckets: their answers are attempts.)
MORE_QUESTIONS = """() => {
  const course = window.PARTENARIAT_COURSE;
  for (let i = 0; i < 10; i++) course.lessons[i % course.lessons.length].questions.push('nouvelle-question-' + i);
}"""
BUDGET_WITH_ATTEMPTS = """() => {
  const course = window.PARTENARIAT_COURSE, fa = window.Partenariat.finalAttempt;
  (""" + MORE_QUESTIONS + """)();
  const ids = course.lessons.flatMap(l => l.questions);
  const t = Date.now() - 100000;
  const answers = {}, reviews = {}, checks = {}, final = {};
  ids.forEach((id, i) => {
    answers[id] = {v: ['0'], ok: i % 3 === 0, first: i % 2 === 0, score: 0.5, n: 3, t: t};
    reviews[id] = {due: '2031-12-10', ivl: 300 + i, ease: 2.5, reps: 30, lapses: 3, t: t};
  });
  course.lessons.flatMap(l => l.checks).forEach(id => { checks[id] = {on: true, t: t}; });
  const b64 = s => btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  ['8f0c6a52-3d4e-4b7a-9c1d-2e3f4a5b6c7d', '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b'].forEach((id, k) => {
    const qs = fa.drawForm(id);
    const given = {};
    qs.forEach((q, i) => {
      const item = course.final.items[q];
      const response = item.options ? item.options.slice(0, 4) : i % 6 === 0 ? ['« É » '.repeat(50)] :
        ['0', '1', '2', '3'];
      given[q] = {response: response, confidence: i % 2 ? 'sur' : 'pas-sur', t: t + 3600000 * (i + 1)};
    });
    const payload = {v: 1, learner: '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d', attempt: id, form: fa.formId(qs),
      score: 100, passed: true, passMark: 100, items: '1'.repeat(qs.length), k: 'A'.repeat(43), issued: '2031-12-31'};
    const code = b64(JSON.stringify(payload)) + '.' + 'S'.repeat(86);
    final[id] = {n: k + 1, form: fa.formId(qs), questions: qs, started: new Date(t).toISOString(), answers: given,
                 handedIn: new Date(t + 90000000).toISOString(),
                 result: {score: 100, passed: true, passMark: 100, items: payload.items, via: 'code', code: code}};
  });
  const learner = {value: '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d', t: t};
  const data = window.partenariatScorm.encode({answers, checks, reviews, final, learner, reset: t - 5000});
  return {data, answers, final, learner, back: window.partenariatScorm.decode(data)};
}"""


def test_suspend_data_budget_with_two_full_attempts_of_the_final(page: Any, sealed_lms: str) -> None:
    """The lessons in full plus two full attempts of the final with their codes fit in 4,096 characters.

    Everything of the lessons answered, ticked and reviewed, and two attempts answered in full, each with its
    correction code: the record decodes back to every lesson answer and both attempts whole (form, answers,
    confidence, dates, result), the free text cut to what the platform keeps.
    """
    page.goto(sealed_lms + "pkg/scorm.html")
    page.wait_for_function("!!(window.Partenariat && window.Partenariat.finalAttempt)")
    result = page.evaluate(BUDGET_WITH_ATTEMPTS)
    data, back = result["data"], result["back"]
    assert data.isascii() and len(data) <= 4096, len(data)
    assert back["unknownGroups"] == 0 and set(back["answers"]) == set(result["answers"])
    assert back["learner"]["value"] == result["learner"]["value"]
    assert set(back["final"]) == set(result["final"])
    for aid, attempt in result["final"].items():
        got = back["final"][aid]
        for key in ("n", "form", "questions", "started", "handedIn"):
            assert got[key] == attempt[key], (aid, key)
        assert got["result"] == attempt["result"]
        for qid, given in attempt["answers"].items():
            expected = [_kept(v) if v.startswith("« É") else v for v in given["response"]]  # options stay whole
            assert got["answers"][qid] == {**given, "response": expected}, qid
    assert not page.js_errors


def test_records_read_across_versions(page: Any, sealed_lms: str) -> None:
    """Records are read across versions, in both directions.

    A record written before the final's attempts travelled still loads in this runtime; a record this runtime
    writes, attempts included, loads in the runtime shipped before (which skips the attempts) with every lesson
    answer, check and review, and nothing reported as changed.
    """
    page.goto(sealed_lms + "pkg/scorm.html")
    page.wait_for_function("!!(window.Partenariat && window.Partenariat.finalAttempt)")
    made = page.evaluate(BUDGET_WITH_ATTEMPTS)
    assert len(made["back"]["final"]) == 2 and made["back"]["learner"]  # the record carries the attempts
    page.add_script_tag(content=RUNTIME_BEFORE_FINAL.read_text(encoding="utf-8"))  # the earlier package's runtime
    old_back = page.evaluate("d => window.partenariatScorm.decode(d)", made["data"])
    assert old_back is not None and old_back["unknownGroups"] == 0
    assert set(old_back["answers"]) == set(made["answers"])
    assert old_back["checks"] == made["back"]["checks"] and old_back["reviews"] == made["back"]["reviews"]
    old_record = page.evaluate("s => window.partenariatScorm.encode(s)", {**made["back"], "final": {}})
    page.reload()
    page.wait_for_function("!!(window.Partenariat && window.Partenariat.finalAttempt)")
    page.evaluate(MORE_QUESTIONS)  # the same course as the record's
    new_back = page.evaluate("d => window.partenariatScorm.decode(d)", old_record)
    assert new_back["unknownGroups"] == 0 and new_back["final"] == {} and new_back["learner"] is None
    assert set(new_back["answers"]) == set(made["answers"]) and set(new_back["checks"]) == set(made["back"]["checks"])
    assert not page.js_errors


def test_the_first_learner_id_made_wins(page: Any, sealed_lms: str) -> None:
    """The learner id a correction code is bound to is made once: merged copies keep the first one made.

    A page that made its own id while the platform's older one was on its way gets the platform's; a newer one
    arriving never replaces it.
    """
    page.goto(sealed_lms + "pkg/cours/parcours.html")
    page.wait_for_function("!!(window.Partenariat && window.Partenariat.finalAttempt)")
    mine = page.evaluate("Partenariat.finalAttempt.learnerId()")
    made = page.evaluate("Partenariat.store.get('profile', 'learner').t")
    older, newer = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d", "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
    page.evaluate("([v, t]) => Partenariat.store.mergeIn({buckets: {profile: {learner: {value: v, t: t}}}})",
                  [newer, made + 1000])
    assert page.evaluate("Partenariat.finalAttempt.learnerId()") == mine
    page.evaluate("([v, t]) => Partenariat.store.mergeIn({buckets: {profile: {learner: {value: v, t: t}}}})",
                  [older, made - 60000])
    assert page.evaluate("Partenariat.finalAttempt.learnerId()") == older
