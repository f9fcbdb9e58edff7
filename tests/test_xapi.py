"""Results to a real Learning Record Store (issue 31): Ralph (file backend) and headless Chromium learners, no mocks.

Ralph lives in its own virtualenv, ROOT/.venv-ralph (scripts/setup.sh test, requirements-ralph.txt). Without it the
tests are skipped, except in CI, where they fail and say how to install it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from scripts.model import quizbank
from scripts.model.course import ROOT
from tests.test_browser import SETTLE

pytestmark = pytest.mark.browser
RALPH_ENV = ROOT / ".venv-ralph"
RALPH = RALPH_ENV / "bin" / "ralph"
PYTHON = RALPH_ENV / "bin" / "python"
SERVE = ROOT / "deploy" / "ralph" / "serve.py"
WRITER, WRITER_KEY = "ecriture", "cle-ecriture"
READER, READER_KEY = "lecture", "cle-lecture"
BANK = quizbank.load_bank()
LESSON = "definitions"
QUESTIONS = [q.id for q in BANK[LESSON].questions if q.type in {"single", "multiple", "truefalse"}]
ALL_LESSON_QUESTIONS = [q.id for q in BANK[LESSON].questions]
WRITTEN = [q.id for q in BANK[LESSON].questions if q.written]

# Answers a question through its form: the right boxes (or the wrong ones) ticked, « Valider » submitted.
ANSWER = """([qid, right]) => {
  const quiz = document.querySelector(`[data-qid='${qid}']`);
  quiz.querySelectorAll('fieldset input').forEach(i => { i.checked = (i.dataset.correct === 'true') === right; });
  quiz.querySelector('form').requestSubmit();
}"""
PENDING = "() => window.Partenariat.xapi.pending()"


def _ralph_or_skip() -> None:
    if RALPH.exists():
        return
    message = (f"Ralph is missing ({RALPH}): run scripts/setup.sh test, or python3 -m venv .venv-ralph && "
               ".venv-ralph/bin/pip install -r requirements-ralph.txt")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _basic(user: str, key: str) -> str:
    return base64.b64encode(f"{user}:{key}".encode()).decode()


class Ralph:
    """One real Ralph LRS (deploy/ralph/serve.py, file backend) on a free port with a temporary folder."""

    def __init__(self, folder: Path, origins: list[str]) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.origins = origins
        self.auth = folder / "auth.json"
        self.proc: subprocess.Popen[bytes] | None = None
        # Ralph's own users file (the format `ralph auth -w` writes: a bcrypt hash, scopes, an agent per user);
        # fewer bcrypt rounds than `ralph auth` so that the suite stays quick.
        script = ("import bcrypt, json, sys\n"
                  "users = [{'username': u, 'hash': bcrypt.hashpw(p.encode(), bcrypt.gensalt(4)).decode(),"
                  " 'scopes': [s], 'agent': {'objectType': 'Agent', 'account': {'homePage': 'https://lrs.invalid/', 'name': u}}}"
                  " for u, p, s in json.loads(sys.argv[1])]\n"
                  "open(sys.argv[2], 'w').write(json.dumps(users))\n")
        users = [[WRITER, WRITER_KEY, "statements/write"], [READER, READER_KEY, "statements/read"]]
        subprocess.run([str(PYTHON), "-c", script, json.dumps(users), str(self.auth)], check=True)

    def start(self) -> None:
        """Starts Ralph and waits until it answers."""
        args = [str(PYTHON), str(SERVE), "--data", str(self.folder / "donnees"), "--auth-file", str(self.auth),
                "--host", "127.0.0.1", "--port", str(self.port), "--allow-offline"]
        for origin in self.origins:
            args += ["--allow-origin", origin]
        self.proc = subprocess.Popen(args, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("Ralph stopped: " + (self.proc.stderr.read().decode() if self.proc.stderr else ""))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        """Stops Ralph (its data stays)."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None

    def request(self, path: str, user: str, key: str, body: Any = None) -> tuple[int, Any]:
        """GET (or POST `body`) a path under the xAPI address; returns the status and the JSON answer (or text)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="POST" if body is not None else "GET",
                                     headers={"Authorization": "Basic " + _basic(user, key),
                                              "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"})
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                text = res.read().decode()
                return res.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def statements(self, registration: str) -> list[dict[str, Any]]:
        """Every statement of a registration, following `more` as the group page does."""
        out: list[dict[str, Any]] = []
        path = f"statements?registration={registration}&limit=100"
        while True:
            status, body = self.request(path, READER, READER_KEY)
            assert status == 200, body
            out += body["statements"]
            if not body.get("more") or not body["statements"]:
                return out
            path = body["more"].split("/xAPI/", 1)[1]

    def stored_lines(self) -> list[dict[str, Any]]:
        """What the file backend holds: one JSON record per line."""
        path = self.folder / "donnees" / "fs_lrs.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


@pytest.fixture(scope="module")
def lrs(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    """A real Ralph for this module's tests, allowing the test site's origin and the offline edition."""
    _ralph_or_skip()
    ralph = Ralph(tmp_path_factory.mktemp("ralph"), [server.rstrip("/")])
    ralph.start()
    yield ralph
    ralph.stop()


def _assignment(lrs: Ralph, lessons: list[str], final: bool = False) -> tuple[dict[str, Any], str]:
    """An assignment asking for statements (id: a UUID without dashes), and its link's fragment."""
    a = {"v": 1, "course": "partenariat", "id": uuid.uuid4().hex, "group": "Groupe LRS", "lessons": lessons,
         "final": final, "due": "2099-12-31", "pass": 70, "lrs": {"url": lrs.url, "auth": _basic(WRITER, WRITER_KEY)}}
    code = base64.urlsafe_b64encode(json.dumps(a).encode()).decode().rstrip("=")
    return a, "#assigner=" + code


def _registration(a: dict[str, Any]) -> str:
    return str(uuid.UUID(a["id"]))


def _open_and_accept(page: Any, base: str, link: str, name: str = "") -> None:
    """Opens the lesson with the assignment's link; the learner reads the notice and accepts (with a name, or not)."""
    page.goto(base + LESSON + ".html" + link)
    ask = page.locator("#pt-xapi-ask")
    ask.wait_for()
    assert "pseudonyme" in ask.inner_text() and "127.0.0.1" in ask.inner_text()
    if name:
        page.locator("#pt-xapi-ask-nom").check()
        page.locator("#pt-xapi-ask-nom-texte").fill(name)
    page.get_by_role("button", name="Accepter l’envoi").click()
    page.wait_for_function("() => !document.getElementById('pt-xapi-ask')")


def _wait_until(condition: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting until " + what)
        time.sleep(0.3)


def test_statements_arrive_validated_with_the_catalogue_fields(page: Any, server: str, lrs: Ralph) -> None:
    """Accepted, a lesson's answers reach Ralph as the catalogue says, and Ralph validates what it stores.

    Every answer arrives as `answered` (then `completed` for the lesson) with the assignment's registration, the
    pseudonym and typed name, the question's stable id and its result; Ralph refuses an invalid statement.
    """
    a, link = _assignment(lrs, [LESSON])
    _open_and_accept(page, server, link, name="Camille Martin")
    page.evaluate(ANSWER, [QUESTIONS[0], True])
    page.evaluate(ANSWER, [QUESTIONS[1], False])
    for qid in QUESTIONS[2:]:
        page.evaluate(ANSWER, [qid, True])
    page.evaluate("""([ids, written]) => ids.forEach(id => { if (!window.Partenariat.store.get('answers', id))
        window.Partenariat.store.put('answers', id, written.includes(id)
          ? {text: 'Ma réponse rédigée.', selfRating: {}, t: Date.now()} : {v: ['x'], ok: true, score: 1}); })""",
                  [ALL_LESSON_QUESTIONS, WRITTEN])
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    got = lrs.statements(_registration(a))
    pseudo = page.evaluate("() => window.Partenariat.store.get('profile', 'pseudo').value")
    answered = [s for s in got if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"]
    assert Counter(s["object"]["id"].rsplit("/", 1)[1] for s in answered) == Counter(ALL_LESSON_QUESTIONS)
    completed = [s for s in got if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"]
    assert [s["object"]["id"] for s in completed] == ["https://partenariat.invalid/cours/lecon/" + LESSON]
    for s in got:
        assert s["actor"]["account"] == {"homePage": "https://partenariat.invalid/", "name": pseudo}
        assert s["actor"]["name"] == "Camille Martin"
        assert s["context"]["registration"] == _registration(a)
    by_q = {s["object"]["id"].rsplit("/", 1)[1]: s for s in answered}
    assert by_q[QUESTIONS[0]]["result"]["success"] is True and by_q[QUESTIONS[1]]["result"]["success"] is False
    assert by_q[QUESTIONS[0]]["object"]["definition"]["interactionType"] == "choice"
    for qid in WRITTEN:  # a written answer: its text, never a success or a score
        assert by_q[qid]["result"]["response"] == "Ma réponse rédigée." and "success" not in by_q[qid]["result"]
    # Ralph validates: a statement without an actor is refused, and nothing of it is stored
    status, _ = lrs.request("statements", WRITER, WRITER_KEY, [{"verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                                                               "object": {"id": "https://partenariat.invalid/cours"}}])
    assert 400 <= status < 500
    # the write-only credential cannot read
    assert lrs.request("statements", WRITER, WRITER_KEY)[0] == 401
    assert page.js_errors == []


def test_lrs_down_mid_lesson_then_back_every_statement_arrives_once(context: Any, server: str, lrs: Ralph) -> None:
    """The LRS stops mid-lesson, then comes back: every statement arrives, each id stored exactly once.

    While it is down, answers go on, the outbox grows and « Mon parcours » says so.
    """
    a, link = _assignment(lrs, [LESSON])
    page = context.new_page()
    _open_and_accept(page, server, link)
    page.evaluate(ANSWER, [QUESTIONS[0], True])
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    lrs.stop()
    try:
        for qid in QUESTIONS[1:4]:
            page.evaluate(ANSWER, [qid, False])
        page.evaluate(SETTLE)
        assert page.evaluate(PENDING) >= 3
        mine = context.new_page()
        mine.goto(server + "parcours.html")
        mine.wait_for_function("() => /3\\s+résultats en attente d’envoi/.test(document.getElementById('pt-xapi-pending').textContent)",
                               timeout=60000)
        mine.wait_for_function("() => /injoignable/.test(document.getElementById('pt-xapi-pending').textContent)", timeout=60000)
        expect(mine.get_by_role("button", name="Réessayer maintenant")).to_be_visible()
        page.close()  # one tab left to send
    finally:
        lrs.start()
    # The automatic retry may have sent everything while the LRS started; the check and the click are one step in the
    # page, so the button is pressed exactly when it is still offered.
    mine.evaluate("() => { const b = document.getElementById('pt-xapi-retry'); if (!b.closest('[hidden]')) b.click(); }")
    mine.wait_for_function("() => document.getElementById('pt-xapi-pending').dataset.pending === '0'", timeout=60000)
    got = lrs.statements(_registration(a))
    ids = [s["id"] for s in got]
    assert len(ids) == len(set(ids)) == 4
    lines = Counter(r["id"] for r in lrs.stored_lines())
    assert all(lines[i] == 1 for i in ids)
    assert sorted(s["object"]["id"].rsplit("/", 1)[1] for s in got) == sorted(QUESTIONS[:4])


def test_progress_reset_keeps_statements_waiting_to_be_sent(context: Any, server: str, lrs: Ralph) -> None:
    """« Effacer ma progression » while the LRS is down keeps the outbox and the consent, and says so.

    The answers are erased; once the LRS is back, the statements made before the reset arrive, each exactly once.
    """
    a, link = _assignment(lrs, [LESSON])
    page = context.new_page()
    _open_and_accept(page, server, link)
    lrs.stop()
    try:
        for qid in QUESTIONS[:2]:
            page.evaluate(ANSWER, [qid, True])
        page.evaluate(SETTLE)
        assert page.evaluate(PENDING) == 2
        mine = context.new_page()
        mine.goto(server + "parcours.html")
        asked: list[str] = []
        mine.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        mine.locator("#parcours [data-action='reset']").click()
        mine.wait_for_function("() => /progression a été effacée/.test(document.getElementById('parcours').textContent)")
        assert "2\u00a0résultats en attente d’envoi à votre formateur restent et seront envoyés" in asked[0]
        assert "choix d’envoi est gardé" in asked[0]
        mine.evaluate(SETTLE)
        mine.reload()
        mine.wait_for_function("() => window.Partenariat && window.Partenariat.xapi")
        assert mine.evaluate("() => window.Partenariat.store.all('answers').length") == 0
        assert mine.evaluate(PENDING) == 2
        assert mine.evaluate("(id) => window.Partenariat.store.get('consent', id).value", a["id"]) == "oui"
    finally:
        lrs.start()
    mine.evaluate("() => window.Partenariat.xapi.pump(true)")
    mine.wait_for_function(PENDING + " === 0", timeout=60000)
    got = lrs.statements(_registration(a))
    assert sorted(s["object"]["id"].rsplit("/", 1)[1] for s in got) == sorted(QUESTIONS[:2])
    lines = Counter(r["id"] for r in lrs.stored_lines())
    assert all(lines[s["id"]] == 1 for s in got) and len({s["id"] for s in got}) == 2


def test_two_tabs_answering_at_once_send_each_statement_once(context: Any, server: str, lrs: Ralph) -> None:
    """Two tabs of one learner answer at the same time: each statement reaches the LRS once, none is lost."""
    a, link = _assignment(lrs, [LESSON])
    first = context.new_page()
    _open_and_accept(first, server, link)
    second = context.new_page()
    second.goto(server + LESSON + ".html")
    second.wait_for_function("() => window.Partenariat && window.Partenariat.xapi")
    half = len(QUESTIONS) // 2
    first.evaluate("""([ids, answer]) => ids.forEach(id => setTimeout(() => (new Function('return ' + answer))()([id, true]), 0))""",
                   [QUESTIONS[:half], ANSWER])
    second.evaluate("""([ids, answer]) => ids.forEach(id => setTimeout(() => (new Function('return ' + answer))()([id, false]), 0))""",
                    [QUESTIONS[half:], ANSWER])
    for tab in (first, second):
        tab.evaluate(SETTLE)
    for tab in (first, second):
        tab.wait_for_function(PENDING + " === 0", timeout=90000)
    got = lrs.statements(_registration(a))
    answered = [s["object"]["id"].rsplit("/", 1)[1] for s in got if s["verb"]["id"].endswith("/answered")]
    assert sorted(answered) == sorted(QUESTIONS)
    assert len({s["id"] for s in got}) == len(got)
    lines = Counter(r["id"] for r in lrs.stored_lines())
    assert all(lines[s["id"]] == 1 for s in got)


def test_refusal_sends_nothing_and_can_be_changed_in_mon_parcours(page: Any, server: str, lrs: Ralph) -> None:
    """Refused, answers queue nothing and the LRS receives nothing; the choice changes in « Mon parcours ».

    Accepting there sends what was already done.
    """
    a, link = _assignment(lrs, [LESSON])
    page.goto(server + LESSON + ".html" + link)
    page.locator("#pt-xapi-ask").wait_for()
    page.get_by_role("button", name="Refuser l’envoi").click()
    page.evaluate(ANSWER, [QUESTIONS[0], True])
    page.evaluate(SETTLE)
    assert page.evaluate("() => window.Partenariat.store.all('outbox').length") == 0
    assert lrs.statements(_registration(a)) == []
    page.goto(server + "parcours.html")
    card = page.locator(f"#pt-xapi [data-assignment='{a['id']}']")
    assert "vous avez refusé" in card.inner_text()
    card.get_by_role("button", name="Accepter l’envoi").click()
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    assert "vous avez accepté" in card.inner_text()
    got = lrs.statements(_registration(a))
    assert [s["object"]["id"].rsplit("/", 1)[1] for s in got] == [QUESTIONS[0]]


def test_offline_edition_queues_then_sends_once_an_lrs_answers(page: Any, site: Path, lrs: Ralph) -> None:
    """From file://, answers wait in the outbox while no LRS answers, then are sent once one does.

    This goes through fetch and CORS for the offline edition's origin `null`.
    """
    a, link = _assignment(lrs, [LESSON])
    lrs.stop()
    try:
        _open_and_accept(page, site.as_uri() + "/", link)
        page.evaluate(ANSWER, [QUESTIONS[0], True])
        page.evaluate(ANSWER, [QUESTIONS[1], True])
        page.evaluate(SETTLE)
        assert page.evaluate(PENDING) == 2
    finally:
        lrs.start()
    page.evaluate("() => window.Partenariat.xapi.pump(true)")
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    assert sorted(s["object"]["id"].rsplit("/", 1)[1] for s in lrs.statements(_registration(a))) == sorted(QUESTIONS[:2])


@pytest.fixture(scope="module")
def learner_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The learners' edition (sealed final), built with throw-away publisher keys."""
    from scripts.outputs import publish

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTENARIAT_KEYS", str(tmp_path_factory.mktemp("keys")))
        dest = tmp_path_factory.mktemp("learners") / "site"
        publish.learners_site(dest)
        yield dest


@pytest.mark.slow
def test_sealed_final_answers_are_sent_without_success_or_score(page: Any, learner_site: Path, lrs: Ralph) -> None:
    """In a learners' edition, each final answer reaches the LRS as `answered` with no success and no score.

    The response and the confidence are sent, the attempt, the form, the item's place in it and the learner id
    (a correction code is bound to it) are in the context; nothing of the key.
    """
    from tests.test_sealed_final import _answer_all

    a, link = _assignment(lrs, [LESSON], final=True)
    page.goto(learner_site.as_uri() + "/evaluation-finale.html" + link)
    page.locator("#pt-xapi-ask").wait_for()
    page.get_by_role("button", name="Accepter l’envoi").click()
    page.get_by_role("button", name="Commencer l’évaluation").click()
    order = _answer_all(page)
    attempt = page.evaluate("Partenariat.finalAttempt.current()")
    learner = page.evaluate("Partenariat.finalAttempt.learnerId()")
    page.wait_for_function(PENDING + " === 0", timeout=60000)
    got = [s for s in lrs.statements(_registration(a)) if s["object"]["id"].endswith(tuple("/" + q for q in order))]
    assert sorted(s["object"]["id"].rsplit("/", 1)[1] for s in got) == sorted(order)
    ext = "https://partenariat.invalid/xapi/extensions/"
    for s in got:
        qid = s["object"]["id"].rsplit("/", 1)[1]
        given = attempt["a"]["answers"][qid]
        assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
        assert set(s["result"]) <= {"response", "duration", "extensions"}  # no success, no score
        assert s["result"]["response"] == "[,]".join(given["response"])
        assert s["result"]["extensions"][ext + "confiance"] == given["confidence"]
        assert s["context"]["extensions"] == {ext + "tentative": attempt["id"], ext + "tentative-numero": 1,
                                              ext + "sujet": attempt["a"]["form"], ext + "rang": order.index(qid) + 1,
                                              ext + "apprenant": learner}
        assert s["context"]["contextActivities"]["parent"][0]["id"] == "https://partenariat.invalid/cours/evaluation-finale"
    assert not any(s["verb"]["id"].endswith(("/passed", "/failed")) for s in lrs.statements(_registration(a)))
    assert page.js_errors == []


def test_group_page_reads_the_lrs_and_shows_the_files_figures(browser: Any, server: str, lrs: Ralph) -> None:
    """The group page loaded from the LRS shows the same figures as the learners' hand-in files, and a timeline.

    Two learners answer (one question wrong, then right): same rows per learner, same per-item figures.
    """
    a, link = _assignment(lrs, [LESSON])
    files = []
    for n, name in enumerate(["Alice Dupont", "Bruno Petit"]):
        ctx = browser.new_context()
        try:
            p = ctx.new_page()
            _open_and_accept(p, server, link, name=name)
            for k, qid in enumerate(QUESTIONS[:4]):
                p.evaluate(ANSWER, [qid, (k + n) % 2 == 0])
            p.evaluate(ANSWER, [QUESTIONS[1], True])  # a second attempt: right now, wrong at first
            p.wait_for_function(PENDING + " === 0", timeout=60000)
            files.append([f"{n}.json", p.evaluate("() => window.Partenariat.store.exportJSON()")])
        finally:
            ctx.close()
    figures = """() => ({rows: window.Partenariat.groupe.rows().map(r => [r.name, r.done, r.score]),
        items: window.Partenariat.groupe.items().map(x => [x.id, x.n, x.share, x.most && x.most.text, x.flagged])})"""
    ctx = browser.new_context()
    try:
        from_files = ctx.new_page()
        from_files.goto(server + "formateurs/groupe.html")
        from_files.evaluate("(files) => window.Partenariat.groupe.addAll(files)", files)
        expected = from_files.evaluate(figures)
        trainer = ctx.new_page()
        trainer.goto(server + "formateurs/groupe.html")
        trainer.locator("#groupe-lrs-link").fill(server + "index.html" + link)
        trainer.locator("#groupe-lrs-link").dispatch_event("change")
        assert trainer.locator("#groupe-lrs-url").input_value() == lrs.url
        trainer.locator("#groupe-lrs-user").fill(READER)
        trainer.locator("#groupe-lrs-key").fill(READER_KEY)
        trainer.get_by_role("button", name="Charger depuis le LRS").click()
        trainer.wait_for_function("() => document.getElementById('groupe-lrs').dataset.statements")
        assert "2 apprenants" in trainer.locator("#groupe-lrs-message").inner_text()
        assert trainer.evaluate(figures) == expected
        assert any(row[2] is not None for row in expected["rows"]) and any(x[1] == 2 for x in expected["items"])
        assert trainer.locator("#groupe-timeline tbody tr").count() >= 1
        # a wrong read credential is said, not shown as an empty group
        trainer.locator("#groupe-lrs-key").fill("faux")
        trainer.get_by_role("button", name="Charger depuis le LRS").click()
        trainer.wait_for_function("() => /refuse cet identifiant/.test(document.getElementById('groupe-lrs-message').textContent)")
    finally:
        ctx.close()


def test_assignment_form_puts_the_lrs_in_the_link(page: Any, server: str) -> None:
    """The trainer's form puts the LRS address and write credential in the link, with a UUID id.

    An incomplete LRS field is refused by name.
    """
    page.goto(server + "formateurs/assigner.html")
    page.locator("input[name='lessons']").first.check()
    page.locator("#pt-assign-group").fill("Groupe A")
    page.locator("#pt-assign-lrs-url").fill("https://lrs.exemple.org/xAPI")
    page.get_by_role("button", name="Créer le lien").click()
    assert "identifiant d’écriture" in page.locator("#pt-assign-form .pt-form-message").inner_text()
    page.locator("#pt-assign-lrs-user").fill("groupe-a")
    page.locator("#pt-assign-lrs-key").fill("secret")
    page.get_by_role("button", name="Créer le lien").click()
    link = page.locator("#pt-assign-link").inner_text()
    got = page.evaluate("(link) => window.Partenariat.assignments.decode(link)", link)
    a = got["assignment"]
    assert a["lrs"] == {"url": "https://lrs.exemple.org/xAPI/", "auth": _basic("groupe-a", "secret")}
    assert uuid.UUID(a["id"]).version == 4


@pytest.mark.parametrize("width", [360, 1280])
def test_assignment_form_checks_the_credential_with_whoami(browser: Any, server: str, lrs: Ralph, width: int) -> None:
    """The form asks Ralph's /whoami what the credential may do and says it in French.

    Write-only: fit for the link; able to read: a warning that anyone with the link could read; wrong: refused.
    """
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(server + "formateurs/assigner.html")
        status = page.locator("#pt-assign-lrs-status")
        page.locator("#pt-assign-lrs-url").fill(lrs.url)
        for user, key, kind, words in [(WRITER, WRITER_KEY, "ok", "écriture seule"),
                                       (READER, READER_KEY, "warning", "pourrait lire les résultats du groupe"),
                                       (WRITER, "faux", "error", "refuse cet identifiant")]:
            page.locator("#pt-assign-lrs-user").fill(user)
            page.locator("#pt-assign-lrs-key").fill(key)
            page.get_by_role("button", name="Vérifier l’identifiant").click()
            page.wait_for_function(f"() => document.getElementById('pt-assign-lrs-status').dataset.check === '{kind}'")
            assert words in status.inner_text()
        # creating the link checks it too
        page.locator("input[name='lessons']").first.check()
        page.locator("#pt-assign-group").fill("Groupe A")
        page.locator("#pt-assign-lrs-key").fill(READER_KEY)
        page.locator("#pt-assign-lrs-user").fill(READER)
        page.get_by_role("button", name="Créer le lien").click()
        page.wait_for_function("() => document.getElementById('pt-assign-lrs-status').dataset.check === 'warning'")
    finally:
        ctx.close()


def test_csp_write_sets_and_keeps_the_lrs_origins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--connect-src` adds LRS origins to connect-src; a later rewrite keeps them; a path or a bad origin is refused."""
    from scripts.checks import csp

    (tmp_path / "index.html").write_text("<!doctype html><html><head><script>1</script></head></html>", encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    conf.write_text(csp.NGINX_CONF.read_text(encoding="utf-8"), encoding="utf-8")
    assert csp.write_policy(tmp_path, conf, connect=[csp.origin("https://LRS.example.org/"), "http://127.0.0.1:8100"])
    assert "connect-src 'self' https://lrs.example.org http://127.0.0.1:8100;" in csp.configured_policy(conf)
    assert not csp.write_policy(tmp_path, conf)  # no --connect-src: the configured origins stay
    assert csp.connect_origins(csp.configured_policy(conf)) == ["https://lrs.example.org", "http://127.0.0.1:8100"]
    for bad in ("https://lrs.example.org/xAPI/", "lrs.example.org", "https://a b"):
        with pytest.raises(SystemExit):
            csp.main([str(tmp_path), "--connect-src", bad])
        assert "not an origin" in capsys.readouterr().err


def test_csp_connect_src_lets_pages_post_to_the_allowed_lrs_only(browser: Any, site: Path, tmp_path: Path) -> None:
    """Under nginx, a policy made with `--connect-src <LRS>` lets statements reach that LRS and blocks another origin.

    The statements arrive with no violation; a post to an origin the policy does not name is blocked by the CSP.
    """
    from scripts.checks import csp
    from tests.test_deploy import CONF, RECORD_VIOLATIONS, run_nginx

    _ralph_or_skip()
    port = _free_port()
    ralph = Ralph(tmp_path, [f"http://127.0.0.1:{port}"])
    other = f"http://127.0.0.1:{_free_port()}"
    conf = csp.POLICY_LINE.sub(lambda m: m.group(1) + csp.policy(site, [ralph.url.split("/xAPI/")[0]]) + m.group(3),
                               CONF.read_text(encoding="utf-8"), count=1)
    assert f"connect-src 'self' {ralph.url.split('/xAPI/')[0]};" in conf
    ralph.start()
    ctx = browser.new_context()
    try:
        with run_nginx(site, tmp_path / "nginx", conf, port) as base:
            ctx.add_init_script(RECORD_VIOLATIONS)
            page = ctx.new_page()
            a, link = _assignment(ralph, [LESSON])
            page.goto(base + "/" + LESSON + ".html" + link)
            page.get_by_role("button", name="Accepter l’envoi").click()
            page.locator("#pt-xapi-ask").wait_for(state="detached")
            page.evaluate(ANSWER, [QUESTIONS[0], True])
            _wait_until(lambda: len(ralph.statements(_registration(a))) == 1, "the statement reaches the allowed LRS")
            assert page.evaluate("window.__cspViolations") == []
            blocked = page.evaluate("""(url) => fetch(url + '/xAPI/statements', {method: 'POST', body: '[]'})
                .then(() => 'sent', () => 'blocked')""", other)
            assert blocked == "blocked"
            assert any(v.startswith("connect-src " + other) for v in page.evaluate("window.__cspViolations"))
    finally:
        ctx.close()
        ralph.stop()


@pytest.mark.parametrize("width", [360, 1280])
def test_lrs_ui_passes_axe_in_both_schemes(browser: Any, server: str, lrs: Ralph, width: int) -> None:
    """Axe-core finds nothing on the LRS parts of the pages, light and dark, on a phone and a desktop.

    The consent notice, « Mon parcours »'s LRS section (statements waiting, the LRS down), and the assignment
    form's LRS fields with a check's answer.
    """
    from tests.test_a11y import audit_both_schemes, use_scheme

    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        use_scheme(page, server, "light")
        a, link = _assignment(lrs, [LESSON])
        page.goto(server + LESSON + ".html" + link)
        page.locator("#pt-xapi-ask").wait_for()
        found = audit_both_schemes(page, f"{LESSON}.html, consent notice, {width}px")
        page.get_by_role("button", name="Accepter l’envoi").click()
        lrs.stop()
        try:
            page.evaluate(ANSWER, [QUESTIONS[0], True])
            page.evaluate(SETTLE)
            page.goto(server + "parcours.html")
            page.wait_for_function("() => /injoignable/.test(document.getElementById('pt-xapi-pending').textContent)",
                                   timeout=60000)
            page.locator("#pt-xapi details summary").first.click()
            found += audit_both_schemes(page, f"parcours.html, LRS section, {width}px")
        finally:
            lrs.start()
        page.goto(server + "formateurs/assigner.html")
        page.locator("#pt-assign-lrs-url").fill(lrs.url)
        page.locator("#pt-assign-lrs-user").fill(READER)
        page.locator("#pt-assign-lrs-key").fill(READER_KEY)
        page.get_by_role("button", name="Vérifier l’identifiant").click()
        page.wait_for_function("() => document.getElementById('pt-assign-lrs-status').dataset.check === 'warning'")
        found += audit_both_schemes(page, f"formateurs/assigner.html, LRS fields, {width}px")
        assert found == [], "\n".join(found)
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_consent_notice_and_lrs_section_work_from_the_keyboard(browser: Any, server: str, lrs: Ralph, width: int) -> None:
    """Keyboard only, the consent notice is used in order, and « Mon parcours » keeps its live region and fields.

    Tab reaches the notice's box, name, « Accepter », « Refuser » in that order; Enter decides and focus lands on
    the confirmation; in « Mon parcours », the waiting count is one live region updated in place, and an update
    does not reset the name being typed.
    """
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        a, link = _assignment(lrs, [LESSON])
        page.goto(server + LESSON + ".html" + link)
        page.locator("#pt-xapi-ask").wait_for()
        page.locator("#pt-xapi-ask-title").evaluate("h => { h.tabIndex = -1; h.focus(); }")
        order = []
        for _ in range(4):
            page.keyboard.press("Tab")
            order.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
        assert order == ["pt-xapi-ask-nom", "pt-xapi-ask-nom-texte", "Accepter l’envoi", "Refuser l’envoi"]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type("Camille Martin")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.locator("#pt-xapi-ask").wait_for(state="detached")
        assert page.evaluate("(id) => window.Partenariat.store.get('consent', id)", a["id"])["name"] is True
        done = page.locator("#pt-xapi-done")
        assert "accepté" in done.inner_text() and "Mon parcours" in done.inner_text()
        assert page.evaluate("() => document.activeElement.id") == "pt-xapi-done"
        assert done.get_attribute("role") == "status"
        mine = ctx.new_page()
        mine.goto(server + "parcours.html")
        status = mine.locator("#pt-xapi-pending")
        status.wait_for()
        status.evaluate("p => { p.dataset.kept = 'oui'; }")
        mine.locator(f"#pt-xapi [data-assignment='{a['id']}'] input[type=text]").focus()
        mine.keyboard.type(" Jr")
        page.evaluate(ANSWER, [QUESTIONS[0], True])
        mine.wait_for_function("() => /1\\s+résultat/.test(document.getElementById('pt-xapi-pending').textContent) || "
                               "document.getElementById('pt-xapi-pending').dataset.pending === '0'", timeout=60000)
        page.wait_for_function(PENDING + " === 0", timeout=60000)
        mine.wait_for_function("() => document.getElementById('pt-xapi-pending').dataset.pending === '0'", timeout=60000)
        assert status.get_attribute("data-kept") == "oui"  # the same live region, updated, not a new one
        field = mine.locator(f"#pt-xapi [data-assignment='{a['id']}'] input[type=text]")
        assert field.input_value() == "Camille Martin Jr"  # what the learner is typing is not reset by an update
        assert mine.evaluate("() => document.activeElement === document.querySelector('#pt-xapi input[type=text]')")
    finally:
        ctx.close()


def test_plain_runserver_file_backend_refuses_a_second_batch(tmp_path: Path) -> None:
    """Why deploy/ralph/serve.py exists: Ralph 5.1.0's `runserver -b fs` answers 500 to a second batch.

    When a Ralph release fixes it, this test fails: drop the launcher's patch.
    """
    _ralph_or_skip()
    ralph = Ralph(tmp_path, [])
    port = ralph.port
    env = dict(os.environ, RALPH_AUTH_FILE=str(ralph.auth), RALPH_HISTORY_FILE=str(tmp_path / "history.json"))
    proc = subprocess.Popen([str(RALPH), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port),
                             "--fs-default-directory-path", str(tmp_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until(lambda: _up(port), "ralph runserver answers")
        statement = {"actor": {"account": {"homePage": "https://partenariat.invalid/", "name": "x"}},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                     "object": {"id": "https://partenariat.invalid/cours/question/q"}, "timestamp": "2026-01-01T00:00:00Z"}
        first = ralph.request("statements", WRITER, WRITER_KEY, [dict(statement, id=str(uuid.uuid4()))])
        second = ralph.request("statements", WRITER, WRITER_KEY, [dict(statement, id=str(uuid.uuid4()))])
        assert (first[0], second[0]) == (200, 500)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
    shutil.rmtree(tmp_path / "donnees", ignore_errors=True)


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_benchmark_runs_on_a_tiny_group() -> None:
    """scripts/bench_lrs.py runs on a tiny group (2 learners x 3 answers), as a command.

    The dashboard reads back exactly what was posted through the outbox's batching.
    """
    _ralph_or_skip()
    run = subprocess.run([sys.executable, "-m", "scripts.bench_lrs", "--learners", "2", "--answers", "3", "--senders", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "posted 6 statements" in run.stdout and "dashboard: 6 statements of 2 learners" in run.stdout
