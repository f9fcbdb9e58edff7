"""The trainer's marks of written answers on « Suivi du groupe »: kept in this browser, in the CSV, across tabs.

Reports are the dashboard's usual test files (``_learner_files``) with written answers added; marks are given in the
page's selects, as a trainer does. The stored value is read back here from ``localStorage``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import look_at
from tests.test_trainer_tools import _learner_files
from tests.test_written import WRITTEN

pytestmark = pytest.mark.browser

KEY = "partenariat:groupe-notes:v1"
Q1, Q2 = WRITTEN[0], WRITTEN[1]
LOST = "ne seront pas gardées après sa fermeture"


@pytest.fixture()
def ctx(browser: Any) -> Iterator[Any]:
    """A fresh profile (its own localStorage) in UTC, downloads accepted, desktop size."""
    context = browser.new_context(accept_downloads=True, timezone_id="UTC", viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def _tab(ctx: Any) -> Any:
    """A new tab of ``ctx`` that records JavaScript errors in ``js_errors``."""
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


@pytest.fixture()
def reports(site: Path, tmp_path: Path) -> tuple[list[Path], list[str]]:
    """Three learners' report files, each with written answers to Q1 and Q2 (the third to Q1 only); their names."""
    files, rows, _, _ = _learner_files(site, tmp_path, datetime.now(UTC).date() + timedelta(days=7))
    chosen = files[:3]
    for i, path in enumerate(chosen):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for q in (Q1, Q2) if i < 2 else (Q1,):
            doc["buckets"]["answers"][q.id] = {"text": f"Réponse de l’apprenant {i} à {q.id}.",
                                               "selfRating": {q.rubric[0].id: 1}, "t": 1}
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return chosen, [rows[i][0] for i in range(3)]


def _open(page: Any, server: str, files: list[Path]) -> None:
    """The group page with ``files`` opened, once its written-answer tables are drawn."""
    page.goto(server + "formateurs/groupe.html")
    page.set_input_files("#groupe-files", [str(f) for f in files])
    page.locator(f"table.pt-group-written[data-qid='{Q1.id}']").wait_for()


def _select(page: Any, qid: str, criterion: int, name: str) -> Any:
    return page.locator(f"table.pt-group-written[data-qid='{qid}']").get_by_label(
        f"Note du formateur, critère {criterion}, {name}", exact=True)


def _wait_for_value(page: Any, qid: str, criterion: int, name: str, value: str) -> None:
    """Wait until the select of ``name``'s mark on criterion ``criterion`` of ``qid`` shows ``value``."""
    page.wait_for_function("""([qid, label, value]) => {
        const s = Array.from(document.querySelectorAll(`table.pt-group-written[data-qid="${qid}"] select`))
          .find((x) => x.getAttribute('aria-label') === label);
        return s && s.value === value; }""", arg=[qid, f"Note du formateur, critère {criterion}, {name}", value])


def _total(page: Any, qid: str, name: str) -> str:
    row = page.locator(f"table.pt-group-written[data-qid='{qid}'] tbody tr").filter(
        has=page.locator("th", has_text=name))
    return row.locator(".pt-written-total").text_content() or ""


def _stored(page: Any) -> Any:
    return page.evaluate(f"localStorage.getItem('{KEY}')")


# Marks given in every test: learner 0 and learner 1 on the same question and criterion, learner 0 on two questions.
MARKS = [(Q1.id, 1, 0, "2"), (Q1.id, 2, 0, "1"), (Q1.id, 1, 1, "0"), (Q2.id, 1, 0, "1")]


def _give(page: Any, names: list[str]) -> None:
    for qid, criterion, who, value in MARKS:
        _select(page, qid, criterion, names[who]).select_option(value)


def _assert_given(page: Any, names: list[str]) -> None:
    for qid, criterion, who, value in MARKS:
        assert _select(page, qid, criterion, names[who]).input_value() == value, (qid, criterion, who)
    n1, n2 = len(Q1.rubric), len(Q2.rubric)
    assert _total(page, Q1.id, names[0]) == f"3 / {2 * n1} (2 critères sur {n1})"
    assert _total(page, Q1.id, names[1]) == f"0 / {2 * n1} (1 critère sur {n1})"
    assert _total(page, Q2.id, names[0]) == f"1 / {2 * n2} (1 critère sur {n2})"
    assert _total(page, Q2.id, names[1]) == "—"
    assert _select(page, Q1.id, 1, names[2]).input_value() == ""


@pytest.mark.parametrize("width", [360, 1280])
def test_marks_survive_a_reload_with_the_same_files(ctx: Any, server: str, reports: tuple[list[Path], list[str]],
                                                    width: int) -> None:
    """At phone and desktop widths: marks given, the page reloaded and the same files opened again show them all.

    Two learners marked on the same criterion and one learner on two questions keep their own marks; the stored
    value is versioned JSON keyed by learner, question and criterion. At 360 px the page does not scroll sideways and
    each select, scrolled to, lies within the screen.
    """
    files, names = reports
    page = _tab(ctx)
    page.set_viewport_size({"width": width, "height": 800})
    _open(page, server, files)
    _give(page, names)
    _assert_given(page, names)
    stored = json.loads(_stored(page))
    assert stored["version"] == 1 and isinstance(stored["t"], int)
    key0 = names[0].lower()
    assert stored["marks"][f"{key0}\n{Q1.id}\n{Q1.rubric[0].id}"] == 2
    assert stored["marks"][f"{names[1].lower()}\n{Q1.id}\n{Q1.rubric[0].id}"] == 0
    assert len(stored["marks"]) == len(MARKS)
    page.reload()
    page.set_input_files("#groupe-files", [str(f) for f in files])
    page.locator(f"table.pt-group-written[data-qid='{Q1.id}']").wait_for()
    _assert_given(page, names)
    assert page.locator("#groupe-marks-message").text_content() == ""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    select = _select(page, Q2.id, len(Q2.rubric), names[0])
    select.scroll_into_view_if_needed()
    box = select.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    select.select_option("2")
    assert _total(page, Q2.id, names[0]) == f"3 / {2 * len(Q2.rubric)} (2 critères sur {len(Q2.rubric)})"
    assert page.js_errors == []


def test_csv_has_a_column_of_points_per_written_answer(ctx: Any, server: str,
                                                       reports: tuple[list[Path], list[str]]) -> None:
    """The CSV keeps its columns and adds one per written answer shown, named after the question, points in the header.

    A fully marked answer gives its total as a number; a partly marked one and an unmarked one stay empty, and the
    page says how many are partly marked; a learner without that answer has an empty cell.
    """
    files, names = reports
    page = _tab(ctx)
    _open(page, server, files)
    _give(page, names)
    for i in range(len(Q1.rubric)):  # learner 1: every criterion of Q1, « atteint » but the first (« pas atteint »)
        _select(page, Q1.id, i + 1, names[1]).select_option("0" if i == 0 else "2")
    with page.expect_download() as info:
        page.click("#groupe-csv")
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    head = table[0]
    assert head[:8] == ["Apprenant", "Unités terminées", "Unités du devoir", "Score des leçons (%)", "Seuil atteint",
                        "Évaluation finale (%)", "Évaluation finale", "En retard"]
    columns = {}
    for q in (Q1, Q2):
        caption = page.locator(f"table.pt-group-written[data-qid='{q.id}'] caption").text_content() or ""
        title = caption.split(" — ")[0]  # « Lesson, Qn », as the page names the question
        columns[q.id] = head.index(f"Rédaction, {title} (points sur {2 * len(q.rubric)})")
    assert len(head) == 8 + 2, head
    by_name = {r[0]: r for r in table[1:]}
    assert by_name[names[1]][columns[Q1.id]] == str(2 * (len(Q1.rubric) - 1))
    assert by_name[names[0]][columns[Q1.id]] == ""  # 2 criteria of more: partly marked
    assert by_name[names[0]][columns[Q2.id]] == ""
    assert by_name[names[2]][columns[Q2.id]] == ""  # no answer to Q2
    message = page.locator("#groupe-message").text_content() or ""
    assert "2 rédactions notées en partie y restent vides" in message, message
    assert page.js_errors == []


@pytest.mark.parametrize("value", ["{broken", '{"version": 7, "marks": {}, "t": 1}'])
def test_unreadable_stored_marks_are_reported_and_set_aside_at_the_first_mark(ctx: Any, server: str, value: str,
                                                                    reports: tuple[list[Path], list[str]]) -> None:
    """A corrupt or foreign stored value is named in French on the page and ignored; the page works.

    The value stays as it is while files are opened and read; the first mark moves it, unchanged, to a key of its own.
    """
    files, names = reports
    page = _tab(ctx)
    page.goto(server + "formateurs/groupe.html")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, value])
    _open(page, server, files)
    message = page.locator("#groupe-marks-message")
    assert message.get_attribute("role") == "status"
    text = message.text_content() or ""
    assert "Les notes des rédactions gardées dans ce navigateur sont" in text
    assert ("version inconnue" if "version" in value else "illisibles") in text
    assert "Elles seront mises de côté dans ce navigateur dès que vous donnerez une note" in text
    assert _select(page, Q1.id, 1, names[0]).input_value() == ""
    assert _stored(page) == value, "the unreadable value must not be overwritten before a mark is given"
    page.reload()
    assert _stored(page) == value
    _open(page, server, files)
    assert _stored(page) == value
    _select(page, Q1.id, 1, names[0]).select_option("2")
    assert json.loads(_stored(page))["marks"] == {f"{names[0].lower()}\n{Q1.id}\n{Q1.rubric[0].id}": 2}
    assert "les données illisibles sont mises de côté" in (message.text_content() or "")
    aside = page.evaluate("k => Object.keys(localStorage).filter(x => x.startsWith(k + ':illisible:'))"
                          ".map(x => localStorage.getItem(x))", KEY)
    assert aside == [value], "the unreadable value must be kept, unchanged, under a key of its own"
    assert page.js_errors == []


def test_storage_that_refuses_writes_is_reported_and_marking_goes_on(ctx: Any, server: str,
                                                                     reports: tuple[list[Path], list[str]]) -> None:
    """When localStorage.setItem throws QuotaExceededError, a French message says marks end with the page.

    Marks can still be given, totalled and exported; nothing is stored.
    """
    ctx.add_init_script("""(() => {
        Storage.prototype.setItem = function (k, v) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
    })();""")
    files, names = reports
    page = _tab(ctx)
    _open(page, server, files)
    _give(page, names)
    _assert_given(page, names)
    message = page.locator("#groupe-marks-message").text_content() or ""
    assert "Ce navigateur refuse d’enregistrer vos notes" in message and LOST in message, message
    assert _stored(page) is None
    with page.expect_download() as info:
        page.click("#groupe-csv")
    assert "Rédaction, " in Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert page.js_errors == []


def test_a_mark_given_in_one_tab_shows_in_the_other(ctx: Any, server: str,
                                                    reports: tuple[list[Path], list[str]]) -> None:
    """Two tabs of the group page with the same files: a mark given in one shows in the other's select and total.

    Marks given in turn in each tab are all kept, and a reload of either tab finds them all.
    """
    files, names = reports
    first, second = _tab(ctx), _tab(ctx)
    _open(first, server, files)
    _open(second, server, files)
    look_at(first)
    _select(first, Q1.id, 1, names[0]).select_option("2")
    look_at(second)
    _wait_for_value(second, Q1.id, 1, names[0], "2")
    assert _select(second, Q1.id, 1, names[0]).input_value() == "2"
    assert _total(second, Q1.id, names[0]).startswith("2 / ")
    _select(second, Q1.id, 2, names[0]).select_option("1")
    look_at(first)
    _wait_for_value(first, Q1.id, 2, names[0], "1")
    _select(first, Q2.id, 1, names[1]).select_option("0")
    first.reload()
    first.set_input_files("#groupe-files", [str(f) for f in files])
    first.locator(f"table.pt-group-written[data-qid='{Q1.id}']").wait_for()
    assert _select(first, Q1.id, 1, names[0]).input_value() == "2"
    assert _select(first, Q1.id, 2, names[0]).input_value() == "1"
    assert _select(first, Q2.id, 1, names[1]).input_value() == "0"
    assert len(json.loads(_stored(first))["marks"]) == 3
    assert first.js_errors == [] and second.js_errors == []


def test_clearing_the_marks_asks_first_and_forgets_them(ctx: Any, server: str,
                                                        reports: tuple[list[Path], list[str]]) -> None:
    """« Effacer les notes des rédactions » asks first: refused, the marks stay; accepted, they go, after a reload too."""
    files, names = reports
    page = _tab(ctx)
    _open(page, server, files)
    _give(page, names)
    clear = page.get_by_role("button", name="Effacer les notes des rédactions")
    asked: list[str] = []

    def answer(accept: bool) -> None:
        def handle(dialog: Any) -> None:
            asked.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()
        page.once("dialog", handle)

    answer(False)
    clear.click()
    assert asked and "Effacer toutes les notes des rédactions" in asked[0]
    _assert_given(page, names)
    assert _stored(page) is not None
    answer(True)
    clear.click()
    assert len(asked) == 2
    assert _stored(page) is None
    assert _select(page, Q1.id, 1, names[0]).input_value() == ""
    assert _total(page, Q1.id, names[0]) == "—"
    assert page.locator("#groupe-marks-message").text_content() == "Notes des rédactions effacées."
    assert clear.is_disabled()
    page.reload()
    _open(page, server, files)
    assert _select(page, Q1.id, 1, names[0]).input_value() == ""
    assert page.js_errors == []
