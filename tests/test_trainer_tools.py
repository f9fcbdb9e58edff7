"""Issue 12 in the browser: assignment links, the hand-in report, the group dashboard (« Suivi du groupe »).

Expected figures of the dashboard are computed here in Python from the generated files and the question bank,
independently of the page's script.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from scripts.model import course, quizbank
from tests.test_a11y import check_scheme, run_axe, use_scheme

pytestmark = pytest.mark.browser

ASSIGNED = ["definitions", "fondements", "conditions"]
NAMES = ["Anaïs", "Bérénice", "Cédric", "Daphné", "Élodie", "François", "Gaëlle", "Hélène", "Inès", "Jérôme"]


@pytest.fixture()
def utc_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh profile whose clock is in UTC (due days are compared in the browser's local time)."""
    ctx = browser.new_context(accept_downloads=True, timezone_id="UTC", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    # Playwright starts intercepting file choosers when the first listener is added, asynchronously: a chooser
    # opened just after the first listener (expect_file_chooser) was often cancelled before it was caught.
    page.on("filechooser", lambda chooser: None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Like a browser's print dialog: note which sheet is laid out for paper, then fire « afterprint » so the page
    # is back to its screen state before the test goes on (an audit must not meet it half-way).
    page.add_init_script("""window.print = () => {
        window.__printed = (window.__printed || 0) + 1;
        const sheet = document.querySelector('html.pt-printing .pt-sheet--printing');
        window.__printedSheet = sheet ? sheet.id : null;
        window.dispatchEvent(new Event('afterprint'));
    };""")
    page.js_errors = errors
    yield page
    assert not errors, errors
    ctx.close()


def _assert_printed_once(page: Any, sheet: str) -> None:
    """One print, of the sheet with id ``sheet``, and the page back to its screen layout afterwards."""
    assert page.evaluate("[window.__printed, window.__printedSheet]") == [1, sheet]
    assert not page.locator("html.pt-printing, .pt-sheet--printing").count(), "still laid out for paper"


def _index(site: Path) -> dict[str, Any]:
    text = (site / "assets" / "javascripts" / "course-index.js").read_text(encoding="utf-8")
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def _b64(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode().rstrip("=")


def _assignment(due: str, ident: str = "groupeabc1", lessons: list[str] | None = None) -> dict[str, Any]:
    return {"v": 1, "course": "partenariat", "id": ident, "group": "Promo Été", "lessons": lessons or ASSIGNED,
            "final": True, "due": due, "pass": 60}


def _make_link(page: Any, base: str) -> str:
    """Fill the trainer's form with the keyboard only; return the link it makes."""
    page.goto(base + "formateurs/assigner.html")
    page.locator("input[value='definitions']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # fondements
    page.locator("input[name='final']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Groupe Ça va")
    page.keyboard.press("Tab")  # the date field: Chromium's segments (month, day, year) take typed digits
    page.keyboard.type("12312099")
    assert page.locator("#pt-assign-due").input_value() == "2099-12-31"
    page.locator("#pt-assign-pass").focus()  # Tab would walk the date's own segments first
    page.keyboard.press("Control+a")
    page.keyboard.type("75")
    page.keyboard.press("Enter")
    page.wait_for_selector("#pt-assign-sheet:not([hidden])")
    assert page.locator(".pt-qr svg").count() == 1, "no QR code on the sheet"
    page.locator("#pt-assign-sheet button", has_text="Imprimer la fiche").press("Enter")
    _assert_printed_once(page, "pt-assign-sheet")
    return page.text_content("#pt-assign-link") or ""


@pytest.mark.parametrize("mode", ["http", "file"])
def test_assignment_link_shows_on_parcours_and_home(utc_page: Any, server: str, site: Path, mode: str) -> None:
    """The form's link (made with the keyboard) stores the assignment when opened (http and file://).

    The home page and « Mon parcours » list what is done and what remains, due date and days left; a second
    assignment coexists; a forged link is refused; removing one keeps the other. Served over http, the link names
    the site's own address (prefilled); from disk, it is relative (the offline edition).
    """
    page = utc_page
    base = server if mode == "http" else site.resolve().as_uri() + "/"
    link = _make_link(page, base)
    prefix = server if mode == "http" else ""
    assert link.startswith(prefix + "index.html#assigner="), link
    link = link[len(prefix):]
    payload = json.loads(base64.urlsafe_b64decode(link.split("=", 1)[1] + "=="))
    assert payload["lessons"] == ["definitions", "fondements"] and payload["final"] is True
    assert payload["group"] == "Groupe Ça va" and payload["pass"] == 75 and payload["due"] == "2099-12-31"
    page.goto(base + link)
    assert "#assigner" not in page.url
    assert "Groupe Ça va" in page.text_content("#pt-assign-notice")
    index = _index(site)
    lesson = next(x for x in index["lessons"] if x["slug"] == "definitions")
    # Part of it done: every question of « definitions », the first three wrong at first attempt.
    page.evaluate("""([ids]) => ids.forEach((id, i) => window.Partenariat.store.put('answers', id,
        {v: ['0'], ok: i >= 3, score: i >= 3 ? 1 : 0}))""", [lesson["questions"]])
    days = (date(2099, 12, 31) - datetime.now(UTC).date()).days
    score = math.floor(100 * (len(lesson["questions"]) - 3) / len(lesson["questions"]) + 0.5)
    for name in ("index.html", "parcours.html"):
        page.goto(base + name)
        box = page.locator("#pt-assignments")
        text = " ".join((box.text_content() or "").split())
        assert "Votre formateur vous a assigné…" in text
        assert f"il reste {days}\u00a0jours" in box.text_content()
        assert "1 sur 3 terminé" in text
        done = box.locator("li[data-unit='definitions']")
        assert done.get_attribute("data-done") == "true" and f"score {score}\u00a0%" in done.text_content()
        assert box.locator("li[data-unit='fondements']").get_attribute("data-done") == "false"
        assert "à faire" in box.locator("li[data-unit='evaluation-finale']").text_content()
    # A second assignment, pasted as the offline edition does; then a forged one.
    second = _assignment("2020-01-01", "autre00001", ["acteurs"])
    page.fill("#pt-assign-paste", "index.html#assigner=" + _b64(second))
    page.click("#pt-assign-paste-go")
    assert page.locator("#pt-assignments .pt-assignment").count() == 2
    assert "en retard de" in page.locator("[data-assignment='autre00001']").text_content()
    forged = dict(second, id="autre00002", lessons=["pas-une-lecon"])
    page.goto(base + "index.html#assigner=" + _b64(forged))
    assert "n’a pas été enregistré" in page.text_content("#pt-assign-notice")
    page.goto(base + "parcours.html")
    assert page.locator("#pt-assignments .pt-assignment").count() == 2
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-assignment='autre00001'] button").click()
    assert page.locator("#pt-assignments .pt-assignment").count() == 1
    assert page.locator("[data-assignment='autre00001']").count() == 0


def test_report_file_and_printable_page(utc_page: Any, server: str, site: Path, browser: Any) -> None:
    """From « Mon parcours »: the typed name is kept, and the report file and printable sheet say what was done.

    The file carries name, assignment, per-lesson and final results, date and course version and is still
    importable elsewhere; the printable sheet says it is declared by the learner, not certified.
    """
    page = utc_page
    index = _index(site)
    page.goto(server + "index.html#assigner=" + _b64(_assignment("2099-01-01")))
    lesson = next(x for x in index["lessons"] if x["slug"] == "fondements")
    page.evaluate("""([ids]) => ids.forEach((id, i) => window.Partenariat.store.put('answers', id,
        {v: ['1'], ok: i % 2 === 0, score: i % 2 === 0 ? 1 : 0}))""", [lesson["questions"]])
    page.goto(server + "parcours.html")
    page.fill("#pt-report-name", "Zoé Lefèvre")
    page.click("#pt-report-save")
    page.reload()
    assert page.input_value("#pt-report-name") == "Zoé Lefèvre"
    with page.expect_download() as info:
        page.click("#pt-report-file")
    # The download's nameless link must not linger in the page (axe once met it there, mid-audit).
    assert page.locator("a[download]").count() == 0
    assert info.value.suggested_filename.startswith("partenariat-releve-zoe-lefevre-")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    report = data["report"]
    assert report["name"] == "Zoé Lefèvre" and report["courseVersion"] == index["version"]
    assert report["assignments"][0]["group"] == "Promo Été" and report["assignments"][0]["lessons"] == ASSIGNED
    row = next(x for x in report["lessons"] if x["slug"] == "fondements")
    n = len(lesson["questions"])
    assert row["answered"] == n and row["done"] and row["correct"] == (n + 1) // 2
    assert report["final"]["answered"] == 0 and report["final"]["passed"] is None
    assert datetime.fromisoformat(report["date"].replace("Z", "+00:00")).date() == datetime.now(UTC).date()
    # Still importable, in another browser profile.
    other = browser.new_context()
    p2 = other.new_page()
    p2.goto(server + "parcours.html")
    result = p2.evaluate("(t) => window.Partenariat.store.importJSON(t)", json.dumps(data))
    assert result["ok"] and result["added"] >= n + 2, result
    assert p2.evaluate("window.Partenariat.store.get('profile', 'name').value") == "Zoé Lefèvre"
    other.close()
    page.click("#pt-report-print")
    _assert_printed_once(page, "pt-report-sheet")
    sheet = page.locator("#pt-report-sheet")
    text = sheet.text_content() or ""
    assert "Relevé de progression" in text and "non certifié" in text and "Zoé Lefèvre" in text
    assert "Promo Été" in text and index["version"] in text
    assert f"{n} / {n}" in sheet.locator("tr[data-lesson='fondements']").text_content()
    violations = run_axe(page, "parcours.html, report shown [light]")
    assert not violations, "\n".join(violations)


# ---------- the group dashboard ----------

def _plain(text: str) -> str:
    """A question's Markdown as the dashboard shows it: no links or emphasis, spaces joined, no-break spaces kept."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"[*_`]+", "", text)).strip()


def _choose_files_by_keyboard(page: Any, selector: str, files: list[Path]) -> None:
    """Focus the file input and press Space, as a keyboard user does; pick `files` in the chooser that opens.

    The page must listen for file choosers from its creation (see ``utc_page``); three tries all the same.
    """
    for attempt in range(3):
        page.locator(selector).focus()
        try:
            with page.expect_file_chooser(timeout=10000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            continue
        chooser.value.set_files([str(f) for f in files])
        return


def _learner_files(site: Path, tmp: Path, due: date) -> tuple[list[Path], list[Any], dict[str, Any], dict[str, list[str]]]:
    """30 learners' report files with random answers; the expected table, item analysis and CSV rows by name.

    A CSV row holds, after the name: units done, units of the assignment, lessons' score (%), pass mark reached,
    final assessment's score (%, empty until finished), its state, late.
    """
    index = _index(site)
    bank = quizbank.load_bank(course.ROOT / "quizzes")
    questions = {q.id: q for quiz in bank.values() for q in quiz.questions}
    lessons = {x["slug"]: x["questions"] for x in index["lessons"]}
    final = index["final"]["questions"]
    assigned = [qid for slug in ASSIGNED for qid in lessons[slug]] + final
    rng = random.Random(12)
    now = datetime.now(UTC)
    before = int((datetime(due.year, due.month, due.day, tzinfo=UTC) - timedelta(hours=5)).timestamp() * 1000)
    after = int((now - timedelta(hours=1)).timestamp() * 1000)
    end = int((datetime(due.year, due.month, due.day, tzinfo=UTC) + timedelta(days=1)).timestamp() * 1000) - 1
    hard = set(rng.sample(assigned, 8))
    learners, files = [], []
    for i in range(30):
        name = f"{NAMES[i % 10]} {chr(65 + i // 10)}. Ménard"
        level = 0.3 if i % 7 == 0 else 0.85 if i % 2 else 0.6
        answers: dict[str, Any] = {}
        late = i % 5 == 0
        stop = len(assigned) if i % 6 else rng.randrange(5, len(assigned) - 5)
        for qid in assigned[:stop]:
            q = questions[qid]
            ok = rng.random() < (0.25 if qid in hard else level)
            if ok:
                v = ["0"]
            elif q.type in ("single", "truefalse", "multiple"):
                v = [str(rng.choice([k for k, c in enumerate(q.choices) if not c.correct]))]
            else:
                v = [rng.choice(["faux un", "faux deux"])]
            answers[qid] = {"v": v, "ok": ok, "score": 1 if ok else 0, "first": ok, "t": after if late else before}
        exported = (now - timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
        doc = {"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0,
               "exported": exported, "courseVersion": index["version"],
               "buckets": {"answers": answers, "profile": {"name": {"value": name, "t": before}},
                           "assignments": {"groupeabc1": {**_assignment(due.isoformat()), "t": before}}}}
        path = tmp / f"releve-{i:02d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        files.append(path)
        learners.append({"name": name, "answers": answers})
    # The same learner twice: an older file (to be set aside) with nothing answered.
    old = json.loads(files[3].read_text(encoding="utf-8"))
    old["exported"] = "2020-01-01T00:00:00Z"
    old["buckets"]["answers"] = {}
    (tmp / "ancien.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    foreign = dict(old, course="autre-module")
    (tmp / "autre.json").write_text(json.dumps(foreign), encoding="utf-8")
    (tmp / "abime.json").write_text('{"schema": "partenariat-progress", "buck', encoding="utf-8")
    files += [tmp / "ancien.json", tmp / "autre.json", tmp / "abime.json"]

    def pct(a: int, b: int) -> int:
        return math.floor(100 * a / b + 0.5)

    rows, numbers = {}, {}
    lesson_ids = [qid for slug in ASSIGNED for qid in lessons[slug]]
    for x in learners:
        a = x["answers"]
        units = [lessons[s] for s in ASSIGNED] + [final]
        done = sum(all(q in a for q in ids) for ids in units)
        score = pct(sum(q in a and a[q]["first"] for q in lesson_ids), len(lesson_ids))
        f_answered = sum(q in a for q in final)
        f_score = pct(sum(q in a and a[q]["first"] for q in final), len(final))
        final_text = ("non commencée" if not f_answered else "en cours" if f_answered < len(final)
                      else f"{f_score}\u00a0% — " + ("réussie" if f_score >= 60 else "non réussie"))
        last = max((a[q]["t"] for q in assigned if q in a), default=0)
        late = last > end if done == len(units) else now.timestamp() * 1000 > end
        rows[x["name"]] = {"done": f"{done} / {len(units)}", "score": f"{score}\u00a0%" + ("" if score >= 60 else " (sous le seuil)"),
                           "final": final_text, "late": "oui" if late else "non"}
        state = ("non commencée" if not f_answered else "en cours" if f_answered < len(final)
                 else "réussie" if f_score >= 60 else "non réussie")
        numbers[x["name"]] = [str(done), str(len(units)), str(score), "oui" if score >= 60 else "non",
                              str(f_score) if f_answered == len(final) else "", state, "oui" if late else "non"]
    items = {}
    for qid in assigned:
        got = [x["answers"][qid] for x in learners if qid in x["answers"]]
        ok = sum(r["first"] for r in got)
        wrong: dict[str, int] = {}
        for r in got:
            if not r["ok"]:
                q = questions[qid]
                text = _plain(q.choices[int(r["v"][0])].text) if r["v"][0].isdigit() else r["v"][0]
                wrong[text] = wrong.get(text, 0) + 1
        most = min(wrong.items(), key=lambda kv: (-kv[1], kv[0])) if wrong else None
        items[qid] = {"n": len(got), "share": pct(ok, len(got)) if got else None, "most": most,
                      "flagged": bool(got) and 2 * ok < len(got)}
    return files, list(rows.items()), items, numbers


def test_group_dashboard_table_items_and_csv(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """30 learners' files plus a corrupt, a foreign and a duplicate one, in the dashboard.

    The three are reported by name and kept out; each row (completion, score, final, late) and each question's
    analysis (share right at first attempt, most given wrong answer, flag, link to the question) match the
    figures computed here; sorting by keyboard works; the CSV (BOM, `;`, numbers with their unit in the header)
    parses back with accents; nothing is stored; axe finds nothing.
    """
    page = utc_page
    due = datetime.now(UTC).date() - timedelta(days=3)
    files, rows, items, numbers = _learner_files(site, tmp_path, due)
    page.goto(server + "formateurs/groupe.html")
    dump = "JSON.stringify(Object.entries(window.localStorage).sort())"
    stored_before = page.evaluate(dump)
    _choose_files_by_keyboard(page, "#groupe-files", files)
    page.wait_for_selector("#groupe-table")
    rejected = page.locator("#groupe-rejected").text_content() or ""
    assert "«\u00a0abime.json\u00a0» écarté\u00a0: fichier illisible" in rejected
    assert "«\u00a0autre.json\u00a0» écarté\u00a0: relevé d’un autre module" in rejected
    assert "«\u00a0ancien.json\u00a0» écarté\u00a0: doublon de «\u00a0releve-03.json\u00a0»" in rejected
    assert page.locator("#groupe-rejected li").count() == 3
    body = page.locator("#groupe-table tbody tr")
    assert body.count() == 30
    shown = {}
    for i in range(30):
        row = body.nth(i)
        shown[row.locator("[data-col='name']").text_content()] = {
            key: row.locator(f"[data-col='{col}']").text_content()
            for key, col in (("done", "done"), ("score", "score"), ("final", "final"), ("late", "late"))}
    assert shown == dict(rows)
    for qid, want in items.items():
        tr = page.locator(f"#groupe-items tr[data-qid='{qid}']")
        assert tr.locator("[data-col='n']").text_content() == str(want["n"]), qid
        share = tr.locator("[data-col='share']").text_content()
        assert share == ("—" if want["share"] is None else f"{want['share']}\u00a0%"), qid
        wrong = tr.locator("[data-col='wrong']").text_content() or ""
        if want["most"] is None:
            assert wrong == "—", qid
        else:
            text, count = want["most"]
            assert wrong.endswith(f" ({count})") and wrong[: -len(f" ({count})")] in (text, text[:119] + "…"), (qid, wrong, want)
        assert (tr.locator("[data-col='flagged']").text_content() == "oui, à reprendre") == want["flagged"], qid
        href = tr.locator("th a").get_attribute("href") or ""
        assert href.endswith(f".html#q-{qid}"), href
    flagged = [qid for qid, w in items.items() if w["flagged"]]
    assert flagged, "the generated group should miss some questions"
    first_rows = page.locator("#groupe-items tbody tr").evaluate_all("rs => rs.map(r => r.dataset.qid)")[: len(flagged)]
    assert set(first_rows) == set(flagged)
    # A flagged question's link leads to the question in its lesson.
    link = page.locator(f"#groupe-items tr[data-qid='{flagged[0]}'] th a").get_attribute("href")
    target = (site / "formateurs" / link.split("#")[0]).resolve().read_text(encoding="utf-8")
    assert f'id="q-{flagged[0]}"' in target
    # Sorting with the keyboard: score, ascending then descending.
    page.locator("button[data-sort='score']").focus()
    page.keyboard.press("Enter")
    values = [int(s.split("\u00a0")[0]) for s in page.locator("#groupe-table tbody [data-col='score']").all_text_contents()]
    assert values == sorted(values)
    assert page.locator("th:has(button[data-sort='score'])").get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    values = [int(s.split("\u00a0")[0]) for s in page.locator("#groupe-table tbody [data-col='score']").all_text_contents()]
    assert values == sorted(values, reverse=True)
    # CSV
    page.locator("#groupe-csv").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Apprenant", "Unités terminées", "Unités du devoir", "Score des leçons (%)", "Seuil atteint",
                        "Évaluation finale (%)", "Évaluation finale", "En retard"]
    assert {r[0]: r[1:] for r in table[1:]} == numbers
    assert page.evaluate(dump) == stored_before, "the dashboard must store nothing"
    assert "partenariat" not in stored_before
    page.locator("#groupe-print").press("Enter")  # keyboard, like the rest of the dashboard
    _assert_printed_once(page, "groupe-items-sheet")
    violations = run_axe(page, "formateurs/groupe.html, 30 files [light]")
    page.locator('label[for="__palette_1"]').click()  # the same filled dashboard in the dark scheme
    check_scheme(page, "dark")
    violations += run_axe(page, "formateurs/groupe.html, 30 files [dark]")
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_assign_form_has_no_axe_violation(utc_page: Any, server: str, scheme: str) -> None:
    """The assignment form and its printable sheet with the QR code pass axe, in the light and the dark scheme."""
    page = utc_page
    use_scheme(page, server, scheme)
    _make_link(page, server)
    check_scheme(page, scheme)
    violations = run_axe(page, f"formateurs/assigner.html, sheet shown [{scheme}]")
    assert not violations, "\n".join(violations)


def test_group_dashboard_drop_and_forget(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """Dropped files are read like picked ones; reloading the page forgets them all.

    A corrupt file among them is reported by name; nothing is kept after a reload.
    """
    page = utc_page
    files, rows, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date())
    chosen = [files[0], files[1], tmp_path / "abime.json"]
    page.goto(server + "formateurs/groupe.html")
    page.evaluate("""(files) => {
        const dt = new DataTransfer();
        files.forEach(([name, text]) => dt.items.add(new File([text], name, {type: 'application/json'})));
        document.getElementById('groupe-drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", [[f.name, f.read_text(encoding="utf-8")] for f in chosen])
    page.wait_for_selector("#groupe-table")
    names = sorted(page.locator("#groupe-table tbody [data-col='name']").all_text_contents())
    assert names == sorted([rows[0][0], rows[1][0]])
    assert "«\u00a0abime.json\u00a0» écarté" in (page.locator("#groupe-rejected").text_content() or "")
    page.reload()
    assert page.locator("#groupe-table").count() == 0
    assert page.locator("#groupe-rejected").is_hidden()
