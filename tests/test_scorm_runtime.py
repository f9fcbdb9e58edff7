"""The SCORM 1.2 runtime under scorm-again with a failing platform, and the cmi.suspend_data budget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts import quizbank
from tests.conftest import ROOT, serve_folder
from tests.test_browser import SETTLE, answer

pytestmark = pytest.mark.browser
BANK = quizbank.load_bank()
SCORM12_JS = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
KEY = "partenariat:progress:v1"

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
    if not SCORM12_JS.is_file():
        pytest.skip("node_modules/scorm-again is not installed (npm ci)")
    root = tmp_path_factory.mktemp("lms")
    pkg = root / "pkg"
    (pkg / "scorm").mkdir(parents=True)
    sources = ROOT / "scripts" / "scorm"
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
    record = json.loads(frame.evaluate(f"localStorage.getItem('{KEY}')") or "{}")
    return set(record.get("buckets", {}).get("answers", {}))


def _platform_answers(page: Any, sco: Any) -> set[str]:
    data = page.evaluate("window.real.LMSGetValue('cmi.suspend_data')")
    decoded = sco.evaluate("d => window.partenariatScorm.decode(d)", data) if data else None
    return set(decoded["answers"]) if decoded else set()


def test_read_error_keeps_local_progress_and_overwrites_nothing(page: Any, lms: str) -> None:
    """A failing LMSGetValue('cmi.suspend_data') is an error, not empty data.

    The learner is told, local progress stays, the platform's copy is not overwritten; once the platform answers,
    both are merged, written back, and shown in the open lesson.
    """
    q0, q1, q2 = (q.id for q in BANK["definitions"].questions[:3])
    page.goto(lms + "pkg/cours/definitions.html")
    answer(page, q0)  # progress of this browser
    page.goto(lms + "pkg/scorm.html")  # no platform: only to encode what the platform keeps
    platform = page.evaluate("""qid => window.partenariatScorm.encode({answers: {[qid]: {v: [], ok: true, first: false,
        score: 1, t: Date.now() - 60000}}, checks: {}, reviews: {}, reset: 0})""", q1)
    preload = {"core": {"entry": "resume", "lesson_status": "incomplete"}, "suspend_data": platform}
    page.add_init_script(f"window.INJECT = {{read: true}}; window.PRELOAD = {json.dumps(preload)};")
    page.goto(lms + "harness.html")
    sco, course_frame = frames(page)
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
