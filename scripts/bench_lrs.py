"""Benchmark (not a test): a group's statements through the outbox's batching into a real Ralph, then the dashboard.

    .venv/bin/python -m scripts.bench_lrs                      # 1,000 learners x 150 answers (the issue's size)
    .venv/bin/python -m scripts.bench_lrs --learners 50 --answers 150 --senders 8

It starts Ralph (deploy/ralph/serve.py, file backend, a temporary folder, ROOT/.venv-ralph), makes for every
simulated learner the `answered` statements xapi.js makes (same shape, one registration for the group), posts them
as the outbox does (batches of xapi.js's BATCH, oldest first, one learner's batches in order, `--senders` learners
at once), and reports statements per second. Then it builds the site, serves it, opens « Suivi du groupe » in
headless Chromium, loads the group from Ralph as a trainer does, and reports the time until the tables are shown
(the page's own measure, `data-loaded-ms`). Ralph's file backend reads its whole file on every POST (to drop
duplicates) and on every page of a read: both grow with the group's size, which is why a large group moves to
ClickHouse, Elasticsearch or MongoDB (docs/formateurs/lrs.md).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scripts.model.course import ROOT

RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
SERVE = ROOT / "deploy" / "ralph" / "serve.py"
XAPI_JS = ROOT / "docs" / "assets" / "javascripts" / "xapi.js"
HOME = "https://partenariat.invalid/"
USERS = [["ecriture", "cle-ecriture", "statements/write"], ["lecture", "cle-lecture", "statements/read"]]


def batch_size() -> int:
    """The outbox's batch size, read from xapi.js so that the benchmark follows it."""
    found = re.search(r"\bBATCH = (\d+)", XAPI_JS.read_text(encoding="utf-8"))
    if not found:
        raise SystemExit(f"{XAPI_JS}: no `BATCH = <n>` found")
    return int(found.group(1))


def _basic(user: str, key: str) -> str:
    return base64.b64encode(f"{user}:{key}".encode()).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def learner_statements(registration: str, learner: int, answers: int, questions: list[tuple[str, str]],
                       start: datetime) -> list[dict[str, Any]]:
    """The `answered` statements of one simulated learner, shaped as xapi.js makes them."""
    pseudo = str(uuid.UUID(int=learner + 1))
    out = []
    for k in range(answers):
        qid, lesson = questions[k % len(questions)]
        right = (learner + k) % 3 != 0
        out.append({
            "id": str(uuid.uuid4()),
            "timestamp": (start + timedelta(minutes=learner, seconds=20 * k)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": pseudo}, "name": f"Apprenant {learner + 1}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"fr-FR": "a répondu"}},
            "object": {"objectType": "Activity", "id": f"{HOME}cours/question/{qid}",
                       "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                                      "name": {"fr-FR": "Question " + qid}}},
            "result": {"success": right, "score": {"scaled": 1 if right else 0, "raw": 1 if right else 0, "min": 0, "max": 1},
                       "response": "0" if right else "1", "duration": "PT12.00S",
                       "extensions": {HOME + "xapi/extensions/reponse": ["0" if right else "1"],
                                      HOME + "xapi/extensions/premier-essai": right}},
            "context": {"registration": registration, "platform": "Partenariat", "language": "fr-FR",
                        "contextActivities": {"grouping": [{"objectType": "Activity", "id": HOME + "cours"}],
                                              "parent": [{"objectType": "Activity", "id": f"{HOME}cours/lecon/{lesson}"}]}},
        })
    return out


def post(url: str, statements: list[dict[str, Any]]) -> None:
    """One batch, as the outbox posts it."""
    req = urllib.request.Request(url + "statements", data=json.dumps(statements).encode(), method="POST",
                                 headers={"Authorization": "Basic " + _basic(*USERS[0][:2]),
                                          "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(req, timeout=600) as res:
        if res.status not in (200, 204):
            raise RuntimeError(f"LRS answered {res.status}")


def start_ralph(folder: Path, origin: str) -> tuple[subprocess.Popen[bytes], str]:
    """Ralph on a free port with `folder`'s users file and data; returns the process and the xAPI address."""
    if not RALPH_PYTHON.exists():
        raise SystemExit(f"{RALPH_PYTHON} is missing: run scripts/setup.sh test")
    auth = folder / "auth.json"
    script = ("import bcrypt, json, sys\n"
              "users = [{'username': u, 'hash': bcrypt.hashpw(p.encode(), bcrypt.gensalt()).decode(), 'scopes': [s],"
              " 'agent': {'objectType': 'Agent', 'account': {'homePage': 'https://lrs.invalid/', 'name': u}}}"
              " for u, p, s in json.loads(sys.argv[1])]\n"
              "open(sys.argv[2], 'w').write(json.dumps(users))\n")
    subprocess.run([str(RALPH_PYTHON), "-c", script, json.dumps(USERS), str(auth)], check=True)
    port = _free_port()
    proc = subprocess.Popen([str(RALPH_PYTHON), str(SERVE), "--data", str(folder / "donnees"), "--auth-file", str(auth),
                             "--port", str(port), "--allow-origin", origin], cwd=folder)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2):
                return proc, f"http://127.0.0.1:{port}/xAPI/"
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("Ralph did not start")


def dashboard_ms(site_url: str, link: str) -> tuple[int, int]:
    """Opens « Suivi du groupe », loads the group from the LRS as a trainer; returns (ms, statements read)."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(site_url + "formateurs/groupe.html")
        page.fill("#groupe-lrs-link", link)
        page.dispatch_event("#groupe-lrs-link", "change")  # the LRS's address comes from the link
        page.fill("#groupe-lrs-user", USERS[1][0])
        page.fill("#groupe-lrs-key", USERS[1][1])
        page.click("#groupe-lrs button[type=submit]")
        page.wait_for_function("() => document.getElementById('groupe-lrs').dataset.loadedMs"
                               " || /impossible/.test(document.getElementById('groupe-lrs-message').textContent)",
                               timeout=0)
        message = page.inner_text("#groupe-lrs-message")
        ms = page.get_attribute("#groupe-lrs", "data-loaded-ms")
        count = page.get_attribute("#groupe-lrs", "data-statements")
        browser.close()
    if ms is None or count is None:
        raise SystemExit("the dashboard failed: " + message)
    return int(ms), int(count)


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmark; 0 when the dashboard read back every statement posted."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--senders", type=int, default=8, help="learners sending at the same time")
    parser.add_argument("--no-dashboard", action="store_true", help="skip the build and the dashboard's load time")
    args = parser.parse_args(argv)
    from scripts.model import quizbank
    from tests.conftest import serve_folder

    bank = quizbank.load_bank()
    questions = [(q.id, slug) for slug, quiz in bank.items() if slug != "evaluation-finale" for q in quiz.questions]
    assignment_id = uuid.uuid4().hex
    registration = str(uuid.UUID(assignment_id))
    size = batch_size()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="bench-lrs-") as tmp:
        folder = Path(tmp)
        site = folder / "site"
        if not args.no_dashboard:
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(site)], cwd=ROOT, check=True)
        else:
            site.mkdir()
        with serve_folder(site) as site_url:
            proc, lrs_url = start_ralph(folder, site_url.rstrip("/"))
            try:
                def send(learner: int) -> int:
                    statements = learner_statements(registration, learner, args.answers, questions, start)
                    for i in range(0, len(statements), size):
                        post(lrs_url, statements[i:i + size])
                    return len(statements)

                began = time.perf_counter()
                with concurrent.futures.ThreadPoolExecutor(args.senders) as pool:
                    total = sum(pool.map(send, range(args.learners)))
                elapsed = time.perf_counter() - began
                print(f"posted {total} statements ({args.learners} learners x {args.answers} answers, batches of {size}, "
                      f"{args.senders} senders) in {elapsed:.1f} s: {total / elapsed:.0f} statements/s")
                if not args.no_dashboard:
                    a = {"v": 1, "course": "partenariat", "id": assignment_id, "group": "Banc d’essai",
                         "lessons": sorted({slug for _, slug in questions}), "final": False, "due": "2099-12-31", "pass": 70,
                         "lrs": {"url": lrs_url, "auth": _basic(*USERS[0][:2])}}
                    code = base64.urlsafe_b64encode(json.dumps(a).encode()).decode().rstrip("=")
                    ms, read = dashboard_ms(site_url, site_url + "index.html#assigner=" + code)
                    print(f"dashboard: {read} statements of {args.learners} learners loaded and shown in {ms} ms")
                    if read != total:
                        print(f"error: the dashboard read {read} statements, {total} were posted", file=sys.stderr)
                        return 1
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
